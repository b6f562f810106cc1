package dev.ladle.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.kernel.gen.persistence.Kinds;
import dev.ladle.persist.log.LogFormat;
import dev.ladle.persist.log.LogReader;
import dev.ladle.persist.log.LogSource;
import dev.ladle.persist.log.TransactionLog;
import dev.ladle.persist.model.KernelObject;
import dev.ladle.persist.model.ObjectRef;
import dev.ladle.persist.sim.SimWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Checkpoints, the operation log and recovery on the in-memory world: a crash image of the log taken at a random
 * moment (a copy of the file while the system runs) recovers to exactly the state at its last durable record, and
 * loses nothing that was acknowledged.
 */
class PersistenceTest {
    @TempDir
    Path dir;

    static SimWorld world() {
        SimWorld w = new SimWorld(3, 2, 8);
        w.recordDigests(true);
        return w;
    }

    /** Runs a random workload, remembering the state's digest at every LSN that changes it. */
    /** One operation (a send of thread 0) recorded and applied, as the kernel does under its lock. */
    static Persistence.Ack send(Persistence p, SimWorld w) throws Exception {
        synchronized (w.lock()) {
            Operation op = w.decide(0, SimWorld.SEND, w.argsFor(new Random(1), SimWorld.SEND));
            Persistence.Ack a = p.operation(op);
            w.apply(op);
            return a;
        }
    }

    static final class Run {
        final SimWorld w = world();
        final ProtocolTrace.Recorder trace = new ProtocolTrace.Recorder();
        final TreeMap<Long, Long> digestAt = new TreeMap<>();
        final List<Persistence.Ack> acks = new ArrayList<>();
        final Persistence p;
        final Random r;

        Run(Path file, Persistence.Mode mode, long seed, long logSize) throws Exception {
            r = new Random(seed);
            p = Persistence.start(file, TransactionLog.Options.defaults().withFileSize(logSize), w, mode, 40, trace);
        }

        void step() throws Exception {
            int t = r.nextInt(w.threads());
            if (r.nextInt(3) == 0) {
                w.store(t, r.nextInt(8), r.nextInt(4096), r.nextInt());
                return;
            }
            int code = 1 + r.nextInt(3);
            p.admit();
            synchronized (w.lock()) {
                Operation op = w.decide(t, code, w.argsFor(r, code));
                long before = w.digest();
                Persistence.Ack a = p.operation(op);
                w.apply(op);
                if (a.deltaLsn() > 0) {
                    digestAt.put(a.deltaLsn(), before);
                }
                if (a.lsn() > 0) {
                    digestAt.put(a.lsn(), w.digest());
                }
                acks.add(a);
            }
        }

        /** The digests at the snapshots, by the LSN of their begin records. */
        Map<Long, Long> snapshotDigests() {
            List<Long> ds = w.snapshotDigests();
            List<ProtocolTrace.Step> begins = trace.steps().stream()
                    .filter(s -> s.action().equals("BeginCheckpoint"))
                    .toList();
            Map<Long, Long> m = new HashMap<>();
            for (int i = 0; i < Math.min(ds.size(), begins.size()); i++) {
                m.put(Long.parseLong(begins.get(i).args().get(0)), ds.get(i));
            }
            return m;
        }
    }

    @Test
    void aFullRecoveryReadsEachByteOfTheLogOnce() throws Exception {
        Path file = dir.resolve("once.log");
        Run run = new Run(file, Persistence.Mode.OPLOG, 5, 8L << 20);
        // page deltas of about 3 MiB after the checkpoint: more than the reader's read-ahead window
        for (int i = 0; i < 2400; i++) {
            run.step();
        }
        run.p.close();
        // every read of the data area, as [from, to) file offsets
        List<long[]> reads = java.util.Collections.synchronizedList(new ArrayList<>()); // read ahead on another thread
        LogSource file0 = LogSource.readOnly(file);
        LogSource counting = new LogSource() {
            @Override
            public long size() throws java.io.IOException {
                return file0.size();
            }

            @Override
            public int read(java.nio.ByteBuffer dst, long position) throws java.io.IOException {
                int n = file0.read(dst, position);
                if (n > 0 && position >= LogFormat.DATA_OFFSET) {
                    reads.add(new long[] {position, position + n});
                }
                return n;
            }

            @Override
            public void close() throws java.io.IOException {
                file0.close();
            }
        };
        Recovery.Result res;
        try (Recovery rec = Recovery.open(counting, file.toString(), world(), ProtocolTrace.NONE)) {
            res = rec.run(false);
        }
        assertTrue(res.recordsReplayed() > 1000, "page deltas and operations replayed: " + res.recordsReplayed());
        reads.sort(java.util.Comparator.comparingLong(r -> r[0]));
        for (int i = 1; i < reads.size(); i++) {
            assertTrue(
                    reads.get(i)[0] >= reads.get(i - 1)[1],
                    "file offsets " + reads.get(i)[0] + ".." + Math.min(reads.get(i)[1], reads.get(i - 1)[1])
                            + " read twice");
        }
    }

    static Recovery.Result recover(Path image, SimWorld into, boolean lazy, ProtocolTrace trace) throws Exception {
        try (Recovery rec = Recovery.open(image, into, trace)) {
            Recovery.Result res = rec.run(lazy);
            if (lazy) {
                into.pageInAll();
            }
            return res;
        }
    }

