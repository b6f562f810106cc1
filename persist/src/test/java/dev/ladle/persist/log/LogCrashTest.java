package dev.ladle.persist.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM that appends with group commit (SIGKILL, {@link ProcessHandle#destroyForcibly}) at random moments,
 * several times over the same log, and checks after each kill that every acknowledged record is recovered intact.
 */
class LogCrashTest {
    @TempDir
    Path dir;

    record Ack(long lsn, long id, int size) {}

    @Test
    void noAcknowledgedAppendIsLostWhenTheProcessIsKilledDuringGroupCommit() throws Exception {
        Path file = dir.resolve("log");
        Random random = new Random(12);
        Map<Long, Ack> acked = new HashMap<>();
        long lastRecovered = 0;
        for (int round = 0; round < 5; round++) {
            List<String> cmd = List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    CrashChild.class.getName(),
                    file.toString(),
                    "4",
                    Long.toString(round * 100_000_000L));
            Process p = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            int killAfter = 200 + random.nextInt(3000);
            List<Ack> mine = new ArrayList<>();
            long readyLsn = -1;
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
                String line;
                while ((line = in.readLine()) != null) {
                    String[] w = line.split(" ");
                    if (w[0].equals("READY")) {
                        readyLsn = Long.parseLong(w[1]);
                    } else if (w[0].equals("ACK") && w.length == 4) {
                        mine.add(new Ack(Long.parseLong(w[1]), Long.parseLong(w[2]), Integer.parseInt(w[3])));
                        if (mine.size() == killAfter) {
                            // SIGKILL through the handle, which (unlike Process.destroyForcibly) leaves the pipe
                            // open, so the acknowledgements already printed are still read
                            p.toHandle().destroyForcibly();
                        }
                    } else if (w[0].equals("ERROR")) {
                        throw new AssertionError("child: " + line);
                    }
                }
            } finally {
                p.destroyForcibly();
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            }
            assertEquals(lastRecovered + 1, readyLsn, "the reopened log continues after what was recovered");
            assertTrue(mine.size() >= killAfter, "round " + round + ": only " + mine.size() + " acks");
            for (Ack a : mine) {
                acked.put(a.lsn(), a);
            }
            Logs.Scan s = Logs.scan(file);
            Map<Long, LogRecord> recovered = new HashMap<>();
            s.records().forEach(r -> recovered.put(r.lsn(), r));
            for (Ack a : acked.values()) {
                LogRecord r = recovered.get(a.lsn());
                assertNotNull(r, "round " + round + ": acknowledged LSN " + a.lsn() + " lost; " + s.result());
                assertArrayEquals(Logs.payload(a.id(), a.size()), r.payload(), "LSN " + a.lsn() + " recovered wrong");
            }
            lastRecovered = s.result().lastLsn();
            assertTrue(lastRecovered
                    >= acked.keySet().stream().mapToLong(x -> x).max().orElse(0));
        }
    }
}
