package dev.ladle.properties;

import dev.ladle.persist.Persistence;
import dev.ladle.persist.ProtocolTrace;
import dev.ladle.persist.model.KernelObject;
import dev.ladle.persist.sim.SimWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Property 3 for the persistence protocol, online: a random workload on persist's in-memory world in oplog mode
 * ({@link Workload}), with checkpoints streamed by the checkpointer thread while the workload runs on, is stepped
 * beside the machine generated from Persistence.tla ({@link PersistenceShadow}): every operation, flush,
 * acknowledgement, checkpoint begin, object written and seal must be a step the spec enables, for the objects
 * present at boot. A divergence names the step, the action and the guard or invariant that failed.
 */
@AddLifecycleHook(Budget.class)
public class PersistenceTraceProperties {
    /** The spec's LSN bound: above the records of the longest workload drawn. */
    static final int MAX_LSN = 1 << 13;

    @Property(tries = 15)
    void everyPersistStepIsAStepOfPersistenceTla(
            @ForAll @IntRange(min = 10, max = 300) int steps,
            @ForAll @IntRange(min = 3, max = 60) int checkpointEvery,
            @ForAll @IntRange(min = 1, max = 1000) int seed)
            throws Exception {
        PersistenceShadow shadow = new PersistenceShadow(bootObjects(), MAX_LSN);
        Path dir = Files.createTempDirectory("ladle-persist-trace");
        try {
            run(dir.resolve("log"), shadow, steps, checkpointEvery, seed);
        } finally {
            RecoveryProperties.deleteAll(dir);
        }
        PersistenceShadow.Divergence d = shadow.finish();
        if (d != null) {
            throw new AssertionError("persist left Persistence.tla at " + d);
        }
        int[] n = shadow.counts();
        Tally.count("protocol steps reported", n[0]);
        Tally.count("spec steps taken", n[1]);
        Tally.count("steps on objects created after boot (skipped)", n[2]);
    }

    /** The check bites: a checkpoint that writes a thread before its address space and capability table. */
    @Example
    void anObjectWrittenBeforeWhatItDependsOnIsCaught() throws Exception {
        List<ProtocolTrace.Step> trace = recordedTrace();
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
     * at boot, which no object at boot depends on).
     */
    @Example
    void aSealWithAnObjectMissingIsCaught() throws Exception {
        List<ProtocolTrace.Step> trace = recordedTrace();
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
        List<ProtocolTrace.Step> trace = recordedTrace();
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

    private static void expectDivergence(List<ProtocolTrace.Step> broken, String action, String why) {
        PersistenceShadow shadow = new PersistenceShadow(bootObjects(), MAX_LSN);
        shadow.replay(broken);
        PersistenceShadow.Divergence d = shadow.finish();
        if (d == null || !d.action().equals(action) || !d.why().contains(why)) {
            throw new AssertionError(
                    "expected " + action + " refused (" + why + "), got " + (d == null ? "no divergence" : d));
        }
    }

    /** A run's whole trace, which must itself validate (the examples alter it). */
    private static List<ProtocolTrace.Step> recordedTrace() throws Exception {
        PersistenceShadow shadow = new PersistenceShadow(bootObjects(), MAX_LSN);
        Path dir = Files.createTempDirectory("ladle-persist-trace");
        try {
            List<ProtocolTrace.Step> trace = run(dir.resolve("log"), shadow, 60, 20, 7);
            PersistenceShadow.Divergence d = shadow.finish();
            if (d != null) {
                throw new AssertionError("the unaltered run already left Persistence.tla at " + d);
            }
            PersistenceShadow again = new PersistenceShadow(bootObjects(), MAX_LSN);
            again.replay(trace);
            if (again.finish() != null) {
                throw new AssertionError("the recorded run does not replay: " + again.finish());
            }
            return trace;
        } finally {
            RecoveryProperties.deleteAll(dir);
        }
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

    /**
     * Runs the workload with the shadow stepped online; every {@code checkpointEvery} steps, once the previous
     * checkpoint is sealed, a checkpoint streams on the checkpointer thread while the workload runs on (only when an
     * operation on a boot object came since the last snapshot: with nothing to write, the spec has no checkpoint to
     * begin, see the README). Returns the whole trace.
     */
    private static List<ProtocolTrace.Step> run(
            Path file, PersistenceShadow shadow, int steps, int checkpointEvery, int seed) throws Exception {
        try (Workload w = new Workload(file, Persistence.Mode.OPLOG, seed, Integer.MAX_VALUE, shadow)) {
            for (int i = 1; i <= steps; i++) {
                w.step();
                if (i % checkpointEvery == 0) {
                    w.persistence.awaitCheckpoint();
                    if (shadow.somethingToCheckpoint()) {
                        w.persistence.requestCheckpoint();
                    }
                }
            }
            for (Persistence.Ack a : w.acks) {
                a.durable().get();
            }
            w.persistence.awaitCheckpoint();
            w.close();
            return w.trace.steps();
        }
    }
}
