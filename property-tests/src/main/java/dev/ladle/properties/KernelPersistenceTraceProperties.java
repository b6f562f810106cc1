package dev.ladle.properties;

import dev.ladle.kernel.gen.persistence.Kinds;
import dev.ladle.persist.Operation;
import dev.ladle.persist.Persistence;
import dev.ladle.persist.log.TransactionLog;
import dev.ladle.persist.mem.InMemoryPhysicalMemory;
import dev.ladle.persist.model.KernelObject;
import dev.ladle.persist.model.ObjectRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Property 3 for the persistence protocol on the real kernel: the islands' kernel under attack ({@link Attack}, random
 * and forged system calls, thread and process creation and deletion among them) made persistent in checkpoint mode
 * through {@link KernelWorld} (its objects as Persistence.tla's kinds, with the dependencies the kernel's state gives
 * them), with {@link PersistenceShadow} stepped online beside it as for the in-memory world ({@link
 * PersistenceTraceProperties}). Each scheduler step is one operation, recorded before the step and taken in effect
 * after it, under the world's lock, so the snapshots persist takes every few operations, and those asked for from
 * another thread, fall between steps; the objects the kernel creates and deletes (messages, capability entries,
 * threads and processes, and everything a changed dependency renews) are read off its state. Every operation,
 * checkpoint begin, object written, seal and acknowledgement must be a step the spec enables.
 */
@AddLifecycleHook(Budget.class)
public class KernelPersistenceTraceProperties {
    @Property(tries = 10, edgeCases = net.jqwik.api.EdgeCasesMode.NONE)
    void everyPersistStepOfTheKernelIsAStepOfPersistenceTla(
            @ForAll("attacks") List<Syscall> calls,
            @ForAll @IntRange(min = 2, max = 25) int checkpointEvery,
            @ForAll @IntRange(min = 0, max = 12) int requestEvery,
            @ForAll @IntRange(min = -80, max = 80) int crashAt)
            throws Exception {
        Run r = run(calls, checkpointEvery, requestEvery, Math.max(0, crashAt));
        if (r.divergence() != null) {
            throw new AssertionError("persist of the kernel left Persistence.tla at " + r.divergence());
        }
        Tally.count("crash images recovered", crashAt > 0 ? 1 : 0);
        Tally.count("recovery steps", n(r)[3]);
        int[] n = r.shadow().counts();
        Tally.count("kernel steps", r.steps());
        Tally.count("protocol steps reported", n[0]);
        Tally.count("spec steps taken", n[1]);
        Tally.count("spec objects created after boot", n[2]);
        Tally.count("threads and processes created or deleted", r.lifecycle());
        Tally.count("checkpoints sealed", r.sealed());
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
        Run r = run(calls, 4, 0, 0);
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
        PersistenceShadow again = shadow(r.boot(), calls.size(), List::of);
        again.replay(trace);
        PersistenceShadow.Divergence d = again.finish();
        if (d == null || !d.action().equals("WriteObject") || !d.why().contains("DepsWritten")) {
            throw new AssertionError("expected WriteObject refused (DepsWritten), got " + d);
        }
    }

