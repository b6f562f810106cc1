package dev.ladle.checker;

import dev.ladle.tla.Sany;
import dev.ladle.tla.SourceError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Model-checks every TLA+ model and Alloy command under a folder: discovery, a parse pass over
 * everything selected (SANY and TLC's configuration parser for TLA+, Alloy's own parser), then
 * each model in turn, TLC in a child JVM per model and Alloy in this JVM, then the comparison
 * with the manifest.
 *
 * <pre>
 * CheckRun run = Checker.check(Path.of("specs/src/test/mutants"), CheckOptions.defaults().withWorkers(1));
 * run.exitCode();                         // 0 when every model gave what the manifest expects
 * run.result("MCIpcLoses").get().violated();
 * </pre>
 *
 * <p>Input errors (missing folder, no models, unknown model name, malformed manifest) are thrown
 * as {@link IllegalArgumentException}; a manifest that cannot be read or written as {@link
 * java.io.UncheckedIOException}.
 */
public final class Checker {
    private Checker() {}

    /**
     * What a check with some options would run.
     *
     * @param found what discovery found
     * @param manifest the manifest results are compared with, or null
     * @param models every model, each with the module it is checked against
     * @param broken models that cannot run, with the reason
     * @param selected the models the options select, in order
     */
    public record Plan(
            Discovery.Found found,
            Manifest manifest,
            List<ModelRef> models,
            Map<ModelRef, String> broken,
            List<ModelRef> selected) {}

    /** The manifest a folder uses by default: its own {@code manifest.json}, when it has one. */
    public static Path defaultManifest(Path modelsDir) {
        return modelsDir.resolve("manifest.json");
    }

    /**
     * The manifest {@code options} choose for {@code modelsDir}: none with {@code noManifest}; the
     * named file, which must exist; else the folder's own {@code manifest.json} when it has one.
     */
    static Manifest manifestFor(Path modelsDir, CheckOptions options) {
        if (options.noManifest()) {
            return null;
        }
        if (options.manifest() != null) {
            if (!Files.exists(options.manifest())) {
                throw new IllegalArgumentException("manifest " + options.manifest() + " does not exist");
            }
            return Manifest.read(options.manifest());
        }
        Path own = defaultManifest(modelsDir);
        return Files.exists(own) ? Manifest.read(own) : null;
    }

    /** Discovers, reads the manifest, resolves modules and selects; runs nothing. */
    public static Plan prepare(Path modelsDir, CheckOptions options) {
        Discovery.Found found = Discovery.discover(modelsDir);
        Manifest manifest = manifestFor(modelsDir, options);
        Map<ModelRef, String> broken = new LinkedHashMap<>();
        List<ModelRef> models = new ArrayList<>();
        for (ModelRef m : found.models()) {
            ModelRef resolved = withModule(m, manifest, options.module(), broken);
            if (resolved.equals(m) && found.broken().containsKey(m)) {
                broken.put(m, found.broken().get(m));
            }
            models.add(resolved);
        }
        if (models.isEmpty() && found.errors().isEmpty()) {
            throw new IllegalArgumentException(nothingFound(modelsDir, found));
        }
        return new Plan(found, manifest, models, broken, select(models, manifest, options.names()));
    }

    /** The models a check with these options would run, without running them. */
    public static List<ModelRef> plan(Path modelsDir, CheckOptions options) {
        return prepare(modelsDir, options).selected();
    }

    /**
     * Runs the models of {@code modelsDir} that {@code options} select.
     *
     * @throws IllegalArgumentException for an input error: missing folder, no models, unknown model
     *     name, malformed manifest, {@code --graph} with other than one TLC model
     */
    public static CheckRun check(Path modelsDir, CheckOptions options) {
        long start = System.nanoTime();
        Plan plan = prepare(modelsDir, options);
        Manifest manifest = plan.manifest();
        List<ModelRef> selected = plan.selected();
        if (options.graph() != null && (selected.size() != 1 || selected.get(0).engine() != Engine.TLC)) {
            throw new IllegalArgumentException("--graph draws the state graph of one TLC model: name exactly one");
        }
        // Every input error at once: Alloy's (from discovery), SANY's and the configurations'.
        List<SourceError> inputErrors = new ArrayList<>(plan.found().errors());
        Map<Path, Sany.Parsed> parsed = new LinkedHashMap<>();
        for (ModelRef m : selected) {
            if (m.engine() != Engine.TLC || plan.broken().containsKey(m) || skip(manifest, m) != null) {
                continue;
            }
            Sany.Parsed p = parsed.computeIfAbsent(m.file(), Sany::resolve);
            if (!p.errors().isEmpty()) {
                continue;
            }
            inputErrors.addAll(CfgCheck.check(m, p.root()));
        }
        parsed.values().forEach(p -> inputErrors.addAll(p.errors()));
        if (!inputErrors.isEmpty()) {
            return new CheckRun(modelsDir, manifest, List.of(), inputErrors, List.of(), TempFolder.since(start));
        }
        List<ModelResult> results = new ArrayList<>();
        for (ModelRef m : selected) {
            options.listener().started(m);
            ModelResult r = runOne(m, plan, options);
            if (manifest != null && r.verdict() != Verdict.SKIPPED) {
                r = r.withDrift(manifest.drift(r));
            }
            results.add(r);
            options.listener().finished(m, r);
        }
        List<String> problems = new ArrayList<>();
        if (manifest != null && options.names().isEmpty()) {
            Set<String> names = new LinkedHashSet<>();
            plan.models().forEach(m -> names.add(m.name()));
            for (String entry : manifest.models()) {
                if (!names.contains(entry)) {
                    problems.add(manifest.file() + ": entry \"" + entry + "\" names no model under " + modelsDir);
                }
            }
        }
        return new CheckRun(modelsDir, manifest, results, List.of(), problems, TempFolder.since(start));
    }

