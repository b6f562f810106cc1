package dev.ladle.properties;

import dev.ladle.kernel.Kernel;
import dev.ladle.kernel.gen.persistence.Kinds;
import dev.ladle.persist.Operation;
import dev.ladle.persist.Persistence;
import dev.ladle.persist.ProtocolTrace;
import dev.ladle.persist.Recovery;
import dev.ladle.persist.log.TransactionLog;
import dev.ladle.persist.mem.InMemoryPhysicalMemory;
import dev.ladle.persist.model.KernelObject;
import dev.ladle.persist.model.KindDeps;
import dev.ladle.persist.model.ObjectRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Property 2, recovery against the spec: the islands' kernel runs an adversarial workload under persistence
 * (checkpoint mode, {@link KernelWorld}: the kernel's objects as Persistence.tla's kinds), a crash image of the log
 * is taken at a random step, and the image is recovered into a freshly booted kernel. The recovered state must
 * satisfy every invariant of the specs, evaluated by the generated checkers (KernelImpl's on the kernel, Kernel.tla's
 * on the recovered abstract state) and, for a sample, by TLC on the same state, every invariant of Kernel.tla
 * included ({@link TlcStates}); and the order recovery restored the objects in must respect the dependency relation
 * of Persistence.tla: every object after what it depends on, every edge of the graph in {@code KindDeps}.
 */
@AddLifecycleHook(Budget.class)
public class RecoverySpecProperties {
    /** One recovery in this many is also evaluated by TLC (in batches of one, for a failure to name its state). */
    static final int TLC_SAMPLE = 6;

    private static int tries;

    @Property(tries = 12)
    void theRecoveredKernelSatisfiesTheSpecsAndWasRestoredInDependencyOrder(
            @ForAll("runs") List<Syscall> calls,
            @ForAll @IntRange(min = 0, max = 1000) int where,
            @ForAll @IntRange(min = 2, max = 12) int checkpointEvery)
            throws Exception {
        Recovered r = crashAndRecover(calls, where, checkpointEvery);
        List<String> failing = r.world().checkInvariants();
        if (!failing.isEmpty()) {
            throw new AssertionError("the recovered state breaks " + failing);
        }
        String order = orderProblem(r.graph(), r.world().restoreOrder());
        if (order != null) {
            throw new AssertionError("restore order: " + order);
        }
        Tally.count("crash points", 1);
        Tally.count(
                "objects restored in dependency order", r.world().restoreOrder().size());
        Tally.count("invariants checked by the generated checkers", r.checkers());
        if (tries++ % (TLC_SAMPLE * Math.max(1, Budget.scale() / 5)) == 0) {
            TlcStates.Outcome o = tlc(List.of(r));
            if (o.failure() != null) {
                throw new AssertionError("TLC on the recovered state: " + o.failure());
            }
            TlcStates.Outcome impl = tlcImpl(r);
            if (impl.failure() != null) {
                throw new AssertionError("TLC on the recovered KernelImpl state: " + impl.failure());
            }
            Tally.count("recovered states checked by TLC", o.states());
            Tally.count("invariants evaluated by TLC", (long) o.states() * o.invariants() + impl.invariants());
        }
    }

    /** The order check bites: a thread restored before its address space is caught, by Java and by TLC. */
    @Example
    void aThreadRestoredBeforeItsAddressSpaceIsCaught() throws Exception {
        Recovered r = crashAndRecover(sends(), 500, 3);
        List<ObjectRef> order = new ArrayList<>(r.world().restoreOrder());
        ObjectRef thread = new ObjectRef(Kinds.THREAD, 0);
        ObjectRef space = new ObjectRef(Kinds.ADDRESSSPACE, 0); // thread 0's process is process 0 (Islands)
        ObjectRef table = new ObjectRef(Kinds.CAPTABLE, 0);
        KernelObject t0 = r.graph().stream()
                .filter(o -> o.ref().equals(thread))
                .findFirst()
                .orElseThrow();
        if (!t0.deps().contains(space)) {
            throw new AssertionError("thread#0 does not depend on addressSpace#0 in the recovered graph: " + t0.deps());
        }
        // thread 0 just before its address space, its capability table (its other dependency) kept before it
        order.remove(thread);
        if (order.indexOf(table) > order.indexOf(space)) {
            order.remove(table);
            order.add(order.indexOf(space), table);
        }
        order.add(order.indexOf(space), thread);
        String java = orderProblem(r.graph(), order);
        if (java == null || !java.contains("thread#0") || !java.contains("addressSpace#0")) {
            throw new AssertionError("Java's order check missed a thread restored before its address space: " + java);
        }
        Recovered broken = new Recovered(r.world(), r.graph(), order, r.checkers());
        TlcStates.Outcome o = tlc(List.of(broken));
        if (o.failure() == null || !o.failure().contains("Tr1OrderRespectsDeps")) {
            throw new AssertionError("TLC missed a thread restored before its address space: " + o.failure());
        }
    }

