package dev.ladle.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checkpointer's two calls through {@link Machine}, KernelImpl's machine with Kernel.tla's in lockstep: the
 * kernel's map of a frame's root into the checkpointer ({@code MapSnapshot}) and the checkpointer's unmap of that
 * leaf mapping ({@code UnmapSnapshot}), each refusal by its guard, both machines agreeing and every invariant
 * holding after each call.
 *
 * <p>Thread 0 (process 0) holds send+grant to itself in local id 1 and owns frame 1 at page 1; thread 1, the
 * checkpointer (process 1), holds send+grant to thread 0.
 */
class MachineSnapshotTest {

    private static final int OWNER = 0;
    private static final int CHECKPOINTER = 1;
    private static final int[] WORDS = new int[6];

    private static Machine machine(int checkpointer) {
        int both = Machine.SEND | Machine.GRANT;
        int[][][] cspace = {{{OWNER, both}}, {{OWNER, both}}};
        int[][] pages = {{1, Machine.NO_FRAME, Machine.NO_FRAME}, {Machine.NO_FRAME, Machine.NO_FRAME, Machine.NO_FRAME}
        };
        return new Machine(
                new Machine.Sizes(2, 1, 3, 2, 4),
                true,
                cspace,
                new int[] {0, 1},
                pages,
                new boolean[] {false, false},
                checkpointer);
    }

    private static void holds(Machine m) {
        assertEquals(List.of(), m.failingInvariants());
    }

    @Test
    void aRootIsMappedIntoTheCheckpointersLowestFreePageAndDroppedAgain() {
        Machine m = machine(CHECKPOINTER);
        assertEquals(Machine.Guard.OK, m.mapSnapshot(CHECKPOINTER, OWNER, 1));
        assertEquals(1, m.changedPageCount());
        assertEquals(CHECKPOINTER, m.changedPageProcess(0));
        assertEquals(1, m.changedPage(0));
        assertEquals(1, m.procPt(CHECKPOINTER, 1));
        holds(m);
        // a second snapshot of the same root lands in the next free page
        assertEquals(Machine.Guard.OK, m.mapSnapshot(CHECKPOINTER, OWNER, 1));
        assertEquals(2, m.changedPage(0));
        assertEquals(1, m.procPt(CHECKPOINTER, 2));
        holds(m);
        assertEquals(Machine.Guard.OK, m.unmapSnapshot(CHECKPOINTER, 1));
        assertEquals(1, m.changedPageCount());
        assertEquals(1, m.changedPage(0));
        assertEquals(Machine.NO_FRAME, m.procPt(CHECKPOINTER, 1));
        // the root and the other snapshot mapping stay; the frame is not freed
        assertEquals(1, m.procPt(OWNER, 1));
        assertEquals(1, m.procPt(CHECKPOINTER, 2));
        assertFalse(m.free(1));
        holds(m);
        assertEquals(Machine.Guard.OK, m.unmapSnapshot(CHECKPOINTER, 2));
        assertEquals(Machine.Guard.SnapshotDerived, m.unmapSnapshot(CHECKPOINTER, 2));
        assertFalse(m.free(1));
        holds(m);
    }

    @Test
    void onlyTheCheckpointerReceivesSnapshots() {
        Machine m = machine(CHECKPOINTER);
        assertEquals(Machine.Guard.IsCheckpointer, m.mapSnapshot(OWNER, OWNER, 1));
        assertEquals(Machine.Guard.IsCheckpointer, m.unmapSnapshot(OWNER, 1));
        Machine none = machine(Machine.NO_OBJ);
        assertEquals(Machine.Guard.IsCheckpointer, none.mapSnapshot(CHECKPOINTER, OWNER, 1));
        holds(none);
    }

    @Test
    void aDerivedMappingIsNoSnapshotAndTheOwnersOwnPageIsNeverUnmapped() {
        Machine m = machine(CHECKPOINTER);
        // the owner maps its page to itself: page 2 is derived from the root at page 1
        assertEquals(Machine.Guard.OK, m.mapPage(OWNER, 1, WORDS, 1));
        assertEquals(1, m.procPt(OWNER, 2));
        assertEquals(Machine.Guard.SnapshotRoot, m.mapSnapshot(CHECKPOINTER, OWNER, 2));
        assertEquals(Machine.Guard.SnapshotRoot, m.mapSnapshot(CHECKPOINTER, OWNER, 3));
        // the snapshot goes right after the root, before the owner's own derived mapping: a leaf with a next node
        assertEquals(Machine.Guard.OK, m.mapSnapshot(CHECKPOINTER, OWNER, 1));
        holds(m);
        assertEquals(Machine.Guard.OK, m.unmapSnapshot(CHECKPOINTER, 1));
        assertEquals(1, m.procPt(OWNER, 2));
        holds(m);
        // the checkpointer's unmap never takes a root (its own page of nothing, or the owner's)
        assertEquals(Machine.Guard.SnapshotDerived, m.unmapSnapshot(CHECKPOINTER, 1));
    }

    @Test
    void aSnapshotMappedOnIsNoLeafUntilWhatDerivesFromItIsGone() {
        Machine m = machine(CHECKPOINTER);
        assertEquals(Machine.Guard.OK, m.mapSnapshot(CHECKPOINTER, OWNER, 1));
        // the checkpointer maps its snapshot page on to the owner (page 2 of process 0)
        assertEquals(Machine.Guard.OK, m.mapPage(CHECKPOINTER, 1, WORDS, 1));
        assertEquals(1, m.procPt(OWNER, 2));
        assertEquals(Machine.Guard.SnapshotLeaf, m.unmapSnapshot(CHECKPOINTER, 1));
        holds(m);
        // its flush removes what derives from its page and keeps its own; then its page is a leaf
        assertEquals(Machine.Guard.OK, m.unmap(CHECKPOINTER, 1));
        assertEquals(Machine.NO_FRAME, m.procPt(OWNER, 2));
        assertEquals(Machine.Guard.OK, m.unmapSnapshot(CHECKPOINTER, 1));
        assertEquals(1, m.procPt(OWNER, 1));
        holds(m);
    }

    @Test
    void theCheckpointerMustBeAThreadObject() {
        assertThrows(IllegalArgumentException.class, () -> machine(2));
    }
}
