package dev.ladle.cli;

import dev.ladle.checker.Distributed;
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

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: one per core).")
    int threads;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            Distributed.Worker w = Distributed.startWorker(server, host, threads, line -> {
                err.println("worker: " + line);
                err.flush();
            });
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (w.process().isAlive()) {
                    Distributed.stopWorker(w);
                }
            }));
            int rc = Distributed.awaitWorker(w);
            return rc == 0 ? 0 : 1;
        } catch (IOException e) {
            err.println("ladle worker: cannot start the TLC worker: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