    /**
     * Attacks whose calls mostly name a held local id (1 or 2), so that many succeed and the kernel's objects change
     * (messages queued and received, capability entries and pages moved, threads and processes made and deleted).
     */
    /** The log as it is now, as a crash would leave it; the run's later steps are not the crashed system's. */
    private static void crashImage(PersistenceShadow shadow, Path log, Path image) {
        shadow.crashImageTaken();
        try {
            Files.copy(log, image, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
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
        Run r = run(calls, 4, 0, Integer.MAX_VALUE);
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
        PersistenceShadow again = shadow(r.boot(), calls.size(), List::of);
        again.replay(trace);
        PersistenceShadow.Divergence d = again.finish();
        if (d == null || !d.action().equals("RestoreObject") || !d.why().contains("DepsRestored")) {
            throw new AssertionError("expected RestoreObject refused (DepsRestored), got " + d);
        }
    }

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

    /** A validated run: the shadow, its first divergence (null: none), the boot objects, steps and seals. */
    record Run(
            PersistenceShadow shadow,
            PersistenceShadow.Divergence divergence,
            List<KernelObject> boot,
            long steps,
            long sealed,
            long lifecycle) {}

    private static int[] n(Run r) {
        return r.shadow().counts();
    }

    /** Room for the spec objects of a run: a step can renew every object depending on one it changes. */
    private static PersistenceShadow shadow(
            List<KernelObject> boot, int calls, java.util.function.Supplier<List<KernelObject>> world) {
        return new PersistenceShadow(
                boot, boot.size() + 40 * calls + 16, PersistenceTraceProperties.MAX_LSN, false, world);
    }

    /**
     * The attack {@code calls} on the islands' kernel under persistence in checkpoint mode, a checkpoint every
     * {@code checkpointEvery} operations and, when {@code requestEvery} is positive, one asked for from the test's
     * thread every {@code requestEvery} steps as well (begun on the checkpointer's thread); at the end one more, which
     * acknowledges every operation. With {@code crashAt > 0} the log is copied as a crash image after step
     * {@code crashAt} (at the run's end when there are fewer), under the world's lock, and the image is recovered into
     * a freshly booted kernel with the shadow going on through the crash and the recovery, which must resume in a
     * world holding exactly the spec's objects.
     */
    static Run run(List<Syscall> calls, int checkpointEvery, int requestEvery, int crashAt) throws Exception {
        Path dir = Files.createTempDirectory("ladle-kernel-persist-trace");
        try {
            Attack a = new Attack(calls, false);
            KernelWorld w = new KernelWorld(
                    a.kernel(), (InMemoryPhysicalMemory) a.platform().memory());
            List<KernelObject> boot = w.objects(w.copyState());
            PersistenceShadow shadow = shadow(boot, calls.size(), () -> w.objects(w.copyState()));
            List<CompletableFuture<Long>> acks = new ArrayList<>();
            long[] steps = {0};
            Path log = dir.resolve("log");
            Path image = dir.resolve("crash");
            boolean[] taken = {false};
            try (Persistence p = Persistence.start(
                    log,
                    TransactionLog.Options.defaults().withFileSize(8L << 20),
                    w,
                    Persistence.Mode.CHECKPOINT,
                    checkpointEvery,
                    shadow)) {
                a.aroundStep = step -> {
                    try {
                        p.admit();
                        synchronized (w.lock()) {
                            // the step's operation, before it: an update of thread object 0, an object at every
                            // point; what the step creates and deletes is read off the kernel's state after it
                            acks.add(p.operation(new Operation(
                                            1,
                                            Operation.Effect.UPDATE,
                                            new ObjectRef(Kinds.THREAD, 0),
                                            0,
                                            new int[0],
                                            0,
                                            new int[0]))
                                    .durable());
                            step.run();
                            shadow.applied();
                            if (++steps[0] == crashAt) {
                                crashImage(shadow, log, image);
                                taken[0] = true;
                            }
                        }
                        if (requestEvery > 0 && steps[0] % requestEvery == 0) {
                            p.requestCheckpoint();
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                };
                a.run();
                p.awaitCheckpoint();
                p.requestCheckpoint();
                p.awaitCheckpoint();
                for (CompletableFuture<Long> f : acks) {
                    f.get(60, TimeUnit.SECONDS);
                }
                if (crashAt > 0 && !taken[0]) {
                    synchronized (w.lock()) {
                        crashImage(shadow, log, image);
                    }
                }
            }
            long seals = shadow.seen().stream()
                            .filter(s -> s.action().equals("Seal"))
                            .count()
                    - 1;
            if (crashAt <= 0) {
                return new Run(shadow, shadow.finish(), boot, a.steps, seals, a.lifecycle);
            }
            shadow.recovering();
            AdversaryPlatform fresh = new AdversaryPlatform(64);
            KernelWorld back =
                    new KernelWorld(Islands.boot(fresh, false, Islands.BOOT), (InMemoryPhysicalMemory) fresh.memory());
            try (dev.ladle.persist.Recovery rec = dev.ladle.persist.Recovery.open(image, back, shadow)) {
                rec.run(false);
            }
            return new Run(
                    shadow,
                    shadow.finishRecovery(back.objects(back.restoredFrom())),
                    boot,
                    a.steps,
                    seals,
                    a.lifecycle);
        } finally {
            RecoveryProperties.deleteAll(dir);
        }
    }
}
