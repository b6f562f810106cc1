package dev.ladle.checker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How to run a check. Start from {@link #defaults()} and change what you need with the {@code
 * with...} methods.
 *
 * @param manifest the manifest to compare with; {@code null} means {@code manifest.json} in the
 *     models folder, when it exists
 * @param noManifest compare with no manifest at all, even where the folder has one
 * @param names the models to run; empty means every model not marked {@code default: false}
 * @param workers TLC workers per model; 0 means one per core
 * @param timeout time limit per model; {@code null} means none
 * @param childHeap the TLC child JVM's {@code -Xmx} (such as {@code 512m}); {@code null} leaves
 *     the JVM's default
 * @param graph where to write the state graph as SVG (one TLC model only); {@code null} for none
 * @param module the TLA+ module (name, without {@code .tla}) to check every selected {@code .cfg}
 *     against, for configurations named unlike their module; {@code null} for {@code X.tla} beside
 *     {@code X.cfg}
 * @param listener hears progress
 * @param coverage run TLC with its coverage report ({@link ModelResult#coverage()})
 */
public record CheckOptions(
        Path manifest,
        boolean noManifest,
        List<String> names,
        int workers,
        Duration timeout,
        String childHeap,
        Path graph,
        String module,
        CheckListener listener,
        boolean coverage) {

    public CheckOptions {
        names = List.copyOf(names);
        listener = listener == null ? CheckListener.NONE : listener;
    }

    /** Every default model, one TLC worker per core, the folder's own manifest, no limits. */
    public static CheckOptions defaults() {
        return new CheckOptions(null, false, List.of(), 0, null, null, null, null, CheckListener.NONE, false);
    }

    public CheckOptions withManifest(Path file) {
        return new CheckOptions(
                file, noManifest, names, workers, timeout, childHeap, graph, module, listener, coverage);
    }

    public CheckOptions withoutManifest() {
        return new CheckOptions(manifest, true, names, workers, timeout, childHeap, graph, module, listener, coverage);
    }

    public CheckOptions withNames(List<String> selected) {
        return new CheckOptions(
                manifest, noManifest, selected, workers, timeout, childHeap, graph, module, listener, coverage);
    }

    public CheckOptions withWorkers(int n) {
        return new CheckOptions(manifest, noManifest, names, n, timeout, childHeap, graph, module, listener, coverage);
    }

    public CheckOptions withTimeout(Duration limit) {
        return new CheckOptions(
                manifest, noManifest, names, workers, limit, childHeap, graph, module, listener, coverage);
    }

    public CheckOptions withChildHeap(String xmx) {
        return new CheckOptions(manifest, noManifest, names, workers, timeout, xmx, graph, module, listener, coverage);
    }

    public CheckOptions withGraph(Path svg) {
        return new CheckOptions(
                manifest, noManifest, names, workers, timeout, childHeap, svg, module, listener, coverage);
    }

    public CheckOptions withModule(String name) {
        return new CheckOptions(
                manifest, noManifest, names, workers, timeout, childHeap, graph, name, listener, coverage);
    }

    /** With TLC's coverage report: how often each action of the next-state relation was taken. */
    public CheckOptions withCoverage(boolean on) {
        return new CheckOptions(manifest, noManifest, names, workers, timeout, childHeap, graph, module, listener, on);
    }

    public CheckOptions withListener(CheckListener l) {
        return new CheckOptions(manifest, noManifest, names, workers, timeout, childHeap, graph, module, l, coverage);
    }

    int effectiveWorkers() {
        return workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
    }
}
