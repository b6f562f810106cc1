package dev.ladle.cli;

import dev.ladle.checker.Manifest;
import dev.ladle.checker.MutationRun;
import dev.ladle.checker.SpecMutants;
import dev.ladle.checker.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ladle mutate}: single-change mutants of the specs, run on the default models. */
@Command(
        name = "mutate",
        mixinStandardHelpOptions = true,
        header = "Mutation testing of the specs: generate single-change mutants, run each on the default models.",
        descriptionHeading = "%n",
        parameterListHeading = "%n",
        optionListHeading = "%n",
        description = {
            "Generates single-change mutants of the specs the default models check (Kernel.tla and the modules it "
                    + "extends, Persistence.tla, KernelImpl.tla when it exists), found with SANY on the definitions "
                    + "Init and Next use: drop a conjunct, negate a condition (= #, \\in \\notin), move a comparison "
                    + "boundary (< <=, > >=), \\cup -> \\, \\subseteq -> =, drop an EXCEPT path, swap two action "
                    + "parameters of the same set, read a variable after the step instead of before (and the "
                    + "reverse). Every model that uses a mutated module first runs once unmutated (its time and "
                    + "TLC's coverage, kept in target/mutate-baseline/). Each mutant then runs in a copy of the "
                    + "specs on the models whose checked configuration uses the mutated definition (SANY's tree; the "
                    + "others cannot tell it from the spec and are skipped), those that took an action using it "
                    + "first, cheapest by measured time second (witnesses just before their model), each TLC in a "
                    + "child JVM with one worker, until one reports a violation.",
            "",
            "Per mutant: killed (by which model and invariant or property), killed (TLC error), equivalent "
                    + "(listed in specs/mutate-equivalent.txt, not run), timed out (--timeout), survived (counts "
                    + "changed: only the manifest's state counts noticed), or survived; survivors with their diff. "
                    + "Score: killed / (mutants - equivalent). Exit codes: 0 the run finished (whatever the score); 1 a model"
                    + " unmutated does not give what the manifest expects (no mutant runs); 2 usage or input error"
                    + " (an option, a MODEL, a place or a module that has no mutant, a malformed --equivalent"
                    + " file); 3 a file could not be read or written."
        })
