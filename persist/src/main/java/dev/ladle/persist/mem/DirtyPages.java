package dev.ladle.persist.mem;

import java.util.BitSet;

/**
 * Which frames were written: the IA-32 dirty bits (or write-protect faults) as two independent sets, one for
 * incremental checkpoints and one for the page deltas of the operation log.
 */
public interface DirtyPages {
    /** Frames written since the last call (the last checkpoint's snapshot), and clears that set. */
    BitSet drainDirtySinceCheckpoint();

    /**
     * Frames written since the last call (the last operation record, or the last checkpoint's snapshot, which holds
     * them), and clears that set.
     */
    BitSet drainDirtySinceRecord();

    /**
     * Puts {@code frames}, drained by {@link #drainDirtySinceRecord} for a record that was never appended (refused as
     * too large, or the log full), back into that set: the next record carries them. The other set is not touched.
     */
    void remarkDirtySinceRecord(BitSet frames);
}
