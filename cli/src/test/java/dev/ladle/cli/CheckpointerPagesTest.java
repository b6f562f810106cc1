package dev.ladle.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.kernel.Kernel;
import dev.ladle.kernel.Machine;
import dev.ladle.kernel.SystemImages;
import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.persist.Checkpointer;
import dev.ladle.persist.Persistence;
import dev.ladle.persist.mem.CheckpointerPages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default system's checkpoints go through its checkpointer thread: each frame of the snapshot is mapped into the
 * checkpointer's address space by the kernel ({@code MapSnapshot}), read there by the log writer and unmapped
 * ({@code UnmapSnapshot}); the checkpointer's window is bounded, so maps are refused and wait for unmaps; nothing is
 * held after the seal; recovery gives the snapshot back, frames written while the checkpoint streamed included.
 */
class CheckpointerPagesTest {
    private static final long SEED = 7;
    private static final int QUANTUM = 2000;

    @TempDir
    Path dir;

    private static byte[][] frames(KernelPersistent sys) {
        byte[][] out = new byte[sys.frames()][PhysicalMemory.PAGE_SIZE];
        for (int f = 0; f < out.length; f++) {
            sys.readFrame(f, out[f]);
        }
        return out;
    }

    /** The checkpointer's mapped pages (its own image and stack, and any snapshot page). */
    private static int mappedPages(Kernel k) {
        int q = k.machine().proc(k.checkpointer());
        int n = 0;
        for (int v = 1; v <= k.limits().pages(); v++) {
            n += k.machine().procPt(q, v) == Machine.NO_FRAME ? 0 : 1;
        }
        return n;
    }

    @Test
    void everyFrameOfACheckpointIsMappedIntoTheCheckpointerAndGivenBackBeforeTheSeal() throws Exception {
        Path log = dir.resolve("ck.log");
        try (PersistentSystem s =
                PersistentSystem.boot(SystemImages.DEFAULT_BOOT, SystemImages.defaultBoot(), SEED, QUANTUM, true)) {
            Kernel k = s.kernel();
            assertEquals("checkpointer", k.threads().get(k.checkpointer()).name());
            int own = mappedPages(k);
            int window = k.limits().pages() - own;
            List<String> broken = new ArrayList<>();
            int[] calls = {0};
            s.sys().pages().afterEachCall(() -> {
                calls[0]++;
                List<String> failing = k.machine().failingInvariants();
                String pages = k.pageTableMismatch();
                if (!failing.isEmpty() || pages != null || mappedPages(k) - own > window) {
                    broken.add("after call " + calls[0] + ": " + failing + " " + pages);
                }
            });
            s.persist(log, Persistence.Mode.CHECKPOINT, 1_000_000);
            CheckpointerPages.Counts c = s.sys().pages().counts();
            assertEquals(List.of(), broken);
            assertTrue(c.maps() > 0, c.toString());
            assertEquals(c.maps(), c.unmaps(), "every page mapped is given back: " + c);
            assertEquals(2 * c.maps(), calls[0], "the invariants are checked after every map and unmap");
            // the first checkpoint writes every frame: each mapped, or (a free frame, no root to map) read in place
            assertEquals(s.sys().frames(), c.maps() + c.readsUnmapped(), c.toString());
            assertTrue(c.readsUnmapped() > 0 && c.readsUnmapped() < s.sys().frames(), c.toString());
            assertTrue(c.mostHeld() > 0 && c.mostHeld() <= window, c.toString());
            // nothing held after the seal
            assertEquals(0, c.held());
            assertTrue(k.snapshotPages().isEmpty());
            assertEquals(own, mappedPages(k));
            // the world was stopped throughout: no frame was copied
            assertEquals(0, s.sys().copyOnWrite().copiedFrames());
        }
    }

    /** Frames some process maps as its root (those the kernel can map into the checkpointer), in frame order. */
    private static List<Integer> rootFrames(Kernel k) {
        java.util.TreeSet<Integer> out = new java.util.TreeSet<>();
        for (dev.ladle.kernel.Process p : k.processes()) {
            for (int v = 1; v <= k.limits().pages(); v++) {
                int f = k.machine().procPt(p.id(), v);
                if (f != Machine.NO_FRAME) {
                    out.add(f);
                }
            }
        }
        return new ArrayList<>(out);
    }

    @Test
    void whenTheCheckpointersWindowIsFullAMapWaitsForAnUnmap() throws Exception {
        try (PersistentSystem s = PersistentSystem.boot(SEED, QUANTUM)) {
            Kernel k = s.kernel();
            CheckpointerPages pages = s.sys().pages();
            int window = k.limits().pages() - mappedPages(k);
            List<Integer> roots = rootFrames(k);
            assertTrue(roots.size() > window, roots.size() + " frames with a root, window " + window);
            java.util.BitSet all = new java.util.BitSet();
            all.set(0, s.sys().frames());
            synchronized (s.sys().lock()) {
                pages.protect(all);
            }
            for (int i = 0; i < window; i++) {
                pages.mapSnapshot(roots.get(i));
            }
            assertEquals(window, k.snapshotPages().cardinality());
            assertEquals(k.limits().pages(), mappedPages(k), "the window is full");
            int next = roots.get(window);
            java.nio.ByteBuffer[] got = {null};
            Thread mapper = new Thread(() -> got[0] = pages.mapSnapshot(next));
            mapper.start();
            while (pages.counts().refusals() == 0) {
                Thread.sleep(1); // the kernel refuses the map (CheckpointerHasFreePage): the mapper waits
            }
            assertTrue(mapper.isAlive(), "no page was dropped or overwritten: the map waits");
            assertEquals(window, pages.counts().held());
            pages.unmapSnapshot(roots.get(0)); // the log has written the first frame
            mapper.join();
            CheckpointerPages.Counts c = pages.counts();
            assertEquals(window + 1, c.maps(), c.toString());
            assertEquals(1, c.unmaps(), c.toString());
            assertEquals(window, c.held(), c.toString());
            byte[] want = new byte[PhysicalMemory.PAGE_SIZE];
            s.sys().readFrame(next, want);
            byte[] read = new byte[PhysicalMemory.PAGE_SIZE];
            got[0].get(read);
            assertArrayEquals(want, read, "the frame read through the checkpointer's mapping");
            assertEquals(null, k.pageTableMismatch());
            pages.releaseAll();
            assertTrue(k.snapshotPages().isEmpty());
            assertEquals(k.limits().pages() - window, mappedPages(k));
        }
    }

