package dev.ladle.x86;

import java.util.BitSet;

/**
 * Which frames were written, from the dirty bits and the host's writes, as independent sets drained one by one (for
 * persistence: one since the last checkpoint, one since the last operation record). No frame's bytes are read or
 * copied: a write is known by the D bit's first-write stop, not by comparing the frame with an earlier copy.
 *
 * <p>Every write to a tracked frame adds it to every set: user code's first write through a clean page (the engine maps
 * a writable page whose D bit is clear read-only, and its first write stops the engine, which reports the frame before
 * it sets D: {@link X86PhysicalMemory#firstWrite}), and every write made from the host side (the kernel's copy into a
 * copy item's target, a cleared frame, a frame put back by recovery). The rule that keeps this exact: a writable entry
 * whose D bit is set names a frame that every set holds, so a write that no stop reports lands on a frame already in
 * every set. It holds when the tracker starts (every set starts with every frame: nothing is known of them), an
 * entry is written with D clear ({@link X86AddressSpace#map}), the engine sets D only after it reported the frame,
 * and {@link DrainedSet#drain} takes frames out of one set and so clears D (and invalidates, INVLPG) in every entry
 * naming them: the drained frames are re-armed, found through the platform's reverse map of the page tables
 * ({@link FrameMappings}), so a drain costs the frames it returns times their mappings, never a walk of memory or of the
 * page tables. Clearing D more often than this needs (a checkpoint's copy-on-write arms frames of its own with
 * {@link X86AddressSpace#clearDirty}) only adds stops, each reported here as well.
 *
 * <p>At most one tracker per physical memory. Used by the thread that runs the kernel and edits the page tables (a
 * drain between two runs of the CPU).
 */
public final class DirtyFrames {
    private final X86Platform platform;
    private final int frames;
    private DrainedSet[] sets = new DrainedSet[0];
    private long rearmed;

    /** Tracks frames {@code 0 .. frames - 1} of {@code platform}'s memory (their writes from now on). */
    public DirtyFrames(X86Platform platform, int frames) {
        if (frames <= 0 || frames > platform.memory().frames()) {
            throw new IllegalArgumentException("frames to track: " + frames + ", memory has "
                    + platform.memory().frames());
        }
        this.platform = platform;
        this.frames = frames;
        platform.memory().track(this);
    }

    /** Frames tracked. */
    public int frames() {
        return frames;
    }

    /** A new set holding every frame (nothing is known of their writes before it); drained on its own. */
    public synchronized DrainedSet newSet() {
        DrainedSet s = new DrainedSet();
        s.words.set(0, frames);
        DrainedSet[] more = java.util.Arrays.copyOf(sets, sets.length + 1);
        more[sets.length] = s;
        sets = more;
        return s;
    }

    /** {@code frame} is being written (or was): every set gets it. Frames outside the tracked ones are ignored. */
    public synchronized void written(int frame) {
        if (frame < 0 || frame >= frames) {
            return;
        }
        for (DrainedSet s : sets) {
            s.words.set(frame);
        }
    }

    /** Page-table entries whose D bit a drain cleared so far (each an entry re-armed). */
    public synchronized long rearmed() {
        return rearmed;
    }

    /** Stops tracking: the memory reports to nobody. */
    public synchronized void close() {
        platform.memory().track(null);
    }

    /** One set of written frames. */
    public final class DrainedSet {
        private final BitSet words = new BitSet();

        private DrainedSet() {}

        /**
         * The frames written since the last drain (every frame at the first), and empties this set: each frame returned
         * is re-armed (D cleared in every writable entry naming it, with INVLPG), so its next write is reported again.
         */
        public BitSet drain() {
            synchronized (DirtyFrames.this) {
                BitSet out = (BitSet) words.clone();
                words.clear();
                rearmed += platform.armWrites(out);
                return out;
            }
        }

        /**
         * Puts {@code frames} (returned by {@link #drain}, for a use that did not happen) back into this set. Their
         * entries stay re-armed: a write meanwhile is reported again, and the set holds the frame already.
         */
        public void remark(BitSet frames) {
            synchronized (DirtyFrames.this) {
                BitSet in = (BitSet) frames.clone();
                if (in.length() > DirtyFrames.this.frames) {
                    in.clear(DirtyFrames.this.frames, in.length());
                }
                words.or(in);
            }
        }

        /** Whether {@code frame} was written since the last drain. */
        public boolean contains(int frame) {
            synchronized (DirtyFrames.this) {
                return words.get(frame);
            }
        }
    }
}
