package dev.ladle.persist.mem;

import java.util.BitSet;

/**
 * Copy-on-write of physical frames for a checkpoint taken on the fly: the stop-the-world step write-protects the
 * frames to be written; the first write to a protected frame afterwards copies the frame before the write lands
 * (on x86: the write-protect fault of the PTE and the engine's mapping), so the checkpointer always reads the
 * frame as it was at the snapshot. Only frames written during the checkpoint are ever copied.
 */
public interface CopyOnWrite {
    /** Write-protects {@code frames} (with the world stopped). */
    void protect(BitSet frames);

    /**
     * Copies the snapshot contents of {@code frame} (its pre-image if it was written since {@link #protect}, the
     * frame itself otherwise) into {@code into} (4096 bytes) and drops its protection.
     */
    void readSnapshot(int frame, byte[] into);

    /** Drops every protection left and every pre-image (the checkpoint ended or was abandoned). */
    void releaseAll();

    /** Pre-images copied so far by the current checkpoint (frames written while protected). */
    long copiedFrames();
}
