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
                    + "'ladle check --serve NAME' started on HOST; it exits when the server's check is done."
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
        try {
            Distributed.Worker w = Distributed.startWorker(server, host, threads == null ? 0 : threads, port, line -> {
                err.println("worker: " + line);
                err.flush();
            });
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (w.process().isAlive()) {
                    Distributed.stopWorker(w);
                }
            }));
            int rc = Distributed.awaitWorker(w);
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
