package dev.ladle.persist.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group-commit rule, stepped by hand on a disk whose forces the test holds and releases: a record appended
 * while flush {@code k} is in flight is made durable by flush {@code k + 1}, whatever the acknowledgements of flush
 * {@code k} are doing, and however many batches it takes. No timing is measured: each step waits for the flusher to
 * reach the next force (a bound on that wait only turns a hang into a failure).
 */
class GroupCommitTest {
    @TempDir
    Path dir;

    /** A file channel whose forces, once armed, each wait for a permit from the test; it counts them. */
    static final class HeldForces extends FileChannel {
        private final FileChannel disk;
        private final Semaphore entered = new Semaphore(0);
        private final Semaphore permits = new Semaphore(0);
        private volatile boolean armed;
        private volatile int forces;
        private volatile boolean failNext;

        HeldForces(FileChannel disk) {
            this.disk = disk;
        }

        void arm() {
            armed = true;
        }

        /** Lets every force through from now on (so that a failed test still closes its log). */
        void disarm() {
            armed = false;
            permits.release(1 << 20);
        }

        /** Waits until the flusher is inside its next force: flush {@code forces()} is in flight. */
        void awaitForceInFlight() throws InterruptedException {
            assertTrue(entered.tryAcquire(30, TimeUnit.SECONDS), "the flusher never reached force " + (forces + 1));
        }

        /** Lets the force in flight return. */
        void release() {
            permits.release();
        }

        int forces() {
            return forces;
        }

        /** Makes the next force to start fail (once it is let through), as a writeback error reported to it would. */
        void failNext() {
            failNext = true;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            boolean fail = false;
            if (armed) {
                fail = failNext;
                failNext = false;
                forces++;
                entered.release();
                permits.acquireUninterruptibly();
            }
            if (fail) {
                throw new IOException("writeback error (injected)");
            }
            disk.force(metaData);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return disk.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return disk.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return disk.write(src);
        }

        /** The thread of each gathering write (the log's batches), in order. */
        final List<String> writers = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            writers.add(Thread.currentThread().getName());
            return disk.write(srcs, offset, length);
        }

