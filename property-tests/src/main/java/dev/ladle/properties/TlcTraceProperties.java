package dev.ladle.properties;

import dev.ladle.kernel.Abi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Property 3, trace validation in batches by TLC: runs of the kernel under attack ({@link Attack}, the online
 * validator beside it) are exported as traces of {@code Kernel.tla}'s actions and variables, a batch of runs as one
 * trace spec, and TLC checks that every run is a behaviour of the spec: each applied call is the spec's action
 * with the recorded arguments yielding the kernel's abstract state, each refused call an action the spec does not
 * enable ({@link TlcTraces}). TLC starts once per batch. A divergence names the trace, the step, the action and
 * the differing variables.
 */
@AddLifecycleHook(Budget.class)
public class TlcTraceProperties {
    static final Path KERNEL = SpecText.specsDir().resolve("Kernel.tla");

    @Property(tries = 3)
    void batchesOfKernelRunsAreBehavioursOfKernelTla(@ForAll("batches") List<List<Syscall>> runs) throws Exception {
        TlcTraces.Outcome o = check(runs, UnaryOperator.identity());
        if (o.divergence() != null) {
            throw new AssertionError("trace validation by TLC, " + o.divergence());
        }
        Tally.count("TLC batches", 1);
        Tally.count("traces validated by TLC", o.traces());
        Tally.count("steps validated by TLC", o.steps());
    }

    /** The check bites: a recorded state with a variable changed is a state the spec's action does not yield. */
    @Example
    void aCorruptedStateIsCaughtNamingTheVariable() throws Exception {
        TlcTraces.Outcome o = check(List.of(sends()), trace -> {
            List<TlcTraces.Step> steps = new ArrayList<>(trace.steps());
            TlcTraces.Step s = steps.get(2);
            Map<String, String> changed = new LinkedHashMap<>(s.changed());
            changed.put("waiting", "[x \\in 0..6 |-> TRUE]");
            steps.set(2, new TlcTraces.Step(s.action(), s.args(), s.applied(), changed));
            return new TlcTraces.Trace(trace.initial(), steps);
        });
        expect(o, "trace 1, step 3, action Send", "{\"waiting\"}");
    }

    /** The check bites: an applied step with a wrong argument (another receiver) is not enabled by the spec. */
    @Example
    void aWrongArgumentIsCaught() throws Exception {
        TlcTraces.Outcome o = check(List.of(sends()), trace -> {
            List<TlcTraces.Step> steps = new ArrayList<>(trace.steps());
            TlcTraces.Step s = steps.get(0);
            List<String> args = new ArrayList<>(s.args());
            args.set(1, "4"); // a local id the sender does not hold
            steps.set(0, new TlcTraces.Step(s.action(), args, s.applied(), s.changed()));
            return new TlcTraces.Trace(trace.initial(), steps);
        });
        expect(o, "trace 1, step 1, action Send", "does not enable");
    }

    /** The check bites: a refusal of a call the spec enables is caught. */
    @Example
    void aWrongRefusalIsCaught() throws Exception {
        TlcTraces.Outcome o = check(List.of(sends()), trace -> {
            List<TlcTraces.Step> steps = new ArrayList<>(trace.steps());
            TlcTraces.Step s = steps.get(0);
            steps.set(0, new TlcTraces.Step(s.action(), s.args(), false, Map.of()));
            return new TlcTraces.Trace(trace.initial(), steps);
        });
        expect(o, "trace 1, step 1, action Send", "refused");
    }

    private static void expect(TlcTraces.Outcome o, String where, String what) {
        if (o.divergence() == null
                || !o.divergence().contains(where)
                || !o.divergence().contains(what)) {
            throw new AssertionError(
                    "expected TLC to report \"" + where + "\" with \"" + what + "\", got: " + o.divergence());
        }
    }

    /** a0 sends to a1 (local id 1) and a1 receives, over and over. */
    private static List<Syscall> sends() {
        List<Syscall> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(new Syscall(Abi.OP_SEND, 1, new int[] {i, -i, 0, 0, 0, 0}));
            calls.add(new Syscall(Abi.OP_RECEIVE, 0, new int[6]));
        }
        return calls;
    }

    private static int batches;

    /** Runs each list of calls under the online validator, exports the runs and checks them as one batch. */
    static TlcTraces.Outcome check(List<List<Syscall>> runs, UnaryOperator<TlcTraces.Trace> edit) throws Exception {
        SpecText spec = null;
        Map<String, String> data = null;
        List<TlcTraces.Trace> traces = new ArrayList<>();
        for (List<Syscall> calls : runs) {
            Attack a = new Attack(calls, true);
            a.run();
            if (spec == null) {
                spec = new SpecText(KERNEL, SpecShadow.config(a.machine().sizes()), true);
                data = spec.data(a.bootState);
            }
            Map<String, String> before = spec.state(a.bootState);
            Map<String, String> initial = before;
            List<TlcTraces.Step> steps = new ArrayList<>();
            for (Attack.Recorded r : a.recorded) {
                Map<String, String> after = spec.state(r.after());
                steps.add(new TlcTraces.Step(
                        r.action(),
                        spec.arguments(r.action(), r.args()),
                        r.applied(),
                        TlcTraces.changes(before, after)));
                before = after;
            }
            if (!steps.isEmpty()) {
                traces.add(edit.apply(new TlcTraces.Trace(initial, steps)));
            }
        }
        if (traces.isEmpty()) {
            return new TlcTraces.Outcome(0, 0, 0, null, "");
        }
        Path work = Files.createTempDirectory("ladle-tlc-traces");
        String name = "KernelTrace" + (++batches);
        TlcTraces.Outcome o = TlcTraces.check(spec, data, traces, name, work);
        if (o.divergence() == null) {
            RecoveryProperties.deleteAll(work);
        } else {
            o = new TlcTraces.Outcome(
                    o.traces(),
                    o.steps(),
                    o.distinct(),
                    o.divergence() + " (the trace spec: " + work.resolve(name + ".tla") + ")",
                    o.module());
        }
        return o;
    }

    /** The calls that are spec actions when the ABI accepts their operands (no exits: longer runs). */
    private static final java.util.Set<Integer> SPEC_CALLS = java.util.Set.of(
            Abi.OP_SEND,
            Abi.OP_RECEIVE,
            Abi.OP_WAIT,
            Abi.OP_MAP_PAGE,
            Abi.OP_GRANT_PAGE,
            Abi.OP_COPY_PAGE,
            Abi.OP_MAP_CAP,
            Abi.OP_GRANT_CAP,
            Abi.OP_COPY_CAP,
            Abi.OP_UNMAP,
            Abi.OP_REVOKE);

    @Provide
    Arbitrary<List<List<Syscall>>> batches() {
        return Syscall.syscalls()
                .filter(c -> SPEC_CALLS.contains(c.op()))
                .list()
                .ofMinSize(50)
                .ofMaxSize(300)
                .list()
                .ofMinSize(4)
                .ofMaxSize(8);
    }
}
