package dev.ladle.x86;

import java.util.Arrays;

/**
 * The reverse map of the page tables: for each frame, the present 4 KiB page-table entries that name it (an address
 * space and a virtual page number). Kept as entries are written ({@link X86AddressSpace#writePte}, through which
 * {@code map}, {@code unmap}, {@code clearDirty} and the engine's dirty-bit update all go) and as a space is destroyed,
 * so finding a frame's mappings costs the number of its mappings, never a scan of every page table. An entry naming a
 * frame outside physical memory is not kept; 4 MiB pages (made only by tests, through {@code writePde}) are not
 * either. Used by the thread that edits the page tables.
 *
 * <p>Entries live in parallel arrays linked per frame ({@code head}, {@code next}), reused through a free list: an
 * int per frame and three words per mapping, no object per mapping.
 */
final class FrameMappings {
    /** Called for each mapping of a frame. */
    @FunctionalInterface
    interface Visitor {
        void visit(X86AddressSpace space, int vpn);
    }

    private final int[] head;
    private X86AddressSpace[] spaces = new X86AddressSpace[64];
    private int[] vpns = new int[64];
    private int[] next = new int[64];
    private int free = -1;
    private int top;
    private int count;

    FrameMappings(int frames) {
        head = new int[frames];
        Arrays.fill(head, -1);
    }

    /** An entry of {@code space} at {@code vpn} changed from {@code oldPte} to {@code newPte}. */
    void changed(X86AddressSpace space, int vpn, int oldPte, int newPte) {
        boolean was = PteField.PRESENT.isSet(oldPte);
        boolean is = PteField.PRESENT.isSet(newPte);
        int oldFrame = PteField.FRAME.get(oldPte);
        int newFrame = PteField.FRAME.get(newPte);
        if (was && is && oldFrame == newFrame) {
            return; // the bits changed (D, A, R/W), not the frame
        }
        if (was) {
            remove(oldFrame, space, vpn);
        }
        if (is) {
            add(newFrame, space, vpn);
        }
    }

    private void add(int frame, X86AddressSpace space, int vpn) {
        if (frame >= head.length) {
            return;
        }
        int e;
        if (free >= 0) {
            e = free;
            free = next[e];
        } else {
            if (top == spaces.length) {
                spaces = Arrays.copyOf(spaces, top * 2);
                vpns = Arrays.copyOf(vpns, top * 2);
                next = Arrays.copyOf(next, top * 2);
            }
            e = top++;
        }
        spaces[e] = space;
        vpns[e] = vpn;
        next[e] = head[frame];
        head[frame] = e;
        count++;
    }

    private void remove(int frame, X86AddressSpace space, int vpn) {
        if (frame >= head.length) {
            return;
        }
        int prev = -1;
        for (int e = head[frame]; e >= 0; prev = e, e = next[e]) {
            if (spaces[e] == space && vpns[e] == vpn) {
                if (prev < 0) {
                    head[frame] = next[e];
                } else {
                    next[prev] = next[e];
                }
                spaces[e] = null;
                next[e] = free;
                free = e;
                count--;
                return;
            }
        }
    }

    /** Calls {@code visitor} for each present entry naming {@code frame} (the visitor may edit those entries' bits). */
    void forEach(int frame, Visitor visitor) {
        if (frame < 0 || frame >= head.length) {
            return;
        }
        for (int e = head[frame]; e >= 0; ) {
            int n = next[e];
            visitor.visit(spaces[e], vpns[e]);
            e = n;
        }
    }

    /** Calls {@code visitor} for every present entry kept, over every frame (the visitor may edit their bits). */
    void forEachMapping(Visitor visitor) {
        for (int e = 0; e < top; e++) {
            if (spaces[e] != null) {
                visitor.visit(spaces[e], vpns[e]);
            }
        }
    }

    /** How many present entries name {@code frame}. */
    int mappings(int frame) {
        int n = 0;
        for (int e = frame < 0 || frame >= head.length ? -1 : head[frame]; e >= 0; e = next[e]) {
            n++;
        }
        return n;
    }

    /** Present entries kept, over every frame. */
    int size() {
        return count;
    }
}
