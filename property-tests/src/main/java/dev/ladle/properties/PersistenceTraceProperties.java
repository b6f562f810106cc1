package dev.ladle.properties;

import dev.ladle.persist.Persistence;
import dev.ladle.persist.ProtocolTrace;
import dev.ladle.persist.model.KernelObject;
import dev.ladle.persist.sim.SimWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Property 3 for the persistence protocol, online: a generated workload on persist's in-memory world ({@link Workload};
 * a list of {@link WorkloadStep}s, which a failure shrinks to the fewest and simplest steps that still fail) in each
 * mode (operation log, hybrid, checkpoint-only), with checkpoints streamed by the checkpointer thread while
 * the workload runs on, is stepped beside the machine generated from Persistence.tla ({@link PersistenceShadow}):
 * every operation (objects created and deleted after boot included), flush, acknowledgement, checkpoint begin, object
 * written and seal must be a step the spec enables. A divergence names the step, the action and the guard or
 * invariant that failed. {@link PersistenceCrashTraceProperties} goes on through a crash and the recovery.
 */
@AddLifecycleHook(Budget.class)
public class PersistenceTraceProperties {
    /** The spec's LSN bound: above the records of the longest workload drawn. */
    static final int MAX_LSN = 1 << 13;

    @Property(tries = 15)
    void everyPersistStepIsAStepOfPersistenceTla(
            @ForAll Persistence.Mode mode,
            @ForAll("workloads") List<WorkloadStep> steps,
            @ForAll @IntRange(min = 3, max = 60) int checkpointEvery)
            throws Exception {
        Run r = run(mode, steps, checkpointEvery, 0, false, 0, 0, 0);
        if (r.divergence() != null) {
            throw new AssertionError(mode + ": persist left Persistence.tla at " + r.divergence());
        }
        tally(r, mode);
    }

    /** 10 to 300 workload steps, which a failure shrinks to the fewest and simplest that still fail. */
    @Provide
    Arbitrary<List<WorkloadStep>> workloads() {
        return WorkloadStep.steps(10, 300);
    }

    static void tally(Run r, Persistence.Mode mode) {
        int[] n = r.shadow().counts();
        Tally.count("protocol steps reported", n[0]);
        Tally.count("spec steps taken", n[1]);
        Tally.count("objects created after boot", n[2]);
        Tally.count("threads created or deleted", n[5]);
        Tally.count("recovery steps", n[3]);
        Tally.count("runs in checkpoint-only mode", mode == Persistence.Mode.CHECKPOINT ? 1 : 0);
        Tally.count("forced checkpoints with nothing new, begun none", r.forcedWithNothingNew());
    }

    /**
     * A checkpoint forced when nothing was recorded since the sealed one (persist used to begin and seal one, which
     * Persistence.tla's BeginCheckpoint refuses: SomethingToCheckpoint) begins nothing, in every mode, and the run
     * stays a behaviour of the spec.
     */
    @Example
    void aForcedCheckpointWithNothingNewIsNoStep() throws Exception {
        for (Persistence.Mode mode : Persistence.Mode.values()) {
            Run r = run(mode, 40, 10, 11, 0, false, 0, 0);
            if (r.divergence() != null || r.forcedWithNothingNew() != 2) {
                throw new AssertionError(mode + ": " + r.divergence() + ", " + r.forcedWithNothingNew() + " forced");
            }
        }
    }

    /** The check bites: a checkpoint that writes a thread before its address space and capability table. */
    @Example
    void anObjectWrittenBeforeWhatItDependsOnIsCaught() throws Exception {
        List<ProtocolTrace.Step> trace = recordedTrace(0);
        int begin = secondBegin(trace);
        int thread = -1;
        for (int i = begin + 1; i < trace.size() && thread < 0; i++) {
            if (trace.get(i).action().equals("WriteObject")
                    && trace.get(i).args().get(0).startsWith("thread#")) {
                thread = i;
            }
        }
        if (thread < 0) {
            throw new AssertionError("the checkpoint wrote no thread: " + trace);
        }
        List<ProtocolTrace.Step> broken = new ArrayList<>(trace);
        broken.add(begin + 1, broken.remove(thread));
        expectDivergence(broken, "WriteObject", "DepsWritten");
    }

