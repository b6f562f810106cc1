package dev.ladle.properties;

import dev.ladle.persist.Persistence;
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
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Property 3 for the persistence protocol, by TLC: a run of persist's in-memory world ({@link Workload}: a generated list
 * of {@link WorkloadStep}s, which a failure shrinks to the fewest and simplest steps that still fail; in each mode,
 * checkpoints streamed while it runs on, sometimes through a crash image and its recovery) is validated online as in
 * {@link PersistenceTraceProperties}, and the spec steps its {@link PersistenceShadow} took are exported as a trace of
 * Persistence.tla's actions and variables and checked by TLC to be a behaviour of the spec ({@link TlcTraces}: a
 * trace spec extending Persistence.tla, TLC in a child JVM). A batch is one run: the spec's constant data (each
 * object's kind and dependencies) are the run's own. A divergence names the step, the action and the differing
 * variables; TLC's distinct-state count must equal the recorded states, so a batch cannot pass without taking every
 * step.
 */
@AddLifecycleHook(Budget.class)
public class PersistenceTlcTraceProperties {
    static final Path PERSISTENCE = SpecText.specsDir().resolve("Persistence.tla");

    /** The spec's log slots and LSN bound for these runs: above their records, small enough for TLC's states. */
    static final int SPEC_LSNS = 256;

    @Property(tries = 2)
    void persistRunsAreBehavioursOfPersistenceTlaCheckedByTlc(
            @ForAll Persistence.Mode mode,
            @ForAll("workloads") List<WorkloadStep> steps,
            @ForAll @IntRange(min = 3, max = 20) int checkpointEvery,
            @ForAll @IntRange(min = 0, max = 40) int crashAtFlush,
            @ForAll boolean torn)
            throws Exception {
        PersistenceTraceProperties.Run r =
                PersistenceTraceProperties.run(mode, steps, checkpointEvery, crashAtFlush, torn, 0, 0, SPEC_LSNS);
        if (r.divergence() != null) {
            throw new AssertionError(mode + ": persist left Persistence.tla at " + r.divergence());
        }
        TlcTraces.Outcome o = check(r.shadow(), UnaryOperator.identity());
        if (o.divergence() != null) {
            throw new AssertionError(mode + ": trace validation by TLC, " + o.divergence());
        }
        Tally.count("TLC batches", 1);
        Tally.count("steps validated by TLC", o.steps());
        Tally.count("runs through a crash and its recovery", crashAtFlush > 0 ? 1 : 0);
    }

    /**
     * 10 to 40 workload steps (few: TLC reads every state of the run), which a failure shrinks to the fewest and
     * simplest that still fail.
     */
    @Provide
    Arbitrary<List<WorkloadStep>> workloads() {
        return WorkloadStep.steps(10, 40);
    }

    /** The check bites: a recorded state with the durable LSN changed after a flush is caught naming the variable. */
    @Example
    void aCorruptedStateIsCaughtNamingTheVariable() throws Exception {
        PersistenceTraceProperties.Run r =
                PersistenceTraceProperties.run(Persistence.Mode.OPLOG, 15, 5, 7, 0, false, 0, 0, SPEC_LSNS);
        if (r.divergence() != null) {
            throw new AssertionError("the run itself diverged: " + r.divergence());
        }
        int[] at = {-1};
        TlcTraces.Outcome o = check(r.shadow(), trace -> {
            List<TlcTraces.Step> steps = new ArrayList<>(trace.steps());
            for (int i = 0; i < steps.size() && at[0] < 0; i++) {
                TlcTraces.Step s = steps.get(i);
                if (s.action().equals("Flush") && s.changed().containsKey("durable")) {
                    Map<String, String> changed = new LinkedHashMap<>(s.changed());
                    changed.put("durable", "0");
                    steps.set(i, new TlcTraces.Step(s.action(), s.args(), s.applied(), changed));
                    at[0] = i + 1;
                }
            }
            return new TlcTraces.Trace(trace.initial(), steps);
        });
        if (at[0] < 0) {
            throw new AssertionError("the run flushed nothing");
        }
        String where = "trace 1, step " + at[0] + ", action Flush";
        if (o.divergence() == null
                || !o.divergence().contains(where)
                || !o.divergence().contains("\"durable\"")) {
            throw new AssertionError(
                    "expected TLC to report \"" + where + "\" with \"durable\", got: " + o.divergence());
        }
    }

    private static int batches;

    /** Exports the shadow's recorded spec steps as one trace (edited by {@code edit}) and has TLC check it. */
    static TlcTraces.Outcome check(PersistenceShadow shadow, UnaryOperator<TlcTraces.Trace> edit) throws Exception {
        SpecText spec = new SpecText(PERSISTENCE, shadow.specConfig(), true);
        TlcTraces.Trace trace = edit.apply(shadow.specTrace(spec));
        Path work = Files.createTempDirectory("ladle-tlc-persist-traces");
        String name = "PersistenceTrace" + (++batches);
        TlcTraces.Outcome o = TlcTraces.check(spec, shadow.specData(spec), List.of(trace), name, work);
        if (o.divergence() == null) {
            RecoveryProperties.deleteAll(work);
            return o;
        }
        return new TlcTraces.Outcome(
                o.traces(),
                o.steps(),
                o.distinct(),
                o.divergence() + " (the trace spec: " + work.resolve(name + ".tla") + ")",
                o.module());
    }
}