    /** The SANY and configuration errors of one TLA+ model (what {@link #check} reports before TLC runs). */
    static List<SourceError> cfgErrors(ModelRef model) {
        Sany.Parsed p = Sany.resolve(model.file());
        return p.errors().isEmpty() ? CfgCheck.check(model, p.root()) : p.errors();
    }

    /**
     * Records the results of {@code run} in its manifest (or a new {@code manifest.json} in the
     * models folder when it had none) and returns the file written.
     *
     * @throws IllegalArgumentException when the manifest is in the TLA+ examples format (read only)
     * @throws java.io.UncheckedIOException when it cannot be written
     */
    public static Path updateManifest(CheckRun run, Path manifestFile) {
        Path file = manifestFile != null
                ? manifestFile
                : run.manifest() != null ? run.manifest().file() : defaultManifest(run.modelsDir());
        Manifest base = run.manifest() != null && run.manifest().file().equals(file)
                ? run.manifest()
                : Files.exists(file) ? Manifest.read(file) : Manifest.empty(file);
        if (base.examplesFormat()) {
            throw new IllegalArgumentException(file + " is in the TLA+ examples repository's format, which"
                    + " --update-manifest does not rewrite: give --manifest NEW.json to record the results apart");
        }
        Set<String> existing = new LinkedHashSet<>();
        Discovery.discover(run.modelsDir()).models().forEach(m -> existing.add(m.name()));
        Manifest updated = base.updated(run.results(), existing);
        updated.write();
        return file;
    }

    private static String nothingFound(Path modelsDir, Discovery.Found found) {
        String lonely = found.lonely().stream()
                .limit(5)
                .map(p -> p.getFileName().toString())
                .collect(Collectors.joining(", "));
        return "no models found under " + modelsDir
                + " (a TLA+ model is an X.cfg beside X.tla; an Alloy model is a check or run command in a .als file)"
                + (lonely.isEmpty()
                        ? ""
                        : "; " + lonely + (found.lonely().size() > 5 ? ", ..." : "")
                                + (found.lonely().size() == 1 ? " has" : " have")
                                + " no .cfg of the same name (give the module of a differently named .cfg with"
                                + " --module)");
    }

    /**
     * {@code m} checked against the module the command line or the manifest names for it, else
     * unchanged; when that module does not exist, {@code broken} says so.
     */
    private static ModelRef withModule(ModelRef m, Manifest manifest, String option, Map<ModelRef, String> broken) {
        if (m.engine() != Engine.TLC) {
            return m;
        }
        String module = option;
        String from = "--module";
        if (module == null && manifest != null) {
            module = manifest.entry(m.name())
                    .map(Manifest.Entry::module)
                    .filter(s -> !s.isEmpty())
                    .orElse(null);
            from = manifest.file().getFileName().toString();
        }
        if (module == null) {
            return m;
        }
        Path tla = m.config().resolveSibling(module.replaceFirst("\\.tla$", "") + ".tla");
        ModelRef resolved = ModelRef.tlc(m.name(), tla, m.config());
        if (!Files.exists(tla)) {
            broken.put(
                    resolved,
                    "module " + tla.getFileName() + " (named by " + from + ") does not exist beside "
                            + m.config().getFileName());
        }
        return resolved;
    }

    private static String skip(Manifest manifest, ModelRef m) {
        if (manifest == null) {
            return null;
        }
        return manifest.entry(m.name())
                .map(Manifest.Entry::skip)
                .filter(s -> !s.isEmpty())
                .orElse(null);
    }

    private static List<ModelRef> select(List<ModelRef> models, Manifest manifest, List<String> names) {
        if (names.isEmpty()) {
            return models.stream()
                    .filter(m -> manifest == null
                            || manifest.entry(m.name())
                                    .map(Manifest.Entry::runByDefault)
                                    .orElse(true))
                    .toList();
        }
        List<ModelRef> out = new ArrayList<>();
        for (String name : names) {
            List<ModelRef> matches = models.stream()
                    .filter(m -> m.name().equals(name) || m.name().startsWith(name + "/"))
                    .toList();
            if (matches.isEmpty()) {
                throw new IllegalArgumentException("no model named " + name + " (ladle check --list shows them)");
            }
            matches.stream().filter(m -> !out.contains(m)).forEach(out::add);
        }
        return out;
    }

    private static ModelResult runOne(ModelRef m, Plan plan, CheckOptions options) {
        String broken = plan.broken().get(m);
        if (broken != null) {
            return ModelResult.error(m, broken, Duration.ZERO);
        }
        Manifest manifest = plan.manifest();
        String skip = skip(manifest, m);
        if (skip != null) {
            return ModelResult.skipped(m, skip);
        }
        Manifest.Entry entry =
                manifest == null ? null : manifest.entry(m.name()).orElse(null);
        Duration timeout = options.timeout();
        if (timeout == null && entry != null && entry.timeoutSeconds() > 0) {
            timeout = Duration.ofSeconds(entry.timeoutSeconds());
        }
        if (m.engine() == Engine.ALLOY) {
            // In this JVM when unlimited (no JVM start-up cost); with a limit, in a JVM that can be stopped.
            return timeout == null
                    ? AlloyRunner.run(m, plan.found().alloyWorlds().get(m.file()))
                    : AlloyChild.run(m, timeout);
        }
        int workers = entry != null && entry.workers() > 0 && options.workers() == 0
                ? entry.workers()
                : options.effectiveWorkers();
        return TlcRunner.run(m, options, workers, timeout);
    }
}
