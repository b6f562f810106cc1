package dev.ladle.kernel.fake;

import dev.ladle.kernel.KernelThread;
import dev.ladle.kernel.hw.AddressSpace;
import dev.ladle.kernel.hw.Cpu;
import dev.ladle.kernel.hw.ImageLoader;
import dev.ladle.kernel.hw.PageFault;
import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.kernel.hw.Platform;
import dev.ladle.kernel.hw.Reg;
import dev.ladle.kernel.hw.RegisterFile;
import dev.ladle.kernel.hw.Stop;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A platform without x86 for the kernel's tests: memory is a byte array, an address space a map from virtual page
 * to frame, and the CPU runs "programs" of Java steps, one instruction each, with EIP as the program counter (so a
 * program's position lives in its registers, as real code's does). Instruction counting is exact, as the
 * scheduler's replay needs.
 */
public final class FakePlatform implements Platform {
    /** One fake instruction: changes registers or memory, and returns why the CPU stops, or null to go on. */
    public interface Insn {
        Stop exec(RegisterFile regs, AddressSpace space);
    }

    private final Memory memory;
    private final FakeCpu cpu = new FakeCpu();
    private final Map<String, List<Insn>> programs = new HashMap<>();
    private int spaces;

    public FakePlatform(int frames) {
        memory = new Memory(frames);
    }

    /** The program the thread called {@code thread} runs; instruction i is at EIP = entry + i. */
    public void program(String thread, List<Insn> insns) {
        programs.put(thread, insns);
    }

    @Override
    public PhysicalMemory memory() {
        return memory;
    }

    @Override
    public AddressSpace newAddressSpace() {
        spaces++;
        return new Space();
    }

    @Override
    public void destroy(AddressSpace space) {
        spaces--;
    }

    @Override
    public ImageLoader imageLoader() {
        return new TestImage.Loader(memory);
    }

    @Override
    public Cpu cpu() {
        return cpu;
    }

    @Override
    public void close() {}

    /** Where fake programs start: their ELF entry point. */
    public static final int ENTRY = 0x08048000;

    private final class FakeCpu implements Cpu {
        private long last;

        @Override
        public Stop run(AddressSpace space, RegisterFile regs, long maxInstructions) {
            List<Insn> program = programs.get(((KernelThread) regs).name());
            last = 0;
            while (last < maxInstructions) {
                int pc = regs.get(Reg.EIP) - ENTRY;
                if (program == null || pc < 0 || pc >= program.size()) {
                    return new Stop.BadInstruction(regs.get(Reg.EIP), "no fake instruction");
                }
                last++;
                Stop stop = program.get(pc).exec(regs, space);
                if (stop != null) {
                    return stop;
                }
            }
            return new Stop.Preempted(last);
        }

        @Override
        public long lastInstructionCount() {
            return last;
        }
    }

    /** Physical memory in one array. */
    public static final class Memory implements PhysicalMemory {
        private final ByteBuffer bytes;
        private final int frames;

        Memory(int frames) {
            this.frames = frames;
            this.bytes = ByteBuffer.allocate(frames * PAGE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public int frames() {
            return frames;
        }

        @Override
        public byte readByte(long a) {
            return bytes.get((int) a);
        }

        @Override
        public void writeByte(long a, byte v) {
            bytes.put((int) a, v);
        }

        @Override
        public int readInt(long a) {
            return bytes.getInt((int) a);
        }

        @Override
        public void writeInt(long a, int v) {
            bytes.putInt((int) a, v);
        }

        @Override
        public void copyFrame(int from, int to) {
            for (int i = 0; i < PAGE_SIZE; i++) {
                bytes.put(to * PAGE_SIZE + i, bytes.get(from * PAGE_SIZE + i));
            }
        }

        @Override
        public void clearFrame(int frame) {
            for (int i = 0; i < PAGE_SIZE; i++) {
                bytes.put(frame * PAGE_SIZE + i, (byte) 0);
            }
        }
    }

    /** An address space as a map: the page tables' meaning without their bits. */
    public final class Space implements AddressSpace {
        private final Map<Integer, Integer> pages = new HashMap<>();
        private final java.util.Set<Integer> readOnly = new java.util.HashSet<>();

        @Override
        public void map(int vpn, int frame, boolean writable) {
            pages.put(vpn, frame);
            if (writable) {
                readOnly.remove(vpn);
            } else {
                readOnly.add(vpn);
            }
        }

        @Override
        public void unmap(int vpn) {
            pages.remove(vpn);
            readOnly.remove(vpn);
        }

        @Override
        public boolean writable(int vpn) {
            return pages.containsKey(vpn) && !readOnly.contains(vpn);
        }

        @Override
        public int frameOf(int vpn) {
            return pages.getOrDefault(vpn, -1);
        }

        @Override
        public AccessResult read32(int va) {
            Integer f = pages.get(va >>> 12);
            if (f == null) {
                return new AccessResult(0, new PageFault(va, PageFault.USER));
            }
            return new AccessResult(memory.readInt((long) f * PhysicalMemory.PAGE_SIZE + (va & 0xfff)), null);
        }

        @Override
        public AccessResult write32(int va, int value) {
            Integer f = pages.get(va >>> 12);
            if (f == null) {
                return new AccessResult(0, new PageFault(va, PageFault.USER | PageFault.WRITE));
            }
            if (readOnly.contains(va >>> 12)) {
                return new AccessResult(0, new PageFault(va, PageFault.PRESENT | PageFault.USER | PageFault.WRITE));
            }
            memory.writeInt((long) f * PhysicalMemory.PAGE_SIZE + (va & 0xfff), value);
            return new AccessResult(value, null);
        }

        /** Every mapping, vpn -> frame. */
        public Map<Integer, Integer> mappings() {
            return Map.copyOf(pages);
        }
    }
}
