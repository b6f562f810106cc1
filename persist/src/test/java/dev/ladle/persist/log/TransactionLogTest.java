package dev.ladle.persist.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer: group commit, acknowledgement only when durable, back-pressure instead of overwriting. */
class TransactionLogTest {
    @TempDir
    Path dir;

    @Test
    void groupCommitMakesManyAppendsDurableWithOneForce() throws Exception {
        Path f = dir.resolve("log");
        int threads = 8;
        int each = 500;
        ConcurrentLinkedQueue<Long> acked = new ConcurrentLinkedQueue<>();
        long flushes;
        try (TransactionLog log =
                TransactionLog.create(f, TransactionLog.Options.defaults().withFileSize(4L << 20))) {
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread th = new Thread(() -> {
                    try {
                        List<CompletableFuture<Long>> mine = new ArrayList<>();
                        for (int i = 0; i < each; i++) {
                            TransactionLog.Appended a = log.append(RecordType.DATA, new byte[24]);
                            mine.add(a.durable().thenApply(lsn -> {
                                // acknowledged: the record must already be durable
                                assertTrue(log.durableLsn() >= lsn);
                                acked.add(lsn);
                                return lsn;
                            }));
                        }
                        for (CompletableFuture<Long> m : mine) {
                            m.get();
                        }
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                ts.add(th);
                th.start();
            }
            for (Thread th : ts) {
                th.join();
            }
            flushes = log.flushes();
        }
        assertEquals(threads * each, acked.size());
        assertEquals(
                LongStream.rangeClosed(1, threads * each).boxed().toList(),
                acked.stream().sorted().toList());
        assertTrue(flushes < threads * each, "one force covered many appends: " + flushes + " forces");
        assertEquals(
                LongStream.rangeClosed(1, threads * each).boxed().toList(),
                Logs.scan(f).lsns());
    }

    @Test
    void fullLogIsBackPressureNeverAnOverwrite() throws Exception {
        Path f = dir.resolve("log");
        AtomicInteger told = new AtomicInteger();
        List<Long> acked = new ArrayList<>();
        try (TransactionLog log = TransactionLog.create(
                f, TransactionLog.Options.defaults().withFileSize(Logs.SMALL).withFullWaitMillis(200))) {
            log.onLogFull(() -> told.incrementAndGet() > 0); // told, and waits
            LogFullException full = assertThrows(LogFullException.class, () -> {
                while (true) {
                    acked.add(log.append(RecordType.DATA, Logs.payload(log.nextLsn(), 200))
                            .durable()
                            .get());
                }
            });
            assertTrue(full.getMessage().contains("seal a checkpoint"), full.getMessage());
            assertEquals(1, told.get());
            // the reserve is kept free for a checkpoint: a checkpoint record still fits
            log.append(RecordType.CHECKPOINT_BEGIN, new byte[8]).durable().get();
        }
        Logs.Scan s = Logs.scan(f);
        List<Long> expect = new ArrayList<>(acked);
        expect.add(acked.size() + 1L);
        assertEquals(expect, s.lsns(), "nothing acknowledged was overwritten");
    }

    /**
     * The listener says waiting may help (the log waits), then, asked again after {@link TransactionLog#recheckFull},
     * that nothing will free space: the append fails at once, long before its wait for space would run out.
     */
    @Test
    void aFullLogFailsAtOnceWhenItsListenerSaysNothingWillFreeSpace() throws Exception {
        Path f = dir.resolve("log");
        AtomicInteger asked = new AtomicInteger();
        try (TransactionLog log = TransactionLog.create(
                f, TransactionLog.Options.defaults().withFileSize(Logs.SMALL).withFullWaitMillis(600_000))) {
            log.onLogFull(() -> {
                if (asked.incrementAndGet() == 1) {
                    new Thread(log::recheckFull).start(); // what the listener answered has changed
                    return true;
                }
                return false;
            });
            LogFullException full = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                    java.time.Duration.ofSeconds(30),
                    () -> assertThrows(LogFullException.class, () -> {
                        while (true) {
                            log.append(RecordType.DATA, Logs.payload(log.nextLsn(), 200));
                        }
                    }));
            assertTrue(full.getMessage().contains("nothing can seal a checkpoint"), full.getMessage());
            assertEquals(2, asked.get());
        }
    }

    @Test
    void aRecordLargerThanAQuarterOfTheLogIsRefusedWithItsSizeAndTheLargest() throws Exception {
        Path f = dir.resolve("log");
        try (TransactionLog log =
                TransactionLog.create(f, TransactionLog.Options.defaults().withFileSize(LogFormat.MIN_FILE_SIZE))) {
            int largest = log.maxRecord();
            assertEquals(LogFormat.maxRecord(LogFormat.MIN_FILE_SIZE), largest);
            // the largest payload that fits, then one byte more
            int fits = largest - LogFormat.RECORD_HEADER;
            log.append(RecordType.DATA, new byte[fits]).durable().get();
            RecordTooLargeException e =
                    assertThrows(RecordTooLargeException.class, () -> log.append(RecordType.DATA, new byte[fits + 1]));
            assertEquals(fits + 1, e.bytes());
            assertEquals(largest, e.maxRecord());
            assertEquals(1, log.durableLsn(), "nothing appended");
        }
    }

    @Test
    void sealMovesTheTailAndFreesTheSpaceBehindIt() throws Exception {
        Path f = dir.resolve("log");
        try (TransactionLog log = TransactionLog.create(
                f, TransactionLog.Options.defaults().withFileSize(Logs.SMALL).withFullWaitMillis(100))) {
            int n = 0;
            TransactionLog.Appended last = null;
            while (true) {
                try {
                    last = log.append(RecordType.DATA, Logs.payload(log.nextLsn(), 200));
                    last.durable().get();
                    n++;
                } catch (LogFullException e) {
                    break;
                }
            }
            long used = log.usedBytes();
            log.seal(last.lsn(), last.position(), last.position(), last.lsn(), last.lsn());
            assertTrue(log.usedBytes() < used);
            // the space is reused: as many records again fit
            for (int i = 0; i < n - 1; i++) {
                log.append(RecordType.DATA, Logs.payload(log.nextLsn(), 200))
                        .durable()
                        .get();
            }
        }
    }

    @Test
    void aRecordsBodyIsWrittenFromWhereItLiesAcrossTheWrapAndReadBackWhole() throws Exception {
        Path f = dir.resolve("log");
        List<byte[]> expected = new ArrayList<>();
        List<Long> lsns = new ArrayList<>();
        AtomicInteger released = new AtomicInteger();
        try (TransactionLog log = TransactionLog.create(
                f, TransactionLog.Options.defaults().withFileSize(Logs.SMALL).withFullWaitMillis(100))) {
            TransactionLog.Appended last = null;
            for (int round = 0; round < 2; round++) {
                // round 0 fills most of the area; once sealed behind its last record, round 1 wraps around
                for (int i = 0; i < 10; i++) {
                    long lsn = log.nextLsn();
                    byte[] whole = Logs.payload(lsn, 1000 + 8);
                    java.nio.ByteBuffer head = java.nio.ByteBuffer.wrap(whole, 0, 8);
                    java.nio.ByteBuffer body = java.nio.ByteBuffer.allocateDirect(1000);
                    body.put(whole, 8, 1000).flip();
                    last = log.append(RecordType.DATA, head, body, released::incrementAndGet);
                    expected.add(whole);
                    lsns.add(lsn);
                }
                last.durable().get();
                if (round == 0) {
                    log.seal(last.lsn(), last.position(), last.position(), last.lsn(), last.lsn());
                }
            }
            assertTrue(last.position() >= log.capacity(), "the second round wrapped around the data area");
            assertEquals(20, released.get(), "every body was released once written");
        }
        Logs.Scan scan = Logs.scan(f);
        List<LogRecord> data = scan.records().stream().filter(r -> !r.padding()).toList();
        // the scan starts at the tail: the last record of round 0, then every record of round 1
        assertEquals(lsns.subList(9, 20), data.stream().map(LogRecord::lsn).toList());
        for (int i = 0; i < data.size(); i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(
                    expected.get(9 + i), data.get(i).payload());
        }
        assertTrue(scan.records().stream().anyMatch(LogRecord::padding), "a padding record filled the end");
    }

    /**
     * Records nobody waits for (a checkpoint's frames) are forced in runs of at least {@link
     * TransactionLog#FORCE_BEHIND} bytes while they stream, before anyone waits for them, so the disk writes them back
     * beside the writes that follow; never a force for less than that while nobody waits.
     */
    @Test
    void coveredRecordsAreForcedInRunsOfForceBehindWhileNobodyWaits() throws Exception {
        Path f = dir.resolve("log");
        int body = 4096;
        int head = 8;
        int size = LogFormat.recordSize(head + body);
        int n = (int) (5 * TransactionLog.FORCE_BEHIND / size);
        List<long[]> flushes = new java.util.concurrent.CopyOnWriteArrayList<>();
        long last = 0;
        int unwaited;
        try (TransactionLog log = TransactionLog.create(
                f, TransactionLog.Options.defaults().withFileSize(((2L * n * size) & -4096) + (16L << 20)))) {
            log.onFlushed((first, end) -> flushes.add(new long[] {first, end}));
            java.nio.ByteBuffer frames = java.nio.ByteBuffer.allocateDirect(n * body); // a body is kept until written
            for (int i = 0; i < n; i++) {
                java.nio.ByteBuffer frame = frames.slice(i * body, body);
                frame.putInt(0, i);
                last = log.appendCovered(RecordType.DATA, java.nio.ByteBuffer.allocate(head), frame, null)
                        .lsn();
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (log.durableLsn() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertTrue(log.durableLsn() > 0, "written records nobody waits for were forced all the same");
            unwaited = flushes.size(); // forces that returned before anyone waited
            log.awaitDurable(last);
        }
        assertTrue(unwaited >= 1);
        for (int i = 0; i < unwaited; i++) {
            long bytes = (flushes.get(i)[1] - flushes.get(i)[0] + 1) * size;
            assertTrue(
                    bytes >= TransactionLog.FORCE_BEHIND,
                    "force " + i + " covered " + bytes + " bytes, nobody waiting for them");
        }
        assertEquals(last, flushes.get(flushes.size() - 1)[1]);
        assertEquals(n, Logs.scan(f).lsns().size());
    }

    /**
     * Records appended with {@link TransactionLog#appendCovered} get no future: they become durable with the flush that
     * writes them all the same (the durable LSN and the flush listener cover their LSNs, with or without an
     * acknowledged record after them), their bodies are given back with the position they had, and they read back
     * whole.
     */
    @Test
    void coveredRecordsAreMadeDurableAndFlushedWithoutFuturesOfTheirOwn() throws Exception {
        Path f = dir.resolve("log");
        List<byte[]> expected = new ArrayList<>();
        List<Long> flushed = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger released = new AtomicInteger();
        List<java.nio.ByteBuffer> bodies = new ArrayList<>();
        long lastCovered = 0;
        try (TransactionLog log =
                TransactionLog.create(f, TransactionLog.Options.defaults().withFileSize(Logs.SMALL))) {
            log.onFlushed((first, last) -> LongStream.rangeClosed(first, last).forEach(flushed::add));
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < 5; i++) {
                    long lsn = log.nextLsn();
                    byte[] whole = Logs.payload(lsn, 300 + 8);
                    java.nio.ByteBuffer body = java.nio.ByteBuffer.allocateDirect(303);
                    body.position(3).put(whole, 8, 300).position(3);
                    bodies.add(body);
                    TransactionLog.Placed p = log.appendCovered(
                            RecordType.DATA, java.nio.ByteBuffer.wrap(whole, 0, 8), body, released::incrementAndGet);
                    assertEquals(lsn, p.lsn());
                    expected.add(whole);
                    lastCovered = lsn;
                }
                if (round == 0) {
                    // nothing acknowledged after them: they are made durable all the same
                    long upTo = lastCovered;
                    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                            java.time.Duration.ofSeconds(30), () -> log.awaitDurable(upTo));
                    assertTrue(log.durableLsn() >= lastCovered);
                } else {
                    byte[] after = Logs.payload(log.nextLsn(), 40);
                    TransactionLog.Appended a = log.append(RecordType.DATA, after);
                    expected.add(after);
                    assertEquals(a.lsn(), a.durable().get());
                }
            }
        }
        assertEquals(10, released.get(), "every body was released once written");
        for (java.nio.ByteBuffer b : bodies) {
            assertEquals(3, b.position(), "a body's position is given back as it was");
            assertEquals(303, b.limit());
        }
        assertEquals(LongStream.rangeClosed(1, 11).boxed().toList(), flushed, "every LSN flushed once, in order");
        List<LogRecord> data =
                Logs.scan(f).records().stream().filter(r -> !r.padding()).toList();
        assertEquals(expected.size(), data.size());
        for (int i = 0; i < data.size(); i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(
                    expected.get(i), data.get(i).payload());
        }
    }

