package dev.ladle.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.persist.log.LogFormat;
import dev.ladle.persist.log.LogFullException;
import dev.ladle.persist.log.TransactionLog;
import dev.ladle.persist.sim.SimWorld;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints are sealed, whatever the order in which they are asked for, due and begun, and a full log never stalls:
 * it is back-pressure (a checkpoint is begun at a safe point, the append waits for its seal), and when nothing can
 * free space the append fails at once with {@link LogFullException}. One test per shape that stalled: each runs with
 * a bound and fails rather than hangs.
 */
class CheckpointLivenessTest {
    @TempDir
    Path dir;

    /** A log whose data area is {@code dataBytes}; an append waits at most {@code waitMillis} for space. */
    private static TransactionLog.Options log(long dataBytes, long waitMillis) {
        return TransactionLog.Options.defaults()
                .withFileSize(LogFormat.DATA_OFFSET + dataBytes)
                .withFullWaitMillis(waitMillis);
    }

    /** A store into a page (a page delta in the modes that log) and one operation, as the kernel makes them. */
    private static Persistence.Ack step(Persistence p, SimWorld w, Random r, int i) throws Exception {
        int t = r.nextInt(w.threads());
        w.store(t, r.nextInt(8), r.nextInt(4096), i + 1);
        return randomOperation(p, w, r, t);
    }

    /** One operation of a random kind by thread {@code t}, decided, recorded and applied under the lock. */
    private static Persistence.Ack randomOperation(Persistence p, SimWorld w, Random r, int t) throws Exception {
        synchronized (w.lock()) {
            int code = 1 + r.nextInt(3);
            Operation op = w.decide(t, code, w.argsFor(r, code));
            Persistence.Ack a = p.operation(op);
            w.apply(op);
            return a;
        }
    }

    private static long seals(ProtocolTrace.Recorder trace) {
        return trace.steps().stream().filter(s -> s.action().equals("Seal")).count();
    }

    /** The log recovers to the state the run ended in. */
    private static void recoversTo(Path file, SimWorld w) throws Exception {
        SimWorld back = new SimWorld(3, 2, 8);
        try (Recovery rec = Recovery.open(file, back, ProtocolTrace.NONE)) {
            rec.run(false);
        }
        assertEquals(w.digest(), back.digest(), "the recovered state is the run's");
    }

