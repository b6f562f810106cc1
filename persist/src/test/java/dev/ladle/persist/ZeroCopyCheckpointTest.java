package dev.ladle.persist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.kernel.gen.persistence.Kinds;
import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.persist.log.LogReader;
import dev.ladle.persist.log.RecordType;
import dev.ladle.persist.log.TransactionLog;
import dev.ladle.persist.log.WatchedDisk;
import dev.ladle.persist.mem.InMemoryPhysicalMemory;
import dev.ladle.persist.model.KernelObject;
import dev.ladle.persist.sim.SimWorld;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frames go from memory to the log without a copy: the checkpointer maps each frame, the log writes the record's
 * body from the mapped memory itself, and the frame is unmapped once written. Watched at the log file's channel,
 * where the flusher hands over the buffers it writes.
 */
class ZeroCopyCheckpointTest {
    private static final int PROCESSES = 2;
    private static final int THREADS = 2;
    private static final int PAGES = 16;
    private static final int WRITTEN_VALUE = 0x5a5a5a5a;

    @TempDir
    Path dir;

    @Test
    void eachFrameIsWrittenFromItsOwnMemoryWhileMappedAndAWriteMeanwhileDoesNotChangeWhatIsLogged() throws Exception {
        SimWorld w = new SimWorld(PROCESSES, THREADS, PAGES);
        InMemoryPhysicalMemory mem = w.memory();
        int zeroFrame = w.frames() - 1; // never written: recorded without contents
        byte[][] before = new byte[w.frames()][];
        Random r = new Random(7);
        for (int f = 0; f < w.frames(); f++) {
            before[f] = new byte[PhysicalMemory.PAGE_SIZE];
            if (f != zeroFrame) {
                r.nextBytes(before[f]);
                mem.installFrame(f, before[f]);
            }
        }
        // each frame by its first word (the contents are random): a buffer the log writes holding a frame's bytes is
        // either the frame's own memory or a copy, which sameMemory tells apart
        Map<Integer, Integer> byFirstWord = new HashMap<>();
        for (int f = 0; f < w.frames(); f++) {
            if (f != zeroFrame) {
                byFirstWord.put(mem.frameMemory(f).getInt(0), f);
            }
        }
        assertEquals(zeroFrame, byFirstWord.size(), "the frames' first words tell them apart");
        List<Integer> writtenFromOwnMemory = Collections.synchronizedList(new ArrayList<>());
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger writtenDuring = new AtomicInteger(-1);
        Path file = dir.resolve("log");
        TransactionLog log =
                WatchedDisk.create(file, TransactionLog.Options.defaults().withFileSize(4L << 20), bufs -> {
                    for (ByteBuffer b : bufs) {
                        Integer f = b.remaining() >= 4
                                ? byFirstWord.get(b.order(java.nio.ByteOrder.LITTLE_ENDIAN)
                                        .getInt(b.position()))
                                : null;
                        if (f == null || !sameMemory(b, mem.frameMemory(f))) {
                            continue;
                        }
                        writtenFromOwnMemory.add(f);
                        if (b.remaining() != PhysicalMemory.PAGE_SIZE) {
                            problems.add("frame " + f + " written from part of its memory");
                        }
                        if (!mem.mapped(f)) {
                            problems.add("frame " + f + " written while not mapped for the checkpointer");
                        }
                        if (writtenDuring.compareAndSet(-1, f)) {
                            // user code writes the frame now: its bytes are about to be written to the log
                            w.store(f / PAGES * THREADS, f % PAGES, 0, WRITTEN_VALUE);
                        }
                    }
                });
        w.recordDigests(true);
        Checkpointer ck = new Checkpointer(log, w, ProtocolTrace.NONE);
        Checkpointer.Result res = ck.checkpoint(false);
        log.close();

        assertTrue(res.sealed());
        assertEquals(List.of(), problems);
        int during = writtenDuring.get();
        assertTrue(during >= 0, "a frame was written to the log");
        assertEquals(
                IntStream.range(0, zeroFrame).boxed().collect(Collectors.toCollection(TreeSet::new)),
                new TreeSet<>(writtenFromOwnMemory),
                "every frame with contents went to the file from its own memory");
        assertEquals(zeroFrame, writtenFromOwnMemory.size(), "each frame once");
        for (int f = 0; f < w.frames(); f++) {
            assertFalse(mem.mapped(f), "frame " + f + " is unmapped after the checkpoint");
        }
        assertEquals(1, res.framesCopiedOnWrite(), "only the frame written during the checkpoint was copied");
        assertEquals(WRITTEN_VALUE, w.load(during / PAGES * THREADS, during % PAGES, 0), "the write landed");
        assertEquals(0, mem.heldPreImages());

        // the log holds every frame's contents at the snapshot, the one written meanwhile included
        Map<Integer, byte[]> logged = new HashMap<>();
        try (LogReader reader = LogReader.open(file)) {
            reader.scan(rec -> {
                if (rec.type() == RecordType.CHECKPOINT_OBJECT) {
                    KernelObject o = Records.object(rec.payload());
                    if (o.ref().kind() == Kinds.FRAME) {
                        logged.put(o.ref().id(), o.payload());
                    }
                }
            });
        }
        for (int f = 0; f < zeroFrame; f++) {
            assertArrayEquals(before[f], logged.get(f), "frame " + f + " as logged");
        }
        assertEquals(0, logged.get(zeroFrame).length, "a frame of zeros is recorded without contents");

        // recovery gives the checkpointed state, not the write made while the checkpoint streamed
        SimWorld back = new SimWorld(PROCESSES, THREADS, PAGES);
        try (Recovery rec = Recovery.open(file, back, ProtocolTrace.NONE)) {
            rec.run(false);
        }
        assertEquals(w.snapshotDigests().get(0), back.digest());
        assertEquals(
                ByteBuffer.wrap(before[during])
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                        .getInt(0),
                back.load(during / PAGES * THREADS, during % PAGES, 0));
    }

