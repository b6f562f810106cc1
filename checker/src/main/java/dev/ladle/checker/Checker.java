package dev.ladle.checker;

import dev.ladle.tla.Sany;
import dev.ladle.tla.SourceError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Model-checks every TLA+ model and Alloy command under a folder: discovery, a parse pass over
 * everything selected (SANY for TLA+, Alloy's own parser), then each model in turn, TLC in a
 * child JVM per model and Alloy in this JVM, then the comparison with the manifest.
 *
 * <pre>
 * CheckRun run = Checker.check(Path.of("specs/src/test/mutants"), CheckOptions.defaults().withWorkers(1));
 * run.exitCode();                         // 0 when every model gave what the manifest expects
 * run.result("MCIpcLoses").get().violated();
 * </pre>
 */
public final class Checker {
    private Checker() {}

    /** The manifest a folder uses by default: its own {@code manifest.json}, when it has one. */
    public static Path defaultManifest(Path modelsDir) {
        return modelsDir.resolve("manifest.json");
    }

    /**
     * Runs the models of {@code modelsDir} that {@code options} select.
     *
     * @throws IllegalArgumentException for a usage error: missing folder, unknown model name,
     *     malformed manifest, {@code --graph} with other than one TLC model
     */
    public static CheckRun check(Path modelsDir, CheckOptions options) {
        long start = System.nanoTime();
        Discovery.Found found = Discovery.discover(modelsDir);
        Manifest manifest = loadManifest(modelsDir, options);
        if (!found.errors().isEmpty()) {
            return new CheckRun(modelsDir, manifest, List.of(), found.errors(), List.of(), since(start));
        }
        List<ModelRef> selected = select(found, manifest, options.names());
        if (options.graph() != null && (selected.size() != 1 || selected.get(0).engine() != Engine.TLC)) {
            throw new IllegalArgumentException("--graph draws the state graph of one TLC model: name exactly one");
        }
        List<SourceError> parseErrors = new ArrayList<>();
        Set<Path> parsed = new LinkedHashSet<>();
        for (ModelRef m : selected) {
            if (m.engine() == Engine.TLC && !found.broken().containsKey(m) && parsed.add(m.file())) {
                parseErrors.addAll(Sany.parse(m.file()));
            }
        }
        if (!parseErrors.isEmpty()) {
            return new CheckRun(modelsDir, manifest, List.of(), parseErrors, List.of(), since(start));
        }
        List<ModelResult> results = new ArrayList<>();
        for (ModelRef m : selected) {
            options.listener().started(m);
            ModelResult r = runOne(m, found, manifest, options);
            if (manifest != null) {
                r = r.withDrift(manifest.drift(r));
            }
            results.add(r);
            options.listener().finished(m, r);
        }
        List<String> problems = new ArrayList<>();
        if (manifest != null && options.names().isEmpty()) {
            Set<String> names = new LinkedHashSet<>();
            found.models().forEach(m -> names.add(m.name()));
            for (String entry : manifest.models()) {
                if (!names.contains(entry)) {
                    problems.add(manifest.file() + ": entry \"" + entry + "\" names no model under " + modelsDir);
                }
            }
        }
        return new CheckRun(modelsDir, manifest, results, List.of(), problems, since(start));
    }

    /** The models a check with these options would run, without running them. */
    public static List<ModelRef> plan(Path modelsDir, CheckOptions options) {
        Discovery.Found found = Discovery.discover(modelsDir);
        if (!found.errors().isEmpty()) {
            throw new IllegalArgumentException(found.errors().get(0).toString());
        }
        return select(found, loadManifest(modelsDir, options), options.names());
    }

    /**
     * Records the results of {@code run} in its manifest (or a new {@code manifest.json} in the
     * models folder when it had none) and returns the file written.
     */
    public static Path updateManifest(CheckRun run, Path manifestFile) {
        Path file = manifestFile != null
                ? manifestFile
                : run.manifest() != null ? run.manifest().file() : defaultManifest(run.modelsDir());
        Manifest base = run.manifest() != null && run.manifest().file().equals(file)
                ? run.manifest()
                : Files.exists(file) ? Manifest.read(file) : Manifest.empty(file);
        Set<String> existing = new LinkedHashSet<>();
        Discovery.discover(run.modelsDir()).models().forEach(m -> existing.add(m.name()));
        Manifest updated = base.updated(run.results(), existing);
        updated.write();
        return file;
    }

    private static Manifest loadManifest(Path modelsDir, CheckOptions options) {
        Path file = options.manifest() != null ? options.manifest() : defaultManifest(modelsDir);
        if (!Files.exists(file)) {
            // No manifest: results are shown, not compared (and --update-manifest creates it).
            return null;
        }
        return Manifest.read(file);
    }

    private static List<ModelRef> select(Discovery.Found found, Manifest manifest, List<String> names) {
        if (names.isEmpty()) {
            return found.models().stream()
                    .filter(m -> manifest == null
                            || manifest.entry(m.name())
                                    .map(Manifest.Entry::runByDefault)
                                    .orElse(true))
                    .toList();
        }
        List<ModelRef> out = new ArrayList<>();
        for (String name : names) {
            List<ModelRef> matches = found.models().stream()
                    .filter(m -> m.name().equals(name) || m.name().startsWith(name + "/"))
                    .toList();
            if (matches.isEmpty()) {
                throw new IllegalArgumentException("no model named " + name + " (ladle check --list shows them)");
            }
            matches.stream().filter(m -> !out.contains(m)).forEach(out::add);
        }
        return out;
    }

    private static ModelResult runOne(ModelRef m, Discovery.Found found, Manifest manifest, CheckOptions options) {
        String broken = found.broken().get(m);
        if (broken != null) {
            return ModelResult.error(m, broken, Duration.ZERO);
        }
        Manifest.Entry entry =
                manifest == null ? null : manifest.entry(m.name()).orElse(null);
        if (m.engine() == Engine.ALLOY) {
            Duration limit = options.timeout() != null
                    ? options.timeout()
                    : entry != null && entry.timeoutSeconds() > 0 ? Duration.ofSeconds(entry.timeoutSeconds()) : null;
            // In this JVM when unlimited (no JVM start-up cost); with a limit, in a JVM that can be stopped.
            return limit == null ? AlloyRunner.run(m, found.alloyWorlds().get(m.file())) : AlloyChild.run(m, limit);
        }
        int workers = entry != null && entry.workers() > 0 && options.workers() == 0
                ? entry.workers()
                : options.effectiveWorkers();
        Duration timeout = options.timeout();
        if (timeout == null && entry != null && entry.timeoutSeconds() > 0) {
            timeout = Duration.ofSeconds(entry.timeoutSeconds());
        }
        return TlcRunner.run(m, options, workers, timeout);
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
