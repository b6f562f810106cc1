package dev.ladle.persist.mem;

import java.nio.ByteBuffer;
import java.util.BitSet;

/**
 * Copy-on-write of physical frames for a checkpoint taken on the fly: the stop-the-world step write-protects the
 * frames to be written; the first write to a protected frame afterwards copies the frame before the write lands
 * (on x86: the write-protect fault of the PTE and the engine's mapping), so the checkpointer always reads the
 * frame as it was at the snapshot. Only frames written during the checkpoint are ever copied.
 *
 * <p>The checkpointer reads a frame by mapping it ({@link #mapSnapshot}): the view it gets is memory that holds the
 * snapshot's contents for as long as the mapping lasts, with no copy made for it. The frame stays protected while
 * it is mapped, so a write meanwhile still copies before it lands and the view never changes. The checkpointer
 * unmaps the frame ({@link #unmapSnapshot}) once the log has written the bytes out of the view.
 */
public interface CopyOnWrite {
    /** Write-protects {@code frames} (with the world stopped). */
    void protect(BitSet frames);

    /**
     * Maps the snapshot contents of {@code frame} for reading: a read-only view of exactly 4096 bytes (position 0,
     * limit 4096) of the memory holding them, the frame's own memory when it was not written since {@link #protect},
     * its pre-image otherwise. Nothing is copied. The contents stay the snapshot's until {@link #unmapSnapshot}.
     */
    ByteBuffer mapSnapshot(int frame);

    /** Ends the mapping of {@code frame}: drops its protection and its pre-image (the view must not be read again). */
    void unmapSnapshot(int frame);

    /**
     * How many frames the checkpointer may map at once ({@link #mapSnapshots}) and hand to the log before the first
     * of them is written: the frames of a group are given back together ({@link #unmapSnapshots}) once the log has
     * written the last of them. 1 (the default) maps and unmaps frame by frame; memory whose maps wait for a window of
     * pages to free keeps it at 1 (a group larger than the window could never be mapped whole).
     */
    default int snapshotGroup() {
        return 1;
    }

    /**
     * Maps the snapshot contents of {@code frames[0, n)} into {@code into[0, n)}, each as {@link #mapSnapshot} does
     * (an implementation may take its lock once for the group).
     */
    default void mapSnapshots(int[] frames, int n, ByteBuffer[] into) {
        for (int i = 0; i < n; i++) {
            into[i] = mapSnapshot(frames[i]);
        }
    }

    /** Unmaps {@code frames[0, n)}, each as {@link #unmapSnapshot} does (an implementation may lock once). */
    default void unmapSnapshots(int[] frames, int n) {
        for (int i = 0; i < n; i++) {
            unmapSnapshot(frames[i]);
        }
    }

    /** Whether {@code frame} is mapped for the checkpointer now (between {@link #mapSnapshot} and its unmap). */
    boolean mapped(int frame);

    /** Drops every protection and mapping left and every pre-image (the checkpoint ended or was abandoned). */
    void releaseAll();

    /** Pre-images copied so far by the current checkpoint (frames written while protected). */
    long copiedFrames();
}
