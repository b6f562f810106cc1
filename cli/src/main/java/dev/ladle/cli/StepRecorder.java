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

/**
 * A platform that lets the operation log see each slice's stop before the kernel does: its CPU runs the thread on
 * the real CPU, then hands the thread (registers as they are at the stop) and the stop to a listener, then returns
 * the stop to the kernel. The listener appends the step's record; a listener that throws keeps the kernel from
 * acting on the step. Everything else is the wrapped platform's.
 */
final class StepRecorder implements Platform {
    private final Platform platform;
    private final Cpu cpu;
    private BiConsumer<KernelThread, Stop> listener;

    StepRecorder(Platform platform) {
        this.platform = platform;
        Cpu real = platform.cpu();
        this.cpu = new Cpu() {
            @Override
            public Stop run(AddressSpace space, RegisterFile regs, long maxInstructions) {
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
    }

    /** The listener called at every stop until replaced; null: none. */
    void onStop(BiConsumer<KernelThread, Stop> l) {
        this.listener = l;
    }

    @Override
    public PhysicalMemory memory() {
        return platform.memory();
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