    /**
     * Hybrid mode, no periodic checkpoint (one every 2^31 operations) and no {@link Persistence#admit}: the log fills
     * with operations, appended under the system's lock. The operation whose records do not fit begins a checkpoint at
     * its safe point and waits for its seal. (Before, the append asked for a checkpoint on the checkpointer's thread,
     * which waited for the lock the waiting append held: no seal, and the operation failed when the wait ran out.)
     */
    @Test
    void anOperationWhoseRecordsDoNotFitBeginsACheckpointRatherThanWaitForOneThatNeedsItsLock() throws Exception {
        Path file = dir.resolve("hybrid.log");
        SimWorld w = new SimWorld(3, 2, 8);
        ProtocolTrace.Recorder trace = new ProtocolTrace.Recorder();
        List<Persistence.Ack> acks = new ArrayList<>();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (Persistence p = Persistence.start(
                    file, log(1 << 20, 3_000), w, Persistence.Mode.HYBRID, Integer.MAX_VALUE, trace)) {
                Random r = new Random(3);
                for (int i = 0; i < 600; i++) { // about three times the log
                    acks.add(step(p, w, r, i));
                }
                acks.get(acks.size() - 1).durable().get(30, TimeUnit.SECONDS);
                p.awaitCheckpoint();
            }
        });
        assertTrue(seals(trace) >= 3, "checkpoints forced by the full log were sealed: " + seals(trace) + " seals");
        recoversTo(file, w);
    }

    /**
     * A checkpoint asked for ({@link Persistence#requestCheckpoint}) waits for the system's lock while the kernel,
     * holding it, runs operations past the point where a periodic checkpoint is due (operation log: half the log in
     * use) and on until the log is full. The periodic checkpoint begins at the kernel's safe point and is sealed; the
     * operations go on. (Before, the request held the checkpointer while it waited for the lock, so no periodic
     * checkpoint could begin, and the first append to find the log full waited for the request, which waited for the
     * append's lock.)
     */
    @Test
    void aCheckpointAskedForThatWaitsForTheLockDoesNotHoldThePeriodicOneBack() throws Exception {
        Path file = dir.resolve("oplog.log");
        SimWorld w = new SimWorld(3, 2, 8);
        ProtocolTrace.Recorder trace = new ProtocolTrace.Recorder();
        List<Persistence.Ack> acks = new ArrayList<>();
        long[] sealsBefore = {0};
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (Persistence p =
                    Persistence.start(file, log(1 << 20, 3_000), w, Persistence.Mode.OPLOG, Integer.MAX_VALUE, trace)) {
                Random r = new Random(5);
                sealsBefore[0] = seals(trace);
                synchronized (w.lock()) {
                    p.requestCheckpoint();
                    awaitBlockedOn(w.lock());
                    for (int i = 0; i < 400; i++) { // about twice the log
                        acks.add(step(p, w, r, i));
                    }
                }
                acks.get(acks.size() - 1).durable().get(30, TimeUnit.SECONDS);
                p.awaitCheckpoint();
            }
        });
        assertTrue(
                seals(trace) - sealsBefore[0] >= 2,
                "periodic checkpoints were sealed while the request waited: " + seals(trace) + " seals");
        recoversTo(file, w);
    }

    /**
     * Operation log, no periodic checkpoint: a checkpoint streams, held after its first record, while the kernel,
     * holding the system's lock, records operations until the log has room for about one more. That one's records pass
     * the room check before its page delta; between the delta and the operation's record the held checkpoint appends
     * the rest of its frames (into the room the check saw) and is sealed, yet frees almost nothing: it refers to a
     * frame that no operation wrote by its record in the first checkpoint, which keeps the tail at the log's start,
     * and the operations recorded while it streamed come after its begin record. The operation's record then finds
     * the log full with no checkpoint streaming: it begins one there (still before the operation takes effect), which
     * rewrites every frame, moves the tail to its begin record and frees the log. (Before, the append failed at once
     * with {@link LogFullException}, "nothing can seal a checkpoint": the streaming checkpoint that the room check had
     * counted on was sealed, and no other thread could begin one while the append held the lock. Under load,
     * {@link #aCheckpointAskedForThatWaitsForTheLockDoesNotHoldThePeriodicOneBack} failed so, a few runs in twenty.)
     */
    @Test
    void anOperationStillShortOfRoomWhenTheStreamingCheckpointIsSealedBeginsAnotherRatherThanFail() throws Exception {
        Path file = dir.resolve("pinned.log");
        SimWorld w = new SimWorld(3, 2, 8); // 24 frames, all zeros: the first checkpoint records each without contents
        AtomicBoolean holdStreaming = new AtomicBoolean();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean sealBeforeTheRecord = new AtomicBoolean();
        AtomicReference<Persistence> running = new AtomicReference<>();
        AtomicReference<String> hookFailure = new AtomicReference<>();
        long[] roomAfterTheHeldSeal = {Long.MAX_VALUE};
        ProtocolTrace.Recorder recorder = new ProtocolTrace.Recorder();
        ProtocolTrace trace = (action, args) -> {
            recorder.step(action, args);
            try {
                if (action.equals("WriteObject") && holdStreaming.getAndSet(false)) {
                    held.countDown();
                    if (!go.await(20, TimeUnit.SECONDS)) {
                        hookFailure.set("the held checkpoint was never let go");
                    }
                }
                if (action.equals("Update") && sealBeforeTheRecord.getAndSet(false)) {
                    // the operation's page delta is appended, its record not yet: the held checkpoint streams the
                    // rest of its frames and is sealed now
                    long seals = seals(recorder);
                    go.countDown();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (seals(recorder) == seals
                            || running.get().checkpointer().busy()) {
                        if (System.nanoTime() > deadline) {
                            hookFailure.set("the held checkpoint was not sealed");
                            return;
                        }
                        Thread.sleep(1);
                    }
                    roomAfterTheHeldSeal[0] = running.get().log().room();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        List<Persistence.Ack> acks = new ArrayList<>();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (Persistence p = Persistence.start(
                    file, log(1 << 20, 10_000), w, Persistence.Mode.HYBRID, Integer.MAX_VALUE, trace)) {
                running.set(p);
                Random r = new Random(11);
                int i = 0;
                // every frame but frame 0 written: the next checkpoint writes 23 frames and refers to frame 0's record
                // in the first checkpoint, near the start of the log
                for (int f = 1; f < w.frames(); f++) {
                    acks.add(storeAndRecord(p, w, r, f, i++));
                }
                holdStreaming.set(true);
                p.requestCheckpoint();
                assertTrue(held.await(10, TimeUnit.SECONDS), "the requested checkpoint began streaming");
                synchronized (w.lock()) {
                    long stepBytes = 0;
                    int f = 1;
                    while (p.log().room() >= 3 * stepBytes) {
                        long before = p.log().nextPos();
                        acks.add(storeAndRecord(p, w, r, f, i++));
                        stepBytes = Math.max(stepBytes, p.log().nextPos() - before);
                        f = f % (w.frames() - 1) + 1;
                    }
                    // room for this operation's records (twice what a step took), not for the held checkpoint's
                    assertTrue(
                            p.log().room() >= 2 * stepBytes,
                            "room for one more operation: " + p.log().room());
                    sealBeforeTheRecord.set(true);
                    acks.add(storeAndRecord(p, w, r, f, i++));
                }
                assertNull(hookFailure.get());
                assertTrue(
                        roomAfterTheHeldSeal[0] < 0,
                        "the held checkpoint's seal left the log full: " + roomAfterTheHeldSeal[0] + " bytes of room");
                for (Persistence.Ack a : acks) {
                    a.durable().get(30, TimeUnit.SECONDS);
                }
                p.awaitCheckpoint();
            }
        });
        assertTrue(seals(recorder) >= 3, "the first, the held and the one the operation began: " + seals(recorder));
        recoversTo(file, w);
    }

    /** A store into frame {@code frame} (by the first thread of the process whose page maps it), then one operation. */
    private static Persistence.Ack storeAndRecord(Persistence p, SimWorld w, Random r, int frame, int i)
            throws Exception {
        int pages = w.frames() / w.processes();
        int t = frame / pages * (w.threads() / w.processes());
        w.store(t, frame % pages, r.nextInt(4096), i + 1);
        return randomOperation(p, w, r, t);
    }

    /** Waits until a thread is blocked entering {@code lock}'s monitor (at most 10 s). */
    private static void awaitBlockedOn(Object lock) throws InterruptedException {
        int id = System.identityHashCode(lock);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
                if (t.getThreadState() == Thread.State.BLOCKED
                        && t.getLockInfo() != null
                        && t.getLockInfo().getIdentityHashCode() == id) {
                    return;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no thread came to wait for the system's lock");
    }

    /**
     * Checkpoint mode, one every two operations: the periodic checkpoint due while the previous one still streams
     * (held in its first object write) is skipped by the operation; the workload then stops. It begins once the
     * previous one is sealed, with no further operation, and acknowledges the operations after the previous snapshot.
     * (Before, nothing retried it until the next operation: those acknowledgements never completed.)
     */
    @Test
    void aPeriodicCheckpointDueWhileAnotherStreamsBeginsWhenThatOneEndsWithoutFurtherOperations() throws Exception {
        Path file = dir.resolve("checkpoint.log");
        SimWorld w = new SimWorld(3, 2, 8);
        AtomicBoolean hold = new AtomicBoolean();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        ProtocolTrace.Recorder recorder = new ProtocolTrace.Recorder();
        ProtocolTrace trace = (action, args) -> {
            recorder.step(action, args);
            if (action.equals("WriteObject") && hold.getAndSet(false)) {
                held.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        List<Persistence.Ack> acks = new ArrayList<>();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (Persistence p =
                    Persistence.start(file, log(4 << 20, 3_000), w, Persistence.Mode.CHECKPOINT, 2, trace)) {
                Random r = new Random(9);
                hold.set(true);
                for (int i = 0; i < 3; i++) { // the third begins the first periodic checkpoint, held streaming
                    acks.add(step(p, w, r, i));
                }
                assertTrue(held.await(10, TimeUnit.SECONDS), "the periodic checkpoint began streaming");
                for (int i = 3; i < 5; i++) { // the fifth finds the next one due, the first still streaming
                    acks.add(step(p, w, r, i));
                }
                long sealed = seals(recorder);
                go.countDown();
                for (Persistence.Ack a : acks) {
                    a.durable().get(20, TimeUnit.SECONDS);
                }
                assertEquals(sealed + 2, seals(recorder), "the held checkpoint and the one due after it");
                p.awaitCheckpoint();
            }
        });
        recoversTo(file, w);
    }

    /**
     * A log too small for a checkpoint of the system: the first checkpoint's records fill it, and nothing but that
     * checkpoint's own seal could free space, so the append fails at once with a clear error (before, it asked for
     * another checkpoint, which waited for this one, and gave up only when the wait for space ran out).
     */
    @Test
    void aCheckpointThatDoesNotFitTheLogFailsAtOnce() {
        Path file = dir.resolve("small.log");
        SimWorld w = new SimWorld(3, 2, 64);
        for (int t = 0; t < w.threads(); t += 2) {
            for (int vpn = 0; vpn < 64; vpn++) {
                w.store(t, vpn, 0, vpn + 1); // no frame of zeros: each is logged whole
            }
        }
        LogFullException e = assertTimeoutPreemptively(
                Duration.ofSeconds(5),
                () -> assertThrows(
                        LogFullException.class,
                        () -> Persistence.start(
                                file, log(128 << 10, 30_000), w, Persistence.Mode.CHECKPOINT, 2, ProtocolTrace.NONE)));
        assertTrue(e.getMessage().contains("nothing can seal a checkpoint"), e.getMessage());
    }
}