    @Test
    void aCheckpointerWithNoFreePageAndNothingToGiveBackIsAnError() throws Exception {
        int window;
        try (PersistentSystem s = PersistentSystem.boot(SEED, QUANTUM)) {
            window = s.kernel().limits().pages() - mappedPages(s.kernel());
        }
        String boot = SystemImages.defaultBoot()
                .replace(
                        "process checkpointer image checkpointer.elf",
                        "process checkpointer image checkpointer.elf heap " + window);
        try (PersistentSystem s = PersistentSystem.boot("full.boot", boot, SEED, QUANTUM)) {
            Kernel k = s.kernel();
            assertEquals(k.limits().pages(), mappedPages(k), "the heap fills the checkpointer's window");
            java.util.BitSet all = new java.util.BitSet();
            all.set(0, s.sys().frames());
            synchronized (s.sys().lock()) {
                s.sys().pages().protect(all);
            }
            // a free frame (no root) is read in place and holds no page: nothing the map could wait for
            int free = s.sys().frames() - 1;
            assertTrue(!rootFrames(k).contains(free));
            s.sys().pages().mapSnapshot(free);
            assertEquals(1, s.sys().pages().counts().readsUnmapped());
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                    java.time.Duration.ofSeconds(60),
                    () -> org.junit.jupiter.api.Assertions.assertThrows(
                            IllegalStateException.class,
                            () -> s.sys().pages().mapSnapshot(rootFrames(k).get(0))),
                    "a map that can never get a page fails instead of waiting");
            assertTrue(e.getMessage().contains("no free page"), e.getMessage());
        }
    }

    @Test
    void framesWrittenWhileTheCheckpointStreamsAreCopiedAndRecoveryGivesTheSnapshot() throws Exception {
        Path log = dir.resolve("cow.log");
        int[] snapshot;
        byte[][] snapshotFrames;
        long copied;
        try (PersistentSystem s = PersistentSystem.boot(SEED, QUANTUM)) {
            s.persist(log, Persistence.Mode.CHECKPOINT, 1_000_000);
            for (int i = 0; i < 100; i++) {
                s.step();
            }
            s.persistence().awaitCheckpoint();
            Checkpointer ck = s.persistence().checkpointer();
            Checkpointer.Started st;
            synchronized (s.sys().lock()) {
                snapshot = s.sys().copyState();
                snapshotFrames = frames(s.sys());
                st = ck.begin(false);
            }
            assertNotEquals(null, st, "steps were recorded since the last checkpoint");
            // the system runs on while the checkpoint streams on another thread
            Exception[] failed = {null};
            Thread streamer = new Thread(() -> {
                try {
                    ck.finish(st);
                } catch (Exception e) {
                    failed[0] = e;
                }
            });
            streamer.start();
            for (int i = 0; i < 150; i++) {
                synchronized (s.sys().lock()) {
                    s.kernel().run(1);
                }
            }
            streamer.join();
            assertEquals(null, failed[0]);
            copied = s.sys().copyOnWrite().copiedFrames();
            // only frames written while the checkpoint streamed were copied (each copied frame changed since)
            java.util.BitSet written = new java.util.BitSet();
            byte[] now = new byte[PhysicalMemory.PAGE_SIZE];
            for (int f = 0; f < s.sys().frames(); f++) {
                s.sys().readFrame(f, now);
                if (!java.util.Arrays.equals(now, snapshotFrames[f])) {
                    written.set(f);
                }
            }
            java.util.BitSet notWritten = s.sys().pages().copied();
            notWritten.andNot(written);
            assertEquals(new java.util.BitSet(), notWritten, "frames copied that nothing wrote");
            assertEquals(copied, s.sys().pages().copied().cardinality());
            assertTrue(s.kernel().snapshotPages().isEmpty(), "nothing held after the seal");
            assertNotEquals(KernelPersistent.steps(snapshot), s.sys().steps());
        }
        PersistentSystem.Recovered r = PersistentSystem.recover(log, SEED, QUANTUM);
        try (PersistentSystem s = r.system()) {
            assertArrayEquals(snapshot, s.sys().copyState());
            byte[][] now = frames(s.sys());
            for (int f = 0; f < now.length; f++) {
                assertArrayEquals(snapshotFrames[f], now[f], "frame " + f);
            }
            assertEquals(null, s.kernel().pageTableMismatch());
            assertTrue(r.result().violations().isEmpty(), r.result().toString());
        }
        assertTrue(copied > 0, copied + " frames copied: the run wrote frames while the checkpoint streamed");
    }
}
