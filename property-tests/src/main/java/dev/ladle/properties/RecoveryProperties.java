package dev.ladle.properties;

import dev.ladle.persist.Persistence;
import dev.ladle.persist.ProtocolTrace;
import dev.ladle.persist.Recovery;
import dev.ladle.persist.log.LogException;
import dev.ladle.persist.sim.SimWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Property 1, recovery equals a durable prefix, on persist's in-memory world: a generated workload (a list of
 * {@link WorkloadStep}s, which a failure shrinks to the fewest and simplest steps that still fail, printed as
 * {@code STORE(t0, page 3, byte 17, 5)}, {@code SEND(t1, slot 0, [...])} and so on),
 * a crash image of the log taken at a random crash point (between two workload steps while the log writer runs,
 * right after a given log write, inside a checkpoint, or a crash during recovery itself), optionally with bit
 * flips, in every mode. After recovery the world's state (metadata and every frame's bytes) equals the reference
 * run's at the LSN recovery resumed at ({@link Workload#reference}: the state the last operation at or before it
 * left, or the recovered checkpoint's snapshot), and every operation acknowledged before the crash is there. With
 * bit flips recovery may
 * instead refuse with its own typed error, but whatever it accepts is still a state of the reference run.
 */
@AddLifecycleHook(Budget.class)
public class RecoveryProperties {
    enum CrashPoint {
        BETWEEN_STEPS,
        AFTER_LOG_WRITE,
        IN_CHECKPOINT,
        DURING_RECOVERY
    }

    @Property(tries = 40)
    @Budget.LongTries(value = 10_000, counter = "crash points", atLeast = 10_000)
    void recoveryGivesTheStateAtTheLastDurableLsn(
            @ForAll Persistence.Mode mode,
            @ForAll CrashPoint crash,
            @ForAll("workloads") List<WorkloadStep> steps,
            @ForAll @IntRange(min = 5, max = 44) int checkpointEvery,
            @ForAll @IntRange(min = 0, max = 1000) int where,
            @ForAll @IntRange(min = 0, max = 3) int bitFlips)
            throws Exception {
        Path dir = Files.createTempDirectory("ladle-recovery");
        try {
            run(dir, mode, crash, steps, checkpointEvery, where, bitFlips);
        } finally {
            deleteAll(dir);
        }
    }

    /** 10 to 300 workload steps, which a failure shrinks to the fewest and simplest that still fail. */
    @Provide
    Arbitrary<List<WorkloadStep>> workloads() {
        return WorkloadStep.steps(10, 300);
    }

    /**
     * The check bites: a crash image older than the acknowledgements it is checked against (as if acknowledged
     * records had been lost) is reported as a missing acknowledged LSN.
     */
    @Example
    void anAcknowledgedOperationMissingAfterRecoveryIsCaught() throws Exception {
        Path dir = Files.createTempDirectory("ladle-recovery");
        try {
            Path file = dir.resolve("log");
            Path image = dir.resolve("crash");
            List<Persistence.Ack> acked = new ArrayList<>();
            try (Workload w = new Workload(file, Persistence.Mode.OPLOG, 7, 20, ProtocolTrace.NONE)) {
                for (int i = 0; i < 200; i++) {
                    if (i == 20) {
                        takeImage(w, file, image, new ArrayList<>(), new boolean[] {false});
                    }
                    w.step();
                }
                for (Persistence.Ack a : w.acks) {
                    a.durable().get();
                }
                acked.addAll(w.acknowledged());
                w.close();
                try {
                    check(w, image, Persistence.Mode.OPLOG, CrashPoint.BETWEEN_STEPS, 0, 0, acked);
                } catch (AssertionError e) {
                    if (e.getMessage().contains("is missing after recovery")) {
                        return;
                    }
                    throw e;
                }
            }
            throw new AssertionError("acknowledged operations missing from the recovered state went unnoticed");
        } finally {
            deleteAll(dir);
        }
    }

