package dev.ladle.checker;

import dev.ladle.tla.Sany;
import dev.ladle.tla.SourceError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * TLC's own distributed mode: one server ({@code tlc2.tool.distributed.TLCServer}) holds the
 * state queue and fingerprints of one model, and workers on any machine that reaches it
 * ({@code tlc2.tool.distributed.TLCWorker}) compute successors. Both run in child JVMs, for the
 * same reasons as a local check. The server's RMI registry listens on one port of every interface,
 * {@value #DEFAULT_PORT} unless told otherwise; server and workers must agree on it.
 */
public final class Distributed {
    /** TLC's default RMI registry port. */
    public static final int DEFAULT_PORT = 10997;

    /** The system property TLC's server and workers read the registry port from. */
    static final String PORT_PROPERTY = "tlc2.tool.distributed.TLCServer.port";

    private Distributed() {}

    /**
     * Serves the one model of {@code modelsDir} that {@code options} names, until workers have
     * checked it; blocks meanwhile. {@code host} is the address workers and the server use to
     * reach each other ({@code java.rmi.server.hostname}), {@code port} the RMI registry's. The
     * result compares with the manifest as a local run does.
     *
     * @throws IllegalArgumentException when the options do not name exactly one TLC model
     */
    public static CheckRun serve(
            Path modelsDir, CheckOptions options, String host, int port, Consumer<String> serverLines) {
        long start = System.nanoTime();
        if (options.names().size() != 1) {
            throw new IllegalArgumentException("--serve runs TLC's server for one TLC model: name exactly one");
        }
        Checker.Plan plan = Checker.prepare(modelsDir, options);
        List<ModelRef> models = plan.selected();
        if (models.size() != 1 || models.get(0).engine() != Engine.TLC) {
            throw new IllegalArgumentException("--serve runs TLC's server for one TLC model: name exactly one");
        }
        ModelRef model = models.get(0);
        List<SourceError> errors = new ArrayList<>(Sany.parse(model.file()));
        if (errors.isEmpty()) {
            errors.addAll(Checker.cfgErrors(model));
        }
        if (!errors.isEmpty()) {
            return new CheckRun(modelsDir, plan.manifest(), List.of(), errors, List.of(), TempFolder.since(start));
        }
        ModelResult r = TlcRunner.serve(model, options, host, port, options.timeout(), serverLines);
        if (plan.manifest() != null) {
            // Distributed workers re-generate states other workers already found, so the generated
            // count is not comparable with a local run's; the distinct-state count is.
            r = r.withDrift(plan.manifest().drift(r).stream()
                    .filter(d -> !d.startsWith(Manifest.GENERATED))
                    .toList());
        }
        return new CheckRun(modelsDir, plan.manifest(), List.of(r), List.of(), List.of(), TempFolder.since(start));
    }

    /**
     * Starts a TLC worker JVM against the server at {@code serverHost} whose registry listens on
     * {@code port}; its console lines go to {@code lines}. {@code ownHost} is the address the
     * server calls the worker back on, or {@code null} to let Java choose. The worker exits when the
     * server's check is done; its temporary folder (TLC copies the spec there) is removed by
     * {@link #awaitWorker}.
     */
    public static Worker startWorker(String serverHost, String ownHost, int threads, int port, Consumer<String> lines)
            throws IOException {
        Path temp = TempFolder.create("ladle-tlcworker-");
        List<String> flags = new ArrayList<>();
        flags.add("-D" + PORT_PROPERTY + "=" + port);
        if (ownHost != null) {
            flags.add("-Djava.rmi.server.hostname=" + ownHost);
        }
        if (threads > 0) {
            flags.add("-Dtlc2.tool.distributed.TLCWorker.threadCount=" + threads);
        }
        Process p = ChildJvm.start(TlcChild.class.getName(), List.of(TlcChild.WORKER, serverHost), null, temp, flags);
        Thread out = ChildJvm.drain(p.getInputStream(), "ladle-worker-events", line -> {});
        Thread err = ChildJvm.drain(p.getErrorStream(), "ladle-worker-console", lines);
        return new Worker(p, temp, out, err);
    }

    /**
     * A running worker JVM.
     *
     * @param process the child JVM
     * @param temp its temporary folder
     * @param out drains its event stream
     * @param err forwards its console
     */
    public record Worker(Process process, Path temp, Thread out, Thread err) {}

    /** Waits for a worker to end, removes its temporary folder, returns its exit code. */
    public static int awaitWorker(Worker w) throws InterruptedException {
        int rc = w.process().waitFor();
        w.err().join(2000);
        w.out().join(2000);
        TempFolder.delete(w.temp());
        return rc;
    }

    /** Stops a worker that is still running (a failed test, an interrupted command). */
    public static void stopWorker(Worker w) {
        ChildJvm.stop(w.process());
        TempFolder.delete(w.temp());
    }
}
