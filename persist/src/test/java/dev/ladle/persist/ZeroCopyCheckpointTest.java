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
import java.util.IdentityHashMap;
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
        // each frame's own memory, by identity: a buffer the log writes is either one of these or a copy
        Map<byte[], Integer> own = new IdentityHashMap<>();
        for (int f = 0; f < w.frames(); f++) {
            if (f != zeroFrame) {
                own.put(mem.frameMemory(f).array(), f);
            }
        }
        List<Integer> writtenFromOwnMemory = Collections.synchronizedList(new ArrayList<>());
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger writtenDuring = new AtomicInteger(-1);
        Path file = dir.resolve("log");
        TransactionLog log =
                WatchedDisk.create(file, TransactionLog.Options.defaults().withFileSize(4L << 20), bufs -> {
                    for (ByteBuffer b : bufs) {
                        Integer f = b.hasArray() ? own.get(b.array()) : null;
                        if (f == null) {
                            continue;
                        }
                        writtenFromOwnMemory.add(f);
                        if (b.arrayOffset() + b.position() != 0 || b.remaining() != PhysicalMemory.PAGE_SIZE) {
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

    @Test
    void aFrameMappedForTheCheckpointerKeepsItsSnapshotWhileWrittenAndIsCopiedOnce() {
        InMemoryPhysicalMemory m = new InMemoryPhysicalMemory(4);
        m.writeInt(4096, 7);
        java.util.BitSet all = new java.util.BitSet();
        all.set(0, 4);
        m.protect(all);
        ByteBuffer view = m.mapSnapshot(1);
        assertTrue(view.array() == m.frameMemory(1).array(), "mapped: the frame's own memory, not a copy");
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
}