    /**
     * A batch's buffer holds only what is written inline (a body is written from where it lies) and starts small: records
     * whose inline part is larger than the buffer so far (64 KiB), or larger than a whole batch (4 MiB), among records
     * with bodies, are written whole and read back in order.
     */
    @Test
    void inlineRecordsLargerThanTheBatchBufferAreWrittenWhole() throws Exception {
        Path f = dir.resolve("log");
        int[] sizes = {24, 30 << 10, 70 << 10, 24, 1 << 20, 5 << 20, 24, 200 << 10};
        List<byte[]> expected = new ArrayList<>();
        AtomicInteger released = new AtomicInteger();
        try (TransactionLog log =
                TransactionLog.create(f, TransactionLog.Options.defaults().withFileSize(32L << 20))) {
            TransactionLog.Appended last = null;
            for (int size : sizes) {
                long lsn = log.nextLsn();
                byte[] whole = Logs.payload(lsn, size);
                last = log.append(RecordType.DATA, whole);
                expected.add(whole);
                // a record with a body after each: its head goes inline, its body is written from where it lies
                lsn = log.nextLsn();
                byte[] withBody = Logs.payload(lsn, 8 + 4096);
                java.nio.ByteBuffer body =
                        java.nio.ByteBuffer.wrap(withBody, 8, 4096).slice();
                last = log.append(
                        RecordType.DATA, java.nio.ByteBuffer.wrap(withBody, 0, 8), body, released::incrementAndGet);
                expected.add(withBody);
            }
            last.durable().get();
        }
        assertEquals(sizes.length, released.get(), "every body was released once written");
        List<LogRecord> data =
                Logs.scan(f).records().stream().filter(r -> !r.padding()).toList();
        assertEquals(expected.size(), data.size());
        for (int i = 0; i < data.size(); i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(
                    expected.get(i), data.get(i).payload(), "record " + i);
        }
    }

    @Test
    void reopenContinuesAfterTheLastRecord() throws Exception {
        Path f = dir.resolve("log");
        try (TransactionLog log = Logs.create(f)) {
            Logs.append(log, 7, 50);
        }
        int epoch;
        try (TransactionLog log = TransactionLog.open(f, TransactionLog.Options.defaults())) {
            assertEquals(8, log.nextLsn());
            epoch = log.epoch();
            Logs.append(log, 3, 50);
        }
        Logs.Scan s = Logs.scan(f);
        assertEquals(LongStream.rangeClosed(1, 10).boxed().toList(), s.lsns());
        assertEquals(2, epoch);
        assertEquals(epoch, s.records().get(9).epoch());
    }
}
