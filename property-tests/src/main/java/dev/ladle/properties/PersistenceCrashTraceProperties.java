package dev.ladle.properties;

import dev.ladle.persist.Persistence;
import dev.ladle.persist.ProtocolTrace;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Property 3 for the persistence protocol through a crash, online: the run of {@link PersistenceTraceProperties}
 * (each mode, its generated {@link WorkloadStep}s shrunk by a failure) is cut by a crash image, the log as the forcer reports a flush (optionally with that flush's batch
 * torn in the middle of its first record, as a crash during the write leaves it), and the image is recovered
 * (optionally after a recovery that crashed part way). The recovery's steps (crash, checkpoint loaded, objects
 * restored, records replayed, resume) must continue the run's behaviour of Persistence.tla, and the recovered world
 * must hold exactly the objects of the spec's state. A divergence names the step, the action and the guard or
 * invariant that failed.
 */
@AddLifecycleHook(Budget.class)
public class PersistenceCrashTraceProperties {
    @Property(tries = 15)
    void aCrashAndItsRecoveryAreStepsOfPersistenceTla(
            @ForAll Persistence.Mode mode,
            @ForAll("workloads") List<WorkloadStep> steps,
            @ForAll @IntRange(min = 3, max = 40) int checkpointEvery,
            @ForAll @IntRange(min = 1, max = 400) int crashAtFlush,
            @ForAll boolean torn,
            @ForAll @IntRange(min = 0, max = 60) int crashDuringRecovery)
            throws Exception {
        PersistenceTraceProperties.Run r = PersistenceTraceProperties.run(
                mode, steps, checkpointEvery, crashAtFlush, torn, crashDuringRecovery, 0, 0);
        if (r.divergence() != null) {
            throw new AssertionError(mode + ": the crash or the recovery left Persistence.tla at " + r.divergence());
        }
        PersistenceTraceProperties.tally(r, mode);
        Tally.count("crash points", 1);
        Tally.count("torn crash images", r.tornAt() > 0 ? 1 : 0);
        Tally.count("crashes during recovery", r.cut() ? 1 : 0);
    }

    /** 10 to 200 workload steps, which a failure shrinks to the fewest and simplest that still fail. */
    @Provide
    Arbitrary<List<WorkloadStep>> workloads() {
        return WorkloadStep.steps(10, 200);
    }

    /** The check bites: a recovery that restores a thread before its address space. */
    @Example
    void aThreadRestoredBeforeItsAddressSpaceIsCaught() throws Exception {
        List<ProtocolTrace.Step> trace = PersistenceTraceProperties.recordedTrace(Integer.MAX_VALUE);
        int space = PersistenceTraceProperties.indexOf(trace, "RestoreObject", "addressSpace#0");
        int thread = PersistenceTraceProperties.indexOf(trace, "RestoreObject", "thread#0");
        if (space < 0 || thread < space) {
            throw new AssertionError("the recovery restored no thread#0 after addressSpace#0: " + trace);
        }
        List<ProtocolTrace.Step> broken = new ArrayList<>(trace);
        broken.add(space, broken.remove(thread));
        PersistenceTraceProperties.expectDivergence(broken, "RestoreObject", "DepsRestored");
    }

    /** The check bites: a recovery that resumes before it replayed the last durable record. */
    @Example
    void aRecoveryResumingBeforeTheEndOfTheDurableLogIsCaught() throws Exception {
        List<ProtocolTrace.Step> trace = PersistenceTraceProperties.recordedTrace(Integer.MAX_VALUE);
        int last = -1;
        for (int i = 0; i < trace.size(); i++) {
            if (trace.get(i).action().equals("ReplayRecord")) {
                last = i;
            }
        }
        if (last < 0) {
            throw new AssertionError("the recovery replayed nothing: " + trace);
        }
        List<ProtocolTrace.Step> broken = new ArrayList<>(trace);
        broken.remove(last);
        PersistenceTraceProperties.expectDivergence(broken, "Resume", "EndOfLog");
    }
}