    /**
     * The check bites: a checkpoint sealed with one object of the system never written (a capability entry present
     * at boot, which no object depends on).
     */
    @Example
    void aSealWithAnObjectMissingIsCaught() throws Exception {
        List<ProtocolTrace.Step> trace = recordedTrace(0);
        int begin = secondBegin(trace);
        List<ProtocolTrace.Step> broken = new ArrayList<>(trace);
        for (int i = begin + 1; i < broken.size(); i++) {
            if (broken.get(i).action().equals("WriteObject")
                    && broken.get(i).args().get(0).equals("capEntry#0")) {
                broken.remove(i);
                expectDivergence(broken, "Seal", "AllWritten");
                return;
            }
        }
        throw new AssertionError("the checkpoint wrote no capEntry#0: " + trace);
    }

    /** The check bites: an acknowledgement reported before the record it acknowledges is durable. */
    @Example
    void anAcknowledgementAheadOfTheDurableLogIsCaught() throws Exception {
        List<ProtocolTrace.Step> trace = recordedTrace(0);
        List<ProtocolTrace.Step> broken = new ArrayList<>(trace);
        for (int i = secondBegin(trace); i < broken.size(); i++) {
            if (broken.get(i).action().equals("Flush")) {
                long l = Long.parseLong(broken.get(i).args().get(0));
                broken.add(i, new ProtocolTrace.Step("Ack", List.of(Long.toString(l))));
                expectDivergence(broken, "Ack", "beyond the durable log");
                return;
            }
        }
        throw new AssertionError("no flush after the second checkpoint began: " + trace);
    }

    static int indexOf(List<ProtocolTrace.Step> trace, String action, String arg) {
        for (int i = 0; i < trace.size(); i++) {
            if (trace.get(i).action().equals(action)
                    && trace.get(i).args().get(0).equals(arg)) {
                return i;
            }
        }
        return -1;
    }

    static void expectDivergence(List<ProtocolTrace.Step> broken, String action, String why) {
        PersistenceShadow shadow = shadow(70, true, List::of);
        shadow.replay(broken);
        PersistenceShadow.Divergence d = shadow.finish();
        if (d == null || !d.action().equals(action) || !d.why().contains(why)) {
            throw new AssertionError(
                    "expected " + action + " refused (" + why + "), got " + (d == null ? "no divergence" : d));
        }
    }

    /**
     * The steps a validated oplog-mode run's shadow took in (with a crash at its end and the recovery when
     * {@code crashAtFlush} is past every flush), which must themselves validate again (the examples alter them).
     */
    static List<ProtocolTrace.Step> recordedTrace(int crashAtFlush) throws Exception {
        Run r = run(Persistence.Mode.OPLOG, 70, 20, 7, crashAtFlush, false, 0, 3);
        if (r.divergence() != null) {
            throw new AssertionError("the unaltered run already left Persistence.tla at " + r.divergence());
        }
        List<ProtocolTrace.Step> trace = r.shadow().seen();
        PersistenceShadow again = shadow(70, true, List::of);
        again.replay(trace);
        if (again.finish() != null) {
            throw new AssertionError("the recorded run does not replay: " + again.finish());
        }
        return trace;
    }

    /** The index of the begin step of the first checkpoint after the boot one. */
    private static int secondBegin(List<ProtocolTrace.Step> trace) {
        int begins = 0;
        for (int i = 0; i < trace.size(); i++) {
            if (trace.get(i).action().equals("BeginCheckpoint") && ++begins == 2) {
                return i;
            }
        }
        throw new AssertionError("the run took no checkpoint after the boot one: " + trace);
    }

    static List<KernelObject> bootObjects() {
        SimWorld w = Workload.newWorld();
        return w.objects(w.state());
    }

    /** A shadow for a run of {@code steps}: room for three new objects a step (a thread, its table, its entry). */
    private static PersistenceShadow shadow(
            int steps, boolean logged, java.util.function.Supplier<List<KernelObject>> world) {
        return shadow(steps, MAX_LSN, logged, world);
    }

