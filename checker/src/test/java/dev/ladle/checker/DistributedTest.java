package dev.ladle.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TLC's own distributed mode on loopback: a server and two workers find the same number of
 * distinct states as a local run (generated counts differ: workers re-generate states that other
 * workers already found). The registry takes a free port, so two builds on one machine do not
 * collide.
 */
class DistributedTest {
    private static final String HOST = "127.0.0.1";

    static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void serverWithTwoWorkersFindsTheSameStatesAsALocalRun() throws Exception {
        CheckOptions options = CheckOptions.defaults().withWorkers(1).withNames(List.of("MCCounterBig"));
        ModelResult local =
                Checker.check(Fixtures.MODELS, options).result("MCCounterBig").orElseThrow();
        assertEquals(Verdict.HOLDS, local.verdict());

        int port = freePort();
        List<String> serverLines = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<CheckRun> served = CompletableFuture.supplyAsync(() -> Distributed.serve(
                Fixtures.MODELS, options.withTimeout(java.time.Duration.ofMinutes(4)), HOST, port, serverLines::add));
        long deadline = System.currentTimeMillis() + 120_000;
        while (serverLines.stream().noneMatch(l -> l.contains("is ready"))) {
            if (served.isDone() || System.currentTimeMillis() > deadline) {
                throw new AssertionError(
                        "server did not become ready: " + serverLines + " " + (served.isDone() ? served.get() : ""));
            }
            Thread.sleep(100);
        }
        Distributed.Worker w1 = Distributed.startWorker(HOST, HOST, 1, port, line -> {});
        Distributed.Worker w2 = Distributed.startWorker(HOST, HOST, 1, port, line -> {});
        try {
            CheckRun run = served.get(4, TimeUnit.MINUTES);
            ModelResult remote = run.result("MCCounterBig").orElseThrow();
            assertEquals(Verdict.HOLDS, remote.verdict(), remote.error());
            assertEquals(local.distinct(), remote.distinct());
            assertEquals(1891, remote.distinct());
            assertEquals(List.of(), remote.drift(), "the distinct-state count matches the manifest");
            assertEquals(ExitCode.OK, run.exitCode());
            assertEquals(0, Distributed.awaitWorker(w1));
            assertEquals(0, Distributed.awaitWorker(w2));
            // Each worker registers once per thread pool it exports; two workers make at least two.
            long registrations = serverLines.stream()
                    .filter(l -> l.startsWith("Registration for worker"))
                    .count();
            assertTrue(registrations >= 2, "both workers registered: " + serverLines);
            // The workers found the server only through the port they were given: TLC's default would not do.
        } finally {
            Distributed.stopWorker(w1);
            Distributed.stopWorker(w2);
        }
    }
}
