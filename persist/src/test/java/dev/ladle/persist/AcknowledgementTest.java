package dev.ladle.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.persist.log.TransactionLog;
import dev.ladle.persist.sim.SimWorld;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In checkpoint mode an operation is acknowledged by the seal of the first checkpoint whose snapshot covers it,
 * never by the seal of an earlier one, even when the next snapshot is taken in the moment between the earlier
 * checkpoint's seal and its acknowledgements.
 */
class AcknowledgementTest {
    @TempDir
    Path dir;

    private static Persistence.Ack op(SimWorld w, Persistence p, Random r) throws Exception {
        int code = 1 + r.nextInt(3);
        Operation o = w.decide(0, code, w.argsFor(r, code));
        Persistence.Ack a = p.operation(o);
        w.apply(o);
        return a;
    }

    @Test
    void aSealCompletesNoAcknowledgementOfALaterSnapshot() throws Exception {
        SimWorld w = new SimWorld(2, 2, 4);
        AtomicInteger seals = new AtomicInteger();
        AtomicInteger begins = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean holding = new java.util.concurrent.atomic.AtomicBoolean();
        CountDownLatch firstSealed = new CountDownLatch(1);
        CountDownLatch secondStreaming = new CountDownLatch(1);
        CountDownLatch letSecondGo = new CountDownLatch(1);
        List<Long> beginLsns = new ArrayList<>();
        ProtocolTrace trace = (action, args) -> {
            if (action.equals("Seal") && seals.incrementAndGet() == 2) {
                firstSealed.countDown();
            }
            if (action.equals("BeginCheckpoint")) {
                synchronized (beginLsns) {
                    beginLsns.add((Long) args[0]);
                }
                begins.incrementAndGet();
            }
            // the third checkpoint (the boot one is the first) holds at its first object, on the checkpointer thread
            if (action.equals("WriteObject") && begins.get() == 3 && holding.compareAndSet(false, true)) {
                secondStreaming.countDown();
                try {
                    letSecondGo.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Random r = new Random(5);
        try (Persistence p = Persistence.start(
                dir.resolve("ack.log"),
                TransactionLog.Options.defaults().withFileSize(4L << 20),
                w,
                Persistence.Mode.CHECKPOINT,
                1,
                trace)) {
            try {
                check(w, p, r, firstSealed, secondStreaming, letSecondGo, beginLsns);
            } finally {
                letSecondGo.countDown(); // before close, which waits for the checkpointer
            }
        }
    }

    /**
     * An operation recorded after it took effect ({@link Persistence#operationApplied}, the x86 kernel's step in
     * checkpoint mode) is in the snapshot of the checkpoint it makes due, and that checkpoint's seal acknowledges it;
     * nothing after the snapshot is acknowledged. The same holds for {@link Persistence#operation}, recorded before
     * its effect, which begins the checkpoint due before the operation's records (a snapshot that does not hold it).
     */
    @Test
    void anOperationRecordedAfterItsEffectIsAcknowledgedByTheSealOfTheSnapshotHoldingIt() throws Exception {
        for (boolean applied : new boolean[] {true, false}) {
            SimWorld w = new SimWorld(2, 2, 4);
            Path file = dir.resolve("applied-" + applied + ".log");
            Path image = dir.resolve("applied-" + applied + ".image");
            Random r = new Random(9);
            List<Persistence.Ack> acks = new ArrayList<>();
            List<Long> digests = new ArrayList<>(); // digests.get(i): the state after operation i + 1
            try (Persistence p = Persistence.start(
                    file,
                    TransactionLog.Options.defaults().withFileSize(4L << 20),
                    w,
                    Persistence.Mode.CHECKPOINT,
                    3,
                    ProtocolTrace.NONE)) {
                for (int i = 0; i < 5; i++) {
                    synchronized (w.lock()) {
                        if (applied) {
                            int code = 1 + r.nextInt(3);
                            Operation o = w.decide(0, code, w.argsFor(r, code));
                            w.apply(o);
                            acks.add(p.operationApplied(o));
                        } else {
                            acks.add(op(w, p, r));
                        }
                        digests.add(w.digest());
                    }
                }
                p.awaitCheckpoint();
                java.nio.file.Files.copy(file, image); // a crash now
            }
            SimWorld back = new SimWorld(2, 2, 4);
            try (Recovery rec = Recovery.open(image, back, ProtocolTrace.NONE)) {
                rec.run(false);
            }
            // the periodic checkpoint (every 3) is begun after the third operation took effect: by operationApplied
            // right after it, by operation before the fourth (which has not taken effect then)
            int held = 3;
            assertEquals(digests.get(held - 1), back.digest(), "the sealed snapshot holds operations 1.." + held);
            for (int i = 0; i < acks.size(); i++) {
                assertEquals(
                        i < held,
                        acks.get(i).durable().isDone(),
                        "operation " + (i + 1) + " is acknowledged exactly when the sealed snapshot holds it");
            }
        }
    }

    @Test
    void anOperationAppliedBeforeItIsRecordedIsRefusedInTheModesThatLogOperations() throws Exception {
        SimWorld w = new SimWorld(2, 2, 4);
        try (Persistence p = Persistence.start(
                dir.resolve("oplog.log"),
                TransactionLog.Options.defaults().withFileSize(4L << 20),
                w,
                Persistence.Mode.OPLOG,
                3,
                ProtocolTrace.NONE)) {
            Random r = new Random(3);
            synchronized (w.lock()) {
                Operation o = w.decide(0, 1, w.argsFor(r, 1));
                IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(
                        IllegalStateException.class, () -> p.operationApplied(o));
                assertTrue(e.getMessage().contains("write-ahead"), e.getMessage());
            }
        }
    }

    private static void check(
            SimWorld w,
            Persistence p,
            Random r,
            CountDownLatch firstSealed,
            CountDownLatch secondStreaming,
            CountDownLatch letSecondGo,
            List<Long> beginLsns)
            throws Exception {
        {
            Persistence.Ack beforeFirst;
            List<Persistence.Ack> beforeSecond = new ArrayList<>();
            long secondBegin;
            synchronized (w.lock()) {
                beforeFirst = op(w, p, r);
                // due: the first snapshot covers the operation before; the checkpointer streams and seals it, and
                // then waits for this lock to acknowledge what it covers
                beforeSecond.add(op(w, p, r));
                assertTrue(firstSealed.await(30, TimeUnit.SECONDS), "the first checkpoint is sealed");
                // the next snapshot, taken between that seal and its acknowledgements
                long lsn = p.log().nextLsn();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (p.log().nextLsn() == lsn) {
                    assertTrue(System.nanoTime() < deadline, "a second snapshot is taken");
                    Thread.sleep(1);
                    beforeSecond.add(op(w, p, r));
                }
                secondBegin = lsn;
                // the last operation came after the second snapshot: it waits for a third
                beforeSecond.remove(beforeSecond.size() - 1);
            }
            // the first checkpoint's acknowledgements are done before the second streams (one checkpointer thread)
            assertTrue(secondStreaming.await(30, TimeUnit.SECONDS), "the second checkpoint streams");
            assertTrue(beforeFirst.durable().isDone(), "the first seal acknowledges what its snapshot covers");
            long firstBegin;
            synchronized (beginLsns) {
                firstBegin = beginLsns.get(1);
            }
            assertEquals(firstBegin, (long) beforeFirst.durable().get());
            for (Persistence.Ack a : beforeSecond) {
                assertFalse(
                        a.durable().isDone(),
                        "an operation after the first snapshot is not acknowledged before the second is sealed");
            }
            letSecondGo.countDown();
            p.awaitCheckpoint();
            for (Persistence.Ack a : beforeSecond) {
                assertEquals(secondBegin, (long) a.durable().get(5, TimeUnit.SECONDS));
            }
        }
    }
}