    private static PersistenceShadow shadow(
            int steps, int maxLsn, boolean logged, java.util.function.Supplier<List<KernelObject>> world) {
        List<KernelObject> boot = bootObjects();
        return new PersistenceShadow(boot, boot.size() + 3 * steps + 8, maxLsn, logged, world);
    }

    /** A validated run: its shadow, the first divergence (null: none), and the log LSN torn in its crash image. */
    record Run(
            PersistenceShadow shadow,
            PersistenceShadow.Divergence divergence,
            long tornAt,
            boolean cut,
            int forcedWithNothingNew) {}

    /** The most steps the run takes after its last seal to log {@code loggedAfterSeal} operations. */
    private static final int TAIL_STEPS = 40;

    /**
     * Runs the workload in {@code mode} with the shadow stepped online. In oplog mode a checkpoint streams on the
     * checkpointer thread every {@code checkpointEvery} steps, once the previous one is sealed, while the workload
     * runs on (only when an operation came since the last snapshot: with nothing to write, the spec has no checkpoint
     * to begin); in the other modes persist takes one every {@code checkpointEvery} operations itself. When
     * {@code loggedAfterSeal > 0}, once the last checkpoint is sealed the run steps on until that many more operations
     * are logged, so that a recovery of the run's end has records to replay whenever the checkpointer's thread took
     * its snapshot (it may take it after the run's last step). With {@code crashAtFlush > 0}, the crash image is the
     * log as the forcer reports its {@code crashAtFlush}-th flush (at the run's end when there are fewer), with
     * {@code torn} its batch cut in the middle of the record flushed, and the image is recovered, after
     * {@code crashDuringRecovery} steps of a recovery that crashed when positive.
     */
    static Run run(
            Persistence.Mode mode,
            int steps,
            int checkpointEvery,
            int seed,
            int crashAtFlush,
            boolean torn,
            int crashDuringRecovery,
            int loggedAfterSeal)
            throws Exception {
        return run(mode, steps, checkpointEvery, seed, crashAtFlush, torn, crashDuringRecovery, loggedAfterSeal, 0);
    }

    /**
     * As {@link #run(Persistence.Mode, int, int, int, int, boolean, int, int)}; with {@code specLsns > 0} the shadow's
     * LSN bound is that (the log's slots in the spec's state: small enough for TLC to read the run's states) and it
     * records its spec steps for a check by TLC ({@link PersistenceShadow#specTrace}).
     */
    static Run run(
            Persistence.Mode mode,
            int steps,
            int checkpointEvery,
            int seed,
            int crashAtFlush,
            boolean torn,
            int crashDuringRecovery,
            int loggedAfterSeal,
            int specLsns)
            throws Exception {
        return run(
                mode,
                WorkloadStep.drawn(seed, steps),
                checkpointEvery,
                crashAtFlush,
                torn,
                crashDuringRecovery,
                loggedAfterSeal,
                specLsns);
    }

