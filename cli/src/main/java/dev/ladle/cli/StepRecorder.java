package dev.ladle.cli;

import dev.ladle.kernel.KernelThread;
import dev.ladle.kernel.hw.AddressSpace;
import dev.ladle.kernel.hw.Cpu;
import dev.ladle.kernel.hw.ImageLoader;
import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.kernel.hw.Platform;
import dev.ladle.kernel.hw.RegisterFile;
import dev.ladle.kernel.hw.Stop;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * A platform that lets the operation log see each slice's stop before the kernel does: its CPU runs the thread on
 * the real CPU, then hands the thread (registers as they are at the stop) and the stop to a listener, then returns
 * the stop to the kernel. The listener appends the step's record; a listener that throws keeps the kernel from
 * acting on the step.
 *
 * <p>It also tells a checkpoint's copy-on-write what is about to be written: before a thread runs, which address space
 * it runs in ({@link #beforeRun}: user code writes only the pages mapped writable there), and before the kernel writes
 * a frame (a copy item's copy, a cleared frame), which frame ({@link #beforeWrite}). Everything else is the wrapped
 * platform's.
 */
final class StepRecorder implements Platform {
    private final Platform platform;
    private final Cpu cpu;
    private final PhysicalMemory memory;
    private BiConsumer<KernelThread, Stop> listener;
    private Consumer<AddressSpace> beforeRun = space -> {};
    private IntConsumer beforeWrite = frame -> {};

    StepRecorder(Platform platform) {
        this.platform = platform;
        Cpu real = platform.cpu();
        this.cpu = new Cpu() {
            @Override
            public Stop run(AddressSpace space, RegisterFile regs, long maxInstructions) {
                beforeRun.accept(space);
                Stop stop = real.run(space, regs, maxInstructions);
                BiConsumer<KernelThread, Stop> l = listener;
                if (l != null && regs instanceof KernelThread t) {
                    l.accept(t, stop);
                }
                return stop;
            }

            @Override
            public long lastInstructionCount() {
                return real.lastInstructionCount();
            }
        };
        PhysicalMemory realMemory = platform.memory();
        this.memory = new PhysicalMemory() {
            @Override
            public int frames() {
                return realMemory.frames();
            }

            @Override
            public byte readByte(long physicalAddress) {
                return realMemory.readByte(physicalAddress);
            }

            @Override
            public void writeByte(long physicalAddress, byte value) {
                beforeWrite.accept((int) (physicalAddress >>> 12));
                realMemory.writeByte(physicalAddress, value);
            }

            @Override
            public int readInt(long physicalAddress) {
                return realMemory.readInt(physicalAddress);
            }

            @Override
            public void writeInt(long physicalAddress, int value) {
                beforeWrite.accept((int) (physicalAddress >>> 12));
                if ((physicalAddress & (PAGE_SIZE - 1)) > PAGE_SIZE - 4) {
                    beforeWrite.accept((int) (physicalAddress >>> 12) + 1);
                }
                realMemory.writeInt(physicalAddress, value);
            }

            @Override
            public void copyFrame(int fromFrame, int toFrame) {
                beforeWrite.accept(toFrame);
                realMemory.copyFrame(fromFrame, toFrame);
            }

            @Override
            public void clearFrame(int frame) {
                beforeWrite.accept(frame);
                realMemory.clearFrame(frame);
            }

            /** The real memory's: a failed page-in there stops the kernel ({@code Kernel}'s step guard). */
            @Override
            public int frameNotPagedIn(Throwable thrown) {
                return realMemory.frameNotPagedIn(thrown);
            }
        };
    }

    /** Called before every slice with the address space it runs in (the platform's lock is held). */
    void beforeRun(Consumer<AddressSpace> hook) {
        this.beforeRun = hook;
    }

    /** Called before the kernel writes a frame, with the frame. */
    void beforeWrite(IntConsumer hook) {
        this.beforeWrite = hook;
    }

    /** The listener called at every stop until replaced; null: none. */
    void onStop(BiConsumer<KernelThread, Stop> l) {
        this.listener = l;
    }

    @Override
    public PhysicalMemory memory() {
        return memory;
    }

    @Override
    public AddressSpace newAddressSpace() {
        return platform.newAddressSpace();
    }

    @Override
    public void destroy(AddressSpace space) {
        platform.destroy(space);
    }

    @Override
    public Cpu cpu() {
        return cpu;
    }

    @Override
    public int userFrames() {
        return platform.userFrames();
    }

    @Override
    public ImageLoader imageLoader() {
        return platform.imageLoader();
    }

    @Override
    public void close() {
        platform.close();
    }
}