public final class MutateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(
            paramLabel = "MODEL",
            arity = "0..*",
            description =
                    "Only these default models that hold (and the witnesses that extend them), and only the"
                            + " mutants of definitions they use (MCIpc alone: those of the Ipc and CSpace definitions it uses).")
    List<String> names = new ArrayList<>();

    @Option(
            names = "--limit",
            paramLabel = "N",
            description = "At most N mutants, spread evenly over the specs (default: 0, no limit).")
    int limit;

    @Option(names = "--jobs", paramLabel = "N", description = "Mutants run at a time (default: ${DEFAULT-VALUE}).")
    int jobs = 1;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            description = "Time limit per mutant, over all its models: past it the mutant is reported as timed out"
                    + " (default: 0, no limit).")
    long timeout;

    @Option(
            names = "--resume",
            description = "Take each mutant's outcome from an earlier run when it was recorded on exactly the same"
                    + " inputs (the mutated module and every model the mutant runs on, with their manifest entries;"
                    + " kept in target/mutate-results/ as each mutant finishes), and run only the others: a long"
                    + " run stopped part way goes on where it stopped. Timed-out mutants run again.")
    boolean resume;

    @Option(
            names = "--equivalent",
            paramLabel = "FILE",
            description = "The mutants known to be equivalent, one key a line as --list prints it after the"
                    + " place, # for a comment (default: specs/mutate-equivalent.txt). A line that is not a key"
                    + " is an input error naming the line; a key no mutant has any more is named and left out.")
    Path equivalentFile;

    @Option(
            names = "--at",
            paramLabel = "FILE:LINE:COL",
            description = "Only the mutants at this place, as --list prints it (Kernel.tla:50:8; a path to the file is"
                    + " taken too); repeatable.")
    List<String> places = new ArrayList<>();

    @Option(
            names = "--list",
            description = "List the mutants that would run (place, then key) and stop; --jobs, --timeout and"
                    + " --resume then have no effect.")
    boolean list;

    @Option(names = "--module", paramLabel = "M", description = "Only mutants of this module (Kernel, CSpace, ...).")
    List<String> onlyModules = new ArrayList<>();

    /** A key of the equivalent mutants' file, as {@link SpecMutants.Mutant#key()} makes it. */
    static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile(
            "[A-Za-z_][A-Za-z0-9_]*\\.tla \\([A-Za-z_][A-Za-z0-9_]*\\) [^:]+: .* -> .*");

    /** A place as --list prints it before the key: FILE.tla:LINE:COLUMN. */
    private static final java.util.regex.Pattern PLACE =
            java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*\\.tla:[1-9][0-9]*:[1-9][0-9]*");

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // The command line first: nothing is read or run before it is known good.
        if (jobs < 1) {
            err.println("ladle mutate: --jobs takes a number of mutants of 1 or more, not " + jobs);
            return Ladle.EXIT_USAGE;
        }
        if (timeout < 0) {
            err.println("ladle mutate: --timeout takes a number of seconds of 1 or more (0: no limit), not " + timeout);
            return Ladle.EXIT_USAGE;
        }
        if (limit < 0) {
            err.println("ladle mutate: --limit takes a number of mutants of 1 or more (0: no limit), not " + limit);
            return Ladle.EXIT_USAGE;
        }
        // a place as a compiler prints it, with the spec's folder (specs/src/main/tla/Kernel.tla:50:8), is the file's
        for (int i = 0; i < places.size(); i++) {
            String place = places.get(i);
            String file = place.substring(Math.max(place.lastIndexOf('/'), place.lastIndexOf('\\')) + 1);
            if (!file.equals(place) && PLACE.matcher(file).matches()) {
                places.set(i, file);
            }
        }
        for (String place : places) {
            if (!PLACE.matcher(place).matches()) {
                err.println("ladle mutate: --at " + place + ": expected FILE.tla:LINE:COLUMN as --list prints it"
                        + " (Kernel.tla:50:8)");
                return Ladle.EXIT_USAGE;
            }
        }
        if (list) {
            List<String> ignored = new ArrayList<>();
            for (String option : List.of("--jobs", "--timeout", "--resume")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                    ignored.add(option);
                }
            }
            if (!ignored.isEmpty()) {
                err.println("ladle mutate: --list runs no mutant: " + String.join(", ", ignored)
                        + (ignored.size() == 1 ? " has" : " have") + " no effect");
            }
        }
        Path home =
                Path.of(System.getProperty("ladle.home", ".")).toAbsolutePath().normalize();
        Path specs =
                Path.of(System.getProperty("ladle.specs", home.resolve("specs").toString()));
        Path tla = specs.resolve("src/main/tla");
        Manifest manifest;
        try {
            manifest = Manifest.read(specs.resolve("manifest.json"));
        } catch (IllegalArgumentException e) {
            err.println("ladle mutate: " + e.getMessage());
            return Ladle.EXIT_USAGE;
        }
        List<String> models = new ArrayList<>();
        for (String m : manifest.models()) {
            Manifest.Entry e = manifest.entry(m).orElseThrow();
            if (e.engine() == dev.ladle.checker.Engine.TLC
                    && e.expect() == Verdict.HOLDS
                    && e.runByDefault()
                    && Files.exists(tla.resolve(m + ".cfg"))) {
                models.add(m);
            }
        }
        List<String> witnesses = new ArrayList<>();
        for (String m : manifest.models()) {
            Manifest.Entry e = manifest.entry(m).orElseThrow();
            if (e.engine() == dev.ladle.checker.Engine.TLC
                    && e.expect() == Verdict.VIOLATED
                    && e.runByDefault()
                    && Files.exists(tla.resolve(m + ".cfg"))) {
                witnesses.add(m);
            }
        }
        if (!names.isEmpty()) {
            for (String n : names) {
                if (!models.contains(n)) {
                    err.println("ladle mutate: " + notAModel(n, manifest, tla));
                    return Ladle.EXIT_USAGE;
                }
            }
            models = new ArrayList<>(new LinkedHashSet<>(names));
        }
        // The witnesses of the chosen models: each extends the model whose situations it names
        // (with no model named, every default model the manifest expects violated).
        List<String> holding = List.copyOf(models);
        for (String w : witnesses) {
            if (names.isEmpty()) {
                models.add(w);
                continue;
            }
            for (String m : holding) {
                if (MutationRun.uses(tla, w, m)) {
                    models.add(w);
                    break;
                }
            }
        }
        Path eqFile = equivalentFile != null ? equivalentFile : specs.resolve("mutate-equivalent.txt");
        if (equivalentFile != null && Files.isDirectory(equivalentFile)) {
            err.println("ladle mutate: --equivalent " + equivalentFile
                    + " is a folder: give the file of the equivalent mutants' keys");
            return Ladle.EXIT_USAGE;
        }
        if (equivalentFile != null && !Files.exists(equivalentFile)) {
            err.println("ladle mutate: --equivalent " + equivalentFile + ": no such file");
            return Ladle.EXIT_USAGE;
        }
        // Each key of the file and the line it is on.
        Map<String, Integer> equivalentLines = new LinkedHashMap<>();
        if (Files.exists(eqFile)) {
            String bad = readEquivalent(eqFile, equivalentLines);
            if (bad != null) {
                err.println("ladle mutate: " + bad);
                return Ladle.EXIT_USAGE;
            }
        }
        Set<String> equivalent = equivalentLines.keySet();
        // Each spec root and the modules of it that are mutated.
        Map<String, Set<String>> roots = new LinkedHashMap<>();
        roots.put("Kernel", Set.of("Kernel", "CSpace", "Memory", "Ipc"));
        roots.put("Persistence", Set.of("Persistence"));
        roots.put("KernelImpl", Set.of("KernelImpl"));
        Set<String> mutable = new java.util.TreeSet<>();
        roots.values().forEach(mutable::addAll);
        for (String m : onlyModules) {
            if (!mutable.contains(m)) {
                err.println(
                        "ladle mutate: --module " + m + ": not a mutated module (" + String.join(", ", mutable) + ")");
                return Ladle.EXIT_USAGE;
            }
        }
        List<SpecMutants.Mutant> mutants = new ArrayList<>();
        Set<String> mutated = new java.util.TreeSet<>();
        for (Map.Entry<String, Set<String>> r : roots.entrySet()) {
            Path file = tla.resolve(r.getKey() + ".tla");
            Set<String> modules = new java.util.TreeSet<>(r.getValue());
            if (!onlyModules.isEmpty()) {
                modules.retainAll(onlyModules);
            }
            // A root's modules are mutated when a chosen model checks one of them (MCIpc checks Ipc alone).
            if (modules.isEmpty() || !Files.exists(file) || !checkedBy(tla, models, modules)) {
                continue;
            }
            try {
                mutants.addAll(SpecMutants.of(file, modules));
            } catch (IllegalArgumentException e) {
                err.println("ladle mutate: " + e.getMessage());
                return Ladle.EXIT_USAGE;
            }
            mutated.addAll(modules);
        }
        // A listed key of a mutated module that no mutant has: the spec changed under it (or a typo).
        Set<String> made = new LinkedHashSet<>();
        mutants.forEach(m -> made.add(m.key()));
        for (Map.Entry<String, Integer> k : equivalentLines.entrySet()) {
            String module = k.getKey().substring(0, k.getKey().indexOf(".tla"));
            if (mutated.contains(module) && !made.contains(k.getKey())) {
                err.println("ladle mutate: " + eqFile + ":" + k.getValue()
                        + ": lists a mutant that is no longer made (not run, not counted): " + k.getKey());
            }
        }
        List<SpecMutants.Mutant> generated = List.copyOf(mutants);
        if (!names.isEmpty()) {
            // A mutant of a definition no chosen model uses would run on no model and be reported as a survivor.
            Set<String> used = new java.util.HashSet<>();
            try {
                for (String m : models) {
                    used.addAll(MutationRun.usedDefinitions(tla, m));
                }
            } catch (IllegalArgumentException e) {
                err.println("ladle mutate: " + e.getMessage());
                return Ladle.EXIT_USAGE;
            }
            mutants.removeIf(m -> !used.contains(MutationRun.definitionKey(m)));
        }
        if (!places.isEmpty()) {
            List<SpecMutants.Mutant> usable = List.copyOf(mutants);
            mutants.removeIf(m -> !places.contains(m.where()));
            for (String place : places) {
                if (mutants.stream().noneMatch(m -> m.where().equals(place))) {
                    List<String> unused = generated.stream()
                            .filter(m -> m.where().equals(place))
                            .map(SpecMutants.Mutant::definition)
                            .distinct()
                            .toList();
                    err.println("ladle mutate: --at " + place + ": "
                            + (unused.isEmpty()
                                    ? "no mutant there" + near(usable, mutated, place)
                                    : "the mutants there change " + String.join(", ", unused) + ", which none of "
                                            + String.join(", ", names) + " uses"));
                    return Ladle.EXIT_USAGE;
                }
            }
        }
        if (mutants.isEmpty()) {
            err.println("ladle mutate: no mutant to run: "
                    + (names.isEmpty()
                            ? "the default models use"
                            : String.join(", ", names) + (names.size() == 1 ? " uses" : " use"))
                    + " no mutated definition"
                    + (onlyModules.isEmpty() ? "" : " of " + String.join(", ", onlyModules)));
            return Ladle.EXIT_USAGE;
        }
        int all = mutants.size();
        if (limit > 0 && limit < mutants.size()) {
            List<SpecMutants.Mutant> sample = new ArrayList<>();
            for (int i = 0; i < limit; i++) {
                sample.add(mutants.get((int) ((long) i * mutants.size() / limit)));
            }
            mutants = sample;
        }
        if (list) {
            for (SpecMutants.Mutant m : mutants) {
                out.println(m.where() + "  " + m.key() + (equivalent.contains(m.key()) ? "  [equivalent]" : ""));
            }
            out.println(mutants.size() + " of " + all + " mutants");
            return 0;
        }
        // Where each outcome is kept: a folder that cannot be made ends the run before anything runs.
        Path cache = home.resolve("target");
        Files.createDirectories(cache.resolve("mutate-baseline"));
        Files.createDirectories(cache.resolve("mutate-results"));
        err.println("ladle mutate: " + mutants.size() + " of " + all + " mutants on " + String.join(", ", models) + " ("
                + jobs + " at a time" + (timeout > 0 ? ", at most " + timeout + " s each" : "") + ")");
        MutationRun.Settings settings = new MutationRun.Settings(
                jobs, timeout > 0 ? java.time.Duration.ofSeconds(timeout) : null, equivalent, cache, resume);
        List<MutationRun.Result> results;
        try {
            results = MutationRun.run(tla, manifest, models, mutants, settings, line -> {
                synchronized (err) {
                    err.println(line);
                    err.flush();
                }
            });
        } catch (MutationRun.ReferenceDiffers e) {
            err.println("ladle mutate: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            // a model that does not parse
            err.println("ladle mutate: " + e.getMessage());
            return Ladle.EXIT_USAGE;
        }
        out.print(report(results));
        // print does not flush picocli's writer, and the JVM exits right after: the report was lost when redirected.
        out.flush();
        return 0;
    }

    /** Why {@code name} is not a model mutants run on. */
    private static String notAModel(String name, Manifest manifest, Path tla) {
        java.util.Optional<Manifest.Entry> e = manifest.entry(name);
        if (e.isEmpty()) {
            return "no model " + name + " in " + manifest.file() + " ('ladle check --list' lists the models)";
        }
        if (e.get().engine() != dev.ladle.checker.Engine.TLC) {
            return name + " is an Alloy command: mutants run on the TLC models";
        }
        if (!e.get().runByDefault()) {
            return name + " is not a default model (\"default\": false in " + manifest.file()
                    + "): mutants run on the default models";
        }
        if (e.get().expect() == Verdict.VIOLATED) {
            return name + " is a witness (the manifest expects " + e.get().invariant()
                    + " violated): it runs with the models it extends; name one of those";
        }
        if (!Files.exists(tla.resolve(name + ".cfg"))) {
            return name + ": no " + tla.resolve(name + ".cfg");
        }
        return name + " is not a default model that holds (see " + manifest.file() + ")";
    }

    /**
     * Reads the equivalent mutants' keys of {@code file} into {@code keys} (each with its line), or says what is
     * wrong with the file, naming it and the line.
     */
    static String readEquivalent(Path file, Map<String, Integer> keys) throws IOException {
        String text;
        try {
            text = java.nio.charset.StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return file + ": not UTF-8 text: the equivalent mutants' keys are a text file";
        }
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String key = lines.get(i).strip();
            if (key.isEmpty() || key.startsWith("#")) {
                continue;
            }
            key = key.replaceAll("\\s+", " ");
            java.util.regex.Matcher place = java.util.regex.Pattern.compile("^(" + PLACE.pattern() + ") ")
                    .matcher(key);
            if (place.find()) {
                return file + ":" + (i + 1) + ": starts with a place (" + place.group(1)
                        + "): a key is what --list prints after the place";
            }
            if (!KEY.matcher(key).matches()) {
                return file + ":" + (i + 1) + ": not a mutant's key (MODULE.tla (Definition) operator: before ->"
                        + " after in \"line\", as --list prints it after the place): " + key;
            }
            keys.putIfAbsent(key, i + 1);
        }
        return null;
    }

    private static boolean checkedBy(Path tla, List<String> models, Set<String> modules) throws IOException {
        for (String m : models) {
            for (String module : modules) {
                if (MutationRun.uses(tla, m, module)) {
                    return true;
                }
            }
        }
        return false;
    }

    static String report(List<MutationRun.Result> results) {
        StringBuilder s = new StringBuilder();
        Map<String, int[]> byModule = new LinkedHashMap<>();
        int n = MutationRun.Outcome.values().length;
        for (MutationRun.Result r : results) {
            byModule.computeIfAbsent(r.mutant().module(), k -> new int[n])[
                    r.outcome().ordinal()]++;
        }
        s.append(
                "\nmodule        mutants  killed  (TLC error)  equivalent  survived  (counts changed)  unfinished  score\n");
        int[] total = new int[n];
        for (Map.Entry<String, int[]> e : byModule.entrySet()) {
            for (int i = 0; i < n; i++) {
                total[i] += e.getValue()[i];
            }
            s.append(row(e.getKey(), e.getValue()));
        }
        s.append(row("all", total));
        s.append("score = killed / (mutants - equivalent); unfinished mutants (timed out, or TLC stopped by its"
                + " memory or a signal) count against it\n");
        int runs = 0;
        double saved = 0;
        for (MutationRun.Result r : results) {
            if (r.outcome() != MutationRun.Outcome.EQUIVALENT) {
                runs += r.skipped().size();
                saved += r.skippedSeconds();
            }
        }
        s.append(String.format(
                "skipped: %d model runs whose model does not use the mutated definition (it cannot tell the mutant"
                        + " from the spec); %.0f s of unmutated model time%n",
                runs, saved));
        boolean any = false;
        for (MutationRun.Result r : results) {
            if (!r.outcome().survived()
                    && r.outcome() != MutationRun.Outcome.TIMED_OUT
                    && r.outcome() != MutationRun.Outcome.STOPPED) {
                continue;
            }
            if (!any) {
                s.append("\nSurvivors and mutants not finished:\n");
                any = true;
            }
            s.append('\n')
                    .append(r.mutant().where())
                    .append("  ")
                    .append(r.mutant().operator())
                    .append(" in ")
                    .append(r.mutant().definition())
                    .append(": ")
                    .append(r.outcome().text())
                    .append(r.by().isEmpty() ? "" : " " + r.by())
                    .append('\n')
                    .append(r.diff());
        }
        return s.toString();
    }

    static String row(String module, int[] c) {
        int mutants = 0;
        for (int x : c) {
            mutants += x;
        }
        int killed = c[MutationRun.Outcome.KILLED.ordinal()] + c[MutationRun.Outcome.ERROR.ordinal()];
        int equivalent = c[MutationRun.Outcome.EQUIVALENT.ordinal()];
        int counts = c[MutationRun.Outcome.COUNTS_ONLY.ordinal()];
        int survived = counts + c[MutationRun.Outcome.SURVIVED.ordinal()];
        int denominator = mutants - equivalent;
        return String.format(
                "%-12s  %7d  %6d  %11d  %10d  %8d  %16d  %10d  %s%n",
                module,
                mutants,
                killed,
                c[MutationRun.Outcome.ERROR.ordinal()],
                equivalent,
                survived,
                counts,
                c[MutationRun.Outcome.TIMED_OUT.ordinal()] + c[MutationRun.Outcome.STOPPED.ordinal()],
                // no mutant that counts (all equivalent): no score, rather than 0%
                denominator == 0 ? "   -" : String.format("%4.1f%%", 100.0 * killed / denominator));
    }

    /** The mutation sites on the line of {@code place} in its module, or the module's nearest lines, for a hint. */
    private static String near(List<SpecMutants.Mutant> made, Set<String> mutated, String place) {
        String file = place.substring(0, place.indexOf(':'));
        // a line number past any file (or past an int) is far from every site, never an error of its own
        long line = Long.parseLong(place.split(":")[1].length() > 18 ? "999999999999999999" : place.split(":")[1]);
        List<String> inFile = made.stream()
                .map(SpecMutants.Mutant::where)
                .filter(w -> w.startsWith(file + ":"))
                .distinct()
                .toList();
        if (inFile.isEmpty()) {
            List<String> files = mutated.stream().map(m -> m + ".tla").toList();
            return " (" + file + " has no mutants among the modules mutated for these models"
                    + (files.isEmpty() ? "" : ": " + String.join(", ", files)) + ")";
        }
        long best = inFile.stream()
                .mapToLong(w -> Math.abs(Long.parseLong(w.split(":")[1]) - line))
                .min()
                .orElseThrow();
        List<String> closest = inFile.stream()
                .filter(w -> Math.abs(Long.parseLong(w.split(":")[1]) - line) == best)
                .toList();
        return " (nearest: " + String.join(", ", closest) + ")";
    }
}