    /**
     * As {@link #run(Persistence.Mode, int, int, int, int, boolean, int, int, int)}, the workload's {@code steps}
     * given (the steps after the last seal that {@code loggedAfterSeal} asks for are drawn from their hash).
     */
    static Run run(
            Persistence.Mode mode,
            List<WorkloadStep> steps,
            int checkpointEvery,
            int crashAtFlush,
            boolean torn,
            int crashDuringRecovery,
            int loggedAfterSeal,
            int specLsns)
            throws Exception {
        Path dir = Files.createTempDirectory("ladle-persist-trace");
        int forcedWithNothingNew = 0;
        try {
            Path file = dir.resolve("log");
            Path image = dir.resolve("crash");
            Workload[] self = {null};
            PersistenceShadow shadow = shadow(
                    steps.size() + (loggedAfterSeal > 0 ? TAIL_STEPS : 0),
                    specLsns > 0 ? specLsns : MAX_LSN,
                    mode != Persistence.Mode.CHECKPOINT,
                    () -> self[0].world.objects(self[0].world.state()));
            if (specLsns > 0) {
                shadow.recordSpecSteps();
            }
            int[] flushes = {0};
            long[] tornAt = {0};
            boolean[] taken = {false};
            ProtocolTrace online = (a, x) -> {
                if (crashAtFlush > 0
                        && a.equals("Flush")
                        && self[0] != null
                        && !taken[0]
                        && ++flushes[0] == crashAtFlush) {
                    taken[0] = true;
                    long l = Long.parseLong(String.valueOf(x[0]));
                    synchronized (self[0].world.lock()) {
                        shadow.crashImageTaken();
                        CrashImages.copy(file, image);
                        if (torn) {
                            // the second half of that record and every record after it zeroed
                            tornAt[0] = CrashImages.tear(image, l, Long.MAX_VALUE, 0.5, true) > 0 ? l : 0;
                        }
                    }
                }
                shadow.step(a, x);
            };
            int every = mode == Persistence.Mode.OPLOG ? Integer.MAX_VALUE : checkpointEvery;
            try (Workload w = new Workload(file, mode, steps.hashCode(), every, online)) {
                self[0] = w;
                w.applied = shadow::applied;
                for (int i = 1; i <= steps.size(); i++) {
                    w.step(steps.get(i - 1));
                    if (mode == Persistence.Mode.OPLOG && i % checkpointEvery == 0) {
                        w.persistence.awaitCheckpoint();
                        // persist begins none when nothing was recorded since the sealed one
                        w.persistence.requestCheckpoint();
                    }
                }
                w.persistence.awaitCheckpoint();
                if (loggedAfterSeal > 0) {
                    int logged = 0;
                    for (int i = 0; i < TAIL_STEPS && logged < loggedAfterSeal; i++) {
                        int before = w.acks.size();
                        w.step();
                        if (w.acks.size() > before && w.acks.get(before).lsn() > 0) {
                            logged++;
                        }
                    }
                    if (logged < loggedAfterSeal) {
                        throw new AssertionError(TAIL_STEPS + " steps after the last seal logged " + logged
                                + " operations, not " + loggedAfterSeal);
                    }
                }
                if (mode == Persistence.Mode.CHECKPOINT) {
                    // the operations after the last snapshot are acknowledged by the next seal
                    w.persistence.requestCheckpoint();
                    w.persistence.awaitCheckpoint();
                }
                if (crashAtFlush <= 0) {
                    // forced checkpoints: the first seals what came since the last snapshot, if anything did; then
                    // nothing is recorded since the sealed one, and Persistence.tla has no BeginCheckpoint
                    w.persistence.awaitCheckpoint();
                    w.persistence.checkpointNow(true);
                    for (int i = 0; i < 2; i++) {
                        if (w.persistence.checkpointNow(i == 0) != null) {
                            throw new AssertionError("a checkpoint began with nothing recorded since the sealed one");
                        }
                        forcedWithNothingNew++;
                    }
                }
                for (Persistence.Ack a : w.acks) {
                    a.durable().get(60, TimeUnit.SECONDS);
                }
                w.close();
            }
            if (crashAtFlush <= 0) {
                return new Run(shadow, shadow.finish(), 0, false, forcedWithNothingNew);
            }
            if (!taken[0]) { // fewer flushes than the crash point: the crash is at the run's end
                shadow.crashImageTaken();
                CrashImages.copy(file, image);
            }
            shadow.recovering();
            boolean cut = false;
            if (crashDuringRecovery > 0) {
                int[] n = {0};
                ProtocolTrace crashing = (a, x) -> {
                    if (n[0]++ == crashDuringRecovery) {
                        throw new IllegalStateException("crash during recovery");
                    }
                    shadow.step(a, x);
                };
                try {
                    RecoveryProperties.recover(image, Workload.newWorld(), crashing);
                } catch (IllegalStateException e) {
                    if (!"crash during recovery".equals(e.getMessage())) {
                        throw e;
                    }
                    cut = true;
                }
            }
            SimWorld back = Workload.newWorld();
            RecoveryProperties.recover(image, back, shadow);
            return new Run(shadow, shadow.finishRecovery(back.objects(back.state())), tornAt[0], cut, 0);
        } finally {
            RecoveryProperties.deleteAll(dir);
        }
    }
}
