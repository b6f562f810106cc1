package dev.ladle.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.persist.sim.SimWorld;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM (SIGKILL) while it runs operations with checkpoints streaming and group commits in flight,
 * several times over the same log, each run starting with a recovery: after each kill, recovery succeeds, no
 * acknowledged operation is lost, and the recovered state is the one the child had at that LSN.
 */
class PersistenceCrashTest {
    @TempDir
    Path dir;

    @Test
    void noAcknowledgedOperationIsLostWhenKilledDuringCheckpointStreaming() throws Exception {
        Path file = dir.resolve("log");
        Random random = new Random(21);
        for (int round = 0; round < 4; round++) {
            Process p = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            CrashChild.class.getName(),
                            file.toString(),
                            Long.toString(round))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            int killAfter = 100 + random.nextInt(400);
            long maxAcked = 0;
            int acks = 0;
            TreeMap<Long, Long> states = new TreeMap<>();
            TreeSet<Long> deltas = new TreeSet<>();
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
                String line;
                while ((line = in.readLine()) != null) {
                    String[] w = line.split(" ");
                    switch (w[0]) {
                        case "ACK" -> {
                            if (w.length == 2) {
                                maxAcked = Math.max(maxAcked, Long.parseLong(w[1]));
                                if (++acks == killAfter) {
                                    p.toHandle().destroyForcibly();
                                }
                            }
                        }
                        case "STATE" -> {
                            if (w.length == 3) {
                                states.put(Long.parseLong(w[1]), Long.parseLong(w[2]));
                            }
                        }
                        case "DELTA" -> {
                            if (w.length == 2) {
                                deltas.add(Long.parseLong(w[1]));
                            }
                        }
                        default -> {}
                    }
                }
            } finally {
                p.toHandle().destroyForcibly();
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            }
            assertTrue(acks >= killAfter, "round " + round + ": the child acknowledged only " + acks);
            SimWorld back = new SimWorld(2, 2, 16);
            Recovery.Result res;
            try (Recovery rec = Recovery.open(file, back, ProtocolTrace.NONE)) {
                res = rec.run(false);
            }
            assertEquals(List.of(), back.checkInvariants());
            assertTrue(maxAcked <= res.resumedAt(), "round " + round + ": acknowledged " + maxAcked + ", " + res);
            var op = states.floorEntry(res.resumedAt());
            Long delta = deltas.ceiling(op.getKey());
            if (delta == null || delta > res.resumedAt()) {
                assertEquals(op.getValue(), back.digest(), "round " + round + ": state at LSN " + op.getKey());
            }
        }
    }
}
