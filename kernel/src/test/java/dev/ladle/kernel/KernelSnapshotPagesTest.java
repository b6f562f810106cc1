package dev.ladle.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kernel's two calls for the boot description's checkpointer thread, on the fake platform with invariants checked
 * (Kernel.tla's machine in lockstep): {@link Kernel#mapSnapshot} maps a frame's root into the checkpointer's lowest
 * free page and its page tables map it read-only; {@link Kernel#unmapSnapshot} gives the page back; a full window
 * and a frame with no root are refused without a change.
 */
class KernelSnapshotPagesTest {
    private static final String BOOT = "limits pages 4 frames 16\n"
            + "process a image one.elf heap 1\n"
            + "process c image one.elf\n"
            + "thread a in a\n"
            + "thread c in c checkpointer\n";

    private static List<Integer> rootsOf(Kernel k, int q) {
        List<Integer> out = new ArrayList<>();
        for (int v = 1; v <= k.limits().pages(); v++) {
            if (k.machine().procPt(q, v) != Machine.NO_FRAME) {
                out.add(k.machine().procPt(q, v));
            }
        }
        return out;
    }

    private static void holds(Kernel k) {
        assertEquals(List.of(), k.machine().failingInvariants());
        assertEquals(null, k.pageTableMismatch());
    }

    @Test
    void aFrameIsMappedIntoTheCheckpointerReadOnlyAndGivenBack() {
        Kernel k = new Rig(BOOT).kernel;
        assertEquals(1, k.checkpointer());
        int c = k.machine().proc(k.checkpointer());
        List<Integer> frames = rootsOf(k, k.machine().proc(0));
        int free = k.limits().pages() - rootsOf(k, c).size();
        assertTrue(frames.size() > free, frames + " frames to map, " + free + " free pages");
        List<Integer> pages = new ArrayList<>();
        for (int i = 0; i < free; i++) {
            int v = k.mapSnapshot(frames.get(i));
            assertTrue(v >= 1 && v <= k.limits().pages(), "page " + v);
            assertEquals(frames.get(i), k.machine().procPt(c, v));
            assertEquals(frames.get(i), k.checkpointerFrame(v), "the page tables map the frame there");
            assertFalse(k.processObject(c).space().writable(k.vpn(v)), "read-only to the checkpointer");
            pages.add(v);
            holds(k);
        }
        assertEquals(free, k.snapshotPages().cardinality());
        // the window is full: refused, nothing changed
        int[] before = k.machine().copyState();
        assertEquals(Kernel.SNAPSHOT_NO_FREE_PAGE, k.mapSnapshot(frames.get(free)));
        assertEquals(
                java.util.Arrays.toString(before),
                java.util.Arrays.toString(k.machine().copyState()));
        // a frame no process maps has no root to map from
        assertEquals(Kernel.SNAPSHOT_NO_ROOT, k.mapSnapshot(15));
        assertEquals(Machine.Guard.OK, k.unmapSnapshot(pages.get(0)));
        assertEquals(Machine.NO_FRAME, k.machine().procPt(c, pages.get(0)));
        assertEquals(-1, k.checkpointerFrame(pages.get(0)));
        assertEquals(frames.get(0), k.machine().procPt(k.machine().proc(0), firstPage(k, frames.get(0))), "root kept");
        holds(k);
        assertEquals(Machine.Guard.SnapshotDerived, k.unmapSnapshot(pages.get(0)), "given back already");
        // room again: the next frame lands at the page given back (the lowest free one)
        assertEquals(pages.get(0), k.mapSnapshot(frames.get(free)));
        holds(k);
        for (int v : pages) {
            assertEquals(Machine.Guard.OK, k.unmapSnapshot(v));
        }
        assertTrue(k.snapshotPages().isEmpty());
        holds(k);
    }

    private static int firstPage(Kernel k, int frame) {
        for (int v = 1; v <= k.limits().pages(); v++) {
            if (k.machine().procPt(k.machine().proc(0), v) == frame) {
                return v;
            }
        }
        return -1;
    }

    @Test
    void aKernelWithoutACheckpointerRefusesTheCalls() {
        Kernel k = new Rig("process a image one.elf\nthread a in a\n").kernel;
        assertEquals(-1, k.checkpointer());
        assertThrows(IllegalStateException.class, () -> k.mapSnapshot(1));
        assertThrows(IllegalStateException.class, () -> k.unmapSnapshot(1));
    }
}
