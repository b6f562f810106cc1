package dev.ladle.properties;

import dev.ladle.kernel.Kernel;
import dev.ladle.kernel.KernelThread;
import dev.ladle.kernel.gen.persistence.Kinds;
import dev.ladle.persist.Operation;
import dev.ladle.persist.Persistence;
import dev.ladle.persist.ProtocolTrace;
import dev.ladle.persist.Recovery;
import dev.ladle.persist.log.LogException;
import dev.ladle.persist.log.TransactionLog;
import dev.ladle.persist.mem.CheckpointerPages;
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
 * Resume}, hold exactly the spec's objects, and equal the reference run (the attacked kernel itself) at the image's
 * last durable LSN: machine words, the abstract state, every thread's scheduling state and registers, read-only pages
 * and every frame's bytes; nothing acknowledged is missing.
 *
 * <p>Further crash images, each recovered into a kernel of its own, are taken between steps and at log-write
 * granularity ({@link LogCrash}): right after a log write (a flush, a seal's superblock), with that write torn at a
 * random byte (or the superblock torn), or while a checkpoint streams; some are recovered after a crash during
 * recovery (a first recovery cut part way, or completed and cut in the resume's own log writes: the log reopened, a
 * new base checkpoint streamed), some with bits flipped, where recovery may refuse with its typed error but what it
 * accepts is the reference run's state at a durable prefix reaching at least the first damaged record.
 */
@AddLifecycleHook(Budget.class)
public class KernelPersistenceTraceProperties {
    @Property(tries = 12, edgeCases = net.jqwik.api.EdgeCasesMode.NONE)
    @Budget.LongTries(value = 1_600, counter = "crash images recovered", atLeast = 10_000)
    void everyPersistStepOfTheKernelIsAStepOfPersistenceTla(
            @ForAll Persistence.Mode mode,
            @ForAll("attacks") List<Syscall> calls,
            @ForAll @IntRange(min = 2, max = 25) int checkpointEvery,
            @ForAll @IntRange(min = 0, max = 12) int requestEvery,
            @ForAll @IntRange(min = -80, max = 80) int crashAt,
            @ForAll @Size(max = 8) List<@IntRange(min = 1, max = 80) Integer> moreCrashes,
            @ForAll("logCrashes") List<LogCrash> logCrashes,
            @ForAll boolean durableImage)
            throws Exception {
        Run r = run(
                calls,
                mode,
                checkpointEvery,
                requestEvery,
                Math.max(0, crashAt),
                moreCrashes,
                logCrashes,
                Driver.DEFAULT.durableImage(durableImage));
        if (r.divergence() != null) {
            throw new AssertionError("persist of the kernel left Persistence.tla at " + r.divergence());
        }
        if (r.recoveredDiffers() != null) {
            throw new AssertionError(r.recoveredDiffers());
        }
        int betweenSteps = (crashAt > 0 ? 1 : 0) + moreCrashes.size();
        Tally.count("crash images recovered", betweenSteps + logCrashes.size());
        Tally.count("crash images between steps", betweenSteps);
        Tally.count("crash images recovered with the trace validated through the recovery", crashAt > 0 ? 1 : 0);
        r.figures().forEach(Tally::count);
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

    /**
     * The checkpointer's ledger bites: a checkpointer that reads the first frame with a root in place instead of having
     * the kernel map it into its address space (so the frame is neither held nor protected by a mapping while the log
     * writes it) is caught, naming the frame, who maps it, the checkpointer's call and the kernel step.
     */
    @Example
    void aFrameHandedToTheLogWithoutBeingMappedIsCaught() throws Exception {
        brokenCheckpointerIsCaught(
                CheckpointerPages.Handling.SKIP_FIRST_MAP,
                "was handed to the log without being mapped into the checkpointer, though process");
    }

    /**
     * The checkpointer's ledger bites: a checkpointer that gives each page back at its next map, whether or not the
     * log has written the frame, is caught, naming the page, its frame, the checkpointer's call and the kernel step.
     */
    @Example
    void aPageGivenBackBeforeTheLogWroteItsFrameIsCaught() throws Exception {
        brokenCheckpointerIsCaught(
                CheckpointerPages.Handling.GIVE_BACK_UNWRITTEN, "was given back before the log wrote the frame");
    }

    /**
     * Sends from every thread, a checkpoint every two steps: the run with the checkpointer as it is maps frames into it
     * and passes; with {@code broken}
     * it fails with {@code message}.
     */
    private static void brokenCheckpointerIsCaught(CheckpointerPages.Handling broken, String message) throws Exception {
        List<Syscall> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            calls.add(new Syscall(dev.ladle.kernel.Abi.OP_SEND, 1, new int[] {i, 0, 0, 0, 0, 0}));
        }
        try (AttackTarget t = new AttackTarget(calls)) {
            Run r = run(t, Persistence.Mode.CHECKPOINT, 2, 0, calls.size(), List.of(), List.of(), Driver.DEFAULT);
            if (r.divergence() != null || r.recoveredDiffers() != null) {
                throw new AssertionError("the unaltered run: " + r.divergence() + ", " + r.recoveredDiffers());
            }
            requireCounted(r, "frames mapped into the checkpointer (MapSnapshot)", "no frame was mapped");
        }
        try (AttackTarget t = new AttackTarget(calls)) {
            t.pages().handling(broken);
            try {
                run(t, Persistence.Mode.CHECKPOINT, 2, 0, calls.size(), List.of(), List.of(), Driver.DEFAULT);
            } catch (AssertionError e) {
                if (e.getMessage() != null
                        && e.getMessage().contains(message)
                        && e.getMessage().contains("after kernel step")) {
                    return;
                }
                throw new AssertionError("a checkpointer " + broken + " failed otherwise: " + e.getMessage(), e);
            }
            throw new AssertionError("a checkpointer " + broken + " went unnoticed");
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
     * The check of the last durable LSN bites: a recovery whose scan stops one record short of the durable end (its
     * reader never sees the image's last record) resumes in a state of the reference run with everything acknowledged
     * there (the last flush's operations are not acknowledged yet when the forcer reports its force), and is caught
     * only because that state is not the one at the image's last durable LSN.
     */
    @Example
    void aRecoveryStoppingShortOfTheLastDurableRecordIsCaught() throws Exception {
        List<LogCrash> images = new ArrayList<>();
        for (int at = 2; at <= 7; at++) {
            images.add(new LogCrash(Shape.AFTER_WRITE, at, 0.5, 0, 0));
        }
        brokenRecoveryIsCaught(images, RecoveryVariant.SKIP_LAST_DURABLE, "short of the image's last durable LSN");
    }

    /** Fails with what when the run counted nothing under counter: the example never reached what it is about. */
    private static void requireCounted(Run r, String counter, String what) {
        if (r.figures().getOrDefault(counter, 0L) == 0) {
            throw new AssertionError(what + ": " + r.figures());
        }
    }

    /**
     * The check of torn writes bites: a recovery that takes a torn write as complete (it reads the image as it was
     * before the tear) resumes past the image's last durable LSN.
     */
    @Example
    void aRecoveryTakingATornWriteAsCompleteIsCaught() throws Exception {
        List<LogCrash> images = new ArrayList<>();
        for (int at = 2; at <= 7; at++) {
            images.add(new LogCrash(Shape.TORN_WRITE, at, 0.1 * at, 0, 0));
        }
        Run r = brokenRecoveryIsCaught(images, RecoveryVariant.ACCEPT_TORN, "past the image's last durable LSN");
        requireCounted(r, "torn crash images (a flush's write cut at a random byte)", "no image was torn");
    }

    /**
     * The check of a crash during recovery bites: a recovered system that resumes on the log (its new base checkpoint
     * streamed and sealed) before the logged steps after the recovered checkpoint are replayed leaves a log whose
     * recovery, after a crash right after that seal, is not the state the first recovery gave.
     */
    @Example
    void aResumeBeforeTheReplayIsCaught() throws Exception {
        List<LogCrash> images = new ArrayList<>();
        for (int at = 4; at <= 7; at++) {
            images.add(new LogCrash(Shape.AFTER_WRITE, at, 0.5, 0, -100_000));
        }
        Run r = brokenRecoveryIsCaught(
                images, RecoveryVariant.RESUME_BEFORE_REPLAY, "is not the one the first recovery gave");
        requireCounted(
                r,
                "crashes during recovery, in the resume (the log reopened, its base checkpoint streamed)",
                "no resume crashed");
    }

    /**
     * The check of bit flips bites: with one bit flipped among the records of each image, a recovery that stops one
     * record short of the durable end is caught on an image it does not refuse (the lower bound is the last durable
     * LSN before the first damaged record).
     */
    @Example
    void aRecoveryOfAFlippedImageStoppingShortIsCaught() throws Exception {
        List<LogCrash> images = new ArrayList<>();
        for (int at = 2; at <= 9; at++) {
            images.add(new LogCrash(Shape.AFTER_WRITE, at, 0.1 * at, 1, 0));
        }
        Run r = brokenRecoveryIsCaught(images, RecoveryVariant.SKIP_LAST_DURABLE, "short of the image's last durable");
        requireCounted(r, "crash images with bit flips", "no image had bits flipped");
    }

    /**
     * Sends from every thread along local id 1 (most are applied) in oplog mode, each step durable before the next (a
     * flush a step), crash images at the log writes {@code images}: the faithful recovery passes every check (and recovers at least one image flipped bits leave readable),
     * the broken one is caught with {@code expected} in the report.
     */
    private static Run brokenRecoveryIsCaught(List<LogCrash> images, RecoveryVariant broken, String expected)
            throws Exception {
        List<Syscall> calls = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            calls.add(new Syscall(dev.ladle.kernel.Abi.OP_SEND, 1, new int[] {i, 0, 0, 0, 0, 0}));
        }
        Run faithful = run(calls, Persistence.Mode.OPLOG, 5, 0, 0, List.of(), images, Driver.DEFAULT.synced());
        java.util.Map<String, Long> f = faithful.figures();
        long flipped = f.getOrDefault("crash images with bit flips", 0L);
        if (faithful.divergence() != null
                || faithful.recoveredDiffers() != null
                || f.getOrDefault("crash images at log writes, past the run's writes (at its end)", 0L) == images.size()
                || flipped > 0
                        && f.getOrDefault("crash images with bit flips refused with a typed error", 0L) == flipped) {
            throw new AssertionError(
                    "the faithful recovery: " + faithful.divergence() + ", " + faithful.recoveredDiffers() + ", " + f);
        }
        Run r = run(
                calls,
                Persistence.Mode.OPLOG,
                5,
                0,
                0,
                List.of(),
                images,
                Driver.DEFAULT.synced().recovery(broken));
        if (r.recoveredDiffers() == null || !r.recoveredDiffers().contains(expected)) {
            throw new AssertionError(
                    "a recovery " + broken + " went unnoticed: " + r.recoveredDiffers() + ", " + r.figures());
        }
        return faithful;
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
        return heldCalls().list().ofMinSize(20).ofMaxSize(80);
    }

    /** A call that mostly names a held local id (1 or 2), with small words and any item descriptor. */
    static Arbitrary<Syscall> heldCalls() {
        Arbitrary<Integer> operand = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(1, 2)), Tuple.of(1, Syscall.numbers()));
        Arbitrary<Integer> word = Arbitraries.integers().between(-3, 3);
        return Combinators.combine(Syscall.ops(), operand, word.list().ofSize(5), Syscall.descriptors())
                .as((op, d, w, item) ->
                        new Syscall(op, d, new int[] {w.get(0), w.get(1), w.get(2), w.get(3), w.get(4), item}));
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
            long acknowledged,
            java.util.Map<String, Long> figures) {}

    private static int[] n(Run r) {
        return r.shadow().counts();
    }

    /**
     * How {@link #run} drives the kernel: {@code durableImage}, the crash image is taken once every operation logged
     * so far is durable; {@code wakeAtEnd}, each step ends with {@link dev.ladle.kernel.Kernel#wake} (the waiters it
     * woke complete their receive within it); {@code awaitCheckpoints}, each step waits for the checkpoint streaming
     * (so that a periodic checkpoint can begin at the next); {@code replay}, how the recovered kernel replays;
     * {@code recovery}, how crash images are recovered; {@code syncSteps}, each step waits until its record is durable.
     */
    record Driver(
            boolean durableImage,
            boolean wakeAtEnd,
            boolean awaitCheckpoints,
            KernelWorld.Replay replay,
            RecoveryVariant recovery,
            boolean syncSteps) {
        static final Driver DEFAULT = new Driver(false, true, false, KernelWorld.Replay.FAITHFUL);

        Driver(boolean durableImage, boolean wakeAtEnd, boolean awaitCheckpoints, KernelWorld.Replay replay) {
            this(durableImage, wakeAtEnd, awaitCheckpoints, replay, RecoveryVariant.FAITHFUL, false);
        }

        Driver durableImage(boolean d) {
            return new Driver(d, wakeAtEnd, awaitCheckpoints, replay, recovery, syncSteps);
        }

        Driver replay(KernelWorld.Replay r) {
            return new Driver(durableImage, wakeAtEnd, awaitCheckpoints, r, recovery, syncSteps);
        }

        Driver recovery(RecoveryVariant r) {
            return new Driver(durableImage, wakeAtEnd, awaitCheckpoints, replay, r, syncSteps);
        }

        /** Each step waits until its record is durable: a flush a step, so that log writes fall between steps. */
        Driver synced() {
            return new Driver(durableImage, wakeAtEnd, awaitCheckpoints, replay, recovery, true);
        }
    }

    /** How crash images are recovered: faithfully, or broken (the examples that show the checks bite). */
    enum RecoveryVariant {
        FAITHFUL,
        /**
         * A recovery whose scan stops short of the last durable record it would replay: it never sees the image's last
         * operation record (nor anything after it).
         */
        SKIP_LAST_DURABLE,
        /** A recovery that takes a torn write as complete: it reads the image as it was before the tear. */
        ACCEPT_TORN,
        /**
         * A recovered system that resumes on the log (reopens it and streams its new base checkpoint) from the state the
         * sealed checkpoint restored, before the logged steps after it are replayed.
         */
        RESUME_BEFORE_REPLAY
    }

    /** Where in the run's log writes a crash image of a {@link LogCrash} is taken. */
    enum Shape {
        /** Right after a log write: a group commit's batch written and forced, or a seal's superblock written. */
        AFTER_WRITE,
        /**
         * A log write torn: a group commit's batch cut at a random byte (the bytes after it as they were: zeros), or a
         * seal's superblock cut (recovery falls back to the other superblock).
         */
        TORN_WRITE,
        /** While a checkpoint streams: as the checkpointer writes one of its objects, before its seal. */
        IN_CHECKPOINT
    }

    /**
     * A crash image at a log write: at the {@code at}-th log write after the boot checkpoint's seal (for {@link
     * Shape#IN_CHECKPOINT}, as the {@code 20 * at}-th object is written), torn at {@code cut} of the write's bytes, with
     * {@code flips} bits flipped (0: none) among its records, and, when nothing is flipped, with a crash during its
     * recovery: for {@code recoveryCut > 0} a first recovery crashes after that many of its steps (when it has fewer, it
     * completes), for {@code recoveryCut < 0} the first recovery completes and the recovered system, resuming on the
     * log (reopened, a new base checkpoint streamed), crashes at its {@code -recoveryCut}-th event: for {@link
     * Shape#IN_CHECKPOINT} its checkpoint's begin or an object written, else a log write (a flush, torn for {@link
     * Shape#TORN_WRITE}, or the seal); past them, after its seal. A positive {@code recoveryCut} past the first
     * recovery's steps counts on into the resume's events the same way.
     */
    record LogCrash(Shape shape, int at, double cut, int flips, int recoveryCut) {}

    /**
     * A few crash images at log writes: shapes alike, two in five with bit flips, half with a crash during recovery
     * (half of those in the recovered system's resume).
     */
    @Provide
    Arbitrary<List<LogCrash>> logCrashes() {
        return logCrashPlans();
    }

    /** The crash images at log writes of {@link #logCrashes()}. */
    static Arbitrary<List<LogCrash>> logCrashPlans() {
        Arbitrary<Integer> flips = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(0)),
                Tuple.of(2, Arbitraries.integers().between(1, 3)));
        // the resume: a few log writes, many objects
        Arbitrary<Integer> recoveryCut = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(0)),
                Tuple.of(2, Arbitraries.integers().between(1, 200)),
                Tuple.of(1, Arbitraries.integers().between(-5, -1)),
                Tuple.of(1, Arbitraries.integers().between(-150, -6)));
        return Combinators.combine(
                        Arbitraries.of(Shape.class),
                        Arbitraries.integers().between(1, 12),
                        Arbitraries.doubles().between(0, 1).ofScale(3),
                        flips,
                        recoveryCut)
                .as(LogCrash::new)
                .list()
                .ofMaxSize(6);
    }

    /** Room for the spec objects of a run: a step can renew every object depending on one it changes. */
    private static PersistenceShadow shadow(
            List<KernelObject> boot, int calls, boolean logged, java.util.function.Supplier<List<KernelObject>> world) {
        return new PersistenceShadow(
                boot, boot.size() + 40 * calls + 16, PersistenceTraceProperties.MAX_LSN, logged, world);
    }

    /** As {@link #run(List, Persistence.Mode, int, int, int, List, List, Driver)} without crash images at log writes. */
    static Run run(
            List<Syscall> calls,
            Persistence.Mode mode,
            int checkpointEvery,
            int requestEvery,
            int crashAt,
            List<Integer> moreCrashes,
            Driver driver)
            throws Exception {
        return run(calls, mode, checkpointEvery, requestEvery, crashAt, moreCrashes, List.of(), driver);
    }

    /**
     * The attack {@code calls} on the islands' kernel under persistence in {@code mode}: in checkpoint and hybrid modes
     * a checkpoint every {@code checkpointEvery} operations, and, when {@code requestEvery} is positive, one asked for
     * from the test's thread every {@code requestEvery} steps as well (begun on the checkpointer's thread); at the end
     * one more. With {@code crashAt > 0} the log is copied as a crash image after step {@code crashAt} (at the run's
     * end when there are fewer), under the world's lock (with {@link Driver#durableImage}, once every operation logged
     * so far is durable, so that the image holds them all), and the image is recovered into a freshly booted kernel
     * (replaying logged steps as {@link Driver#replay} says) with the shadow going on through the crash and the recovery,
     * which must resume in a world holding exactly the spec's objects, in the reference run's state at the last durable
     * LSN, with every operation acknowledged at the crash. The images after the steps {@code moreCrashes} and at the log
     * writes {@code logCrashes} are recovered the same way, each into a kernel of its own, without the trace.
     */
    static Run run(
            List<Syscall> calls,
            Persistence.Mode mode,
            int checkpointEvery,
            int requestEvery,
            int crashAt,
            List<Integer> moreCrashes,
            List<LogCrash> logCrashes,
            Driver driver)
            throws Exception {
        try (Target t = new AttackTarget(calls)) {
            return run(t, mode, checkpointEvery, requestEvery, crashAt, moreCrashes, logCrashes, driver);
        }
    }

    /**
     * The system a run persists: a kernel with its world, and a workload that drives it one scheduler step at a time;
     * and freshly booted kernels of the same system to recover into (closed with the target).
     */
    interface Target extends AutoCloseable {
        /** The running kernel's world. */
        KernelWorld world();

        /**
         * Sets the hook called with the thread and how its slice stopped, its registers loaded, before the kernel acts
         * on the stop (null: none).
         */
        void onStop(java.util.function.BiConsumer<dev.ladle.kernel.hw.RegisterFile, dev.ladle.kernel.hw.Stop> hook);

        /** Runs the workload, each scheduler step through {@code around} (which runs its argument once). */
        void run(java.util.function.Consumer<Runnable> around);

        /** Scheduler steps made. */
        long steps();

        /** Threads and processes created or deleted. */
        long lifecycle();

        /** The workload's length (the spec objects a run may need grow with it). */
        int size();

        /** A freshly booted world of this system (its kernel checking invariants, Kernel.tla in lockstep). */
        KernelWorld fresh(KernelWorld.Replay replay);

        /**
         * Whether its worlds' frames can wait for their contents ({@link KernelWorld#restoringLazily}): then crash
         * images are recovered lazily as well, and each lazy recovery is compared with the eager one ({@link
         * #lazyDiffers}).
         */
        default boolean pagesIn() {
            return false;
        }

        @Override
        void close();
    }

    /** The islands' kernel attacked on the in-memory {@link AdversaryPlatform} ({@link Attack}). */
    static final class AttackTarget implements Target {
        private final AdversaryPlatform platform = new AdversaryPlatform(64);
        private final Attack a;
        private final KernelWorld w;
        private final int size;

        AttackTarget(List<Syscall> calls) {
            a = new Attack(calls, false, Islands.CHECKPOINTED, platform);
            w = new KernelWorld(a.kernel(), (InMemoryPhysicalMemory) platform.memory());
            // the checks after a step hold the world's lock, and compare states as if the checkpointer held no page
            a.lock = w.lock();
            Kernel k = a.kernel();
            a.machineWords = words -> CheckpointerPages.machineWordsGivenBack(k, words, k.snapshotPages());
            size = calls.size();
        }

        /** The kernel's checkpointer pages (what they mapped and gave back). */
        CheckpointerPages pages() {
            return w.pages();
        }

        @Override
        public KernelWorld world() {
            return w;
        }

        @Override
        public void onStop(
                java.util.function.BiConsumer<dev.ladle.kernel.hw.RegisterFile, dev.ladle.kernel.hw.Stop> hook) {
            platform.onStop = hook;
        }

        @Override
        public void run(java.util.function.Consumer<Runnable> around) {
            a.aroundStep = around;
            a.run();
        }

        @Override
        public long steps() {
            return a.steps;
        }

        @Override
        public long lifecycle() {
            return a.lifecycle;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public KernelWorld fresh(KernelWorld.Replay replay) {
            AdversaryPlatform fresh = new AdversaryPlatform(64);
            KernelWorld fw = new KernelWorld(
                    Islands.boot(fresh, true, Islands.CHECKPOINTED), (InMemoryPhysicalMemory) fresh.memory());
            fw.replayAs(replay);
            return fw;
        }

        @Override
        public void close() {}
    }

    /** As {@link #run(List, Persistence.Mode, int, int, int, List, List, Driver)} on the system {@code target}. */
    static Run run(
            Target target,
            Persistence.Mode mode,
            int checkpointEvery,
            int requestEvery,
            int crashAt,
            List<Integer> moreCrashes,
            List<LogCrash> logCrashes,
            Driver driver)
            throws Exception {
        Path dir = Files.createTempDirectory("ladle-kernel-persist-trace");
        try {
            boolean logged = mode != Persistence.Mode.CHECKPOINT;
            KernelWorld w = target.world();
            List<KernelObject> boot = w.objects(w.copyState());
            PersistenceShadow shadow = shadow(boot, target.size(), logged, () -> w.objects(w.copyStateGivenBack()));
            // the reference run: the state each logged step left, by its LSN, and each snapshot, by its begin LSN
            Reference ref = new Reference(mode);
            KernelWorld.State[] last = {null};
            List<Persistence.Ack> acks = new java.util.concurrent.CopyOnWriteArrayList<>();
            Path log = dir.resolve("log");
            Images images = new Images(dir, log, acks, logCrashes);
            ProtocolTrace trace = (action, args) -> {
                if (action.equals("BeginCheckpoint")) { // reported in the stop-the-world step, under the lock
                    last[0] = w.capture(last[0]);
                    ref.snapshots.put(Long.parseLong(String.valueOf(args[0])), last[0]);
                }
                images.step(action, args);
                shadow.step(action, args);
            };
            long[] steps = {0};
            Image image = null;
            // the further crash images between steps
            Image[] more = new Image[moreCrashes.size()];
            try (Persistence p = Persistence.start(
                    log,
                    TransactionLog.Options.defaults().withFileSize(8L << 20),
                    w,
                    mode,
                    mode == Persistence.Mode.OPLOG ? Integer.MAX_VALUE : checkpointEvery,
                    trace)) {
                images.arm(p.log());
                Image[] first = {null};
                java.util.function.Consumer<Runnable> around = step -> {
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
                                target.onStop((regs, stop) -> {
                                    try {
                                        ack[0] = p.operation(KernelWorld.stepOperation((KernelThread) regs, stop));
                                    } catch (Exception e) {
                                        throw new IllegalStateException("the step's record was not appended", e);
                                    }
                                });
                                try {
                                    step.run();
                                } finally {
                                    target.onStop(null);
                                }
                            }
                            // the waiters the step woke complete their receive now, within the step: the next
                            // step's would come before its record is appended, and a checkpoint begun there would
                            // snapshot a message deleted by no record before it
                            if (driver.wakeAtEnd()) {
                                w.kernel().wake();
                            }
                            w.afterStep();
                            shadow.applied();
                            if (ack[0] != null) {
                                acks.add(ack[0]);
                                if (logged) {
                                    last[0] = w.capture(last[0]);
                                    ref.afterStep.put(ack[0].lsn(), last[0]);
                                }
                            }
                            boolean durable = driver.durableImage() && logged && !acks.isEmpty();
                            if (++steps[0] == crashAt) {
                                if (durable) {
                                    p.log()
                                            .awaitDurable(
                                                    acks.get(acks.size() - 1).lsn());
                                }
                                shadow.crashImageTaken(); // the run's later steps are not the crashed system's
                                first[0] = images.betweenSteps(dir.resolve("crash"));
                            }
                            for (int k = 0; k < moreCrashes.size(); k++) {
                                if (moreCrashes.get(k) == steps[0]) {
                                    if (durable) {
                                        p.log()
                                                .awaitDurable(acks.get(acks.size() - 1)
                                                        .lsn());
                                    }
                                    more[k] = images.betweenSteps(dir.resolve("crash-" + k));
                                }
                            }
                        }
                        if (driver.syncSteps() && !acks.isEmpty()) {
                            acks.get(acks.size() - 1).durable().get(60, TimeUnit.SECONDS);
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
                target.run(around);
                p.awaitCheckpoint();
                p.requestCheckpoint();
                p.awaitCheckpoint();
                for (Persistence.Ack ack : acks) {
                    ack.durable().get(60, TimeUnit.SECONDS);
                }
                synchronized (w.lock()) {
                    if (crashAt > 0 && first[0] == null) {
                        shadow.crashImageTaken();
                        first[0] = images.betweenSteps(dir.resolve("crash"));
                    }
                    for (int k = 0; k < moreCrashes.size(); k++) {
                        if (more[k] == null) { // after the run's end
                            more[k] = images.betweenSteps(dir.resolve("crash-" + k));
                        }
                    }
                    images.atEnd(); // the log writes the run did not reach: at its end
                }
                image = first[0];
            }
            // the checkpointer's protocol held throughout, and it holds no snapshot page after the last seal
            String broken = w.checkpointerFailure();
            if (broken != null) {
                throw new AssertionError("the checkpointer: " + broken);
            }
            CheckpointerPages.Counts pages =
                    w.pages() == null ? null : w.pages().counts();
            if (pages != null
                    && (pages.held() != 0 || !w.kernel().snapshotPages().isEmpty())) {
                throw new AssertionError("the checkpointer holds snapshot pages "
                        + w.kernel().snapshotPages() + " after the last checkpoint's seal: " + pages);
            }
            // the further images: recovered without the trace (the image above carries it), each must equal the
            // reference run at the last durable LSN, nothing acknowledged when it was taken missing
            java.util.Map<String, Long> figures = new java.util.LinkedHashMap<>();
            String moreDiffer = null;
            long moreReplayed = 0;
            long moreAcked = 0;
            for (int k = 0; k < moreCrashes.size() && moreDiffer == null; k++) {
                KernelWorld into = target.fresh(driver.replay());
                Recovery.Result res = recover(more[k].path(), into, ProtocolTrace.NONE, driver.recovery(), more[k]);
                String d = ref.compare(res, into, more[k], Long.MAX_VALUE);
                if (d == null) {
                    d = lazyDiffers(target, driver, ref, more[k], Long.MAX_VALUE, res, into, figures);
                }
                if (d != null) {
                    moreDiffer = "the crash image taken after step " + moreCrashes.get(k) + ": " + d;
                }
                moreReplayed += into.replayed();
                moreAcked += more[k].acked().size();
            }
            add(figures, "log writes after the boot checkpoint (flushes and seals)", images.writes);
            add(figures, "checkpoint objects written after the boot checkpoint", images.objects);
            if (pages != null && w.kernel().checkpointer() >= 0) {
                add(figures, "frames mapped into the checkpointer (MapSnapshot)", pages.maps());
                add(figures, "checkpointer pages given back (UnmapSnapshot)", pages.unmaps());
                add(
                        figures,
                        "checkpointer maps refused for want of a free page, waited for an unmap",
                        pages.refusals());
                add(figures, "checkpoint frames read in place (no root to map)", pages.readsUnmapped());
                add(
                        figures,
                        "checkpoint frames read from a copy (written while streaming)",
                        w.pages().copiedFrames());
                add(
                        figures,
                        "runs whose checkpointer held its whole window",
                        pages.mostHeld() == w.checkpointerWindow() ? 1 : 0);
            }
            for (int k = 0; k < logCrashes.size() && moreDiffer == null; k++) {
                LogCrash c = logCrashes.get(k);
                Image im = images.taken[k];
                images.tally(c, im, figures);
                String d = recoverLogCrash(target, mode, c, im, ref, driver, figures, dir.resolve("resume-" + k));
                if (d != null) {
                    moreDiffer = "the crash image " + c + " (" + im.describe() + "): " + d;
                }
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
                        target.steps(),
                        seals,
                        target.lifecycle(),
                        moreDiffer,
                        moreReplayed,
                        moreAcked,
                        figures);
            }
            shadow.recovering();
            // in lockstep with Kernel.tla, so that the replayed steps go through both machines
            KernelWorld back = target.fresh(driver.replay());
            Recovery.Result res = recover(image.path(), back, shadow, driver.recovery(), image);
            String differs = ref.compare(res, back, image, Long.MAX_VALUE);
            PersistenceShadow.Divergence divergence = shadow.finishRecovery(back.objects(back.copyState()));
            if (differs == null && moreDiffer == null) {
                differs = lazyDiffers(target, driver, ref, image, Long.MAX_VALUE, res, back, figures);
            }
            return new Run(
                    shadow,
                    divergence,
                    boot,
                    target.steps(),
                    seals,
                    target.lifecycle(),
                    differs != null ? differs : moreDiffer,
                    back.replayed() + moreReplayed,
                    image.acked().size() + moreAcked,
                    figures);
        } finally {
            RecoveryProperties.deleteAll(dir);
        }
    }

    /** The scheduler steps an eager and a lazy recovery of the same crash image each run before they are compared. */
    static final int STEPS_AFTER_RECOVERY = 12;

    /**
     * One in this many of a run's crash images that can be recovered lazily as well is (the first of each run
     * included): a lazy recovery costs a freshly booted Unicorn kernel and two times {@link #STEPS_AFTER_RECOVERY}
     * steps, and every image recovered lazily nearly doubled the property's time.
     */
    static final int LAZILY_EVERY = 4;

    /**
     * Recovers {@code image} lazily and compares it with the eager recovery of the same image ({@code eager}, which
     * gave {@code res} and equals the reference run; it runs on here). Null when the lazy recovery resumed where the
     * eager one did (the same checkpoint, LSN and records replayed; nothing acknowledged at the image before {@code
     * damaged} missing, as {@link Reference#lsnsDiffer} checks the eager one) in the same flat state, with frames
     * waiting for their contents, and, after both kernels ran {@link #STEPS_AFTER_RECOVERY} scheduler steps (user
     * code paging frames in on its first touch), both made the same steps and their flat states and every frame's
     * bytes are equal; else where they differ. Only on a target whose frames can wait ({@link Target#pagesIn}), for
     * the faithful recovery (a broken one is the eager check's to catch), and for one in {@link #LAZILY_EVERY} of the
     * run's images that get here.
     */
    private static String lazyDiffers(
            Target target,
            Driver driver,
            Reference ref,
            Image image,
            long damaged,
            Recovery.Result res,
            KernelWorld eager,
            java.util.Map<String, Long> figures)
            throws Exception {
        if (!target.pagesIn() || driver.recovery() != RecoveryVariant.FAITHFUL) {
            return null;
        }
        add(figures, "crash images that could be recovered lazily as well", 1);
        if ((figures.get("crash images that could be recovered lazily as well") - 1) % LAZILY_EVERY != 0) {
            return null;
        }
        KernelWorld lazy = target.fresh(driver.replay()).restoringLazily();
        // open until the comparison has paged in every frame: a waiting frame is read from the log on its first touch
        try (Recovery rec = Recovery.open(image.path(), lazy, ProtocolTrace.NONE)) {
            Recovery.Result got;
            try {
                got = rec.run(true);
            } catch (LogException | Recovery.RecoveryFailed e) {
                return "the lazy recovery refused what the eager one recovered: " + e.getMessage();
            }
            if (got.checkpointLsn() != res.checkpointLsn()
                    || got.resumedAt() != res.resumedAt()
                    || got.recordsReplayed() != res.recordsReplayed()) {
                return "the lazy recovery restored the checkpoint at LSN " + got.checkpointLsn() + " and resumed at "
                        + got.resumedAt() + " after replaying " + got.recordsReplayed() + " records; the eager one "
                        + res.checkpointLsn() + ", " + res.resumedAt() + " and " + res.recordsReplayed();
            }
            String lost = ref.lsnsDiffer(got, image, damaged);
            if (lost != null) {
                return "the lazy recovery: " + lost;
            }
            int waiting = lazy.waitingFrameCount();
            if (waiting == 0) {
                return "the lazy recovery resumed with no frame waiting for its contents";
            }
            // the flat states before a step (reading them touches no frame)
            byte[][] noFrames = new byte[0][];
            String words = eager.difference(
                    new KernelWorld.State(eager.copyStateGivenBack(), noFrames),
                    new KernelWorld.State(lazy.copyStateGivenBack(), noFrames));
            if (words != null) {
                return "the lazy recovery resumed in another flat state than the eager one: " + words;
            }
            long eagerFrom = eager.kernel().stats().steps();
            long lazyFrom = lazy.kernel().stats().steps();
            eager.kernel().run(STEPS_AFTER_RECOVERY);
            lazy.kernel().run(STEPS_AFTER_RECOVERY);
            long eagerSteps = eager.kernel().stats().steps() - eagerFrom;
            long lazySteps = lazy.kernel().stats().steps() - lazyFrom;
            if (eagerSteps != lazySteps) {
                return "after the recoveries, the eager kernel made " + eagerSteps + " steps, the lazy one "
                        + lazySteps;
            }
            long pagedIn = lazy.framesPagedIn();
            String d = eager.difference(eager.capture(null), lazy.capture(null));
            if (d != null) {
                return "after " + lazySteps + " steps (" + pagedIn + " of the " + waiting + " waiting frames paged in),"
                        + " the lazy recovery is not the eager one's: " + d;
            }
            add(figures, "crash images recovered lazily as well, equal to the eager recovery", 1);
            add(figures, "frames waiting when a lazy recovery resumed", waiting);
            add(figures, "of those, paged in by the steps after it", pagedIn);
            add(figures, "steps run after an eager and a lazy recovery, each", lazySteps);
            return null;
        }
    }

    /** Recovery, cut when {@code trace} throws this: the crash of the recovering system. */
    private static final class CrashDuringRecovery extends RuntimeException {
        CrashDuringRecovery() {
            super("crash during recovery", null, false, false);
        }
    }

    /**
     * Recovers {@code image} into {@code into} as {@code recovery} says: faithfully, or broken (the examples that show
     * the checks bite).
     */
    private static Recovery.Result recover(
            Path path, KernelWorld into, ProtocolTrace trace, RecoveryVariant recovery, Image image) throws Exception {
        Path read = path;
        if (recovery == RecoveryVariant.SKIP_LAST_DURABLE) {
            // a recovery whose scan stops short of the last durable operation record: its reader never sees it
            read = path.resolveSibling(path.getFileName() + "-short");
            CrashImages.copy(path, read);
            long end = 0;
            for (CrashImages.Extent e : CrashImages.records(read)) {
                if (e.type() == dev.ladle.persist.log.RecordType.OPERATION) {
                    end = e.lsn();
                }
            }
            if (end > 0) {
                CrashImages.tear(read, end, end, 0, true);
            }
        } else if (recovery == RecoveryVariant.ACCEPT_TORN && image.untorn() != null) {
            read = image.untorn(); // the torn write taken as complete
        }
        try (Recovery rec = Recovery.open(read, into, trace)) {
            return rec.run(false);
        }
    }

    /**
     * Recovers the crash image of {@code c} and checks it (null: as it must be; else what differs). Without flips the
     * recovery must succeed in the reference run's state at the image's last durable LSN with every operation
     * acknowledged at the image; with {@link LogCrash#recoveryCut} a first recovery is cut by a crash after that many
     * of its steps (beyond them, the recovered system resumes on a copy of the image, the log reopened and a new base
     * checkpoint streamed, and is cut at a log write of that), and a recovery from what is on disk then must give the
     * same. With flips, recovery may refuse with its typed error; what it accepts must be the reference run's state at
     * the LSN it resumed at, no earlier than the last durable LSN before the first damaged record (or superblock), with
     * every operation acknowledged at the image before that damage.
     */
    private static String recoverLogCrash(
            Target target,
            Persistence.Mode mode,
            LogCrash c,
            Image im,
            Reference ref,
            Driver driver,
            java.util.Map<String, Long> figures,
            Path resumeLog)
            throws Exception {
        long damaged = Long.MAX_VALUE;
        if (c.flips() > 0) {
            java.util.Random r = new java.util.Random(Double.doubleToLongBits(c.cut()) ^ c.at());
            // among the records up to a block past the log's end, half of them in a record recovery replays (else most
            // hit the checkpoint's frames, and recovery refuses)
            long end = CrashImages.usedEnd(im.path());
            long within = end + dev.ladle.persist.log.LogFormat.BLOCK;
            // which record each flip damages is read off the image before the flips
            Path scratch = im.path().resolveSibling(im.path().getFileName() + "-flipped");
            CrashImages.copy(im.path(), scratch);
            long[] at = CrashImages.flip(scratch, c.flips(), CrashImages.afterCheckpoint(im.path()), within, r);
            damaged = CrashImages.firstDamagedLsn(im.path(), at);
            Files.move(scratch, im.path(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            add(figures, "bit flips", c.flips());
            add(figures, "crash images with bit flips", 1);
        }
        KernelWorld back = target.fresh(driver.replay());
        Recovery.Result res;
        boolean cutInRecovery = false;
        try {
            if (c.recoveryCut() > 0 && c.flips() == 0) {
                int[] n = {0};
                ProtocolTrace crashing = (action, args) -> {
                    if (++n[0] == c.recoveryCut()) {
                        throw new CrashDuringRecovery();
                    }
                };
                try {
                    recover(im.path(), target.fresh(driver.replay()), crashing, driver.recovery(), im);
                } catch (CrashDuringRecovery e) {
                    cutInRecovery = true;
                    add(figures, "crashes during recovery, in its restore or replay", 1);
                }
            }
            res = recover(im.path(), back, ProtocolTrace.NONE, driver.recovery(), im);
        } catch (LogException | Recovery.RecoveryFailed e) {
            if (c.flips() == 0) {
                return "recovery of an undamaged crash image refused: " + e.getMessage();
            }
            add(figures, "crash images with bit flips refused with a typed error", 1);
            return null;
        }
        add(figures, "logged steps replayed", back.replayed());
        add(figures, "acknowledged operations checked", im.acked().size());
        String d = ref.compare(res, back, im, damaged);
        if (d != null || c.flips() > 0) {
            if (d == null) {
                add(figures, "crash images with bit flips recovered to a durable prefix", 1);
            }
            return d;
        }
        if (c.recoveryCut() == 0 || cutInRecovery) {
            return lazyDiffers(target, driver, ref, im, damaged, res, back, figures);
        }
        // the recovery completed: the recovered system resumes on the log (reopened, a new epoch's superblock, a
        // full checkpoint as the new base) and crashes at one of those writes; recovering what is on disk then must
        // give the state the first recovery gave
        KernelWorld.State recovered = back.capture(null);
        KernelWorld resumed = back;
        if (driver.recovery() == RecoveryVariant.RESUME_BEFORE_REPLAY) {
            resumed = target.fresh(KernelWorld.Replay.NONE);
            recover(im.path(), resumed, ProtocolTrace.NONE, RecoveryVariant.FAITHFUL, im);
        }
        CrashImages.copy(im.path(), resumeLog);
        Path cutImage = resumeLog.resolveSibling(resumeLog.getFileName() + "-crash");
        // the resume crashes as the image did: as it streams its base checkpoint (at its begin or an object written),
        // or at one of its few log writes (a flush, the seal), torn or not
        int event = c.recoveryCut() < 0 ? -c.recoveryCut() : c.recoveryCut() - recoverySteps(res);
        boolean atWrites = c.shape() != Shape.IN_CHECKPOINT;
        int at = event;
        int[] events = {0};
        long[] first = {-1};
        boolean[] torn = {false};
        boolean[] taken = {false};
        ProtocolTrace resumeTrace = (action, args) -> {
            synchronized (events) {
                if (action.equals("Flush") && first[0] < 0) {
                    first[0] = Long.parseLong(String.valueOf(args[0]));
                }
                boolean write = action.equals("Ack") || action.equals("Seal");
                if (!taken[0]
                        && (atWrites ? write : action.equals("WriteObject") || action.equals("BeginCheckpoint"))
                        && ++events[0] >= at) {
                    taken[0] = true;
                    CrashImages.copy(resumeLog, cutImage);
                    if (c.shape() == Shape.TORN_WRITE && action.equals("Ack")) {
                        torn[0] = CrashImages.tear(cutImage, first[0], Long.parseLong(String.valueOf(args[0])), c.cut())
                                > 0;
                    }
                }
                if (action.equals("Ack")) {
                    first[0] = -1;
                }
            }
        };
        try (Persistence p = Persistence.start(
                resumeLog,
                TransactionLog.Options.defaults().withFileSize(8L << 20),
                resumed,
                mode,
                Integer.MAX_VALUE,
                resumeTrace)) {
            p.awaitCheckpoint();
        }
        synchronized (events) {
            if (!taken[0]) { // past the resume's writes: the crash right after its base checkpoint's seal
                taken[0] = true;
                CrashImages.copy(resumeLog, cutImage);
            }
        }
        add(figures, "crashes during recovery, in the resume (the log reopened, its base checkpoint streamed)", 1);
        add(figures, "crashes during recovery, in the resume, at a torn log write", torn[0] ? 1 : 0);
        KernelWorld again = target.fresh(driver.replay());
        try (Recovery rec = Recovery.open(cutImage, again, ProtocolTrace.NONE)) {
            rec.run(false);
        } catch (LogException | Recovery.RecoveryFailed e) {
            return "recovery after a crash during the resume (at its event " + at + ") refused: " + e.getMessage();
        }
        String differs = back.difference(recovered, again.capture(null));
        return differs == null
                ? null
                : "after a crash during the resume (at its event " + at + (torn[0] ? ", torn" : "")
                        + "), the recovered kernel is not the one the first recovery gave: " + differs;
    }

    /** The steps a recovery reports: crash, checkpoint loaded, each object restored, replay start, each record, resume. */
    private static int recoverySteps(Recovery.Result res) {
        return 4 + res.objectsRestored() + (int) res.recordsReplayed();
    }

    private static void add(java.util.Map<String, Long> figures, String counter, long n) {
        figures.merge(counter, n, Long::sum);
    }

    /**
     * The reference run: the states the logged steps left, by LSN, and the snapshots, by their checkpoints' begin LSNs.
     */
    private static final class Reference {
        final Persistence.Mode mode;
        final java.util.TreeMap<Long, KernelWorld.State> afterStep = new java.util.TreeMap<>();
        final java.util.Map<Long, KernelWorld.State> snapshots = new java.util.concurrent.ConcurrentHashMap<>();

        Reference(Persistence.Mode mode) {
            this.mode = mode;
        }

        /**
         * Where the recovered world differs from the reference run (null: nowhere). Its state must be the reference's
         * at the LSN recovery resumed at (checkpoint mode: the recovered checkpoint's snapshot; the logged modes: the
         * state the last logged step at or before that LSN left, or the recovered checkpoint's snapshot when none is
         * after it), and that LSN must be the image's last durable one: in the logged modes no record the image holds
         * intact may be left out ({@link Image#durableFrom}, unless it lies at or after the first record {@code
         * damaged} by a flip: a recovery stops at the damage) and none past it taken ({@link Image#durableTo}); in
         * checkpoint mode the checkpoint recovered must be the last sealed in the image ({@link Image#sealed}, unless
         * the flips damaged its superblock or records). Every operation acknowledged when the image was taken and before
         * the damage must be at or before it.
         */
        String compare(Recovery.Result res, KernelWorld back, Image image, long damaged) throws Exception {
            java.util.TreeMap<Long, KernelWorld.State> reference = reference(res);
            if (reference == null) {
                return mode + ": the recovered checkpoint (LSN " + res.checkpointLsn() + ") is no snapshot of the run";
            }
            long upTo = upTo(res);
            var want = reference.floorEntry(upTo);
            String d = back.difference(want.getValue(), back.capture(null));
            if (d != null) {
                return mode + ": the recovered kernel is not the reference run's at LSN " + want.getKey()
                        + " (recovery " + "resumed at " + upTo + " after replaying " + res.recordsReplayed()
                        + " records): " + d;
            }
            return lsnsDiffer(res, image, damaged);
        }

        /**
         * The states a recovery that restored {@code res}'s checkpoint may resume in, by LSN: the logged steps' and
         * that checkpoint's snapshot (null: the checkpoint is no snapshot of the run). A snapshot is a state recovery
         * may resume in only for the checkpoint it recovered (an unsealed checkpoint's begin record makes nothing
         * durable).
         */
        private java.util.TreeMap<Long, KernelWorld.State> reference(Recovery.Result res) {
            KernelWorld.State snapshot = snapshots.get(res.checkpointLsn());
            if (snapshot == null) {
                return null;
            }
            java.util.TreeMap<Long, KernelWorld.State> reference = new java.util.TreeMap<>(afterStep);
            reference.put(res.checkpointLsn(), snapshot);
            return reference;
        }

        /** The LSN whose state recovery resumed in: the recovered checkpoint's (checkpoint mode) or the resume's. */
        private long upTo(Recovery.Result res) {
            return mode == Persistence.Mode.CHECKPOINT ? res.checkpointLsn() : res.resumedAt();
        }

        /**
         * The LSN half of {@link #compare}, which reads nothing of the recovered world (a lazily recovered one's frames
         * keep waiting): where {@code res} resumed is the image's last durable LSN, and no operation acknowledged when
         * the image was taken (before {@code damaged}) lies past it; null: so.
         */
        String lsnsDiffer(Recovery.Result res, Image image, long damaged) throws Exception {
            java.util.TreeMap<Long, KernelWorld.State> reference = reference(res);
            if (reference == null) {
                return mode + ": the recovered checkpoint (LSN " + res.checkpointLsn() + ") is no snapshot of the run";
            }
            long upTo = upTo(res);
            var want = reference.floorEntry(upTo);
            if (mode == Persistence.Mode.CHECKPOINT) {
                if (res.checkpointLsn() < image.sealed() && damaged > image.sealed()) {
                    return mode + ": recovery restored the checkpoint at LSN " + res.checkpointLsn() + ", not the last"
                            + " sealed in the image (LSN " + image.sealed() + ")";
                }
            } else {
                if (res.resumedAt() > image.durableTo()) {
                    return mode + ": recovery resumed at LSN " + res.resumedAt() + ", past the image's last durable"
                            + " LSN " + image.durableTo();
                }
                long durable = Math.min(image.durableFrom(), damaged - 1);
                Long need = reference.floorKey(durable);
                if (need != null && want.getKey() < need) {
                    return mode + ": recovery resumed at LSN " + res.resumedAt() + " in the state of LSN "
                            + want.getKey() + ", short of the image's last durable LSN " + durable
                            + " (the state of LSN " + need + ")";
                }
            }
            for (Persistence.Ack a : image.acked()) {
                long lsn = mode == Persistence.Mode.CHECKPOINT ? a.durable().get() : a.lsn();
                if (lsn > upTo && lsn < damaged) {
                    return mode + ": acknowledged LSN " + lsn + " is missing after recovery (resumed at " + upTo + ")";
                }
            }
            return null;
        }
    }

    /**
     * A crash image: its file, the operations acknowledged when it was taken, the window its last durable LSN lies
     * in ({@code durableFrom .. durableTo}: the durable LSN before the copy, or the one a force just reported when taken
     * as the forcer reports it, and the last LSN appended after it; exact for a torn write), the last checkpoint sealed in it ({@code sealed}: the
     * superblock was written before the seal was reported), whether a checkpoint was streaming (begun, not sealed),
     * the LSN of the record a torn write cut (0: none), whether its superblock was torn, and the image before the
     * tear (null: none).
     */
    record Image(
            Path path,
            List<Persistence.Ack> acked,
            long durableFrom,
            long durableTo,
            long sealed,
            boolean inCheckpoint,
            long torn,
            boolean tornSuperblock,
            Path untorn,
            boolean atEnd) {
        String describe() {
            return "durable LSN " + (durableFrom == durableTo ? durableFrom : durableFrom + ".." + durableTo)
                    + ", last sealed checkpoint " + sealed + (inCheckpoint ? ", inside a checkpoint" : "")
                    + (torn > 0 ? ", torn at LSN " + torn : "") + (tornSuperblock ? ", superblock torn" : "")
                    + (atEnd ? ", at the run's end" : "");
        }
    }

    /**
     * The crash images of a run: between steps, and at the log writes of {@link LogCrash}es, taken from the protocol
     * trace as the writes are reported (a flush by the forcer, after its force and before the new durable LSN is
     * published or anything acknowledged; a seal after its superblock is written; an object as the checkpointer writes
     * it). Only once the boot checkpoint is sealed ({@link #arm}): before it there is nothing to recover.
     */
    private static final class Images {
        private final Path dir;
        private final Path log;
        private final List<Persistence.Ack> acks;
        private final List<LogCrash> plan;
        final Image[] taken;
        private volatile TransactionLog armed;
        private int writes;
        private int objects;
        private long flushFrom = -1;
        private volatile long sealed;
        private int streaming;

        Images(Path dir, Path log, List<Persistence.Ack> acks, List<LogCrash> plan) {
            this.dir = dir;
            this.log = log;
            this.acks = acks;
            this.plan = plan;
            this.taken = new Image[plan.size()];
        }

        synchronized void arm(TransactionLog l) {
            armed = l;
        }

        synchronized void step(String action, Object[] args) {
            switch (action) {
                case "BeginCheckpoint" -> streaming++;
                case "Flush" -> {
                    if (flushFrom < 0) {
                        flushFrom = Long.parseLong(String.valueOf(args[0]));
                    }
                }
                default -> {}
            }
            if (armed != null) {
                boolean write = action.equals("Ack") || action.equals("Seal");
                boolean object = action.equals("WriteObject");
                if (write) {
                    writes++;
                }
                if (object) {
                    objects++;
                }
                for (int k = 0; k < plan.size(); k++) {
                    LogCrash c = plan.get(k);
                    if (taken[k] == null
                            && (c.shape() == Shape.IN_CHECKPOINT
                                    ? object && objects == 20 * c.at()
                                    : write && writes == c.at())) {
                        taken[k] = at(k, c, action, args);
                    }
                }
            }
            switch (action) {
                case "Ack" -> flushFrom = -1;
                case "Seal" -> {
                    streaming--;
                    sealed = Long.parseLong(String.valueOf(args[0]));
                }
                default -> {}
            }
        }

        /** The image of {@code c} at a log write (or an object written) reported now. */
        private Image at(int k, LogCrash c, String action, Object[] args) {
            Path path = dir.resolve("write-" + k);
            List<Persistence.Ack> acked = acknowledged();
            long from;
            long forced = -1;
            if (action.equals("Ack")) {
                // the forcer reports its force: every record up to it is durable; the flusher may have written more
                // since (not yet forced: a crash may keep any of it)
                from = forced = Long.parseLong(String.valueOf(args[0]));
            } else {
                from = armed.durableLsn();
            }
            CrashImages.copy(log, path);
            long to = armed.nextLsn() - 1;
            long torn = 0;
            boolean tornSuperblock = false;
            Path untorn = null;
            long sealedIn = sealed;
            if (c.shape() == Shape.TORN_WRITE && action.equals("Ack") && flushFrom > 0) {
                untorn = dir.resolve("write-" + k + "-untorn");
                CrashImages.copy(path, untorn);
                torn = CrashImages.tear(path, flushFrom, forced, c.cut());
                if (torn > 0) {
                    from = to = torn - 1;
                }
            } else if (c.shape() == Shape.TORN_WRITE && action.equals("Seal")) {
                // the superblock this seal wrote, torn: recovery falls back to the other, the checkpoint before
                untorn = dir.resolve("write-" + k + "-untorn");
                CrashImages.copy(path, untorn);
                CrashImages.tearSuperblock(path, c.cut());
                tornSuperblock = true;
                sealedIn = 0; // no lower bound: the checkpoint the other superblock names
            } else if (action.equals("Seal")) {
                sealedIn = Long.parseLong(String.valueOf(args[0]));
            }
            // a seal is reported after its superblock is written: the checkpoint is no longer streaming
            boolean inCheckpoint = streaming - (action.equals("Seal") ? 1 : 0) > 0;
            return new Image(path, acked, from, to, sealedIn, inCheckpoint, torn, tornSuperblock, untorn, false);
        }

        /** An image between steps (the caller holds the world's lock). */
        synchronized Image betweenSteps(Path path) {
            List<Persistence.Ack> acked = acknowledged();
            long from = armed.durableLsn();
            CrashImages.copy(log, path);
            return new Image(path, acked, from, armed.nextLsn() - 1, sealed, streaming > 0, 0, false, null, false);
        }

        /** The images of log writes the run did not reach, taken at its end (the log durable, nothing streaming). */
        synchronized void atEnd() {
            for (int k = 0; k < plan.size(); k++) {
                if (taken[k] == null) {
                    Image i = betweenSteps(dir.resolve("write-" + k));
                    taken[k] = new Image(
                            i.path(),
                            i.acked(),
                            i.durableFrom(),
                            i.durableTo(),
                            i.sealed(),
                            false,
                            0,
                            false,
                            null,
                            true);
                }
            }
        }

        private List<Persistence.Ack> acknowledged() {
            List<Persistence.Ack> out = new ArrayList<>();
            for (Persistence.Ack a : acks) {
                if (a.durable().isDone() && !a.durable().isCompletedExceptionally()) {
                    out.add(a);
                }
            }
            return out;
        }

        /** Counts {@code image} by its shape. */
        void tally(LogCrash c, Image image, java.util.Map<String, Long> figures) {
            add(figures, "crash images at log writes", 1);
            add(
                    figures,
                    switch (c.shape()) {
                        case AFTER_WRITE -> "crash images right after a log write";
                        case TORN_WRITE -> "crash images at a log write torn";
                        case IN_CHECKPOINT -> "crash images as a checkpoint object is written";
                    },
                    1);
            add(figures, "crash images at log writes, past the run's writes (at its end)", image.atEnd() ? 1 : 0);
            add(figures, "crash images inside a checkpoint (begun, not sealed)", image.inCheckpoint() ? 1 : 0);
            add(figures, "torn crash images (a flush's write cut at a random byte)", image.torn() > 0 ? 1 : 0);
            add(figures, "torn crash images (a seal's superblock cut)", image.tornSuperblock() ? 1 : 0);
        }
    }
}
