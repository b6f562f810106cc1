package dev.ladle.cli;

import dev.ladle.checker.Distributed;
import dev.ladle.checker.ExitCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ladle worker HOST}: a TLC worker for the server started by {@code ladle check --serve}. */
@Command(
        name = "worker",
        mixinStandardHelpOptions = true,
        description = {
            "Run a TLC worker for a 'ladle check --serve' server.",
            "",
            "Runs a TLC worker (TLC's own distributed mode) against the server that "
                    + "'ladle check --serve NAME' started on HOST; it exits when the server's check is done. "
                    + "A server that does not answer for --wait seconds, or a HOST and port with no TLC server (an "
                    + "unknown host, another service), ends it with exit code 3."
        })
public final class WorkerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "HOST", description = "Address of the machine running 'ladle check --serve'.")
    String server;

    @Option(
            names = "--host",
            paramLabel = "ADDRESS",
            description = "This machine's address as the server should use it (java.rmi.server.hostname).")
    String host;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads, 1 or more (default: one per core).")
    Integer threads;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            description = "The port of the server's RMI registry (default: ${DEFAULT-VALUE}), as given to --serve.")
    int port = Distributed.DEFAULT_PORT;

    @Option(
            names = "--wait",
            paramLabel = "SECONDS",
            description = "How long to wait for the server to answer before giving up (default: ${DEFAULT-VALUE}).")
    int waitSeconds = 300;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (threads != null && threads < 1) {
            err.println("ladle worker: --threads takes a number of 1 or more (leave it out for one per core), not "
                    + threads);
            return ExitCode.USAGE;
        }
        if (port < 1 || port > 65535) {
            err.println("ladle worker: --port takes a port number from 1 to 65535, not " + port);
            return ExitCode.USAGE;
        }
        if (waitSeconds < 1) {
            err.println("ladle worker: --wait takes a number of seconds, 1 or more, not " + waitSeconds);
            return ExitCode.USAGE;
        }
        // TLC's worker retries an unreachable server forever, printing one line a try; the first line of another
        // kind means the server answered. Until then a watchdog stops the worker after --wait seconds.
        long[] unreachableSince = {System.nanoTime()};
        boolean[] answered = {false};
        // TLC's worker exits 0 after "Failed to start worker ... for server HOST." (an unknown host, a port that
        // is not TLC's server): the line after it says why.
        String[] failed = {null};
        try {
            Distributed.Worker w = Distributed.startWorker(server, host, threads == null ? 0 : threads, port, line -> {
                if (failed[0] != null && failed[0].isEmpty() && !line.isBlank()) {
                    failed[0] =
                            line.replaceFirst(";? *nested exception is: *$", "").strip();
                }
                if (line.contains("Failed to start worker")) {
                    failed[0] = "";
                }
                if (!line.contains("unreachable") && !line.startsWith("TLC Worker Version")) {
                    answered[0] = true;
                }
                err.println("worker: " + line);
                err.flush();
            });
            boolean[] gaveUp = {false};
            Thread watchdog = new Thread(
                    () -> {
                        try {
                            while (w.process().isAlive() && !answered[0]) {
                                if (System.nanoTime() - unreachableSince[0] > waitSeconds * 1_000_000_000L) {
                                    gaveUp[0] = true;
                                    Distributed.stopWorker(w);
                                    return;
                                }
                                Thread.sleep(200);
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "ladle-worker-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (w.process().isAlive()) {
                    Distributed.stopWorker(w);
                }
            }));
            int rc = Distributed.awaitWorker(w);
            watchdog.join(1000);
            if (gaveUp[0]) {
                err.println("ladle worker: no server answered on " + server + ", port " + port + ", for " + waitSeconds
                        + " s (start 'ladle check --serve NAME' there first, or give a longer --wait)");
                return ExitCode.IO;
            }
            if (failed[0] != null) {
                err.println("ladle worker: no TLC server reached on " + server + ", port " + port
                        + (failed[0].isEmpty() ? "" : " (" + failed[0] + ")")
                        + ": check the address and port, and start 'ladle check --serve NAME' there first");
                return ExitCode.IO;
            }
            if (rc != 0) {
                err.println("ladle worker: the TLC worker stopped with exit code " + rc
                        + " (is 'ladle check --serve' running on " + server + ", port " + port + "?)");
            }
            return rc == 0 ? ExitCode.OK : ExitCode.DIFFERS;
        } catch (IOException e) {
            err.println("ladle worker: cannot start the TLC worker: " + e.getMessage());
            return ExitCode.IO;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.DIFFERS;
        }
    }
}
