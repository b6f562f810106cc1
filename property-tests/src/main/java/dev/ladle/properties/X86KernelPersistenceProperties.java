package dev.ladle.properties;

import dev.ladle.kernel.Abi;
import dev.ladle.kernel.hw.Reg;
import dev.ladle.persist.Persistence;
import dev.ladle.persist.mem.CheckpointerPages;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Property 1 (recovery equals a durable prefix) on the IA-32 target, with the memory written by real code: the
 * islands' kernel on Unicorn ({@link X86Threads}) whose every process runs generated IA-32 machine code (stores into its
 * heap, its stack and the pages items land in, read-modify-writes, loads, pushes and pops, register arithmetic, system
 * calls by {@code int 0x30}), preempted by the kernel's instruction-count scheduler, made persistent in the checkpoint,
 * oplog and hybrid modes and crashed as {@link KernelPersistenceTraceProperties} crashes the in-memory attack (its
 * {@code run}: the same online validation against Persistence.tla, the same crash images between steps, at log writes,
 * torn, inside checkpoints, during recovery and with bit flips, each recovered into a freshly booted x86 kernel). The
 * recovered kernel must equal the reference run at the image's last durable LSN: KernelImpl's and Kernel.tla's words,
 * every thread's scheduling state and registers (EAX to EBP, ESP, EIP, EFLAGS, as the real CPU left them), and every
 * frame of the kernel byte for byte (what the code stored, logged as page deltas before each step's record); nothing
 * acknowledged may be missing.
 */
@AddLifecycleHook(Budget.class)
public class X86KernelPersistenceProperties {
    @Property(tries = 60, edgeCases = EdgeCasesMode.NONE)
    @Budget.LongTries(value = 1_600, counter = "crash images recovered", atLeast = 10_000)
    void recoveryOfRealX86CodeEqualsADurablePrefix(
            @ForAll("systems") Workload system,
            @ForAll Persistence.Mode mode,
            @ForAll @IntRange(min = 2, max = 25) int checkpointEvery,
            @ForAll @IntRange(min = 0, max = 12) int requestEvery,
            @ForAll @IntRange(min = -80, max = 80) int crashAt,
            @ForAll @Size(max = 8) List<@IntRange(min = 1, max = 80) Integer> moreCrashes,
            @ForAll("logCrashes") List<KernelPersistenceTraceProperties.LogCrash> logCrashes,
            @ForAll boolean durableImage)
            throws Exception {
        try (X86Threads t = system.boot()) {
            KernelPersistenceTraceProperties.Run r = KernelPersistenceTraceProperties.run(
                    t,
                    mode,
                    checkpointEvery,
                    requestEvery,
                    Math.max(0, crashAt),
                    moreCrashes,
                    logCrashes,
                    KernelPersistenceTraceProperties.Driver.DEFAULT.durableImage(durableImage));
            if (r.divergence() != null) {
                throw new AssertionError("persist of the x86 kernel left Persistence.tla at " + r.divergence());
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
            Tally.count("kernel steps", r.steps());
            Tally.count("instructions run by Unicorn", t.instructions());
            Tally.count("slices preempted at the quantum's end", t.preempted);
            Tally.count("slices ended by int 0x30", t.traps);
            Tally.count("slices ended by a page fault", t.faults);
            Tally.count("slices ended otherwise (a bad instruction, hlt)", t.otherStops);
            Tally.count("frames written between two records, logged as page deltas", t.framesWritten);
            Tally.count("slices whose code wrote a page an item landed in", t.storesToLandedPages);
            Tally.count("threads and processes created or deleted", r.lifecycle());
            Tally.count("checkpoints sealed", r.sealed());
            Tally.count("runs in " + mode.name().toLowerCase() + " mode", 1);
        }
    }

    /** A system of generated programs, one per process, its quantum and its number of scheduler steps. */
    record Workload(List<X86Threads.Program> programs, int quantum, int steps) {
        X86Threads boot() {
            return new X86Threads(programs, quantum, steps);
        }
    }

    @Provide
    Arbitrary<List<KernelPersistenceTraceProperties.LogCrash>> logCrashes() {
        return KernelPersistenceTraceProperties.logCrashPlans();
    }

    @Provide
    Arbitrary<Workload> systems() {
        Arbitrary<X86Threads.Program> program =
                instructions().list().ofMinSize(1).ofMaxSize(12).map(X86Threads.Program::new);
        return Combinators.combine(
                        program.list().ofSize(Islands.THREADS.length),
                        Arbitraries.integers().between(1, 16),
                        Arbitraries.integers().between(20, 80))
                .as(Workload::new);
    }

    /**
     * Pages of the window a store reaches: mostly the heap (2, 3), then the stack (6) and the pages where items land
     * (4, 5: mapped, granted or copied there), rarely the read-only code page (1).
     */
    private static Arbitrary<Integer> pages() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.integers().between(2, 3)),
                Tuple.of(3, Arbitraries.integers().between(4, 6)),
                Tuple.of(1, Arbitraries.just(1)));
    }

    private static Arbitrary<Integer> offsets() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(0, 63)),
                Tuple.of(1, Arbitraries.integers().between(0, 4092)));
    }

    private static Arbitrary<X86Threads.Insn> instructions() {
        Arbitrary<Integer> value = Arbitraries.integers();
        Arbitrary<Integer> small = Arbitraries.integers().between(-128, 127);
        Arbitrary<Reg> reg = Arbitraries.of(Reg.EAX, Reg.EBX, Reg.ECX, Reg.EDX, Reg.ESI, Reg.EDI, Reg.EBP);
        return Arbitraries.frequencyOf(
                Tuple.of(
                        6,
                        Combinators.combine(Arbitraries.of(true, false), pages(), offsets(), value)
                                .as(X86Threads.Store::new)),
                Tuple.of(2, Combinators.combine(pages(), offsets(), small).as(X86Threads.AddTo::new)),
                Tuple.of(1, Combinators.combine(pages(), offsets()).as(X86Threads.Load::new)),
                Tuple.of(2, Combinators.combine(reg, value).as(X86Threads.AddReg::new)),
                Tuple.of(1, value.map(X86Threads.Push::new)),
                Tuple.of(1, reg.map(X86Threads.Pop::new)),
                Tuple.of(
                        3,
                        Combinators.combine(KernelPersistenceTraceProperties.heldCalls(), Arbitraries.of(true, false))
                                .as(X86Threads.Call::new)));
    }

    /**
     * Every process stores words and bytes into its heap and adds to it, pushes onto its stack, changes registers and
     * yields or sends along local id 1: real writes between records, registers only the CPU sets (EFLAGS).
     */
    static Workload writers(int quantum, int steps) {
        List<X86Threads.Program> programs = new ArrayList<>();
        for (int p = 0; p < Islands.THREADS.length; p++) {
            programs.add(new X86Threads.Program(List.of(
                    new X86Threads.Store(true, 2, 4 * p, 0x11223344 * (p + 1)),
                    new X86Threads.AddTo(3, 8 * p, 3),
                    new X86Threads.AddReg(Reg.EDI, 0x7fffffff),
                    new X86Threads.Push(p),
                    new X86Threads.Store(false, 3, 100 + p, p),
                    new X86Threads.Call(
                            p % 2 == 0
                                    ? new Syscall(Abi.OP_YIELD, 0, new int[6])
                                    : new Syscall(Abi.OP_SEND, 1, new int[] {p, 0, 0, 0, 0, 0}),
                            false))));
        }
        return new Workload(programs, quantum, steps);
    }

    /**
     * Runs {@code system} in {@code mode} with a checkpoint every four steps, crashed after its last step once everything
     * logged is durable, recovered as {@code replay} says.
     */
    private static KernelPersistenceTraceProperties.Run crashedAtTheEnd(
            Workload system, Persistence.Mode mode, KernelWorld.Replay replay, X86Threads[] ran) throws Exception {
        return crashedAtTheEnd(system, mode, replay, ran, false);
    }

    /**
     * As {@link #crashedAtTheEnd(Workload, Persistence.Mode, KernelWorld.Replay, X86Threads[])}; with
     * {@code awaitCheckpoints}, each step waits for the checkpoint streaming, so that the periodic checkpoints due are
     * sealed within the run however fast its steps are beside the log's forces.
     */
    private static KernelPersistenceTraceProperties.Run crashedAtTheEnd(
            Workload system,
            Persistence.Mode mode,
            KernelWorld.Replay replay,
            X86Threads[] ran,
            boolean awaitCheckpoints)
            throws Exception {
        try (X86Threads t = system.boot()) {
            KernelPersistenceTraceProperties.Run r = KernelPersistenceTraceProperties.run(
                    t,
                    mode,
                    4,
                    0,
                    system.steps(),
                    List.of(),
                    List.of(),
                    new KernelPersistenceTraceProperties.Driver(true, true, awaitCheckpoints, replay));
            ran[0] = t;
            return r;
        }
    }

    /**
     * The frame comparison bites on what real code wrote: a recovery that loses the last page delta it replays (the
     * frame keeps the bytes it had before the code's last store there) is caught, in the oplog and hybrid modes; the
     * faithful recovery of the same run passes, after runs preempted mid-loop.
     */
    @Example
    void aRecoveryLosingAFramesLastWriteIsCaught() throws Exception {
        for (Persistence.Mode mode : List.of(Persistence.Mode.OPLOG, Persistence.Mode.HYBRID)) {
            Workload w = writers(4, 42); // two steps after the last checkpoint
            X86Threads[] ran = {null};
            KernelPersistenceTraceProperties.Run faithful = crashedAtTheEnd(w, mode, KernelWorld.Replay.FAITHFUL, ran);
            if (faithful.divergence() != null
                    || faithful.recoveredDiffers() != null
                    || faithful.replayed() == 0
                    || ran[0].preempted == 0) {
                throw new AssertionError(mode + ", the faithful recovery: " + faithful.divergence() + ", "
                        + faithful.recoveredDiffers() + ", " + faithful.replayed() + " steps replayed, "
                        + ran[0].preempted + " slices preempted");
            }
            KernelPersistenceTraceProperties.Run r =
                    crashedAtTheEnd(w, mode, KernelWorld.Replay.LOSE_LAST_PAGE_WRITE, ran);
            if (r.replayed() == 0) {
                throw new AssertionError(mode + ": the broken run replayed no step");
            }
            if (r.recoveredDiffers() == null || !r.recoveredDiffers().matches("(?s).*frame \\d+ byte 0x.*")) {
                throw new AssertionError(mode + ", a lost page write went unnoticed: " + r.recoveredDiffers());
            }
        }
    }

    /**
     * The register comparison bites: a recovery that restores every live thread's EFLAGS with its carry flag flipped
     * (checkpoint mode: nothing replayed sets them again) is caught naming the register. The run recovers from a
     * periodic checkpoint, not the boot one: each step waits for the checkpoint streaming, so those due (one every four
     * steps) are sealed within the 30 steps. (Without the wait, the run's last 26 steps took less time than one seal's
     * two forces on a loaded machine, and no periodic checkpoint was sealed before the crash image.)
     */
    @Example
    void aRecoveryRestoringARegisterWrongIsCaught() throws Exception {
        Workload w = writers(3, 30);
        X86Threads[] ran = {null};
        KernelPersistenceTraceProperties.Run faithful =
                crashedAtTheEnd(w, Persistence.Mode.CHECKPOINT, KernelWorld.Replay.FAITHFUL, ran, true);
        if (faithful.divergence() != null
                || faithful.recoveredDiffers() != null
                || faithful.steps() < 30
                || faithful.sealed() < 2) {
            throw new AssertionError("the faithful recovery: " + faithful.divergence() + ", "
                    + faithful.recoveredDiffers() + ", " + faithful.steps() + " steps, " + faithful.sealed()
                    + " checkpoints sealed");
        }
        KernelPersistenceTraceProperties.Run r =
                crashedAtTheEnd(w, Persistence.Mode.CHECKPOINT, KernelWorld.Replay.WRONG_EFLAGS, ran, true);
        if (r.recoveredDiffers() == null || !r.recoveredDiffers().contains("'s EFLAGS (")) {
            throw new AssertionError("a register restored wrong went unnoticed: " + r.recoveredDiffers());
        }
    }

    /**
     * The checkpointer's ledger bites on the IA-32 target: a checkpointer that hands a frame to the log without having
     * the kernel map it into its address space is caught, naming the frame, who maps it, the call and the kernel step.
     */
    @Example
    void aFrameHandedToTheLogWithoutBeingMappedIsCaught() throws Exception {
        brokenCheckpointerIsCaught(
                CheckpointerPages.Handling.SKIP_FIRST_MAP,
                "was handed to the log without being mapped into the checkpointer, though process");
    }

    /** The ledger bites on the IA-32 target: a page given back as soon as it is mapped, before the log wrote it. */
    @Example
    void aPageGivenBackBeforeTheLogWroteItsFrameIsCaught() throws Exception {
        brokenCheckpointerIsCaught(
                CheckpointerPages.Handling.GIVE_BACK_UNWRITTEN, "was given back before the log wrote the frame");
    }

    /**
     * The writers' system, a checkpoint every two steps: as it is, its frames are mapped into the checkpointer and the
     * run passes; with {@code broken} it fails with {@code message}.
     */
    private static void brokenCheckpointerIsCaught(CheckpointerPages.Handling broken, String message) throws Exception {
        Workload w = writers(4, 24);
        try (X86Threads t = w.boot()) {
            KernelPersistenceTraceProperties.Run r = KernelPersistenceTraceProperties.run(
                    t,
                    Persistence.Mode.CHECKPOINT,
                    2,
                    0,
                    w.steps(),
                    List.of(),
                    List.of(),
                    KernelPersistenceTraceProperties.Driver.DEFAULT);
            if (r.divergence() != null || r.recoveredDiffers() != null) {
                throw new AssertionError("the unaltered run: " + r.divergence() + ", " + r.recoveredDiffers());
            }
            if (r.figures().getOrDefault("frames mapped into the checkpointer (MapSnapshot)", 0L) == 0) {
                throw new AssertionError("no frame was mapped: " + r.figures());
            }
        }
        try (X86Threads t = w.boot()) {
            t.pages().handling(broken);
            try {
                KernelPersistenceTraceProperties.run(
                        t,
                        Persistence.Mode.CHECKPOINT,
                        2,
                        0,
                        w.steps(),
                        List.of(),
                        List.of(),
                        KernelPersistenceTraceProperties.Driver.DEFAULT);
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
}
