package dev.ladle.kernel.hw;

/**
 * One process's address space: IA-32 page tables in physical memory on the x86 target. The kernel edits it only to
 * mirror what the generated machine decided (map, grant, copy, unmap); the target keeps its CPU's view in step.
 */
public interface AddressSpace {
    /**
     * Maps virtual page {@code vpn} (address / 4096) onto {@code frame}; user-accessible, and writable by user code
     * only when {@code writable} (a write to a read-only page is a page fault with the present and write bits).
     */
    void map(int vpn, int frame, boolean writable);

    /** Removes the mapping of {@code vpn}, if any (and the stale translation with it). */
    void unmap(int vpn);

    /** The frame {@code vpn} maps, or -1. */
    int frameOf(int vpn);

    /**
     * Whether {@code vpn} is mapped and user code may write it (the R/W bit on x86). A platform that keeps no write
     * protection reports every mapped page writable.
     */
    default boolean writable(int vpn) {
        return frameOf(vpn) >= 0;
    }

    /** Reads a 32-bit word of user memory through the MMU walk; a fault is returned, not thrown. */
    AccessResult read32(int virtualAddress);

    /** Writes a 32-bit word of user memory through the MMU walk (sets accessed and dirty). */
    AccessResult write32(int virtualAddress, int value);

    /** The result of a kernel access to user memory: a value or a page fault. */
    record AccessResult(int value, PageFault fault) {
        public boolean ok() {
            return fault == null;
        }
    }
}