    /**
     * Whether {@code seen} (a buffer the log writes, read-only) is {@code own}'s memory from its first byte, not a copy of
     * it: a byte changed through {@code own} shows in {@code seen} at once (and is changed back).
     */
    private static boolean sameMemory(ByteBuffer seen, ByteBuffer own) {
        if (own == null) {
            return false;
        }
        byte was = own.get(0);
        if (seen.get(seen.position()) != was) {
            return false;
        }
        own.put(0, (byte) ~was);
        boolean same = seen.get(seen.position()) == (byte) ~was;
        own.put(0, was);
        return same;
    }

    @Test
    void aFrameMappedForTheCheckpointerKeepsItsSnapshotWhileWrittenAndIsCopiedOnce() {
        InMemoryPhysicalMemory m = new InMemoryPhysicalMemory(4);
        m.writeInt(4096, 7);
        java.util.BitSet all = new java.util.BitSet();
        all.set(0, 4);
        m.protect(all);
        ByteBuffer view = m.mapSnapshot(1);
        assertTrue(sameMemory(view, m.frameMemory(1)), "mapped: the frame's own memory, not a copy");
        assertTrue(m.mapped(1));
        m.writeInt(4096, 8);
        m.writeInt(4096 + 4, 9);
        assertEquals(7, view.getInt(0), "the mapping still reads the snapshot");
        assertEquals(0, view.getInt(4));
        assertEquals(8, m.readInt(4096));
        assertEquals(1, m.copiedFrames(), "the first write copied the frame, the second did not");
        m.unmapSnapshot(1);
        assertFalse(m.mapped(1));
        assertEquals(0, m.heldPreImages());
        ByteBuffer zero = m.mapSnapshot(2);
        assertEquals(-1, zero.mismatch(ByteBuffer.allocate(4096)), "a frame never written maps as zeros");
        m.writeInt(2 * 4096, 3);
        assertEquals(-1, zero.mismatch(ByteBuffer.allocate(4096)), "and stays so while mapped");
        m.releaseAll();
        assertFalse(m.mapped(2));
    }

    @Test
    void memoryGivenBackByAReleasedPreImageIsClearedBeforeAFrameNeverWrittenTakesIt() {
        InMemoryPhysicalMemory m = new InMemoryPhysicalMemory(8);
        for (int o = 0; o < PhysicalMemory.PAGE_SIZE; o += 4) {
            m.writeInt(o, 0x7f7f7f7f); // frame 0 full of non-zero words
        }
        java.util.BitSet one = new java.util.BitSet();
        one.set(0);
        m.protect(one);
        m.mapSnapshot(0);
        m.writeInt(0, 1); // frame 0 moves to a copy; its old memory is the pre-image
        m.unmapSnapshot(0); // the pre-image is given back
        m.writeInt(5 * PhysicalMemory.PAGE_SIZE + 8, 42); // a frame never written takes memory
        byte[] page = new byte[PhysicalMemory.PAGE_SIZE];
        m.readFrame(5, page);
        byte[] want = new byte[PhysicalMemory.PAGE_SIZE];
        want[8] = 42;
        assertArrayEquals(want, page, "a frame never written reads zeros but for its one write");
        assertEquals(1, m.readInt(0));
        assertEquals(0x7f7f7f7f, m.readInt(4));
    }
}