        @Override
        public long position() throws IOException {
            return disk.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            disk.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return disk.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            disk.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return disk.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return disk.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return disk.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return disk.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return disk.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return disk.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return disk.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            disk.close();
        }
    }

    /** What each flush made durable, as the log reports it ({@code first..last}), in flush order. */
    private static final class Flushes implements TransactionLog.FlushListener {
        final List<long[]> ranges = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void flushed(long first, long last) {
            ranges.add(new long[] {first, last});
        }

        /** The number (from 1) of the flush that made {@code lsn} durable, 0 if none did yet. */
        int flushOf(long lsn) {
            synchronized (ranges) {
                for (int k = 0; k < ranges.size(); k++) {
                    if (ranges.get(k)[0] <= lsn && lsn <= ranges.get(k)[1]) {
                        return k + 1;
                    }
                }
            }
            return 0;
        }
    }

    private HeldForces disk;

    /** A log on a disk with held forces (armed once the log is created); closing it lets every force through. */
    private final class Held implements AutoCloseable {
        final TransactionLog log;
        Runnable onClose = () -> {};

        Held(int batchBytes) throws IOException {
            log = TransactionLog.create(
                    dir.resolve("log"), new TransactionLog.Options(4L << 20, batchBytes, 10_000), ch -> {
                        disk = new HeldForces(ch);
                        return disk;
                    });
            disk.arm();
        }

        @Override
        public void close() throws IOException {
            onClose.run();
            disk.disarm();
            log.close();
        }
    }

    @Test
    void aRecordAppendedWhileFlushKIsInFlightIsDurableByFlushKPlusOne() throws Exception {
        Flushes flushes = new Flushes();
        try (Held held = new Held(4 << 20)) {
            TransactionLog log = held.log;
            log.onFlushed(flushes);
            TransactionLog.Appended first = log.append(RecordType.DATA, new byte[40]);
            disk.awaitForceInFlight(); // flush 1 in flight, holding the first record
            List<TransactionLog.Appended> during = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                during.add(log.append(RecordType.DATA, new byte[40 + i]));
            }
            assertEquals(1, disk.forces(), "appending while a flush is in flight does not wait for it");
            assertFalse(first.durable().isDone(), "not acknowledged before its force returned");
            disk.release();
            disk.awaitForceInFlight(); // flush 2 in flight
            assertEquals(1, flushes.flushOf(first.lsn()));
            disk.release();
            log.awaitDurable(during.get(during.size() - 1).lsn());
            for (TransactionLog.Appended a : during) {
                assertEquals(2, flushes.flushOf(a.lsn()), "LSN " + a.lsn() + ", appended during flush 1");
                assertEquals(a.lsn(), a.durable().get(30, TimeUnit.SECONDS));
            }
            assertEquals(2, disk.forces());
        }
    }

    /** Waits until {@code done} holds (the bound only turns a hang into a failure). */
    private static void awaitThat(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "never: " + what);
            Thread.sleep(1);
        }
    }

    /** One record appended and made durable by a force the test holds, then lets go. */
    private TransactionLog.Appended durableThroughAHeldForce(TransactionLog log) throws Exception {
        TransactionLog.Appended a = log.append(RecordType.DATA, new byte[40]);
        disk.awaitForceInFlight();
        disk.release();
        a.durable().get(30, TimeUnit.SECONDS);
        return a;
    }

    /** Seals a checkpoint at {@code at} (durable already) on another thread: the superblock is written and forced. */
    private static CompletableFuture<Void> sealAt(TransactionLog log, TransactionLog.Appended at) {
        return CompletableFuture.runAsync(() -> {
            try {
                log.seal(at.lsn(), at.position(), at.position(), at.lsn(), at.lsn());
            } catch (IOException | InterruptedException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    /**
     * The seal's superblock force does not start while a force of the records is in flight: it waits for it (Linux
     * reports a writeback error to one of two forces at once only). Then it runs, and the group commit goes on.
     */
    @Test
    void aSuperblockForceDoesNotStartWhileAForceOfTheRecordsIsInFlight() throws Exception {
        try (Held held = new Held(4 << 20)) {
            TransactionLog log = held.log;
            TransactionLog.Appended first = durableThroughAHeldForce(log);
            TransactionLog.Appended second = log.append(RecordType.DATA, new byte[41]);
            disk.awaitForceInFlight(); // flush 2 in flight, holding the second record
            CompletableFuture<Void> sealed = sealAt(log, first);
            awaitThat(
                    () -> log.forceWaiting() || disk.forces() > 2 || sealed.isDone(),
                    "the seal reached its superblock's force");
            assertEquals(2, disk.forces(), "the superblock's force started while flush 2 was in flight");
            assertFalse(sealed.isDone());
            disk.release(); // flush 2 returns
            disk.awaitForceInFlight(); // the superblock's force, alone
            assertEquals(3, disk.forces());
            disk.release();
            sealed.get(30, TimeUnit.SECONDS);
            assertEquals(second.lsn(), second.durable().get(30, TimeUnit.SECONDS));
            TransactionLog.Appended third = log.append(RecordType.DATA, new byte[42]);
            disk.awaitForceInFlight();
            disk.release();
            assertEquals(third.lsn(), third.durable().get(30, TimeUnit.SECONDS));
        }
    }

    /**
     * A superblock force that fails leaves the log failed: the seal fails, the force of the records waiting behind it
     * does not run (it could return success, the error taken), and every waiter fails, later appends too.
     */
    @Test
    void aFailedSuperblockForceFailsTheLogForEveryWaiter() throws Exception {
        try (Held held = new Held(4 << 20)) {
            TransactionLog log = held.log;
            TransactionLog.Appended first = durableThroughAHeldForce(log);
            disk.failNext();
            CompletableFuture<Void> sealed = sealAt(log, first);
            disk.awaitForceInFlight(); // the superblock's force, which is to fail
            TransactionLog.Appended second = log.append(RecordType.DATA, new byte[41]);
            awaitThat(
                    () -> log.forceWaiting() || disk.forces() > 2, "the forcer reached the force of the second record");
            disk.release(); // the superblock's force fails
            disk.release(); // lets a force of the second record through, should one start
            java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class, () -> sealed.get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof IOException, e.toString());
            e = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class,
                    () -> second.durable().get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof IOException, e.toString());
            org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> log.awaitDurable(second.lsn()));
            org.junit.jupiter.api.Assertions.assertThrows(
                    IOException.class, () -> log.append(RecordType.DATA, new byte[42]));
        }
    }

    /**
     * When flush {@code k} returns with records appended meanwhile and the flusher idle, the forcer writes them itself
     * and starts flush {@code k + 1} on them: no hand-off to the flusher and back, during which the disk would idle.
     */
    @Test
    void whatWasAppendedDuringFlushKIsWrittenByTheForcerThatStartsFlushKPlusOne() throws Exception {
        try (Held held = new Held(4 << 20)) {
            TransactionLog log = held.log;
            log.append(RecordType.DATA, new byte[40]);
            disk.awaitForceInFlight(); // flush 1 in flight; its record was written by the flusher
            int writesBefore = disk.writers.size();
            TransactionLog.Appended during = log.append(RecordType.DATA, new byte[40]);
            disk.release();
            disk.awaitForceInFlight(); // flush 2 in flight: what it forces is written
            assertEquals(
                    List.of("log-forcer log"),
                    disk.writers.subList(writesBefore, disk.writers.size()),
                    "the records appended during flush 1 are written by the forcer itself");
            disk.release();
            assertEquals(during.lsn(), during.durable().get(30, TimeUnit.SECONDS));
            assertEquals(2, disk.forces());
        }
    }

    @Test
    void slowAcknowledgementsOfFlushKDoNotHoldFlushKPlusOneBack() throws Exception {
        Flushes flushes = new Flushes();
        CountDownLatch consumerBusy = new CountDownLatch(1);
        List<Long> delivered = java.util.Collections.synchronizedList(new ArrayList<>());
        try (Held held = new Held(4 << 20)) {
            TransactionLog log = held.log;
            held.onClose = consumerBusy::countDown;
            log.onFlushed(flushes);
            TransactionLog.Appended first = log.append(RecordType.DATA, new byte[40]);
            // whoever receives the first acknowledgement takes its time with it
            first.durable().thenRun(() -> {
                try {
                    consumerBusy.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                delivered.add(first.lsn());
            });
            disk.awaitForceInFlight();
            TransactionLog.Appended second = log.append(RecordType.DATA, new byte[40]);
            CompletableFuture<Void> secondDelivered = second.durable().thenRun(() -> delivered.add(second.lsn()));
            disk.release(); // flush 1 done: its acknowledgement is now being delivered, and is stuck
            disk.awaitForceInFlight(); // yet flush 2 is in flight
            disk.release();
            log.awaitDurable(second.lsn());
            assertEquals(2, flushes.flushOf(second.lsn()));
            assertFalse(secondDelivered.isDone(), "acknowledgements are delivered in LSN order");
            consumerBusy.countDown();
            secondDelivered.get(30, TimeUnit.SECONDS);
            assertEquals(List.of(first.lsn(), second.lsn()), delivered);
        }
    }

    @Test
    void everyBatchFilledDuringFlushKGoesIntoFlushKPlusOne() throws Exception {
        Flushes flushes = new Flushes();
        int batch = 4096;
        try (Held held = new Held(batch)) {
            TransactionLog log = held.log;
            log.onFlushed(flushes);
            log.append(RecordType.DATA, new byte[40]);
            disk.awaitForceInFlight();
            // three batches' worth (fewer than the flusher's queue holds), appended during flush 1
            List<TransactionLog.Appended> during = new ArrayList<>();
            long bytes = 0;
            while (bytes < 3L * batch) {
                TransactionLog.Appended a = log.append(RecordType.DATA, new byte[200]);
                during.add(a);
                bytes += LogFormat.recordSize(200);
            }
            assertEquals(1, disk.forces());
            disk.release();
            disk.awaitForceInFlight();
            disk.release();
            log.awaitDurable(during.get(during.size() - 1).lsn());
            for (TransactionLog.Appended a : during) {
                assertEquals(2, flushes.flushOf(a.lsn()), "LSN " + a.lsn() + ", appended during flush 1");
            }
        }
    }

    /**
     * The flusher does not wait for a force: batches filled while flush {@code k} is in flight reach the file before
     * it returns (the copy into the file runs while the disk writes), and are made durable by flush {@code k + 1}, not
     * before.
     */
    @Test
    void batchesFilledDuringFlushKAreWrittenWhileItIsInFlight() throws Exception {
        Flushes flushes = new Flushes();
        int batch = 4096;
        try (Held held = new Held(batch)) {
            TransactionLog log = held.log;
            log.onFlushed(flushes);
            log.append(RecordType.DATA, new byte[40]);
            disk.awaitForceInFlight();
            List<TransactionLog.Appended> during = new ArrayList<>();
            long bytes = 0;
            while (bytes < 3L * batch) {
                TransactionLog.Appended a = log.append(RecordType.DATA, new byte[200]);
                during.add(a);
                bytes += LogFormat.recordSize(200);
            }
            // the first two batches are full (queued for the flusher); the rest is still being filled
            long fullBatches = during.get(0).lsn() + 2 * (batch / LogFormat.recordSize(200)) - 1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            List<Long> inFile = Logs.scan(dir.resolve("log")).lsns();
            while (!inFile.contains(fullBatches) && System.nanoTime() < deadline) {
                Thread.sleep(5);
                inFile = Logs.scan(dir.resolve("log")).lsns();
            }
            assertTrue(
                    inFile.contains(fullBatches), "LSN " + fullBatches + " written while flush 1 is held: " + inFile);
            assertEquals(1, disk.forces());
            for (TransactionLog.Appended a : during) {
                assertFalse(a.durable().isDone(), "LSN " + a.lsn() + " acknowledged before a force covered it");
            }
            disk.release();
            disk.awaitForceInFlight();
            disk.release();
            log.awaitDurable(during.get(during.size() - 1).lsn());
            for (TransactionLog.Appended a : during) {
                assertEquals(2, flushes.flushOf(a.lsn()), "LSN " + a.lsn() + ", appended during flush 1");
            }
        }
    }

    /**
     * While a force is in flight the flusher takes only full batches, so an append that fills none does not wake it:
     * a wake-up per append would only put it back to sleep, and on a machine of few cores take a core from the threads
     * that append and acknowledge.
     */
    @Test
    void appendsDuringAFlushThatFillNoBatchDoNotWakeTheFlusher() throws Exception {
        try (Held held = new Held(4 << 20)) {
            TransactionLog log = held.log;
            log.append(RecordType.DATA, new byte[40]);
            disk.awaitForceInFlight(); // flush 1 in flight
            long before = log.flusherWakeups();
            List<TransactionLog.Appended> during = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                during.add(log.append(RecordType.DATA, new byte[40]));
                if (i % 50 == 0) {
                    Thread.sleep(1); // the flusher, if woken, would be back waiting by now
                }
            }
            long woken = log.flusherWakeups() - before;
            assertTrue(woken <= 2, "the flusher woke " + woken + " times for 500 appends during a flush");
            disk.release();
            disk.awaitForceInFlight();
            disk.release();
            TransactionLog.Appended last = during.get(during.size() - 1);
            assertEquals(last.lsn(), last.durable().get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aRecordAppendedWhileNoFlushIsInFlightIsDurableByTheNextFlush() throws Exception {
        Flushes flushes = new Flushes();
        try (Held held = new Held(4 << 20)) {
            TransactionLog log = held.log;
            log.onFlushed(flushes);
            TransactionLog.Appended a = log.append(RecordType.DATA, new byte[40]);
            disk.awaitForceInFlight();
            disk.release();
            a.durable().get(30, TimeUnit.SECONDS);
            TransactionLog.Appended b = log.append(RecordType.DATA, new byte[40]);
            disk.awaitForceInFlight();
            disk.release();
            b.durable().get(30, TimeUnit.SECONDS);
            assertEquals(1, flushes.flushOf(a.lsn()));
            assertEquals(2, flushes.flushOf(b.lsn()));
        }
    }
}
