package dev.ladle.properties;

import dev.ladle.kernel.KernelThread;
import dev.ladle.kernel.gen.persistence.Kinds;
import dev.ladle.persist.Operation;
import dev.ladle.persist.Persistence;
import dev.ladle.persist.ProtocolTrace;
import dev.ladle.persist.Recovery;
import dev.ladle.persist.log.TransactionLog;
import dev.ladle.persist.mem.InMemoryPhysicalMemory;
import dev.ladle.persist.model.KernelObject;
import dev.ladle.persist.model.ObjectRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Properties 1 and 3 for the persistence protocol on the real kernel: the islands' kernel under attack ({@link
 * Attack}, random and forged system calls, thread and process creation and deletion among them) made persistent
 * through {@link KernelWorld} (its objects as Persistence.tla's kinds, with the dependencies the kernel's state gives
 * them) in each mode, with {@link PersistenceShadow} stepped online beside it as for the in-memory world ({@link
 * PersistenceTraceProperties}). Each scheduler step is one operation: in checkpoint mode recorded before the step, in
 * the oplog and hybrid modes logged when the thread's slice stops and before the kernel acts on it (the thread, the
 * stop and the registers: {@link KernelWorld#stepOperation}), and taken in effect after the step, under the world's
 * lock; the objects the kernel creates and deletes (messages, capability entries, threads and processes, and
 * everything a changed dependency renews) are read off its state. Every operation, checkpoint begin, object written,
 * seal and acknowledgement must be a step the spec enables.
 *
 * <p>A crash image recovered into a freshly booted kernel (which replays the logged steps after the sealed checkpoint
 * through its trap entry, in lockstep with {@code Kernel.tla}) must continue the spec's behaviour through {@code
 * Crash}, {@code LoadCheckpoint}, {@code RestoreObject}, {@code StartReplay}, {@code ReplayRecord} and {@code
 * Resume}, hold exactly the spec's objects, and equal the reference run (the attacked kernel itself) at the LSN
 * recovery resumed at: machine words, the abstract state, every thread's scheduling state and registers, read-only
 * pages and every frame's bytes; nothing acknowledged is missing.
 */
@AddLifecycleHook(Budget.class)
public class KernelPersistenceTraceProperties {
    @Property(tries = 12, edgeCases = net.jqwik.api.EdgeCasesMode.NONE)
    @Budget.LongTries(value = 3_000, counter = "crash images recovered", atLeast = 10_000)
    void everyPersistStepOfTheKernelIsAStepOfPersistenceTla(
            @ForAll Persistence.Mode mode,
            @ForAll("attacks") List<Syscall> calls,
            @ForAll @IntRange(min = 2, max = 25) int checkpointEvery,
            @ForAll @IntRange(min = 0, max = 12) int requestEvery,
            @ForAll @IntRange(min = -80, max = 80) int crashAt,
            @ForAll @Size(max = 8) List<@IntRange(min = 1, max = 80) Integer> moreCrashes,
            @ForAll boolean durableImage)
            throws Exception {
        Run r = run(
                calls,
                mode,
                checkpointEvery,
                requestEvery,
                Math.max(0, crashAt),
                moreCrashes,
                Driver.DEFAULT.durableImage(durableImage));
        if (r.divergence() != null) {
            throw new AssertionError("persist of the kernel left Persistence.tla at " + r.divergence());
        }
        if (r.recoveredDiffers() != null) {
            throw new AssertionError(r.recoveredDiffers());
        }
        Tally.count("crash images recovered", (crashAt > 0 ? 1 : 0) + moreCrashes.size());
        Tally.count("recovered states equal to the reference run's", (crashAt > 0 ? 1 : 0) + moreCrashes.size());
        Tally.count("crash images recovered with the trace validated through the recovery", crashAt > 0 ? 1 : 0);
        Tally.count("logged steps replayed", r.replayed());
        Tally.count("acknowledged operations checked", r.acknowledged());
        Tally.count("recovery steps", n(r)[3]);
        int[] n = r.shadow().counts();
        Tally.count("kernel steps", r.steps());
        Tally.count("protocol steps reported", n[0]);
        Tally.count("spec steps taken", n[1]);
        Tally.count("spec objects created after boot", n[2]);
        Tally.count("threads and processes created or deleted", r.lifecycle());
        Tally.count("checkpoints sealed", r.sealed());
        Tally.count("runs in " + mode.name().toLowerCase() + " mode", 1);
    }