    @ParameterizedTest
    @EnumSource(Persistence.Mode.class)
    void recoveryFromACrashImageGivesTheStateAtTheLastDurableRecord(Persistence.Mode mode) throws Exception {
        for (long seed = 1; seed <= 3; seed++) {
            Path file = dir.resolve(mode + "-" + seed + ".log");
            Path image = dir.resolve(mode + "-" + seed + ".crash");
            Run run = new Run(file, mode, seed, 8L << 20);
            int crashAt = 150 + run.r.nextInt(300);
            List<Persistence.Ack> ackedAtCrash = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                if (i == crashAt) {
                    for (Persistence.Ack a : run.acks) {
                        if (a.durable().isDone()) {
                            ackedAtCrash.add(a);
                        }
                    }
                    Files.copy(file, image, StandardCopyOption.REPLACE_EXISTING);
                }
                run.step();
            }
            run.p.close();
            Map<Long, Long> snaps = run.snapshotDigests();

            SimWorld back = world();
            ProtocolTrace.Recorder rt = new ProtocolTrace.Recorder();
            Restores restores = new Restores(back);
            Recovery.Result res;
            try (Recovery rec = Recovery.open(image, restores, rt)) {
                res = rec.run(false);
            }
            restores.assertDependencyOrder(res.objectsRestored());
            long expected;
            if (mode == Persistence.Mode.CHECKPOINT) {
                expected = snaps.get(res.checkpointLsn());
                for (Persistence.Ack a : ackedAtCrash) {
                    assertTrue(a.durable().get() <= res.checkpointLsn(), "acknowledged operation lost");
                }
            } else {
                // an unsealed checkpoint's begin record makes nothing durable: only the recovered one's snapshot
                TreeMap<Long, Long> all = new TreeMap<>(run.digestAt);
                all.put(res.checkpointLsn(), snaps.get(res.checkpointLsn()));
                expected = all.floorEntry(res.resumedAt()).getValue();
                for (Persistence.Ack a : ackedAtCrash) {
                    assertTrue(a.lsn() <= res.resumedAt(), "acknowledged LSN " + a.lsn() + " lost: " + res);
                }
            }
            assertEquals(expected, back.digest(), mode + " seed " + seed + ": " + res);
            assertTrue(
                    rt.actions().indexOf("Resume") == rt.actions().size() - 1
                            && rt.actions().get(0).equals("Crash")
                            && rt.actions().get(1).equals("LoadCheckpoint"),
                    rt.actions().toString());
        }
    }

    /** Passes everything to a world, and checks each object is restored after everything it depends on. */
    static final class Restores implements Persistent {
        final SimWorld w;
        final Set<ObjectRef> restored = new HashSet<>();

        Restores(SimWorld w) {
            this.w = w;
        }

        void assertDependencyOrder(int expected) {
            assertEquals(expected, restored.size());
        }

        @Override
        public void restoreObject(KernelObject o) {
            for (ObjectRef d : o.deps()) {
                assertTrue(restored.contains(d), o.ref() + " restored before " + d);
            }
            restored.add(o.ref());
            w.restoreObject(o);
        }

        @Override
        public void restoreFrame(int frame, java.util.function.Supplier<byte[]> contents, boolean lazy) {
            restored.add(new ObjectRef(Kinds.FRAME, frame));
            w.restoreFrame(frame, contents, lazy);
        }

        @Override
        public Object lock() {
            return w.lock();
        }

        @Override
        public int[] copyState() {
            return w.copyState();
        }

        @Override
        public List<KernelObject> objects(int[] state) {
            return w.objects(state);
        }

        @Override
        public int frames() {
            return w.frames();
        }

        @Override
        public dev.ladle.persist.mem.CopyOnWrite copyOnWrite() {
            return w.copyOnWrite();
        }

        @Override
        public dev.ladle.persist.mem.DirtyPages dirtyPages() {
            return w.dirtyPages();
        }

        @Override
        public void readFrame(int frame, byte[] into) {
            w.readFrame(frame, into);
        }

        @Override
        public void beginRestore(int[] machineState) {
            restored.clear();
            w.beginRestore(machineState);
        }

        @Override
        public void replayPage(int frame, byte[] contents) {
            w.replayPage(frame, contents);
        }

        @Override
        public void replay(Operation op) {
            w.replay(op);
        }

        @Override
        public List<String> checkInvariants() {
            return w.checkInvariants();
        }
    }

    @Test
    void everyCheckpointStreamsItsObjectsInDependencyOrder() throws Exception {
        Run run = new Run(dir.resolve("log"), Persistence.Mode.HYBRID, 4, 8L << 20);
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < 60; i++) {
                run.step();
            }
            run.p.awaitCheckpoint();
            int from = run.trace.steps().size();
            run.p.checkpointNow(false);
            List<ProtocolTrace.Step> one = run
                    .trace
                    .steps()
                    .subList(from, run.trace.steps().size())
                    .stream()
                    .filter(x -> x.action().endsWith("Checkpoint")
                            || x.action().equals("WriteObject")
                            || x.action().equals("Seal"))
                    .toList();
            // nothing ran since: the graph now is the graph of that checkpoint
            Map<String, List<ObjectRef>> deps = new HashMap<>();
            for (KernelObject o : run.w.objects(run.w.state())) {
                deps.put(o.ref().toString(), o.deps());
            }
            Set<String> written = new HashSet<>();
            for (ProtocolTrace.Step s : one) {
                if (s.action().equals("WriteObject")) {
                    String o = s.args().get(0);
                    for (ObjectRef d : deps.get(o)) {
                        assertTrue(written.contains(d.toString()), o + " written before " + d);
                    }
                    written.add(o);
                }
            }
            assertEquals(deps.keySet(), written);
            assertEquals(
                    List.of("BeginCheckpoint", "Seal"),
                    one.stream()
                            .map(ProtocolTrace.Step::action)
                            .filter(x -> !x.equals("WriteObject"))
                            .toList());
        }
        run.p.close();
    }

    @Test
    void aCrashDuringRecoveryIsSurvivedByRecoveringAgain() throws Exception {
        Path file = dir.resolve("log");
        Run run = new Run(file, Persistence.Mode.OPLOG, 7, 8L << 20);
        for (int i = 0; i < 300; i++) {
            run.step();
        }
        run.p.close();
        SimWorld clean = world();
        recover(file, clean, false, ProtocolTrace.NONE);
        long want = clean.digest();
        for (int crashAfter : new int[] {1, 5, 40, 90}) {
            SimWorld half = world();
            int[] n = {0};
            ProtocolTrace crashing = (a, x) -> {
                if (++n[0] == crashAfter) {
                    throw new IllegalStateException("crash during recovery");
                }
            };
            assertThrows(IllegalStateException.class, () -> recover(file, half, false, crashing));
            byte[] before = Files.readAllBytes(file);
            Recovery.Result again = recover(file, half, false, ProtocolTrace.NONE);
            assertEquals(want, half.digest(), "recovered again after a crash at step " + crashAfter);
            assertTrue(again.recordsReplayed() > 0);
            assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(file)), "recovery wrote to the log");
        }
    }

    @Test
    void lazyRecoveryResumesBeforeAnyFrameIsRead() throws Exception {
        Path file = dir.resolve("log");
        Run run = new Run(file, Persistence.Mode.CHECKPOINT, 8, 8L << 20);
        for (int i = 0; i < 100; i++) {
            run.step();
        }
        run.p.checkpointNow(true);
        run.p.close();
        SimWorld eager = world();
        recover(file, eager, false, ProtocolTrace.NONE);
        SimWorld lazy = world();
        try (Recovery rec = Recovery.open(file, lazy, ProtocolTrace.NONE)) {
            Recovery.Result res = rec.run(true);
            assertEquals(lazy.frames(), lazy.framesNotPagedIn(), "no frame was read before resuming");
            assertEquals(lazy.frames(), res.framesRestored());
            // the first instruction touches one page: only that frame is paged in
            lazy.load(0, 3, 0);
            assertEquals(lazy.frames() - 1, lazy.framesNotPagedIn());
            assertEquals(eager.digest(), lazy.digest());
        }
    }

    /**
     * A lazy recovery through a checkpoint's index counts the frames the checkpoint holds, as a full recovery does,
     * not every frame the index covers: 16 spare frames no page maps are in no checkpoint, and none of them waits for a
     * first touch. The frames a replayed page overwrote before any touch do not wait either.
     */
    @Test
    void aLazyRecoveryCountsTheFramesTheCheckpointHoldsAsAFullOneDoes() throws Exception {
        Path file = dir.resolve("held.log");
        SimWorld w = new SimWorld(3, 2, 8, 16); // 24 frames the pages map, 16 spare
        Random r = new Random(11);
        writeEveryPage(w, 8, r);
        try (Persistence p = Persistence.start(
                file,
                TransactionLog.Options.defaults().withFileSize(16L << 20),
                w,
                Persistence.Mode.HYBRID,
                1_000_000,
                ProtocolTrace.NONE)) {
            for (int v = 1; v <= 3; v++) {
                w.store(0, v, 0, 100 + v); // frames 1 to 3, replayed after the checkpoint
                randomOperation(p, w, r);
            }
        }
        SimWorld eager = new SimWorld(3, 2, 8, 16);
        Recovery.Result full = recover(file, eager, false, ProtocolTrace.NONE);
        assertEquals(24, full.framesRestored());
        SimWorld lazy = new SimWorld(3, 2, 8, 16);
        try (Recovery rec = Recovery.open(file, lazy, ProtocolTrace.NONE)) {
            Recovery.Result res = rec.run(true);
            assertEquals(full.framesRestored(), res.framesRestored(), "the frames the checkpoint holds");
            assertEquals(full.objectsRestored(), res.objectsRestored());
            assertEquals(24 - 3, lazy.framesNotPagedIn(), "held, neither touched nor replayed over");
            lazy.load(1, 0, 0); // thread 1 is in process 0: frame 0
            assertEquals(24 - 4, lazy.framesNotPagedIn());
            assertEquals(24 - 4, lazy.pageInAll());
            assertEquals(0, lazy.framesNotPagedIn());
            assertEquals(eager.digest(), lazy.digest());
            assertEquals(0, lazy.framesNotPagedIn(), "a spare frame touched never waited");
        }
    }

    /** One operation of a random thread and kind (send, receive or grant) recorded and applied under the lock. */
    private static void randomOperation(Persistence p, SimWorld w, Random r) throws Exception {
        int code = 1 + r.nextInt(3);
        record(p, w, r.nextInt(w.threads()), code, w.argsFor(r, code));
    }

    /** Thread {@code t}'s operation {@code code} decided, recorded and applied under the lock; its acknowledgement. */
    private static Persistence.Ack record(Persistence p, SimWorld w, int t, int code, int... args) throws Exception {
        synchronized (w.lock()) {
            Operation op = w.decide(t, code, args);
            Persistence.Ack a = p.operation(op);
            w.apply(op);
            return a;
        }
    }

    /** Writes every page of every thread of {@code w} ({@code pages} each), so every frame has contents. */
    private static void writeEveryPage(SimWorld w, int pages, Random r) {
        for (int t = 0; t < w.threads(); t++) {
            for (int v = 0; v < pages; v++) {
                w.store(t, v, r.nextInt(4096), 1 + r.nextInt(1000));
            }
        }
    }

    /** The bytes a lazy recovery and a full one read of a log of the same workload on a world of {@code pages}. */
    private long[] scannedLazyAndFull(int pages) throws Exception {
        Path file = dir.resolve("scan-" + pages + ".log");
        SimWorld w = new SimWorld(3, 2, pages);
        Persistence p = Persistence.start(
                file,
                TransactionLog.Options.defaults().withFileSize(32L << 20),
                w,
                Persistence.Mode.HYBRID,
                1_000_000,
                ProtocolTrace.NONE);
        Random r = new Random(5);
        writeEveryPage(w, pages, r);
        synchronized (w.lock()) {
            // the pages written go to the log with this operation's delta, before the checkpoint
            Operation op = w.decide(0, SimWorld.SEND, w.argsFor(r, SimWorld.SEND));
            p.operation(op);
            w.apply(op);
        }
        p.checkpointNow(false);
        for (int i = 0; i < 50; i++) {
            randomOperation(p, w, r);
        }
        p.close();
        SimWorld eager = new SimWorld(3, 2, pages);
        Recovery.Result full = recover(file, eager, false, ProtocolTrace.NONE);
        SimWorld lazy = new SimWorld(3, 2, pages);
        Recovery.Result res;
        try (Recovery rec = Recovery.open(file, lazy, ProtocolTrace.NONE)) {
            res = rec.run(true);
            lazy.pageInAll();
        }
        assertEquals(eager.digest(), lazy.digest(), "the lazy recovery gives the full one's state");
        assertEquals(full.recordsReplayed(), res.recordsReplayed());
        return new long[] {res.bytesScanned(), full.bytesScanned()};
    }

    /**
     * A lazy recovery reads the checkpoint's end record where the superblock names it, steps over the frames' records
     * the page tables and the index, and reads a frame's place from the index and a page table from its record on
     * first use: what it reads before the first instruction does not grow with memory but for the begin record's flat
     * state (a word per page in the stand-in world), while a full recovery reads every frame.
     */
    @Test
    void whatALazyRecoveryReadsDoesNotGrowWithMemory() throws Exception {
        long[] small = scannedLazyAndFull(16);
        long[] large = scannedLazyAndFull(256);
        long fullGrowth = large[1] - small[1];
        assertTrue(fullGrowth > 2 * 240 * 4096, "a full recovery reads the frames: " + small[1] + " -> " + large[1]);
        // what grows is the flat state's word per page (3 x 240 pages more), not the frames' records nor the page
        // tables' (a word and a dependency per page: 9 bytes)
        assertTrue(
                large[0] - small[0] < 4 * 3 * 240 + 1024,
                "a lazy recovery read " + small[0] + " bytes with 48 frames, " + large[0] + " with 768 (a full one "
                        + small[1] + " and " + large[1] + ")");
    }

    /**
     * Operations appended while a checkpoint streams fall among its frame records; a lazy recovery steps over the
     * frames' runs only, so it replays them, and gives the state a full recovery gives.
     */
    @Test
    void aLazyRecoveryReplaysTheOperationsAppendedAmongTheFrames() throws Exception {
        Path file = dir.resolve("among.log");
        SimWorld w = new SimWorld(4, 2, 256);
        Persistence p = Persistence.start(
                file,
                TransactionLog.Options.defaults().withFileSize(64L << 20),
                w,
                Persistence.Mode.HYBRID,
                1_000_000,
                ProtocolTrace.NONE);
        Random r = new Random(7);
        for (int i = 0; i < 2000; i++) {
            w.store(r.nextInt(w.threads()), r.nextInt(256), r.nextInt(4096), r.nextInt());
        }
        int runs = 0;
        for (int attempt = 0; attempt < 20 && runs < 2; attempt++) {
            p.requestCheckpoint();
            // operations while the checkpoint streams (its frames: 1,024 pages)
            for (int i = 0; i < 200; i++) {
                randomOperation(p, w, r);
                w.store(r.nextInt(w.threads()), r.nextInt(256), r.nextInt(4096), r.nextInt());
            }
            p.awaitCheckpoint();
            runs = skipsOfSealedCheckpoint(file, p);
        }
        assertTrue(runs >= 2, "no operation fell among a checkpoint's frames in 20 checkpoints");
        for (int i = 0; i < 20; i++) {
            randomOperation(p, w, r);
        }
        long live = w.digest();
        p.close();
        SimWorld eager = new SimWorld(4, 2, 256);
        recover(file, eager, false, ProtocolTrace.NONE);
        SimWorld lazy = new SimWorld(4, 2, 256);
        recover(file, lazy, true, ProtocolTrace.NONE);
        assertEquals(eager.digest(), lazy.digest());
        assertEquals(live, lazy.digest(), "recovered the state at the last operation");
    }

    /** A log of one checkpoint of a world of 3 x 2 threads with 256 pages each, every frame written; its end record. */
    private Records.End indexedLog(Path file) throws Exception {
        SimWorld w = new SimWorld(3, 2, 256);
        Random r = new Random(9);
        writeEveryPage(w, 256, r);
        Persistence p = Persistence.start(
                file,
                TransactionLog.Options.defaults().withFileSize(16L << 20),
                w,
                Persistence.Mode.CHECKPOINT,
                1_000_000,
                ProtocolTrace.NONE);
        p.close();
        return endOf(file);
    }

    /**
     * A lazy recovery restores a process's page table on its first use of memory, read from where the end record says
     * it lies: none is read before the first instruction, and the state is the full recovery's.
     */
    @Test
    void aLazyRecoveryRestoresAPageTableOnItsFirstUse() throws Exception {
        Path file = dir.resolve("tables.log");
        Records.End end = indexedLog(file);
        assertEquals(3, end.deferred().size(), "one page table per process: " + end.deferred());
        SimWorld eager = new SimWorld(3, 2, 256);
        recover(file, eager, false, ProtocolTrace.NONE);
        assertEquals(0, eager.pageTablesWaiting());
        SimWorld lazy = new SimWorld(3, 2, 256);
        try (Recovery rec = Recovery.open(file, lazy, ProtocolTrace.NONE)) {
            rec.run(true);
            assertEquals(3, lazy.pageTablesWaiting(), "no page table was read before resuming");
            assertEquals(eager.load(2, 7, 8), lazy.load(2, 7, 8)); // thread 2 is process 1's
            assertEquals(2, lazy.pageTablesWaiting(), "process 1's page table, on its first use");
            assertEquals(eager.digest(), lazy.digest());
            assertEquals(0, lazy.pageTablesWaiting());
        }
        // a system that restores objects as they come takes each page table during recovery, after its frames
        Restores restores = new Restores(new SimWorld(3, 2, 256));
        try (Recovery rec = Recovery.open(file, restores, ProtocolTrace.NONE)) {
            Recovery.Result res = rec.run(true);
            restores.assertDependencyOrder(res.objectsRestored());
            assertEquals(eager.digest(), restores.w.digest());
        }
    }

    /**
     * A damaged page table record: a system that restores objects as they come refuses the recovery (a typed error,
     * before it resumes); the stand-in world resumes and fails every use of that process's memory, never reading the
     * table as empty, while the other processes run.
     */
    @Test
    void aDamagedPageTableRecordFailsRecoveryOrEveryUseOfItsProcess() throws Exception {
        Path file = dir.resolve("table.log");
        indexedLog(file);
        Records.ObjectAt table = damagePageTable(file, 1);
        Recovery.RecoveryFailed e = assertThrows(Recovery.RecoveryFailed.class, () -> {
            try (Recovery rec = Recovery.open(file, new Restores(new SimWorld(3, 2, 256)), ProtocolTrace.NONE)) {
                rec.run(true);
            }
        });
        assertTrue(e.getMessage().contains(table.ref() + ": its record (LSN " + table.lsn()), e.getMessage());
        SimWorld eager = new SimWorld(3, 2, 256);
        assertThrows(Recovery.RecoveryFailed.class, () -> recover(file, eager, false, ProtocolTrace.NONE));
        SimWorld lazy = new SimWorld(3, 2, 256);
        try (Recovery rec = Recovery.open(file, lazy, ProtocolTrace.NONE)) {
            rec.run(true);
            Recovery.ObjectLost lost = assertThrows(Recovery.ObjectLost.class, () -> lazy.load(2, 5, 0));
            assertTrue(lost.getMessage().contains("is not intact"), lost.getMessage());
            assertThrows(Recovery.ObjectLost.class, () -> lazy.store(3, 5, 0, 1), "a second use fails again");
            assertEquals(3, lazy.pageTablesWaiting(), "the damaged table still waits; nothing else was used");
            lazy.store(0, 5, 0, 1); // process 0 runs
            assertEquals(2, lazy.pageTablesWaiting());
        }
    }

    /**
     * A page table restored on its first use is checked as the invariant checkers check the tables restored before
     * resuming (PageTableMapsFrames): an entry naming no frame fails the use, and the table never takes effect.
     */
    @Test
    void aPageTableRestoredOnFirstUseThatMapsNoFrameFailsTheUse() {
        SimWorld w = new SimWorld(2, 1, 4);
        int[] state = w.state();
        synchronized (w.lock()) {
            w.beginRestore(state);
            for (KernelObject o : w.objects(state)) {
                if (o.ref().kind() == Kinds.THREAD) {
                    w.restoreObject(o); // thread 1 runs in process 1
                }
            }
            byte[] bad = new byte[16];
            java.nio.ByteBuffer.wrap(bad)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putInt(4, w.frames() + 1);
            w.restoreObjectLazily(
                    new ObjectRef(Kinds.PAGETABLE, 1),
                    () -> new KernelObject(new ObjectRef(Kinds.PAGETABLE, 1), List.of(), bad));
        }
        assertEquals(List.of(), w.checkInvariants(), "a table that waits is checked when it is restored");
        Recovery.ObjectLost lost = assertThrows(Recovery.ObjectLost.class, () -> w.load(1, 0, 0));
        assertTrue(lost.getMessage().contains("PageTableMapsFrames"), lost.getMessage());
        assertEquals(1, w.pageTablesWaiting());
    }

    /** A checkpoint of 3 processes x 2 threads x 16 pages, then a SEND of thread 2 (process 1) carrying page 5. */
    private Path logWithASendAfterTheCheckpoint() throws Exception {
        Path file = dir.resolve("send.log");
        SimWorld w = new SimWorld(3, 2, 16);
        Random r = new Random(3);
        for (int t = 0; t < w.threads(); t++) {
            for (int v = 0; v < 16; v++) {
                w.store(t, v, r.nextInt(4096), 1 + r.nextInt(1000));
            }
        }
        Persistence p = Persistence.start(
                file,
                TransactionLog.Options.defaults().withFileSize(8L << 20),
                w,
                Persistence.Mode.HYBRID,
                1_000_000,
                ProtocolTrace.NONE);
        p.checkpointNow(false);
        synchronized (w.lock()) {
            Operation op = w.decide(2, SimWorld.SEND, 0, 1, 2, 3, 4, 5, 6, 5);
            assertEquals(0, op.result(), op.toString());
            p.operation(op);
            w.apply(op);
        }
        p.close();
        return file;
    }

    /**
     * Replaying a send that carries a page reads the sender's page table: when its record is damaged, a lazy recovery
     * refuses the image with RecoveryFailed before it resumes, as a full one does (an unchecked ObjectLost used to
     * escape from the replay).
     */
    @Test
    void aDamagedPageTableReadDuringReplayFailsTheRecoveryWithRecoveryFailed() throws Exception {
        Path file = logWithASendAfterTheCheckpoint();
        Records.ObjectAt table = damagePageTable(file, 1);
        assertThrows(Recovery.RecoveryFailed.class, () -> {
            try (Recovery rec = Recovery.open(file, new SimWorld(3, 2, 16), ProtocolTrace.NONE)) {
                rec.run(false);
            }
        });
        assertThrows(Recovery.RecoveryFailed.class, () -> {
            try (Recovery rec = Recovery.open(file, new SimWorld(3, 2, 16), ProtocolTrace.NONE)) {
                rec.run(true);
            }
        });
    }

    /**
     * A checkpoint taken after a lazy recovery, with page tables or frames still waiting for their first use, writes
     * them as they are: recovering it, in full or lazily, gives the state recovered before. Without anything used
     * first (0) it used to write the waiting frames as zeros.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 2, 3})
    void aCheckpointAfterALazyRecoveryWritesWhatStillWaits(int before) throws Exception {
        Path file = logWithASendAfterTheCheckpoint();
        SimWorld eager = new SimWorld(3, 2, 16);
        try (Recovery rec = Recovery.open(file, eager, ProtocolTrace.NONE)) {
            rec.run(false);
        }
        SimWorld lazy = new SimWorld(3, 2, 16);
        Path next = dir.resolve("next.log");
        try (Recovery rec = Recovery.open(file, lazy, ProtocolTrace.NONE)) {
            rec.run(true);
            assertEquals(2, lazy.pageTablesWaiting(), "process 1's was read by the SEND's replay");
            if (before == 1) {
                lazy.state(); // settles the tables only
            } else if (before == 2) {
                lazy.pageInAll();
            } else if (before == 3) {
                // every frame paged in, the page tables left waiting (readFrame touches the frame only)
                byte[] page = new byte[4096];
                for (int f = 0; f < lazy.frames(); f++) {
                    lazy.readFrame(f, page);
                }
                assertEquals(2, lazy.pageTablesWaiting());
            }
            Persistence p = Persistence.start(
                    next,
                    TransactionLog.Options.defaults().withFileSize(8L << 20),
                    lazy,
                    Persistence.Mode.CHECKPOINT,
                    1_000_000,
                    ProtocolTrace.NONE);
            p.checkpointNow(false);
            p.close();
        }
        for (boolean lazily : new boolean[] {false, true}) {
            SimWorld again = new SimWorld(3, 2, 16);
            try (Recovery rec = Recovery.open(next, again, ProtocolTrace.NONE)) {
                rec.run(lazily);
                assertEquals(eager.digest(), again.digest(), "recovered " + (lazily ? "lazily" : "in full"));
            }
        }
    }

    /**
     * A system recovered lazily and made durable again on the log it came from: the base checkpoint refers to the
     * frames that still wait where the recovered checkpoint holds them and pages none in (before, it read every frame
     * back to write it again); a frame written after the recovery, before the base checkpoint or after it, is written
     * by the checkpoint after its write. Recovering the log then, in full or lazily, gives the state of that last
     * seal, and so does a system recovered lazily from it and made durable once more (references to references).
     */
    @Test
    void aSystemRecoveredLazilyAndMadeDurableOnItsLogRefersToTheFramesThatStillWait() throws Exception {
        Path file = dir.resolve("continued.log");
        TransactionLog.Options options = TransactionLog.Options.defaults().withFileSize(8L << 20);
        Random r = new Random(11);
        sealedLogOfAWrittenWorld(file, options, r, 5); // the 5 after the seal replayed by the recovery
        long expected = -1;
        for (int generation = 0; generation < 2; generation++) {
            SimWorld lazy = new SimWorld(3, 2, 16);
            try (Recovery rec = Recovery.open(file, lazy, ProtocolTrace.NONE)) {
                rec.run(true);
                if (generation == 1) {
                    assertEquals(expected, recoveryDigest(file, false), "recovered in full from the continued log");
                }
                lazy.store(0, 2, 8, 77); // touched before the base checkpoint: written by it
                int waiting = lazy.framesWaiting().cardinality();
                long pagedIn = lazy.pagedIn();
                assertTrue(waiting > 20, waiting + " frames wait");
                ProtocolTrace.Recorder trace = new ProtocolTrace.Recorder();
                Persistence p = Persistence.start(file, options, lazy, Persistence.Mode.HYBRID, 1_000_000, trace, rec);
                p.awaitCheckpoint(); // streamed in the background
                assertEquals(pagedIn, lazy.pagedIn(), "the base checkpoint paged no frame in");
                assertEquals(waiting, lazy.framesWaiting().cardinality(), "every frame that waited still waits");
                long references = trace.steps().stream()
                        .filter(st ->
                                st.action().equals("WriteObject") && st.args().contains("reference"))
                        .count();
                assertEquals(waiting, references, "the base checkpoint refers to every frame that still waits");
                lazy.store(1, 3, 16, 99); // a frame that waited, written after the base snapshot
                for (int i = 0; i < 5; i++) {
                    randomOperation(p, lazy, r);
                }
                Checkpointer.Result next = p.checkpointNow(true);
                assertTrue(next.framesWritten() >= 1, "the frame written since is written: " + next);
                for (int i = 0; i < 3; i++) {
                    randomOperation(p, lazy, r); // replayed on top of that checkpoint
                }
                expected = lazy.digest(); // reads every frame: the recovery's log stays open until here
                p.close();
            }
            assertEquals(expected, recoveryDigest(file, true), "recovered lazily from the continued log");
        }
        assertEquals(expected, recoveryDigest(file, false), "recovered in full from the log continued twice");
    }

    /**
     * A log reopened after a recovery goes on while the checkpoint it begins with streams: a crash before that
     * checkpoint's seal recovers from the checkpoint recovered from, replaying the records before the reopening and
     * those after it, but not the page delta the earlier writer left behind its last durable operation (the
     * operation's record was torn: the recovery resumed before the delta). Applied with the reopened log's first
     * operation, that delta would write a step the recovery never replayed. The system recovered lazily pages in no
     * more than the continued log's first operations touch: after a recovery no frame counts as written since the last
     * record.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aCrashBeforeTheFirstSealOfAReopenedLogReplaysTheRecordsBeforeAndAfterTheReopening(boolean lazily)
            throws Exception {
        Path file = dir.resolve("reopened.log");
        TransactionLog.Options options = TransactionLog.Options.defaults().withFileSize(8L << 20);
        SimWorld w = new SimWorld(3, 2, 16);
        Random r = new Random(17);
        writeEveryPage(w, 16, r);
        long beforeTornStep;
        try (Persistence p =
                Persistence.start(file, options, w, Persistence.Mode.HYBRID, 1_000_000, ProtocolTrace.NONE)) {
            for (int i = 0; i < 10; i++) {
                w.store(i % w.threads(), i, 8, 1000 + i);
                randomOperation(p, w, r);
            }
            p.checkpointNow(true);
            for (int i = 0; i < 5; i++) {
                w.store(i % w.threads(), 15 - i, 12, 2000 + i);
                randomOperation(p, w, r); // replayed by the recovery
            }
            beforeTornStep = w.digest();
            w.store(0, 7, 100, 12_345); // carried by the delta of the step whose record is torn
            randomOperation(p, w, r);
        }
        long[] lastOperation = {-1};
        try (LogReader reader = LogReader.open(file)) {
            reader.scan(rec -> {
                if (rec.type() == dev.ladle.persist.log.RecordType.OPERATION) {
                    lastOperation[0] = rec.position();
                }
            });
        }
        byte[] bytes = Files.readAllBytes(file);
        java.util.Arrays.fill(
                bytes,
                (int) (LogFormat.DATA_OFFSET + lastOperation[0]),
                (int) (LogFormat.DATA_OFFSET + lastOperation[0]) + 64,
                (byte) 0);
        Files.write(file, bytes);
        assertEquals(beforeTornStep, recoveryDigest(file, false), "the torn step is not recovered");

        SimWorld again = new SimWorld(3, 2, 16);
        Path image = dir.resolve("reopened.crash");
        long expected;
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ProtocolTrace holdTheStreamer = (action, args) -> {
            if (action.equals("WriteObject") && !Thread.holdsLock(again.lock())) {
                try {
                    release.await(); // the base checkpoint streams no further until the crash image is taken
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (Recovery rec = Recovery.open(file, again, ProtocolTrace.NONE)) {
            rec.run(lazily);
            int waiting = again.framesWaiting().cardinality();
            Persistence p =
                    Persistence.start(file, options, again, Persistence.Mode.HYBRID, 1_000_000, holdTheStreamer, rec);
            try {
                Persistence.Ack last = null;
                for (int i = 0; i < 4; i++) {
                    again.store(1, 3 + i, 40, 3000 + i);
                    last = record(p, again, r.nextInt(again.threads()), 1 + r.nextInt(3), again.argsFor(r, 1));
                }
                last.durable().get(30, java.util.concurrent.TimeUnit.SECONDS);
                if (lazily) {
                    assertTrue(
                            again.framesWaiting().cardinality() >= waiting - 8,
                            "the first operations paged in "
                                    + (waiting - again.framesWaiting().cardinality()) + " of " + waiting
                                    + " waiting frames");
                }
                Files.copy(file, image); // a crash before the first seal of the reopened log
                expected = again.digest();
            } finally {
                release.countDown();
                p.close();
            }
        }
        assertEquals(expected, recoveryDigest(image, false), "recovered in full across the reopening");
        assertEquals(expected, recoveryDigest(image, true), "recovered lazily across the reopening");
    }

    /**
     * A log reopened after a lazy recovery that wraps several times while frames still wait for their first touch:
     * each checkpoint refers to the records the waiting frames are still read from (or pages them in and writes them
     * again once those records are more than half the log behind), so the tail never passes a record a waiting frame
     * is read from. A crash image taken after the wraps recovers, in full and lazily, the state of the running system,
     * and that system's waiting frames, read last, still hold what the recovered checkpoint held.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(
            value = Persistence.Mode.class,
            names = {"OPLOG", "HYBRID"})
    void aReopenedLogThatWrapsWhileFramesWaitKeepsTheRecordsTheyAreReadFrom(Persistence.Mode mode) throws Exception {
        Path file = dir.resolve("wraps-" + mode + ".log");
        TransactionLog.Options options = TransactionLog.Options.defaults().withFileSize(1L << 20);
        Random r = new Random(23);
        sealedLogOfAWrittenWorld(file, options, r, 0);
        long wrappedBy;
        Path image = dir.resolve("wraps-" + mode + ".crash");
        long expected;
        SimWorld lazy = new SimWorld(3, 2, 16);
        try (Recovery rec = Recovery.open(file, lazy, ProtocolTrace.NONE)) {
            rec.run(true);
            Persistence p = Persistence.start(file, options, lazy, mode, 7, ProtocolTrace.NONE, rec);
            try {
                long startPos = -1;
                Persistence.Ack last = null;
                for (int i = 0; i < 600; i++) {
                    // a few frames of thread 0 are written over and over: their deltas fill the log
                    lazy.store(0, i % 3, (i * 4) % 4096, 5000 + i);
                    lazy.store(0, i % 3, (i * 8 + 2048) % 4096, 7000 + i);
                    last = record(p, lazy, 0, 1, lazy.argsFor(r, 1));
                    if (startPos < 0) {
                        startPos = p.log().nextPos();
                        assertTrue(lazy.framesWaiting().cardinality() > 20, "frames wait as the log goes on");
                    }
                }
                last.durable().get(30, java.util.concurrent.TimeUnit.SECONDS);
                p.awaitCheckpoint();
                wrappedBy = (p.log().nextPos() - startPos) / p.log().capacity();
                assertTrue(wrappedBy >= 2, "the log wrapped " + wrappedBy + " times");
                Files.copy(file, image);
                expected = lazy.digest(); // pages the waiting frames in, from the records the log kept
            } finally {
                p.close();
            }
        }
        assertEquals(expected, recoveryDigest(image, false), "recovered in full after the wraps");
        assertEquals(expected, recoveryDigest(image, true), "recovered lazily after the wraps");
    }

    /**
     * A per-process checkpoint sealed while frames still wait since a lazy recovery (the reopened log's base checkpoint
     * refers to them): the frames outside its closure keep the references the base checkpoint made, so a crash after
     * its seal recovers, in full and lazily, the running system's state, and so does a system recovered lazily from
     * that log and made durable on it once more (references taken from the per-process checkpoint's index).
     */
    @Test
    void aPerProcessCheckpointWhileFramesWaitRecoversTheRunningState() throws Exception {
        Path file = dir.resolve("per-process.log");
        TransactionLog.Options options = TransactionLog.Options.defaults().withFileSize(8L << 20);
        Random r = new Random(29);
        sealedLogOfAWrittenWorld(file, options, r, 0);
        Path image = dir.resolve("per-process.crash");
        long expected;
        SimWorld lazy = new SimWorld(3, 2, 16);
        try (Recovery rec = Recovery.open(file, lazy, ProtocolTrace.NONE)) {
            rec.run(true);
            Persistence p =
                    Persistence.start(file, options, lazy, Persistence.Mode.HYBRID, 1_000_000, ProtocolTrace.NONE, rec);
            try {
                p.awaitCheckpoint();
                lazy.store(0, 1, 20, 4242);
                randomOperation(p, lazy, r);
                assertNotNull(p.checkpointProcess(lazy.processObjects(0)), "a per-process checkpoint is sealed");
                lazy.store(2, 5, 24, 4343);
                Persistence.Ack last = record(p, lazy, 2, 1, lazy.argsFor(r, 1));
                last.durable().get(30, java.util.concurrent.TimeUnit.SECONDS);
                Files.copy(file, image);
                expected = lazy.digest();
            } finally {
                p.close();
            }
        }
        assertEquals(expected, recoveryDigest(image, false), "recovered in full after the per-process checkpoint");
        SimWorld again = new SimWorld(3, 2, 16);
        long continued;
        try (Recovery rec = Recovery.open(image, again, ProtocolTrace.NONE)) {
            rec.run(true);
            Persistence p = Persistence.start(
                    image, options, again, Persistence.Mode.HYBRID, 1_000_000, ProtocolTrace.NONE, rec);
            try {
                p.awaitCheckpoint();
                p.checkpointNow(true);
                continued = again.digest();
            } finally {
                p.close();
            }
        }
        assertEquals(expected, continued, "recovered lazily after the per-process checkpoint");
        assertEquals(expected, recoveryDigest(image, false), "recovered in full from the log continued again");
    }

    /** The digest of a 3-process world of 16 pages recovered from {@code file}, in full or lazily (then paged in). */
    private static long recoveryDigest(Path file, boolean lazily) throws Exception {
        SimWorld w = new SimWorld(3, 2, 16);
        recover(file, w, lazily, ProtocolTrace.NONE);
        return w.digest();
    }

    /**
     * A 3-process world of 16 pages, every page written, made durable on a new log: ten operations, an incremental
     * checkpoint sealed, then {@code after} operations more; the log closed.
     */
    private static void sealedLogOfAWrittenWorld(Path file, TransactionLog.Options options, Random r, int after)
            throws Exception {
        SimWorld w = new SimWorld(3, 2, 16);
        writeEveryPage(w, 16, r);
        try (Persistence p =
                Persistence.start(file, options, w, Persistence.Mode.HYBRID, 1_000_000, ProtocolTrace.NONE)) {
            for (int i = 0; i < 10; i++) {
                randomOperation(p, w, r);
            }
            p.checkpointNow(true);
            for (int i = 0; i < after; i++) {
                randomOperation(p, w, r);
            }
        }
    }

    /**
     * An object record holds up to 65,535 dependencies (a page table of that many pages): one of more than 32,767
     * decodes (its count was read as a signed 16-bit number, negative, and the record did not decode), and one of
     * more than 65,535 is refused when it is encoded, naming the object, rather than written with a count that wrapped.
     */
    @Test
    void anObjectRecordHoldsUpTo65535DependenciesAndRefusesMore() {
        List<ObjectRef> deps = new ArrayList<>();
        for (int i = 0; i < Records.MAX_DEPS; i++) {
            deps.add(new ObjectRef(Kinds.FRAME, i));
        }
        ObjectRef table = new ObjectRef(Kinds.PAGETABLE, 2);
        for (int n : new int[] {32_768, Records.MAX_DEPS}) {
            KernelObject o = new KernelObject(table, deps.subList(0, n), new byte[] {1, 2, 3});
            KernelObject back = Records.object(Records.object(o));
            assertEquals(o.deps(), back.deps(), n + " dependencies");
            assertEquals(3, back.payload().length);
        }
        deps.add(new ObjectRef(Kinds.FRAME, Records.MAX_DEPS));
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class, () -> Records.object(new KernelObject(table, deps, new byte[0])));
        assertTrue(refused.getMessage().startsWith(table + " depends on 65536 objects"), refused.getMessage());
    }

    /**
     * An end record listing a deferred object of a kind that is not deferred, or of a negative number, is refused
     * (a lazy recovery then reads every record of the checkpoint, as without an index).
     */
    @Test
    void anEndRecordListingANonDeferredKindOrANegativeIdIsRefused() {
        for (ObjectRef bad : List.of(new ObjectRef(Kinds.THREAD, 0), new ObjectRef(Kinds.FRAME, -1))) {
            Records.End e = new Records.End(1, 1, 0, List.of(), List.of(), List.of(new Records.ObjectAt(bad, 2, 0)));
            byte[] p = Records.end(e);
            assertThrows(IllegalArgumentException.class, () -> Records.end(p), bad.toString());
        }
    }

    /**
     * One damaged page table of one process: the other processes run, and a checkpoint, which copies every page
     * table, fails with ObjectLost rather than write that table empty (as does the digest, which reads it).
     */
    @Test
    void aDamagedPageTableFailsEveryLaterCheckpointRatherThanWritingItEmpty() throws Exception {
        Path file = logWithASendAfterTheCheckpoint();
        Records.ObjectAt table = damagePageTable(file, 2);
        SimWorld lazy = new SimWorld(3, 2, 16);
        try (Recovery rec = Recovery.open(file, lazy, ProtocolTrace.NONE)) {
            rec.run(true);
            lazy.store(0, 1, 0, 7); // process 0 runs
            // the first checkpoint (Persistence.start takes one) fails: stateWords settles the damaged table
            Recovery.ObjectLost lost = assertThrows(
                    Recovery.ObjectLost.class,
                    () -> Persistence.start(
                            dir.resolve("next.log"),
                            TransactionLog.Options.defaults().withFileSize(8L << 20),
                            lazy,
                            Persistence.Mode.CHECKPOINT,
                            1_000_000,
                            ProtocolTrace.NONE));
            assertTrue(lost.getMessage().contains("pageTable#2"), lost.getMessage());
            assertThrows(Recovery.ObjectLost.class, lazy::digest);
        }
    }

    /** The end record the superblock of {@code file} names. */
    private static Records.End endOf(Path file) throws Exception {
        try (LogReader reader = LogReader.open(file)) {
            dev.ladle.persist.log.Superblock sb = reader.superblock();
            assertTrue(sb.namesEnd(), sb.toString());
            return Records.end(reader.readAt(sb.endPos(), sb.endLsn()).payload());
        }
    }

    /** Flips a byte inside the record of process {@code p}'s page table in the checkpoint the superblock names. */
    private static Records.ObjectAt damagePageTable(Path file, int p) throws Exception {
        Records.ObjectAt table = endOf(file).deferred().stream()
                .filter(o -> o.ref().id() == p)
                .findFirst()
                .orElseThrow();
        flip(file, table.position(), 32 + 40);
        return table;
    }

    /** Flips a byte of the record at log position {@code pos}, {@code at} bytes into it. */
    private static void flip(Path file, long pos, int at) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        int off = (int) (LogFormat.DATA_OFFSET + pos + at);
        bytes[off] ^= 0x40;
        Files.write(file, bytes);
    }

    /**
     * A damaged index record: a system that takes lazily restored frames one by one reads the index during recovery,
     * and recovery refuses the image (a typed error, before it resumes); the stand-in world, which asks on first
     * touch, resumes and fails the touch of a frame the record covers, again at every touch (never zeros instead).
     */
    @Test
    void aDamagedIndexRecordFailsRecoveryOrTheFirstTouchNeverGivesZeros() throws Exception {
        Path file = dir.resolve("index.log");
        Records.End end = indexedLog(file);
        Records.IndexPart part = end.index().get(0);
        flip(file, part.position(), 32 + 8 + 16 * 5);
        Recovery.RecoveryFailed e = assertThrows(Recovery.RecoveryFailed.class, () -> {
            try (Recovery rec = Recovery.open(file, new Restores(new SimWorld(3, 2, 256)), ProtocolTrace.NONE)) {
                rec.run(true);
            }
        });
        assertTrue(e.getMessage().contains("the index record of frames 0 to"), e.getMessage());
        SimWorld lazy = new SimWorld(3, 2, 256);
        try (Recovery rec = Recovery.open(file, lazy, ProtocolTrace.NONE)) {
            rec.run(true);
            int waiting = lazy.framesNotPagedIn();
            assertThrows(Recovery.ObjectLost.class, () -> lazy.load(0, 5, 0));
            assertThrows(Recovery.ObjectLost.class, () -> lazy.load(0, 5, 0), "a second touch fails again");
            assertEquals(waiting, lazy.framesNotPagedIn(), "the frame still waits");
        }
    }

    /**
     * A lazy recovery steps over the frames' records unread, so it resumes on a log damaged among them; the log then
     * refuses to be opened for writing instead of appending at the damage, over the records the lazily restored frames
     * are still read from. The file is not written.
     */
    @Test
    void aLogDamagedInsideItsSealedCheckpointIsNotOpenedForWriting() throws Exception {
        Path file = dir.resolve("damaged.log");
        Records.End end = indexedLog(file);
        LogReader.Skip frames = end.skips().get(0);
        flip(file, frames.fromPos() + (frames.toPos() - frames.fromPos()) / 2 / 32 * 32, 0);
        byte[] before = Files.readAllBytes(file);
        SimWorld lazy = new SimWorld(3, 2, 256);
        try (Recovery rec = Recovery.open(file, lazy, ProtocolTrace.NONE)) {
            rec.run(true); // resumes: the damage is in a run it steps over
        }
        dev.ladle.persist.log.LogException e = assertThrows(
                dev.ladle.persist.log.LogException.class,
                () -> TransactionLog.open(file, TransactionLog.Options.defaults()));
        assertTrue(e.getMessage().contains("is damaged at"), e.getMessage());
        assertTrue(e.getMessage().contains("not opened for writing"), e.getMessage());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(file)), "the log was written");
    }

    /** The runs of frame records the sealed checkpoint's end record lists (2 or more: records fell among them). */
    private static int skipsOfSealedCheckpoint(Path file, Persistence p) throws Exception {
        p.log().awaitDurable(p.log().durableLsn());
        try (dev.ladle.persist.log.LogReader reader = dev.ladle.persist.log.LogReader.open(file)) {
            dev.ladle.persist.log.Superblock sb = reader.superblock();
            if (!sb.namesEnd()) {
                return 0;
            }
            Records.End end =
                    Records.end(reader.readAt(sb.endPos(), sb.endLsn()).payload());
            // the frames come first, then the page tables (deferred objects): the runs before the first page table's
            // record are the frames' (the last of them may go on over the page tables)
            long firstTable = end.deferred().stream()
                    .mapToLong(Records.ObjectAt::lsn)
                    .min()
                    .orElseThrow();
            return (int)
                    end.skips().stream().filter(k -> k.firstLsn() < firstTable).count();
        }
    }

    @Test
    void anIncrementalCheckpointWritesOnlyTheFramesDirtiedSinceTheLast() throws Exception {
        Path file = dir.resolve("log");
        SimWorld w = world();
        try (Persistence p = Persistence.start(
                file,
                TransactionLog.Options.defaults().withFileSize(8L << 20),
                w,
                Persistence.Mode.CHECKPOINT,
                1_000_000,
                ProtocolTrace.NONE)) {
            w.store(0, 1, 8, 42);
            w.store(0, 1, 12, 43);
            w.store(3, 5, 0, 44);
            send(p, w); // a checkpoint begins only when an operation was recorded since the sealed one
            Checkpointer.Result r = p.checkpointNow(true);
            assertEquals(2, r.framesWritten());
            assertEquals(w.frames() - 2, r.framesReferenced());
            w.store(5, 7, 0, 45);
            send(p, w);
            Checkpointer.Result r2 = p.checkpointNow(true);
            assertEquals(1, r2.framesWritten());
        }
        SimWorld back = world();
        recover(file, back, false, ProtocolTrace.NONE);
        assertEquals(w.digest(), back.digest());
        assertEquals(42, back.load(0, 1, 8));
        assertEquals(45, back.load(5, 7, 0));
    }

    @Test
    void aDamagedFrameRecordAnIncrementalCheckpointRefersToIsATypedRecoveryError() throws Exception {
        Path file = dir.resolve("log");
        SimWorld w = world();
        w.store(1, 2, 100, 7); // in the full checkpoint at start, with contents
        try (Persistence p = Persistence.start(
                file,
                TransactionLog.Options.defaults().withFileSize(8L << 20),
                w,
                Persistence.Mode.CHECKPOINT,
                1_000_000,
                ProtocolTrace.NONE)) {
            w.store(0, 1, 8, 42);
            send(p, w);
            assertTrue(p.checkpointNow(true).framesReferenced() > 0);
        }
        // the sealed checkpoint's reference to a frame record with contents, in the full checkpoint before it
        Records.FrameRef target = null;
        long offset;
        try (dev.ladle.persist.log.LogReader r = dev.ladle.persist.log.LogReader.open(file)) {
            var sb = r.superblock();
            List<Records.FrameRef> refs = new ArrayList<>();
            r.scan(sb.checkpointPos(), sb.checkpointLsn(), rec -> {
                if (rec.type() == dev.ladle.persist.log.RecordType.CHECKPOINT_OBJECT) {
                    KernelObject o = Records.object(rec.payload());
                    Records.FrameRef ref = Records.reference(o.ref().id(), o.payload());
                    if (ref != null) {
                        refs.add(ref);
                    }
                }
            });
            for (Records.FrameRef ref : refs) {
                if (target == null
                        && Records.object(r.readAt(ref.position(), ref.lsn()).payload())
                                        .payload()
                                        .length
                                > 0) {
                    target = ref;
                }
            }
            assertNotNull(target, "the incremental checkpoint refers to a frame with contents");
            offset = r.offsetOf(target.position());
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) offset + 100] ^= 0x10;
        Files.write(file, bytes);

        Recovery.RecoveryFailed e =
                assertThrows(Recovery.RecoveryFailed.class, () -> recover(file, world(), false, ProtocolTrace.NONE));
        assertTrue(
                e.getMessage().contains("frame " + target.frame() + ": its record (LSN " + target.lsn()),
                e.getMessage());
        // lazily, the same damage surfaces as the frame is first touched
        SimWorld lazy = world();
        try (Recovery rec = Recovery.open(file, lazy, ProtocolTrace.NONE)) {
            rec.run(true);
            Recovery.ObjectLost lost = assertThrows(Recovery.ObjectLost.class, lazy::pageInAll);
            assertTrue(lost.getMessage().contains("frame " + target.frame()), lost.getMessage());
        }
    }

    /**
     * Persistence.tla's BeginCheckpoint needs SomethingToCheckpoint: with no operation recorded since the sealed
     * checkpoint's snapshot, a forced checkpoint, a requested one (a full log, back-pressure) and a per-process one
     * begin nothing (no begin record, no BeginCheckpoint step), in every mode, even with memory written meanwhile; the
     * next operation makes the next one begin. (They used to begin and seal a checkpoint of nothing new.)
     */
    @Test
    void aCheckpointWithNothingRecordedSinceTheSealedOneBeginsNothing() throws Exception {
        for (Persistence.Mode mode : Persistence.Mode.values()) {
            Path file = dir.resolve("log-" + mode);
            SimWorld w = world();
            ProtocolTrace.Recorder trace = new ProtocolTrace.Recorder();
            try (Persistence p = Persistence.start(
                    file, TransactionLog.Options.defaults().withFileSize(8L << 20), w, mode, 1_000_000, trace)) {
                send(p, w);
                send(p, w);
                assertNotNull(p.checkpointNow(true), mode + ": two operations since the boot checkpoint");
                long steps = checkpointSteps(trace);
                long next = p.log().nextLsn();
                w.store(0, 1, 8, 42); // memory alone is no record: an oplog logs it with the next operation
                assertEquals(null, p.checkpointNow(true), mode + ": nothing recorded since the seal");
                assertEquals(null, p.checkpointNow(false), mode + ": a full one neither");
                p.requestCheckpoint();
                p.awaitCheckpoint();
                assertEquals(null, p.checkpointProcess(w.processObjects(0)), mode + ": a per-process one neither");
                assertEquals(next, p.log().nextLsn(), mode + ": no begin record appended");
                assertEquals(steps, checkpointSteps(trace), mode + ": " + trace.steps());
                Persistence.Ack a = send(p, w);
                Checkpointer.Result r = p.checkpointNow(true);
                assertNotNull(r, mode + ": an operation since the seal");
                assertTrue(r.sealed());
                a.durable().get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    private static long checkpointSteps(ProtocolTrace.Recorder trace) {
        return trace.steps().stream()
                .filter(x -> List.of("BeginCheckpoint", "WriteObject", "Seal").contains(x.action()))
                .count();
    }

    @Test
    void aPerProcessCheckpointIsSealedAndRecoveredFrom() throws Exception {
        Path file = dir.resolve("log");
        SimWorld w = world(); // 3 processes of 2 threads, 8 pages each
        Random r = new Random(3);
        Checkpointer.Result pr;
        long atCheckpoint;
        Persistence.Ack before;
        try (Persistence p = Persistence.start(
                file,
                TransactionLog.Options.defaults().withFileSize(8L << 20),
                w,
                Persistence.Mode.CHECKPOINT,
                1_000_000,
                ProtocolTrace.NONE)) {
            w.store(0, 1, 8, 42); // process 0
            w.store(4, 2, 0, 43); // process 2
            send(p, w);
            p.checkpointNow(true);
            w.store(1, 3, 4, 44); // process 0
            w.store(5, 6, 4, 45); // process 2, dirtied since the last checkpoint: written although outside
            synchronized (w.lock()) {
                Operation op = w.decide(0, SimWorld.SEND, w.argsFor(r, SimWorld.SEND));
                before = p.operation(op);
                w.apply(op);
            }
            int checkpointsBefore = w.snapshotDigests().size();
            pr = p.checkpointProcess(w.processObjects(0));
            atCheckpoint = w.snapshotDigests().get(checkpointsBefore);
            w.store(0, 1, 8, 99); // after it: lost
        }
        assertTrue(pr.sealed());
        assertTrue(before.durable().isDone(), "the per-process checkpoint acknowledges what its snapshot covers");
        // the closure (process 0 and the process its capabilities name, with their frames) is written in full,
        // the frames of the rest not dirtied since the last checkpoint by reference
        assertTrue(pr.closureObjects() > 0 && pr.closureObjects() < pr.totalObjects(), pr.toString());
        assertTrue(pr.framesWritten() >= 2 * 8 + 1, pr.toString());
        assertTrue(pr.framesReferenced() > 0, pr.toString());
        try (dev.ladle.persist.log.LogReader lr = dev.ladle.persist.log.LogReader.open(file)) {
            assertEquals(pr.beginLsn(), lr.superblock().checkpointLsn(), "the superblock names it");
        }
        SimWorld back = world();
        Recovery.Result res = recover(file, back, false, ProtocolTrace.NONE);
        assertEquals(pr.beginLsn(), res.checkpointLsn());
        assertEquals(atCheckpoint, back.digest(), "recovered: the system at the per-process checkpoint");
        assertEquals(44, back.load(1, 3, 4));
        assertEquals(45, back.load(5, 6, 4));
        assertEquals(42, back.load(0, 1, 8));
    }

    @Test
    void copyOnWriteKeepsTheSnapshotAndCopiesOnlyWrittenFrames() {
        var m = new dev.ladle.persist.mem.InMemoryPhysicalMemory(16);
        m.writeInt(4096 * 3, 7);
        java.util.BitSet all = new java.util.BitSet();
        all.set(0, 16);
        m.protect(all);
        m.writeInt(4096 * 3, 8);
        m.writeInt(4096 * 3 + 4, 9);
        assertEquals(1, m.copiedFrames(), "the first write copied the frame; the second did not");
        assertEquals(1, m.heldPreImages());
        java.nio.ByteBuffer snap = m.mapSnapshot(3);
        assertEquals(7, snap.get(0));
        assertEquals(0, snap.get(4));
        assertEquals(8, m.readInt(4096 * 3));
        m.unmapSnapshot(3);
        m.mapSnapshot(5);
        m.unmapSnapshot(5);
        m.writeInt(4096 * 5, 1);
        assertEquals(1, m.copiedFrames(), "a frame already streamed is not copied");
        m.releaseAll();
        assertEquals(0, m.heldPreImages());
    }

    @Test
    void aCheckpointTakenWhileTheSystemWritesIsTheSnapshot() throws Exception {
        Path file = dir.resolve("log");
        SimWorld w = new SimWorld(4, 2, 256);
        w.recordDigests(true);
        Persistence p = Persistence.start(
                file,
                TransactionLog.Options.defaults().withFileSize(32L << 20),
                w,
                Persistence.Mode.CHECKPOINT,
                1_000_000,
                ProtocolTrace.NONE);
        Random r = new Random(3);
        p.requestCheckpoint();
        for (int i = 0; i < 20_000; i++) {
            w.store(r.nextInt(w.threads()), r.nextInt(256), r.nextInt(4096), r.nextInt());
        }
        p.awaitCheckpoint();
        long copied = w.memory().copiedFrames();
        assertTrue(copied <= w.frames(), "at most one copy per frame");
        assertEquals(0, w.memory().heldPreImages(), "pre-images are dropped once streamed");
        p.close();
        SimWorld back = new SimWorld(4, 2, 256);
        Recovery.Result res = recover(file, back, false, ProtocolTrace.NONE);
        List<Long> ds = w.snapshotDigests();
        assertEquals(ds.get(ds.size() - 1), back.digest(), "recovered the snapshot, not the later writes: " + res);
    }

    /**
     * The trace puts a checkpoint's begin between the operations before its snapshot and those after it, as
     * Persistence.tla's BeginCheckpoint takes its snapshot at the head of the log: it is reported inside the
     * stop-the-world step, not when the checkpointer thread starts streaming (which may be after later operations).
     */
    @Test
    void aCheckpointsBeginIsReportedBeforeTheOperationsAfterItsSnapshot() throws Exception {
        Run run = new Run(dir.resolve("log"), Persistence.Mode.OPLOG, 4, 4L << 20);
        for (int i = 0; i < 10; i++) {
            run.step();
        }
        Checkpointer.Started st;
        long opLsn;
        synchronized (run.w.lock()) {
            st = run.p.checkpointer().tryStart(true);
            assertNotNull(st);
            Operation op = run.w.decide(0, SimWorld.GRANT, 2, 1);
            opLsn = run.p.operation(op).lsn();
            run.w.apply(op);
        }
        run.p.checkpointer().finish(st);
        run.p.close();
        List<String> steps =
                run.trace.steps().stream().map(ProtocolTrace.Step::toString).toList();
        int begin = steps.indexOf("BeginCheckpoint(" + st.begin().lsn() + ")");
        int op = steps.indexOf("Update(capEntry#2, " + opLsn + ")");
        assertTrue(begin >= 0 && op >= 0, steps.toString());
        assertTrue(
                begin < op,
                "the begin at LSN " + st.begin().lsn() + " is reported after the operation at LSN " + opLsn + ": "
                        + steps);
    }

    @Test
    void replayIsIdempotentByLsn() {
        SimWorld w = world();
        Operation op = w.decide(0, SimWorld.GRANT, 2, 5);
        Recovery.Replayer rp = new Recovery.Replayer(w, 10);
        assertFalse(rp.operation(10, op), "at or below the applied LSN: skipped");
        assertTrue(rp.operation(11, op));
        long d = w.digest();
        assertFalse(rp.operation(11, op));
        assertEquals(d, w.digest());
        assertEquals(11, rp.applied());
    }

    @Test
    void theOperationLogWrapsTheFileManyTimesAndStillRecovers() throws Exception {
        Path file = dir.resolve("log");
        Run run = new Run(file, Persistence.Mode.OPLOG, 9, LogFormat.DATA_OFFSET + (512 << 10));
        for (int i = 0; i < 3000; i++) {
            run.step();
        }
        for (Persistence.Ack a : run.acks) {
            a.durable().get();
        }
        run.p.awaitCheckpoint();
        long laps = run.p.log().nextPos() / run.p.log().capacity();
        run.p.close();
        assertTrue(laps >= 2, "wrapped " + laps + " times");
        SimWorld back = world();
        Recovery.Result res = recover(file, back, false, ProtocolTrace.NONE);
        TreeMap<Long, Long> all = new TreeMap<>(run.digestAt);
        all.put(res.checkpointLsn(), run.snapshotDigests().get(res.checkpointLsn()));
        assertNotNull(all.floorEntry(res.resumedAt()));
        assertEquals(all.floorEntry(res.resumedAt()).getValue(), back.digest());
        assertTrue(run.acks.get(run.acks.size() - 1).lsn() <= res.resumedAt());
    }

    /**
     * A system whose boot wrote every frame, larger than the largest record (15,000 frames, 59 MiB, against 16 MiB):
     * the start's full checkpoint holds every frame, so the first operation's page delta carries only the frame
     * written after it, before and after a recovery (whose start takes a full checkpoint too), and recovering from
     * that checkpoint and the records after it gives the state the system had.
     */
    @ParameterizedTest
    @EnumSource(
            value = Persistence.Mode.class,
            names = {"OPLOG", "HYBRID"})
    void theFirstPageDeltaCarriesOnlyTheFramesWrittenAfterTheStartsCheckpoint(Persistence.Mode mode) throws Exception {
        Path file = dir.resolve(mode + ".log");
        TransactionLog.Options options = TransactionLog.Options.defaults().withFileSize(160L << 20);
        SimWorld w = new SimWorld(2, 1, 7500);
        for (int t = 0; t < 2; t++) {
            for (int v = 0; v < 7500; v++) {
                w.store(t, v, 4 * (v % 1024), 1 + v + t * 7500); // the boot wrote every frame
            }
        }
        assertTrue((long) w.frames() * 4096 > LogFormat.maxRecord(160L << 20));
        ProtocolTrace.Recorder trace = new ProtocolTrace.Recorder();
        try (Persistence p = Persistence.start(file, options, w, mode, 40, trace)) {
            w.store(0, 5, 8, 77);
            Persistence.Ack a = send(p, w);
            a.durable().get();
            assertTrue(a.deltaLsn() > 0, "the written frame is logged");
        }
        assertEquals(List.of("frame#5"), updatedFrames(trace)); // thread 0's page 5 is frame 5

        SimWorld back = new SimWorld(2, 1, 7500);
        recover(file, back, false, ProtocolTrace.NONE);
        assertEquals(w.digest(), back.digest());

        ProtocolTrace.Recorder again = new ProtocolTrace.Recorder();
        try (Persistence p = Persistence.start(file, options, back, mode, 40, again)) {
            back.store(1, 7, 0, 5);
            send(p, back).durable().get();
        }
        assertEquals(1, updatedFrames(again).size(), updatedFrames(again).toString());
        SimWorld last = new SimWorld(2, 1, 7500);
        recover(file, last, false, ProtocolTrace.NONE);
        assertEquals(back.digest(), last.digest());
    }

    /**
     * An operation whose page delta is larger than the log's largest record is refused before anything is drained
     * for good: the frames stay in the operation records' dirty set (the next operation is refused as well, rather
     * than logged without them, which recovery would replay over the frames' older bytes), nothing is appended, no
     * step is traced and no checkpoint is begun for it.
     */
    @ParameterizedTest
    @EnumSource(
            value = Persistence.Mode.class,
            names = {"OPLOG", "HYBRID"})
    void anOperationRefusedAsTooLargeKeepsTheFramesItsDeltaWouldHaveCarried(Persistence.Mode mode) throws Exception {
        long size = 1L << 20;
        SimWorld w = new SimWorld(2, 1, 100);
        ProtocolTrace.Recorder trace = new ProtocolTrace.Recorder();
        try (Persistence p = Persistence.start(
                dir.resolve(mode + ".log"), TransactionLog.Options.defaults().withFileSize(size), w, mode, 40, trace)) {
            java.util.BitSet written = new java.util.BitSet();
            for (int v = 0; v < 80; v++) { // 80 frames: 320 KiB, more than a quarter of the data area
                w.store(0, v, 0, v + 1);
                written.set(v);
            }
            assertTrue(80 * 4096 > LogFormat.maxRecord(size));
            int steps = trace.steps().size();
            long next = p.log().nextLsn();
            assertThrows(dev.ladle.persist.log.RecordTooLargeException.class, () -> send(p, w));
            assertEquals(
                    steps,
                    trace.steps().size(),
                    trace.steps().subList(steps, trace.steps().size()).toString());
            assertEquals(next, p.log().nextLsn(), "nothing appended");
            assertThrows(
                    dev.ladle.persist.log.RecordTooLargeException.class,
                    () -> send(p, w),
                    "the next operation carries the frames too: refused, never logged without them");
            synchronized (w.lock()) {
                assertEquals(written, w.memory().drainDirtySinceRecord(), "the record set is as it was");
            }
        }
    }

    /**
     * A checkpoint whose begin record could not be appended took no snapshot: the frames it protected are given back,
     * so a write after it copies no pre-image (one nobody would read, held until the next checkpoint).
     */
    @Test
    void aCheckpointWhoseBeginFailedLeavesNoFrameProtected() throws Exception {
        SimWorld w = world();
        TransactionLog log = TransactionLog.create(dir.resolve("begin.log"), TransactionLog.Options.defaults());
        Checkpointer ck = new Checkpointer(log, w, ProtocolTrace.NONE);
        w.store(0, 1, 0, 7);
        assertNotNull(ck.checkpoint(false));
        w.store(0, 1, 0, 8);
        log.close(); // the next append fails
        assertThrows(java.io.IOException.class, () -> ck.checkpoint(false));
        w.store(0, 1, 0, 9);
        w.store(1, 2, 0, 9);
        assertEquals(0, w.memory().heldPreImages(), "a frame written after the failed begin was copied");
        assertFalse(ck.busy());
    }

    /**
     * A checkpoint whose begin record could not be appended (the append interrupted) takes no sequence number, traces
     * no step and leaves no frame protected: the next checkpoint's begin record carries the next number.
     */
    @Test
    void aCheckpointWhoseBeginWasInterruptedTakesNoSequenceNumber() throws Exception {
        SimWorld w = world();
        Path file = dir.resolve("sequence.log");
        ProtocolTrace.Recorder trace = new ProtocolTrace.Recorder();
        try (TransactionLog log = TransactionLog.create(file, TransactionLog.Options.defaults())) {
            Checkpointer ck = new Checkpointer(log, w, trace);
            assertNotNull(ck.checkpoint(false));
            w.store(0, 1, 0, 8);
            int steps = trace.steps().size();
            Thread.currentThread().interrupt(); // the begin record's append takes the log's lock interruptibly
            try {
                assertThrows(InterruptedException.class, () -> ck.checkpoint(false));
            } finally {
                Thread.interrupted();
            }
            assertEquals(steps, trace.steps().size(), "nothing traced for a checkpoint never begun");
            w.store(0, 1, 0, 9);
            assertEquals(0, w.memory().heldPreImages(), "no frame left protected");
            assertNotNull(ck.checkpoint(false));
        }
        List<Long> sequences = new ArrayList<>();
        try (dev.ladle.persist.log.LogReader r = dev.ladle.persist.log.LogReader.open(file)) {
            r.scan(rec -> {
                if (rec.type() == dev.ladle.persist.log.RecordType.CHECKPOINT_BEGIN) {
                    sequences.add(Records.begin(rec.payload()).sequence());
                }
            });
        }
        // the first checkpoint's records lie behind the tail the second's seal moved: its begin record is the last
        assertEquals(2L, sequences.get(sequences.size() - 1), "the second checkpoint begun is number 2: " + sequences);
    }

    /**
     * Hybrid mode: a frame written after the last record and before a checkpoint's snapshot is in that checkpoint, so
     * the first page delta appended once it is sealed ({@code checkpointNow} returns then) carries only the frames
     * written after the snapshot. A delta appended while the checkpoint is not sealed yet still carries them: a
     * recovery from the checkpoint before it (a crash before the seal) finds them only there. Recovering gives the
     * live state each time.
     */
    @Test
    void theFirstPageDeltaAfterASealedCheckpointCarriesOnlyTheFramesWrittenAfterItsSnapshot() throws Exception {
        Path file = dir.resolve("after-checkpoint.log");
        SimWorld w = new SimWorld(2, 1, 8); // thread 0's page v is frame v
        ProtocolTrace.Recorder trace = new ProtocolTrace.Recorder();
        Persistence p = Persistence.start(
                file, TransactionLog.Options.defaults(), w, Persistence.Mode.HYBRID, 1_000_000, trace);
        try {
            w.store(0, 1, 0, 11);
            send(p, w).durable().get();
            w.store(0, 2, 0, 22); // before the snapshot: the checkpoint holds it
            assertNotNull(p.checkpointNow(true));
            w.store(0, 3, 0, 33);
            int steps = trace.steps().size();
            Persistence.Ack first = send(p, w);
            first.durable().get();
            assertEquals(List.of("frame#3"), updatedFrames(trace, steps));
            assertEquals(4 + 4 + 4096, pageDeltaBytes(file, first.deltaLsn()), "one page in the delta");

            w.store(0, 4, 0, 44); // before the snapshot of a checkpoint not sealed when the next delta is appended
            Checkpointer.Started unsealed = p.checkpointer().begin(true);
            assertNotNull(unsealed);
            w.store(0, 5, 0, 55);
            steps = trace.steps().size();
            send(p, w).durable().get();
            assertEquals(List.of("frame#4", "frame#5"), updatedFrames(trace, steps));
            Path image = dir.resolve("after-checkpoint.crash");
            Files.copy(file, image); // a crash before the seal: recovery starts from the checkpoint before
            SimWorld crashed = new SimWorld(2, 1, 8);
            recover(image, crashed, false, ProtocolTrace.NONE);
            assertEquals(w.digest(), crashed.digest(), "recovered from the last sealed checkpoint and the deltas");
            p.checkpointer().finish(unsealed);
        } finally {
            p.close();
        }
        SimWorld full = new SimWorld(2, 1, 8);
        recover(file, full, false, ProtocolTrace.NONE);
        assertEquals(w.digest(), full.digest());
        SimWorld lazy = new SimWorld(2, 1, 8);
        recover(file, lazy, true, ProtocolTrace.NONE);
        assertEquals(w.digest(), lazy.digest());
    }

    /** The payload bytes of the page delta at {@code lsn} in {@code file}. */
    private static int pageDeltaBytes(Path file, long lsn) throws Exception {
        int[] bytes = {-1};
        try (LogReader r = LogReader.open(file)) {
            r.scan(rec -> {
                if (rec.lsn() == lsn && rec.type() == dev.ladle.persist.log.RecordType.PAGE_DELTA) {
                    bytes[0] = rec.payload().length;
                }
            });
        }
        return bytes[0];
    }

    /** The frames the page deltas a trace reports carry, as "frame#N". */
    private static List<String> updatedFrames(ProtocolTrace.Recorder trace) {
        return updatedFrames(trace, 0);
    }

    /** The frames the page deltas a trace reports from step {@code from} on carry, as "frame#N". */
    private static List<String> updatedFrames(ProtocolTrace.Recorder trace, int from) {
        List<ProtocolTrace.Step> steps = trace.steps();
        return steps.subList(from, steps.size()).stream()
                .filter(st -> st.action().equals("Update"))
                .map(st -> st.args().get(0))
                .toList();
    }

    /**
     * A checkpoint's frames are forced in runs of {@link TransactionLog#FORCE_BEHIND} bytes and with its end record,
     * not each time a force returns: a full checkpoint of 24 MiB (six batches of frames) with no operation waiting for
     * anything but its seal makes at most 24 MiB / FORCE_BEHIND + 1 forces of the data (the seal's superblock has its
     * own). Which runs of the flusher's writes a force finds depends on the threads' timing;
     * {@code TransactionLogTest.coveredRecordsAreForcedInRunsOfForceBehindWhileNobodyWaits} requires each to be that
     * large. It recovers whole.
     */
    @Test
    void aCheckpointForcesItsFramesInRunsOfForceBehindWhenNobodyWaitsForThemBefore() throws Exception {
        Path file = dir.resolve("log");
        SimWorld w = new SimWorld(6, 2, 1024);
        Random r = new Random(7);
        byte[] page = new byte[4096];
        for (int f = 0; f < w.frames(); f++) {
            r.nextBytes(page);
            w.memory().installFrame(f, page);
        }
        try (Persistence p = Persistence.start(
                file,
                TransactionLog.Options.defaults().withFileSize(80L << 20),
                w,
                Persistence.Mode.CHECKPOINT,
                Integer.MAX_VALUE,
                ProtocolTrace.NONE)) {
            for (int round = 0; round < 3; round++) {
                send(p, w); // a checkpoint begins only when an operation was recorded since the sealed one
                long before = p.log().flushes();
                Checkpointer.Result c = p.checkpointNow(false);
                long forces = p.log().flushes() - before;
                assertEquals(w.frames(), c.framesWritten());
                // nobody waits for the frames: they are forced in runs of FORCE_BEHIND as they stream, then with the
                // end record
                long most = 24 * (1L << 20) / TransactionLog.FORCE_BEHIND + 1;
                assertTrue(
                        forces >= 1 && forces <= most,
                        forces + " forces of the log's data during a checkpoint of 24 MiB, at most " + most + ", round "
                                + round);
            }
        }
        SimWorld back = new SimWorld(6, 2, 1024);
        recover(file, back, false, ProtocolTrace.NONE);
        assertEquals(w.digest(), back.digest());
    }
}
