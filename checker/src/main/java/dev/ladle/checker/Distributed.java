package dev.ladle.checker;

import dev.ladle.tla.Sany;
import dev.ladle.tla.SourceError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * TLC's own distributed mode: one server ({@code tlc2.tool.distributed.TLCServer}) holds the
 * state queue and fingerprints of one model, and workers on any machine that reaches it
 * ({@code tlc2.tool.distributed.TLCWorker}) compute successors. Both run in child JVMs, for the
 * same reasons as a local check. The server's RMI registry listens on port {@value
 * #REGISTRY_PORT} of every interface.
 */
public final class Distributed {
    /** TLC's fixed RMI registry port. */
    public static final int REGISTRY_PORT = 10997;

    private Distributed() {}

    /**
     * Serves the one model of {@code modelsDir} that {@code options} names, until workers have
     * checked it; blocks meanwhile. {@code host} is the address workers and the server use to
     * reach each other ({@code java.rmi.server.hostname}). The result compares with the manifest
     * as a local run does.
     *
     * @throws IllegalArgumentException when the options do not name exactly one TLC model
     */
    public static CheckRun serve(Path modelsDir, CheckOptions options, String host, Consumer<String> serverLines) {
        long start = System.nanoTime();
        List<ModelRef> plan = Checker.plan(modelsDir, options);
        if (options.names().size() != 1 || plan.size() != 1 || plan.get(0).engine() != Engine.TLC) {
            throw new IllegalArgumentException("--serve runs TLC's server for one TLC model: name exactly one");
        }
        ModelRef model = plan.get(0);
        List<SourceError> errors = Sany.parse(model.file());
        Path manifestFile = options.manifest() != null ? options.manifest() : Checker.defaultManifest(modelsDir);
        Manifest manifest = Files.exists(manifestFile) ? Manifest.read(manifestFile) : null;
        if (!errors.isEmpty()) {
            return new CheckRun(
                    modelsDir, manifest, List.of(), errors, List.of(), Duration.ofNanos(System.nanoTime() - start));
        }
        ModelResult r = TlcRunner.serve(model, options, host, options.timeout(), serverLines);
        if (manifest != null) {
            // Distributed workers re-generate states other workers already found, so the generated
            // count is not comparable with a local run's; the distinct-state count is.
            r = r.withDrift(manifest.drift(r).stream()
                    .filter(d -> !d.startsWith(Manifest.GENERATED))
                    .toList());
        }
        return new CheckRun(
                modelsDir, manifest, List.of(r), List.of(), List.of(), Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Starts a TLC worker JVM against the server at {@code serverHost}; its console lines go to
     * {@code lines}. {@code ownHost} is the address the server calls the worker back on, or
     * {@code null} to let Java choose. The worker exits when the server's check is done; its
     * temporary folder (TLC copies the spec there) is removed by {@link #awaitWorker}.
     */
    public static Worker startWorker(String serverHost, String ownHost, int threads, Consumer<String> lines)
            throws IOException {
        Path temp = Files.createTempDirectory("ladle-tlcworker-");
        List<String> flags = new ArrayList<>();
        if (ownHost != null) {
            flags.add("-Djava.rmi.server.hostname=" + ownHost);
        }
        if (threads > 0) {
            flags.add("-Dtlc2.tool.distributed.TLCWorker.threadCount=" + threads);
        }
        Process p =
                TlcRunner.startChild(TlcChild.class.getName(), List.of(TlcChild.WORKER, serverHost), null, temp, flags);
        Thread out = TlcRunner.drain(p.getInputStream(), new ArrayDeque<>(), line -> {});
        Thread err = TlcRunner.drain(p.getErrorStream(), new ArrayDeque<>(), lines);
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
        TlcRunner.deleteTree(w.temp());
        return rc;
    }

    /** Stops a worker that is still running (a failed test, an interrupted command). */
    public static void stopWorker(Worker w) {
        w.process().descendants().forEach(ProcessHandle::destroyForcibly);
        w.process().destroyForcibly();
        try {
            w.process().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        TlcRunner.deleteTree(w.temp());
    }
}