    /**
     * TLC's check bites: a recovered abstract state in which a confined thread holds a capability to a thread of
     * another island breaks AuthorityConnected (which has no generated checker) and Confinement.
     */
    @Example
    void aCapabilityAcrossIslandsIsCaughtByTlc() throws Exception {
        Recovered r = crashAndRecover(sends(), 500, 3);
        SpecText spec = specText(r);
        Map<String, String> state =
                new java.util.LinkedHashMap<>(spec.state(r.world().recoveredSpecState()));
        // c0 (thread 5, confined) gets a send capability to a0 (of a0's current generation, as the recovered state
        // has it) in its free local id 4: a well-typed state whose only fault is the authority it gives
        String cspace = state.get("cspace");
        state.put(
                "cspace",
                "[" + cspace + " EXCEPT ![5][4] = [obj |-> 0, rights |-> {\"send\"}, gen |-> (" + state.get("gen")
                        + ")[0]]]");
        TlcStates.Outcome o = check(spec, r, List.of(new TlcStates.Sample(state, r.graph(), r.order())));
        if (o.failure() == null
                || !(o.failure().contains("violates AuthorityConnected")
                        || o.failure().contains("violates Confinement"))) {
            throw new AssertionError(
                    "TLC missed a confined thread holding a capability out of its group: " + o.failure());
        }
    }

    /** The generated checkers bite: a recovered state whose in-flight count is negative breaks IpcTypeOK. */
    @Example
    void aBrokenRecoveredStateIsCaughtByTheGeneratedCheckers() throws Exception {
        Recovered r = crashAndRecover(sends(), 1000, 3);
        if (!r.world().checkInvariants().isEmpty()) {
            throw new AssertionError("the recovered state breaks " + r.world().checkInvariants());
        }
        SpecText spec = specText(r);
        int[] words = r.world().recoveredSpecState().clone();
        words[spec.layout.offset("hInFlight")] = -1; // hInFlight[first thread][first thread]
        r.world().recoveredSpec(words);
        List<String> failing = r.world().checkInvariants();
        if (!failing.contains("Kernel!IpcTypeOK")) {
            throw new AssertionError("the generated checkers missed a negative in-flight count: " + failing);
        }
    }