    /**
     * Regression (hybrid mode): a crash image that ends after the begin record of a checkpoint that was never sealed,
     * with memory written by user code between the last operation and that checkpoint's snapshot. The snapshot holds
     * those writes, but they reach the log only with the next operation's page delta, so recovery (from the checkpoint
     * before) replays past the begin record to the state the last operation left. The reference took every snapshot
     * as the run's state at its begin LSN and reported this correct recovery as a divergence: only the recovered
     * checkpoint's snapshot is a state recovery can resume in.
     */
    @Example
    void aCheckpointNotSealedInTheImageMakesNothingDurable() throws Exception {
        Path dir = Files.createTempDirectory("ladle-recovery");
        try {
            Path file = dir.resolve("log");
            Path image = dir.resolve("crash");
            java.util.concurrent.CountDownLatch begun = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch crashed = new java.util.concurrent.CountDownLatch(1);
            boolean[] hold = {false};
            long[] beginLsn = {-1};
            // the checkpointer waits at the checkpoint's first object, on its own thread
            ProtocolTrace holdAfterBegin = (action, args) -> {
                if (action.equals("BeginCheckpoint") && hold[0]) {
                    beginLsn[0] = Long.parseLong(String.valueOf(args[0]));
                }
                if (action.equals("WriteObject") && hold[0] && begun.getCount() > 0) {
                    begun.countDown();
                    try {
                        crashed.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            List<Persistence.Ack> acked = new ArrayList<>();
            try (Workload w = new Workload(file, Persistence.Mode.HYBRID, 3, Integer.MAX_VALUE, holdAfterBegin)) {
                for (int i = 0; i < 30; i++) {
                    w.step();
                }
                for (Persistence.Ack a : w.acks) {
                    a.durable().get();
                }
                long afterLastOperation = w.world.digest();
                w.world.store(0, 0, 0, w.world.load(0, 0, 0) + 1);
                hold[0] = true;
                w.persistence.requestCheckpoint();
                begun.await();
                w.persistence.log().awaitDurable(beginLsn[0]);
                takeImage(w, file, image, acked, new boolean[] {false});
                crashed.countDown();
                w.persistence.awaitCheckpoint();
                if (w.snapshotDigests().get(beginLsn[0]) == afterLastOperation) {
                    throw new AssertionError("the snapshot holds no write the log lacks: the example shows nothing");
                }
                Recovery.Result res = recover(image, Workload.newWorld(), ProtocolTrace.NONE);
                if (res.checkpointLsn() >= beginLsn[0] || res.resumedAt() < beginLsn[0]) {
                    throw new AssertionError(
                            "recovery did not replay past the unsealed checkpoint at LSN " + beginLsn[0] + ": " + res);
                }
                check(w, image, Persistence.Mode.HYBRID, CrashPoint.IN_CHECKPOINT, 0, 0, acked);
            }
        } finally {
            deleteAll(dir);
        }
    }

    private static void run(
            Path dir,
            Persistence.Mode mode,
            CrashPoint crash,
            List<WorkloadStep> steps,
            int checkpointEvery,
            int where,
            int bitFlips)
            throws Exception {
        Path file = dir.resolve("log");
        Path image = dir.resolve("crash");
        List<Persistence.Ack> ackedAtCrash = new ArrayList<>();
        boolean[] taken = {false};
        Workload[] self = {null};
        AtomicInteger events = new AtomicInteger();
        String event = crash == CrashPoint.AFTER_LOG_WRITE ? "Flush" : "WriteObject";
        ProtocolTrace crashHook = (action, args) -> {
            if ((crash == CrashPoint.AFTER_LOG_WRITE || crash == CrashPoint.IN_CHECKPOINT)
                    && action.equals(event)
                    && events.incrementAndGet() == 1 + where % 200
                    && self[0] != null) {
                takeImage(self[0], file, image, ackedAtCrash, taken);
            }
        };
        try (Workload w = new Workload(file, mode, 0, checkpointEvery, crashHook)) {
            self[0] = w;
            int at = where * steps.size() / 1000;
            for (int i = 0; i < steps.size(); i++) {
                if (crash == CrashPoint.BETWEEN_STEPS && i == at) {
                    takeImage(w, file, image, ackedAtCrash, taken);
                }
                w.step(steps.get(i));
            }
            w.persistence.awaitCheckpoint();
            if (!taken[0]) { // the crash point lies past the end of this run: the crash is at its end
                takeImage(w, file, image, ackedAtCrash, taken);
            }
            w.close();
            Tally.count("crash points", 1);
            Tally.count("workload steps", steps.size());
            if (bitFlips > 0) {
                CrashImages.flip(image, bitFlips, new Random(steps.hashCode() * 31L + where));
                Tally.count("corruptions", bitFlips);
            }
            check(w, image, mode, crash, where, bitFlips, ackedAtCrash);
        }
    }

    private static synchronized void takeImage(
            Workload w, Path file, Path image, List<Persistence.Ack> acked, boolean[] taken) {
        if (taken[0]) {
            return;
        }
        taken[0] = true;
        List<Persistence.Ack> done = w.acknowledged();
        try {
            Files.copy(file, image, StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        acked.addAll(done);
    }

    private static void check(
            Workload w,
            Path image,
            Persistence.Mode mode,
            CrashPoint crash,
            int where,
            int bitFlips,
            List<Persistence.Ack> acked)
            throws Exception {
        byte[] bytes = Files.readAllBytes(image);
        SimWorld back = Workload.newWorld();
        Recovery.Result res;
        try {
            if (crash == CrashPoint.DURING_RECOVERY) {
                int crashAfter = 1 + where % 60;
                int[] n = {0};
                ProtocolTrace crashing = (a, x) -> {
                    if (++n[0] == crashAfter) {
                        throw new IllegalStateException("crash during recovery");
                    }
                };
                try {
                    recover(image, Workload.newWorld(), crashing);
                } catch (IllegalStateException e) {
                    if (!"crash during recovery".equals(e.getMessage())) {
                        throw e;
                    }
                }
                Tally.count("crashes during recovery", 1);
            }
            res = recover(image, back, ProtocolTrace.NONE);
        } catch (LogException | Recovery.RecoveryFailed e) {
            if (bitFlips == 0) {
                throw new AssertionError("recovery of an undamaged crash image refused: " + e.getMessage(), e);
            }
            Tally.count("corruptions refused with a typed error", 1);
            return;
        }
        if (!Arrays.equals(bytes, Files.readAllBytes(image))) {
            throw new AssertionError("recovery wrote to the log it recovered from");
        }
        long expected;
        TreeMap<Long, Long> reference;
        try {
            reference = w.reference(res.checkpointLsn());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + res, e);
        }
        if (mode == Persistence.Mode.CHECKPOINT) {
            expected = reference.get(res.checkpointLsn());
        } else {
            // the state of the last operation at or before the LSN recovery resumed at, or the recovered snapshot
            expected = reference.floorEntry(res.resumedAt()).getValue();
        }
        long got = back.digest();
        if (got != expected) {
            throw new AssertionError(mode + ", crash " + crash + ": the recovered state is not the reference run's at"
                    + " LSN " + (mode == Persistence.Mode.CHECKPOINT ? res.checkpointLsn() : res.resumedAt()) + " ("
                    + reference.size() + " reference states" + runStatesLike(w, got) + "): " + res);
        }
        // the same image recovered lazily (the end record's index read, the frames' records stepped over, every frame
        // paged in afterwards): where a full recovery succeeds every record it read is intact, so the lazy one must
        // come to the same state at the same LSN
        SimWorld lazy = Workload.newWorld();
        Recovery.Result lazyRes;
        try (Recovery rec = Recovery.open(image, lazy, ProtocolTrace.NONE)) {
            lazyRes = rec.run(true);
            lazy.pageInAll();
        }
        if (lazy.digest() != got || lazyRes.resumedAt() != res.resumedAt()) {
            throw new AssertionError(mode + ", crash " + crash + ": a lazy recovery resumed at LSN "
                    + lazyRes.resumedAt() + (lazy.digest() == got ? " in the same state" : " in another state")
                    + " than the full one: " + lazyRes + " against " + res);
        }
        Tally.count("lazy recoveries compared", 1);
        if (bitFlips == 0) {
            for (Persistence.Ack a : acked) {
                long lsn = mode == Persistence.Mode.CHECKPOINT ? a.durable().get() : a.lsn();
                long upTo = mode == Persistence.Mode.CHECKPOINT ? res.checkpointLsn() : res.resumedAt();
                if (lsn > upTo) {
                    throw new AssertionError("acknowledged LSN " + lsn + " is missing after recovery: " + res);
                }
            }
            Tally.count("acknowledged operations checked", acked.size());
        }
    }

    /** Where else in the run (an operation's state or any snapshot) the recovered state was, for a failure's report. */
    private static String runStatesLike(Workload w, long digest) {
        List<String> at = new ArrayList<>();
        w.digestAt.forEach((lsn, d) -> {
            if (d == digest) {
                at.add("LSN " + lsn);
            }
        });
        w.snapshotDigests().forEach((lsn, d) -> {
            if (d == digest) {
                at.add("the snapshot at LSN " + lsn);
            }
        });
        return at.isEmpty() ? "; it is no state of the run" : "; it is the run's state at " + String.join(", ", at);
    }

    static Recovery.Result recover(Path image, SimWorld into, ProtocolTrace trace) throws Exception {
        try (Recovery rec = Recovery.open(image, into, trace)) {
            return rec.run(false);
        }
    }

    static void deleteAll(Path dir) throws Exception {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
