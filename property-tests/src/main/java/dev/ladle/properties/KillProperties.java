package dev.ladle.properties;

import dev.ladle.persist.Persistence;
import dev.ladle.persist.ProtocolTrace;
import dev.ladle.persist.Recovery;
import dev.ladle.persist.sim.SimWorld;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Property 1 with real process death: a child JVM ({@link CrashWorkload}) runs a workload on a log file and is
 * killed with SIGKILL after a random number of acknowledgements; recovery of the file it left must give a state
 * the child passed through, at the LSN recovery resumed at, with every acknowledged operation in it. The modes with
 * an operation log only (in checkpoint-only mode the child prints a snapshot's state after the fact, so a kill can
 * beat the print); a kill that lands after a record became durable but before the child printed its state is
 * counted and checked for acknowledgements only (the child waits for each acknowledgement, so this is at most its one
 * operation in flight).
 *
 * <p>The child's workload is a generated list of {@link WorkloadStep}s, which it makes over and over until it is
 * killed, so a failure prints its steps and jqwik shrinks them (and the kill point). Shrinking is bounded (jqwik's
 * {@link ShrinkingMode#BOUNDED}: 10 seconds by default): each shrink step is one more child JVM run until its kill,
 * a few seconds at most, so a failure shrinks by a few steps and is reported within the bound. When the kill point
 * lands makes the failure depend on the flusher's timing too, so a shrink step that no longer fails only ends that
 * line of shrinking; the seed and sample printed replay the failure's workload and kill point.
 */
@AddLifecycleHook(Budget.class)
public class KillProperties {
    @Property(tries = 3, shrinking = ShrinkingMode.BOUNDED)
    void aKilledProcessRecoversToADurablePrefix(
            @ForAll boolean hybrid,
            @ForAll @IntRange(min = 1, max = 400) int killAfterAcks,
            @ForAll("workloads") List<WorkloadStep> steps,
            @ForAll @IntRange(min = 5, max = 44) int checkpointEvery)
            throws Exception {
        Path dir = Files.createTempDirectory("ladle-kill");
        try {
            Path stepsFile = dir.resolve("steps");
            Files.write(stepsFile, steps.stream().map(WorkloadStep::line).toList());
            run(
                    dir.resolve("log"),
                    hybrid ? Persistence.Mode.HYBRID : Persistence.Mode.OPLOG,
                    killAfterAcks,
                    stepsFile,
                    checkpointEvery);
        } finally {
            RecoveryProperties.deleteAll(dir);
        }
    }

    /**
     * 10 to 300 workload steps, which the child makes over and over until it is killed: at least one a system call, so
     * that acknowledgements keep coming (a shrunk list of memory writes only would never be killed).
     */
    @Provide
    Arbitrary<List<WorkloadStep>> workloads() {
        return WorkloadStep.steps(10, 300)
                .filter(steps -> steps.stream().anyMatch(s -> s.code() != WorkloadStep.STORE));
    }

    private static void run(Path file, Persistence.Mode mode, int killAfterAcks, Path steps, int checkpointEvery)
            throws Exception {
        List<String> cmd = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                CrashWorkload.class.getName(),
                file.toString(),
                mode.name(),
                Integer.toString(checkpointEvery),
                steps.toString());
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        TreeMap<Long, Long> states = new TreeMap<>();
        Map<Long, Long> snapshots = new TreeMap<>();
        Map<Long, Long> acked = new TreeMap<>();
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] w = line.split(" ");
                if (w[0].equals("STATE") && w.length == 3) {
                    states.put(Long.parseLong(w[1]), Long.parseLong(w[2]));
                } else if (w[0].equals("SNAPSHOT") && w.length == 3) {
                    snapshots.put(Long.parseLong(w[1]), Long.parseLong(w[2]));
                } else if (w[0].equals("ACK") && w.length == 3) {
                    acked.put(Long.parseLong(w[1]), Long.parseLong(w[2]));
                    if (acked.size() == killAfterAcks) {
                        // SIGKILL through the handle: the pipe stays open, so what was printed is still read
                        p.toHandle().destroyForcibly();
                    }
                } else if (w[0].equals("ERROR")) {
                    throw new AssertionError("the child failed before it was killed: " + line);
                }
            }
        } finally {
            p.destroyForcibly();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the child did not end after SIGKILL");
            }
        }
        if (acked.size() < killAfterAcks) {
            throw new AssertionError("the child ended by itself after " + acked.size() + " acknowledgements");
        }
        Tally.count("processes killed", 1);
        Tally.count("crash points", 1);
        SimWorld back = Workload.newWorld();
        Recovery.Result res;
        try (Recovery rec = Recovery.open(file, back, ProtocolTrace.NONE)) {
            res = rec.run(false);
        }
        long upTo = res.resumedAt();
        // the operations' states and the recovered checkpoint's snapshot, no other (Workload.reference says why)
        Long snapshot = snapshots.get(res.checkpointLsn());
        if (snapshot == null) {
            throw new AssertionError("the recovered checkpoint " + res.checkpointLsn() + " is no snapshot the child"
                    + " printed: " + res);
        }
        states.put(res.checkpointLsn(), snapshot);
        var expected = states.floorEntry(upTo);
        boolean matches = expected != null && expected.getValue() == back.digest();
        if (!matches && (states.isEmpty() || states.lastKey() < upTo)) {
            // the child died after its one operation in flight became durable and before it printed its state
            Tally.count("kills inside the unprinted operation", 1);
        } else if (!matches) {
            throw new AssertionError(mode + ": the state recovered after SIGKILL is not the child's state at LSN "
                    + upTo + " (" + states.size() + " states printed): " + res);
        } else {
            Tally.count("recovered states compared", 1);
        }
        List<Long> lost = new ArrayList<>();
        for (Map.Entry<Long, Long> a : acked.entrySet()) {
            long lsn = a.getKey();
            if (lsn > upTo) {
                lost.add(lsn);
            }
        }
        if (!lost.isEmpty()) {
            throw new AssertionError("acknowledged LSNs lost after SIGKILL: " + lost + "; " + res);
        }
        Tally.count("acknowledged operations checked", acked.size());
    }
}