    private static List<Syscall> sends() {
        List<Syscall> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(new Syscall(dev.ladle.kernel.Abi.OP_SEND, 1, new int[] {i, 0, 0, 0, 0, 0}));
        }
        return calls;
    }

    /** A recovery: the world recovered into, the object graph of the checkpoint, the order restored. */
    record Recovered(KernelWorld world, List<KernelObject> graph, List<ObjectRef> order, long checkers) {}

    static Recovered crashAndRecover(List<Syscall> calls, int where, int checkpointEvery) throws Exception {
        Path dir = Files.createTempDirectory("ladle-recovery-spec");
        try {
            Path log = dir.resolve("log");
            Path image = dir.resolve("crash");
            Attack a = new Attack(calls, true);
            KernelWorld w = new KernelWorld(
                    a.kernel(), (InMemoryPhysicalMemory) a.platform().memory());
            int at = Math.max(1, where * calls.size() / 1000);
            boolean[] taken = {false};
            int[] n = {0};
            try (Persistence p = Persistence.start(
                    log,
                    TransactionLog.Options.defaults().withFileSize(4L << 20),
                    w,
                    Persistence.Mode.CHECKPOINT,
                    checkpointEvery,
                    ProtocolTrace.NONE)) {
                a.afterStep = () -> {
                    try {
                        p.admit();
                        synchronized (w.lock()) {
                            p.operation(new Operation(
                                    1,
                                    Operation.Effect.UPDATE,
                                    new ObjectRef(Kinds.THREAD, 0),
                                    0,
                                    new int[0],
                                    0,
                                    new int[0]));
                            if (++n[0] == at) {
                                Files.copy(log, image, StandardCopyOption.REPLACE_EXISTING);
                                taken[0] = true;
                            }
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                };
                a.run();
                p.awaitCheckpoint();
                if (!taken[0]) {
                    Files.copy(log, image, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            AdversaryPlatform fresh = new AdversaryPlatform(64);
            Kernel k = Islands.boot(fresh, false, Islands.BOOT);
            KernelWorld back = new KernelWorld(k, (InMemoryPhysicalMemory) fresh.memory());
            try (Recovery rec = Recovery.open(image, back, ProtocolTrace.NONE)) {
                rec.run(false);
            } catch (Recovery.RecoveryFailed e) {
                throw new AssertionError("recovery refused: " + e.getMessage(), e);
            }
            long checkers = dev.ladle.kernel.gen.kernel.KernelCheckedMachine.INVARIANTS.length
                    + 1
                    + dev.ladle.kernel.gen.kernelimpl.KernelImplMachine.INVARIANTS.length
                    + 1;
            return new Recovered(back, back.objects(back.restoredFrom()), back.restoreOrder(), checkers);
        } finally {
            RecoveryProperties.deleteAll(dir);
        }
    }

    /**
     * Null when {@code order} restores every object of {@code graph} once, each after everything it depends on, and
     * every dependency is an edge Persistence.tla's {@code KindDeps} allows; else what is wrong.
     */
    static String orderProblem(List<KernelObject> graph, List<ObjectRef> order) {
        Map<ObjectRef, KernelObject> byRef = new HashMap<>();
        graph.forEach(o -> byRef.put(o.ref(), o));
        Set<ObjectRef> done = new HashSet<>();
        for (int i = 0; i < order.size(); i++) {
            ObjectRef o = order.get(i);
            KernelObject obj = byRef.get(o);
            if (obj == null) {
                return "step " + (i + 1) + " restores " + o + ", which the checkpoint does not hold";
            }
            if (!done.add(o)) {
                return "step " + (i + 1) + " restores " + o + " a second time";
            }
            for (ObjectRef d : obj.deps()) {
                if (!KindDeps.allows(o.kind(), d.kind())) {
                    return o + " depends on " + d + ": <<\"" + o.kind().tla + "\", \"" + d.kind().tla
                            + "\">> is not in KindDeps";
                }
                if (!done.contains(d)) {
                    return "step " + (i + 1) + " restores " + o + " before " + d + ", which it depends on";
                }
            }
        }
        if (done.size() != byRef.size()) {
            Set<ObjectRef> missing = new HashSet<>(byRef.keySet());
            missing.removeAll(done);
            return "never restored: " + missing;
        }
        return null;
    }

    private static SpecText specText(Recovered r) {
        return new SpecText(
                TlcTraceProperties.KERNEL,
                SpecShadow.config(r.world().kernel().machine().sizes()),
                true);
    }

    private static int batches;

    static TlcStates.Outcome tlc(List<Recovered> rs) throws Exception {
        SpecText spec = specText(rs.get(0));
        List<TlcStates.Sample> samples = new ArrayList<>();
        for (Recovered r : rs) {
            samples.add(new TlcStates.Sample(spec.state(r.world().recoveredSpecState()), r.graph(), r.order()));
        }
        return check(spec, rs.get(0), samples);
    }

    /** TLC on the recovered kernel's own state: every invariant of KernelImpl.tla. */
    static TlcStates.Outcome tlcImpl(Recovered r) throws Exception {
        // the constants the kernel's own KernelImpl machine runs with, the boot's free list of frames included
        var config = r.world().kernel().machine().implConfig();
        SpecText impl = new SpecText(SpecText.specsDir().resolve("KernelImpl.tla"), config, false);
        int[] words = r.world().kernel().machine().copyState();
        // the kernel's machine is KernelImpl's plain one, without its ghosts; the refinement maps each ghost to
        // Kernel.tla's variable of the same name, so it is taken from the recovered abstract state
        Map<String, String> state = new java.util.LinkedHashMap<>(impl.state(words));
        Map<String, String> abstractState = specText(r).state(r.world().recoveredSpecState());
        for (String v : impl.variables()) {
            if (!state.containsKey(v)) {
                String value = abstractState.get(v);
                if (value == null) {
                    throw new IllegalStateException("KernelImpl.tla's ghost " + v
                            + " is not in the kernel's machine and Kernel.tla has no variable of that name");
                }
                state.put(v, value);
            }
        }
        Path work = Files.createTempDirectory("ladle-tlc-states");
        String name = "RecoveredKernelImpl" + (++batches);
        TlcStates.Outcome o = TlcStates.check(
                impl, impl.data(words), List.of(new TlcStates.Sample(state, List.of(), List.of())), name, work, false);
        return keptOnFailure(o, work, name);
    }

    private static TlcStates.Outcome check(SpecText spec, Recovered r, List<TlcStates.Sample> samples)
            throws Exception {
        Path work = Files.createTempDirectory("ladle-tlc-states");
        String name = "RecoveredKernel" + (++batches);
        TlcStates.Outcome o =
                TlcStates.check(spec, spec.data(r.world().recoveredSpecState()), samples, name, work, true);
        return keptOnFailure(o, work, name);
    }

    @Provide
    Arbitrary<List<Syscall>> runs() {
        return Syscall.syscalls().list().ofMinSize(30).ofMaxSize(200);
    }

    /** Deletes TLC's working folder when the check passed; on a failure keeps it and names its module. */
    private static TlcStates.Outcome keptOnFailure(TlcStates.Outcome o, Path work, String name) throws Exception {
        if (o.failure() == null) {
            RecoveryProperties.deleteAll(work);
            return o;
        }
        return new TlcStates.Outcome(
                o.states(),
                o.invariants(),
                o.distinct(),
                o.failure() + " (the module: " + work.resolve(name + ".tla") + ")");
    }
}
