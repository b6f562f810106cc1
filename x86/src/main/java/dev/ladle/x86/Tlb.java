package dev.ladle.x86;

/**
 * A software translation lookaside buffer for the kernel's own accesses to user memory: 64 entries, direct mapped by
 * the low bits of the virtual page number, each holding the frame and the rights the walk found. Like the hardware
 * TLB it is not kept coherent with the page tables: a changed entry is seen only after {@link #invalidate} (INVLPG)
 * or {@link #flushNonGlobal} (a CR3 load); global entries survive the latter.
 */
public final class Tlb {
    static final int ENTRIES = 64;
    static final int USER = 1;
    static final int WRITABLE = 2;
    static final int DIRTY = 4;
    static final int GLOBAL = 8;

    private final int[] tag = new int[ENTRIES];
    private final int[] frame = new int[ENTRIES];
    private final int[] flags = new int[ENTRIES];
    private long hits;
    private long misses;

    public Tlb() {
        flushAll();
    }

    /** The slot holding {@code vpn}, or -1 on a miss (counted). */
    int lookup(int vpn) {
        int slot = vpn & (ENTRIES - 1);
        if (tag[slot] == vpn) {
            hits++;
            return slot;
        }
        misses++;
        return -1;
    }

    int frame(int slot) {
        return frame[slot];
    }

    int flags(int slot) {
        return flags[slot];
    }

    void fill(int vpn, int pageFrame, int entryFlags) {
        int slot = vpn & (ENTRIES - 1);
        tag[slot] = vpn;
        frame[slot] = pageFrame;
        flags[slot] = entryFlags;
    }

    /** INVLPG: drops the translation of virtual page {@code vpn}, global or not. */
    public void invalidate(int vpn) {
        int slot = vpn & (ENTRIES - 1);
        if (tag[slot] == vpn) {
            tag[slot] = -1;
        }
    }

    /** A CR3 load: drops every translation except global ones. */
    public void flushNonGlobal() {
        for (int i = 0; i < ENTRIES; i++) {
            if ((flags[i] & GLOBAL) == 0) {
                tag[i] = -1;
            }
        }
    }

    /** Drops every translation (CR4.PGE toggled). */
    public void flushAll() {
        java.util.Arrays.fill(tag, -1);
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }
}
