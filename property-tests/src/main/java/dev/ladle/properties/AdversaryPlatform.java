package dev.ladle.properties;

import dev.ladle.kernel.hw.AddressSpace;
import dev.ladle.kernel.hw.Cpu;
import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.kernel.hw.Platform;
import dev.ladle.kernel.hw.RegisterFile;
import dev.ladle.kernel.hw.Stop;
import dev.ladle.persist.mem.InMemoryPhysicalMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A platform whose CPU runs an adversary instead of user code: each time the scheduler puts a thread on the CPU,
 * the {@link Program} chooses the registers of the system call it makes, and the CPU stops at {@code int 0x30}
 * at once. Memory is a byte array, an address space a map from virtual page to frame. The kernel's scheduler,
 * trap entry, page-table mirroring and invariant checks are the real ones.
 */
final class AdversaryPlatform implements Platform {
    /** What a thread does when it is scheduled: fills its registers for one system call, or says it is done. */
    interface Program {
        /** Returns false when the adversary has no call left (the CPU then reports a halt). */
        boolean next(RegisterFile regs);
    }

    private final InMemoryPhysicalMemory memory;
    private final List<Space> spaces = new ArrayList<>();
    private Program program = regs -> false;

    AdversaryPlatform(int frames) {
        memory = new InMemoryPhysicalMemory(frames);
    }

    void program(Program p) {
        program = p;
    }

    @Override
    public PhysicalMemory memory() {
        return memory;
    }

    @Override
    public AddressSpace newAddressSpace() {
        Space s = new Space();
        spaces.add(s);
        return s;
    }

    @Override
    public void destroy(AddressSpace space) {
        spaces.remove(space);
    }

    /** Every address space's mappings, in creation order (for before/after comparisons). */
    List<Map<Integer, Integer>> mappings() {
        List<Map<Integer, Integer>> out = new ArrayList<>();
        for (Space s : spaces) {
            out.add(new TreeMap<>(s.map));
        }
        return out;
    }

    @Override
    public Cpu cpu() {
        return new Cpu() {
            @Override
            public Stop run(AddressSpace space, RegisterFile regs, long maxInstructions) {
                return program.next(regs) ? new Stop.Trap(0x30) : new Stop.Halted();
            }

            @Override
            public long lastInstructionCount() {
                return 1;
            }
        };
    }

    @Override
    public void close() {}

    static final class Space implements AddressSpace {
        final Map<Integer, Integer> map = new TreeMap<>();

        @Override
        public void map(int vpn, int frame, boolean writable) {
            map.put(vpn, frame);
        }

        @Override
        public void unmap(int vpn) {
            map.remove(vpn);
        }

        @Override
        public int frameOf(int vpn) {
            return map.getOrDefault(vpn, -1);
        }

        @Override
        public AccessResult read32(int virtualAddress) {
            throw new UnsupportedOperationException("the adversary's kernel never reads user memory");
        }

        @Override
        public AccessResult write32(int virtualAddress, int value) {
            throw new UnsupportedOperationException("the adversary's kernel never writes user memory");
        }
    }
}