    /**
     * The recovery check bites: a replay that skips the first logged step after the sealed checkpoint recovers a state
     * that is not the reference run's at the LSN recovery resumed at.
     */
    @Example
    void aReplaySkippingALoggedStepIsCaught() throws Exception {
        brokenReplayIsCaught(KernelWorld.Replay.SKIP_FIRST);
    }

    /**
     * The recovery check bites: a replay that handles the first logged step twice (a send is not idempotent: its
     * message is queued twice) recovers a state that is not the reference run's.
     */
    @Example
    void aReplayApplyingAStepTwiceIsCaught() throws Exception {
        brokenReplayIsCaught(KernelWorld.Replay.FIRST_TWICE);
    }

    /**
     * Regression (found by this property in hybrid mode): a send wakes a waiting thread, whose receive the kernel
     * completes at the start of the next scheduler step, before that step's record is appended when its slice stops.
     * A periodic checkpoint begun as the record is appended snapshotted the message already deleted, with no record
     * before the snapshot deleting it: the checkpoint never wrote it and its seal was refused ({@code Seal:
     * AllWritten}). Each step now ends with {@link dev.ladle.kernel.Kernel#wake}. Here every step begins a checkpoint
     * (one every operation, each waited for), on threads that wait and send to one another; without the wake at the end
     * of the step the divergence comes back.
     */
    @Example
    void aCheckpointBegunAfterAWakeUpSnapshotsNoUnloggedReceive() throws Exception {
        List<Syscall> calls = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            calls.add(new Syscall(dev.ladle.kernel.Abi.OP_WAIT, 0, new int[6]));
            calls.add(new Syscall(dev.ladle.kernel.Abi.OP_SEND, 1, new int[] {i, 0, 0, 0, 0, 0}));
        }
        Driver eachStep = new Driver(false, true, true, KernelWorld.Replay.FAITHFUL);
        Run r = run(calls, Persistence.Mode.HYBRID, 1, 0, calls.size(), List.of(), eachStep);
        if (r.divergence() != null || r.recoveredDiffers() != null) {
            throw new AssertionError(r.divergence() + ", " + r.recoveredDiffers());
        }
        Run old = run(
                calls,
                Persistence.Mode.HYBRID,
                1,
                0,
                0,
                List.of(),
                new Driver(false, false, true, KernelWorld.Replay.FAITHFUL));
        if (old.divergence() == null || !old.divergence().why().contains("AllWritten")) {
            throw new AssertionError("without the wake at the end of each step: " + old.divergence());
        }
    }

    /** Sends from every thread along local id 1 (most are applied), an oplog run, crashed after its last step. */
    private static void brokenReplayIsCaught(KernelWorld.Replay broken) throws Exception {
        List<Syscall> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            calls.add(new Syscall(dev.ladle.kernel.Abi.OP_SEND, 1, new int[] {i, 0, 0, 0, 0, 0}));
        }
        for (Persistence.Mode mode : List.of(Persistence.Mode.OPLOG, Persistence.Mode.HYBRID)) {
            Run faithful = run(calls, mode, 5, 0, calls.size(), List.of(), Driver.DEFAULT.durableImage(true));
            if (faithful.divergence() != null || faithful.recoveredDiffers() != null || faithful.replayed() == 0) {
                throw new AssertionError(mode + ", the unaltered run: " + faithful.divergence() + ", "
                        + faithful.recoveredDiffers() + ", " + faithful.replayed() + " steps replayed");
            }
            Run r = run(
                    calls,
                    mode,
                    5,
                    0,
                    calls.size(),
                    List.of(),
                    Driver.DEFAULT.durableImage(true).replay(broken));
            if (r.replayed() == 0) {
                throw new AssertionError(mode + ": the broken run replayed no step");
            }
            if (r.recoveredDiffers() == null || !r.recoveredDiffers().contains("is not the reference run's")) {
                throw new AssertionError(mode + ", a replay " + broken + " went unnoticed: " + r.recoveredDiffers());
            }
        }
    }

    /**
     * The check bites on the kernel's world: the validated trace of a run, with a thread's record moved before the
     * records of its capability table and address space in a checkpoint, is refused ({@code DepsWritten}).
     */
    @Example
    void aThreadWrittenBeforeWhatItDependsOnIsCaught() throws Exception {
        List<Syscall> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            calls.add(new Syscall(dev.ladle.kernel.Abi.OP_SEND, 1, new int[] {i, 0, 0, 0, 0, 0}));
        }
        Run r = run(calls, Persistence.Mode.CHECKPOINT, 4, 0, 0, List.of(), Driver.DEFAULT);
        if (r.divergence() != null || r.sealed() < 2 || r.shadow().counts()[2] == 0) {
            throw new AssertionError("the unaltered run: " + r.divergence() + ", " + r.sealed() + " seals, "
                    + r.shadow().counts()[2] + " objects created");
        }
        List<dev.ladle.persist.ProtocolTrace.Step> trace =
                new ArrayList<>(r.shadow().seen());
        int begin = -1;
        int begins = 0;
        for (int i = 0; i < trace.size() && begin < 0; i++) {
            if (trace.get(i).action().equals("BeginCheckpoint") && ++begins == 2) {
                begin = i;
            }
        }
        int thread = -1;
        for (int i = begin + 1; i < trace.size() && thread < 0; i++) {
            if (trace.get(i).action().equals("WriteObject")
                    && trace.get(i).args().get(0).startsWith("thread#")) {
                thread = i;
            }
        }
        if (begin < 0 || thread < 0) {
            throw new AssertionError("no second checkpoint writing a thread: " + trace);
        }
        trace.add(begin + 1, trace.remove(thread));
        PersistenceShadow again = shadow(r.boot(), calls.size(), false, List::of);
        again.replay(trace);
        PersistenceShadow.Divergence d = again.finish();
        if (d == null || !d.action().equals("WriteObject") || !d.why().contains("DepsWritten")) {
            throw new AssertionError("expected WriteObject refused (DepsWritten), got " + d);
        }
    }

    /**
     * The check bites on the kernel's recovery too: the validated trace of a crash and its recovery, with thread 0
     * restored before its address space, is refused ({@code DepsRestored}).
     */
    @Example
    void aThreadRestoredBeforeItsAddressSpaceIsCaught() throws Exception {
        List<Syscall> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            calls.add(new Syscall(dev.ladle.kernel.Abi.OP_SEND, 1, new int[] {i, 0, 0, 0, 0, 0}));
        }
        Run r = run(calls, Persistence.Mode.CHECKPOINT, 4, 0, Integer.MAX_VALUE, List.of(), Driver.DEFAULT);
        if (r.divergence() != null || n(r)[3] == 0) {
            throw new AssertionError("the unaltered run: " + r.divergence() + ", " + n(r)[3] + " recovery steps");
        }
        List<dev.ladle.persist.ProtocolTrace.Step> trace =
                new ArrayList<>(r.shadow().seen());
        int space = PersistenceTraceProperties.indexOf(trace, "RestoreObject", "addressSpace#0");
        int thread = PersistenceTraceProperties.indexOf(trace, "RestoreObject", "thread#0");
        if (space < 0 || thread < space) {
            throw new AssertionError("the recovery restored no thread#0 after addressSpace#0: " + trace);
        }
        trace.add(space, trace.remove(thread));
        PersistenceShadow again = shadow(r.boot(), calls.size(), false, List::of);
        again.replay(trace);
        PersistenceShadow.Divergence d = again.finish();
        if (d == null || !d.action().equals("RestoreObject") || !d.why().contains("DepsRestored")) {
            throw new AssertionError("expected RestoreObject refused (DepsRestored), got " + d);
        }
    }

    /**
     * Attacks whose calls mostly name a held local id (1 or 2), so that many succeed and the kernel's objects change
     * (messages queued and received, capability entries and pages moved, threads and processes made and deleted).
     */
    @Provide
    Arbitrary<List<Syscall>> attacks() {
        Arbitrary<Integer> operand = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(1, 2)), Tuple.of(1, Syscall.numbers()));
        Arbitrary<Integer> word = Arbitraries.integers().between(-3, 3);
        return Combinators.combine(Syscall.ops(), operand, word.list().ofSize(5), Syscall.descriptors())
                .as((op, d, w, item) ->
                        new Syscall(op, d, new int[] {w.get(0), w.get(1), w.get(2), w.get(3), w.get(4), item}))
                .list()
                .ofMinSize(20)
                .ofMaxSize(80);
    }

    /**
     * A validated run: the shadow, its first divergence (null: none), the boot objects, steps and seals, and after a
     * recovery where the recovered state differs from the reference run's (null: nowhere), the logged steps replayed
     * and the acknowledged operations checked.
     */
    record Run(
            PersistenceShadow shadow,
            PersistenceShadow.Divergence divergence,
            List<KernelObject> boot,
            long steps,
            long sealed,
            long lifecycle,
            String recoveredDiffers,
            long replayed,
            long acknowledged) {}

    private static int[] n(Run r) {
        return r.shadow().counts();
    }

    /**
     * How {@link #run} drives the kernel: {@code durableImage}, the crash image is taken once every operation logged
     * so far is durable; {@code wakeAtEnd}, each step ends with {@link dev.ladle.kernel.Kernel#wake} (the waiters it
     * woke complete their receive within it); {@code awaitCheckpoints}, each step waits for the checkpoint streaming
     * (so that a periodic checkpoint can begin at the next); {@code replay}, how the recovered kernel replays.
     */
    record Driver(boolean durableImage, boolean wakeAtEnd, boolean awaitCheckpoints, KernelWorld.Replay replay) {
        static final Driver DEFAULT = new Driver(false, true, false, KernelWorld.Replay.FAITHFUL);

        Driver durableImage(boolean d) {
            return new Driver(d, wakeAtEnd, awaitCheckpoints, replay);
        }

        Driver replay(KernelWorld.Replay r) {
            return new Driver(durableImage, wakeAtEnd, awaitCheckpoints, r);
        }
    }

    /** Room for the spec objects of a run: a step can renew every object depending on one it changes. */
    private static PersistenceShadow shadow(
            List<KernelObject> boot, int calls, boolean logged, java.util.function.Supplier<List<KernelObject>> world) {
        return new PersistenceShadow(
                boot, boot.size() + 40 * calls + 16, PersistenceTraceProperties.MAX_LSN, logged, world);
    }

    /**
     * The attack {@code calls} on the islands' kernel under persistence in {@code mode}: in checkpoint and hybrid modes
     * a checkpoint every {@code checkpointEvery} operations, and, when {@code requestEvery} is positive, one asked for
     * from the test's thread every {@code requestEvery} steps as well (begun on the checkpointer's thread); at the end
     * one more. With {@code crashAt > 0} the log is copied as a crash image after step {@code crashAt} (at the run's
     * end when there are fewer), under the world's lock (with {@link Driver#durableImage}, once every operation logged
     * so far is durable, so that the image holds them all), and the image is recovered into a freshly booted kernel
     * (replaying logged steps as {@link Driver#replay} says) with the shadow going on through the crash and the recovery,
     * which must resume in a world holding exactly the spec's objects, in the reference run's state at the LSN it
     * resumed at, with every operation acknowledged at the crash.
     */
    static Run run(
            List<Syscall> calls,
            Persistence.Mode mode,
            int checkpointEvery,
            int requestEvery,
            int crashAt,
            List<Integer> moreCrashes,
            Driver driver)
            throws Exception {
        Path dir = Files.createTempDirectory("ladle-kernel-persist-trace");
        try {
            boolean logged = mode != Persistence.Mode.CHECKPOINT;
            AdversaryPlatform platform = new AdversaryPlatform(64);
            Attack a = new Attack(calls, false, Islands.BOOT, platform);
            KernelWorld w = new KernelWorld(a.kernel(), (InMemoryPhysicalMemory) platform.memory());
            List<KernelObject> boot = w.objects(w.copyState());
            PersistenceShadow shadow = shadow(boot, calls.size(), logged, () -> w.objects(w.copyState()));
            // the reference run: the state each logged step left, by its LSN, and each snapshot, by its begin LSN
            java.util.TreeMap<Long, KernelWorld.State> afterStep = new java.util.TreeMap<>();
            java.util.Map<Long, KernelWorld.State> snapshots = new java.util.HashMap<>();
            KernelWorld.State[] last = {null};
            ProtocolTrace trace = (action, args) -> {
                if (action.equals("BeginCheckpoint")) { // reported in the stop-the-world step, under the lock
                    last[0] = w.capture(last[0]);
                    snapshots.put(Long.parseLong(String.valueOf(args[0])), last[0]);
                }
                shadow.step(action, args);
            };
            List<Persistence.Ack> acks = new ArrayList<>();
            List<Persistence.Ack> ackedAtCrash = new ArrayList<>();
            long[] steps = {0};
            Path log = dir.resolve("log");
            Path image = dir.resolve("crash");
            boolean[] taken = {false};
            // the further crash images: each log copy and the operations acknowledged when it was taken
            List<Path> more = new ArrayList<>();
            List<List<Persistence.Ack>> ackedAtMore = new ArrayList<>();
            for (int k = 0; k < moreCrashes.size(); k++) {
                more.add(null);
                ackedAtMore.add(new ArrayList<>());
            }
            try (Persistence p = Persistence.start(
                    log,
                    TransactionLog.Options.defaults().withFileSize(8L << 20),
                    w,
                    mode,
                    mode == Persistence.Mode.OPLOG ? Integer.MAX_VALUE : checkpointEvery,
                    trace)) {
                a.aroundStep = step -> {
                    try {
                        p.admit();
                        synchronized (w.lock()) {
                            Persistence.Ack[] ack = {null};
                            if (!logged) {
                                // the step's operation, before it: an update of thread object 0, an object at every
                                // point; what the step creates and deletes is read off the kernel's state after it
                                ack[0] = p.operation(new Operation(
                                        1,
                                        Operation.Effect.UPDATE,
                                        new ObjectRef(Kinds.THREAD, 0),
                                        0,
                                        new int[0],
                                        0,
                                        new int[0]));
                                step.run();
                            } else {
                                // the step's record, when the slice stops and before the kernel acts on it
                                platform.onStop = (regs, stop) -> {
                                    try {
                                        ack[0] = p.operation(KernelWorld.stepOperation((KernelThread) regs, stop));
                                    } catch (Exception e) {
                                        throw new IllegalStateException("the step's record was not appended", e);
                                    }
                                };
                                try {
                                    step.run();
                                } finally {
                                    platform.onStop = null;
                                }
                            }
                            // the waiters the step woke complete their receive now, within the step: the next
                            // step's would come before its record is appended, and a checkpoint begun there would
                            // snapshot a message deleted by no record before it
                            if (driver.wakeAtEnd()) {
                                a.kernel().wake();
                            }
                            shadow.applied();
                            if (ack[0] != null) {
                                acks.add(ack[0]);
                                if (logged) {
                                    last[0] = w.capture(last[0]);
                                    afterStep.put(ack[0].lsn(), last[0]);
                                }
                            }
                            if (++steps[0] == crashAt) {
                                if (driver.durableImage() && logged && !acks.isEmpty()) {
                                    p.log()
                                            .awaitDurable(
                                                    acks.get(acks.size() - 1).lsn());
                                }
                                crashImage(shadow, log, image, acks, ackedAtCrash);
                                taken[0] = true;
                            }
                            for (int k = 0; k < moreCrashes.size(); k++) {
                                if (moreCrashes.get(k) == steps[0]) {
                                    if (driver.durableImage() && logged && !acks.isEmpty()) {
                                        p.log()
                                                .awaitDurable(acks.get(acks.size() - 1)
                                                        .lsn());
                                    }
                                    more.set(k, dir.resolve("crash-" + k));
                                    copyImage(log, more.get(k), acks, ackedAtMore.get(k));
                                }
                            }
                        }
                        if (requestEvery > 0 && steps[0] % requestEvery == 0) {
                            p.requestCheckpoint();
                        }
                        if (driver.awaitCheckpoints()) {
                            p.awaitCheckpoint();
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                };
                a.run();
                p.awaitCheckpoint();
                p.requestCheckpoint();
                p.awaitCheckpoint();
                for (Persistence.Ack ack : acks) {
                    ack.durable().get(60, TimeUnit.SECONDS);
                }
                if (crashAt > 0 && !taken[0]) {
                    synchronized (w.lock()) {
                        crashImage(shadow, log, image, acks, ackedAtCrash);
                    }
                }
                for (int k = 0; k < moreCrashes.size(); k++) {
                    if (more.get(k) == null) { // after the run's end
                        synchronized (w.lock()) {
                            more.set(k, dir.resolve("crash-" + k));
                            copyImage(log, more.get(k), acks, ackedAtMore.get(k));
                        }
                    }
                }
            }
            // the further images: recovered without the trace (the image above carries it), each must equal the
            // reference run at the LSN its recovery resumed at, nothing acknowledged at it missing
            String moreDiffer = null;
            long moreReplayed = 0;
            long moreAcked = 0;
            for (int k = 0; k < moreCrashes.size() && moreDiffer == null; k++) {
                AdversaryPlatform again = new AdversaryPlatform(64);
                KernelWorld into = new KernelWorld(
                        Islands.boot(again, true, Islands.BOOT), (InMemoryPhysicalMemory) again.memory());
                into.replayAs(driver.replay());
                Recovery.Result res;
                try (Recovery rec = Recovery.open(more.get(k), into, ProtocolTrace.NONE)) {
                    res = rec.run(false);
                }
                String d = compare(mode, res, into, afterStep, snapshots, ackedAtMore.get(k));
                if (d != null) {
                    moreDiffer = "the crash image taken after step " + moreCrashes.get(k) + ": " + d;
                }
                moreReplayed += into.replayed();
                moreAcked += ackedAtMore.get(k).size();
            }
            long seals = shadow.seen().stream()
                            .filter(s -> s.action().equals("Seal"))
                            .count()
                    - 1;
            if (crashAt <= 0) {
                return new Run(
                        shadow,
                        shadow.finish(),
                        boot,
                        a.steps,
                        seals,
                        a.lifecycle,
                        moreDiffer,
                        moreReplayed,
                        moreAcked);
            }
            shadow.recovering();
            AdversaryPlatform fresh = new AdversaryPlatform(64);
            // in lockstep with Kernel.tla, so that the replayed steps go through both machines
            KernelWorld back =
                    new KernelWorld(Islands.boot(fresh, true, Islands.BOOT), (InMemoryPhysicalMemory) fresh.memory());
            back.replayAs(driver.replay());
            Recovery.Result res;
            try (Recovery rec = Recovery.open(image, back, shadow)) {
                res = rec.run(false);
            }
            String differs = compare(mode, res, back, afterStep, snapshots, ackedAtCrash);
            return new Run(
                    shadow,
                    shadow.finishRecovery(back.objects(back.copyState())),
                    boot,
                    a.steps,
                    seals,
                    a.lifecycle,
                    differs != null ? differs : moreDiffer,
                    back.replayed() + moreReplayed,
                    ackedAtCrash.size() + moreAcked);
        } finally {
            RecoveryProperties.deleteAll(dir);
        }
    }

    /**
     * Where the recovered world differs from the reference run (null: nowhere): its state must be the reference's at
     * the LSN recovery resumed at (checkpoint mode: the recovered checkpoint's snapshot; the logged modes: the state
     * the last logged step at or before that LSN left, or the recovered checkpoint's snapshot when none is after it),
     * and every operation acknowledged when the crash image was taken must be at or before it.
     */
    private static String compare(
            Persistence.Mode mode,
            Recovery.Result res,
            KernelWorld back,
            java.util.TreeMap<Long, KernelWorld.State> afterStep,
            java.util.Map<Long, KernelWorld.State> snapshots,
            List<Persistence.Ack> acked)
            throws Exception {
        KernelWorld.State snapshot = snapshots.get(res.checkpointLsn());
        if (snapshot == null) {
            return mode + ": the recovered checkpoint (LSN " + res.checkpointLsn() + ") is no snapshot of the run";
        }
        // a snapshot is a state recovery may resume in only for the checkpoint it recovered (an unsealed checkpoint's
        // begin record makes nothing durable)
        java.util.TreeMap<Long, KernelWorld.State> reference = new java.util.TreeMap<>(afterStep);
        reference.put(res.checkpointLsn(), snapshot);
        long upTo = mode == Persistence.Mode.CHECKPOINT ? res.checkpointLsn() : res.resumedAt();
        var want = reference.floorEntry(upTo);
        String d = back.difference(want.getValue(), back.capture(null));
        if (d != null) {
            return mode + ": the recovered kernel is not the reference run's at LSN " + want.getKey() + " (recovery "
                    + "resumed at " + upTo + " after replaying " + res.recordsReplayed() + " records): " + d;
        }
        for (Persistence.Ack a : acked) {
            long lsn = mode == Persistence.Mode.CHECKPOINT ? a.durable().get() : a.lsn();
            if (lsn > upTo) {
                return mode + ": acknowledged LSN " + lsn + " is missing after recovery (resumed at " + upTo + ")";
            }
        }
        return null;
    }

    /** The log as it is now, as a crash would leave it; the run's later steps are not the crashed system's. */
    private static void crashImage(
            PersistenceShadow shadow, Path log, Path image, List<Persistence.Ack> acks, List<Persistence.Ack> acked) {
        shadow.crashImageTaken();
        copyImage(log, image, acks, acked);
    }

    /** A copy of the log as it is now at {@code image}, and into {@code acked} the operations acknowledged so far. */
    private static void copyImage(Path log, Path image, List<Persistence.Ack> acks, List<Persistence.Ack> acked) {
        for (Persistence.Ack a : acks) {
            if (a.durable().isDone() && !a.durable().isCompletedExceptionally()) {
                acked.add(a);
            }
        }
        try {
            Files.copy(log, image, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
