package dev.ladle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.persist.mem.DirtyPages;
import java.util.Arrays;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/**
 * The real kernel's dirty sets (the D bits and the memory's reports, {@code KernelPersistent.dirtyPages}) against the
 * frames' bytes: the default system runs step by step (its user code's stores, the pager's copy items, map, unmap and
 * grant, a thread created and deleted), and at every drain each frame whose bytes changed since the set's last drain
 * is in what the drain returns.
 */
class KernelDirtyPagesTest {
    private static final long SEED = 7;
    private static final int QUANTUM = 2000;
    private static final int PAGE = PhysicalMemory.PAGE_SIZE;

    @Test
    void everyFrameWhoseBytesChangedIsInTheDrainOfBothSets() throws Exception {
        try (PersistentSystem s = PersistentSystem.boot(SEED, QUANTUM)) {
            KernelPersistent sys = s.sys();
            DirtyPages dirty = sys.dirtyPages();
            int frames = sys.frames();
            BitSet all = new BitSet();
            all.set(0, frames);
            assertEquals(all, dirty.drainDirtySinceCheckpoint(), "the boot's writes are not known: every frame");
            assertEquals(all, dirty.drainDirtySinceRecord());
            byte[][] atRecord = read(sys);
            byte[][] atCheckpoint = read(sys);
            int steps = 0;
            int changedFrames = 0;
            int reportedFrames = 0;
            int checkpoints = 0;
            while (steps < 5_000) {
                long before = sys.kernel().stats().steps();
                synchronized (sys.lock()) {
                    sys.kernel().run(1);
                    sys.kernel().wake();
                }
                if (sys.kernel().stats().steps() == before) {
                    break; // the system stopped
                }
                steps++;
                BitSet rec = dirty.drainDirtySinceRecord();
                int[] changed = compare(sys, atRecord, rec, "record after step " + steps);
                changedFrames += changed[0];
                reportedFrames += rec.cardinality();
                if (steps % 20 == 0) {
                    BitSet ck = dirty.drainDirtySinceCheckpoint();
                    compare(sys, atCheckpoint, ck, "checkpoint after step " + steps);
                    checkpoints++;
                }
            }
            assertTrue(steps > 500, "the system ran " + steps + " steps");
            assertTrue(changedFrames > 100, "frames changed between records: " + changedFrames);
            // a frame is reported when written, changed or not; never the whole memory at each drain
            assertTrue(
                    reportedFrames < 4 * changedFrames + steps,
                    reportedFrames + " frames reported for " + changedFrames + " changed over " + steps + " steps");
            assertTrue(checkpoints > 20);
        }
    }

    private static byte[][] read(KernelPersistent sys) {
        byte[][] out = new byte[sys.frames()][PAGE];
        for (int f = 0; f < out.length; f++) {
            sys.readFrame(f, out[f]);
        }
        return out;
    }

    /** Frames whose bytes differ from {@code seen} must be in {@code drained}; updates {@code seen}. */
    private static int[] compare(KernelPersistent sys, byte[][] seen, BitSet drained, String where) {
        byte[] now = new byte[PAGE];
        int changed = 0;
        for (int f = 0; f < seen.length; f++) {
            sys.readFrame(f, now);
            if (!Arrays.equals(seen[f], now)) {
                changed++;
                assertTrue(drained.get(f), "frame " + f + " changed but is not in the drain of the " + where);
                System.arraycopy(now, 0, seen[f], 0, PAGE);
            }
        }
        return new int[] {changed};
    }
}
