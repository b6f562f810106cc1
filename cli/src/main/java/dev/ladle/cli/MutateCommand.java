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
                    + "Score: killed / (mutants - equivalent). Exit codes: 0 the run finished; 2 usage error."
        })
public final class MutateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", arity = "0..*", description = "Only these default models (and their specs).")
    List<String> names = new ArrayList<>();

    @Option(names = "--limit", paramLabel = "N", description = "At most N mutants, spread evenly over the specs.")
    int limit;

    @Option(names = "--jobs", paramLabel = "N", description = "Mutants run at a time (default: ${DEFAULT-VALUE}).")
    int jobs = 1;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            description = "Time limit per mutant, over all its models: past it the mutant is reported as timed out.")
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
            description = "The mutants known to be equivalent, one key a line as --list prints it (default: "
                    + "specs/mutate-equivalent.txt).")
    Path equivalentFile;

    @Option(
            names = "--at",
            paramLabel = "FILE:LINE:COL",
            description = "Only the mutants at this place, as --list prints it (Kernel.tla:50:8); repeatable.")
    List<String> places = new ArrayList<>();

    @Option(names = "--list", description = "List the mutants and stop.")
    boolean list;

    @Option(names = "--module", paramLabel = "M", description = "Only mutants of this module (Kernel, CSpace, ...).")
    List<String> onlyModules = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path home =
                Path.of(System.getProperty("ladle.home", ".")).toAbsolutePath().normalize();
        Path specs =
                Path.of(System.getProperty("ladle.specs", home.resolve("specs").toString()));
        Path tla = specs.resolve("src/main/tla");
        Manifest manifest = Manifest.read(specs.resolve("manifest.json"));
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
                    err.println("ladle mutate: " + n + " is not a default model that holds (see specs/manifest.json)");
                    return Ladle.EXIT_USAGE;
                }
            }
            models = new ArrayList<>(names);
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
        if (limit < 0 || jobs < 1 || timeout < 0) {
            err.println("ladle mutate: --limit and --timeout take a positive number and --jobs at least 1");
            return Ladle.EXIT_USAGE;
        }
        for (String place : places) {
            if (!place.matches("[A-Za-z_][A-Za-z0-9_]*\\.tla:[1-9][0-9]*:[1-9][0-9]*")) {
                err.println("ladle mutate: --at " + place + ": expected FILE.tla:LINE:COLUMN as --list prints it"
                        + " (Kernel.tla:50:8)");
                return Ladle.EXIT_USAGE;
            }
        }
        Path eqFile = equivalentFile != null ? equivalentFile : specs.resolve("mutate-equivalent.txt");
        Set<String> equivalent = new LinkedHashSet<>();
        if (Files.exists(eqFile)) {
            for (String line : Files.readAllLines(eqFile)) {
                String key = line.strip();
                if (!key.isEmpty() && !key.startsWith("#")) {
                    equivalent.add(key.replaceAll("\\s+", " "));
                }
            }
        } else if (equivalentFile != null) {
            err.println("ladle mutate: " + equivalentFile + " does not exist");
            return Ladle.EXIT_USAGE;
        }
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
        for (Map.Entry<String, Set<String>> r : roots.entrySet()) {
            Path file = tla.resolve(r.getKey() + ".tla");
            if (!Files.exists(file) || !checkedBy(tla, models, r.getKey())) {
                continue;
            }
            Set<String> modules = new LinkedHashSet<>(r.getValue());
            if (!onlyModules.isEmpty()) {
                modules.retainAll(onlyModules);
            }
            try {
                mutants.addAll(SpecMutants.of(file, modules));
            } catch (IllegalArgumentException e) {
                err.println("ladle mutate: " + e.getMessage());
                return Ladle.EXIT_USAGE;
            }
        }
        if (!places.isEmpty()) {
            List<SpecMutants.Mutant> made = List.copyOf(mutants);
            mutants.removeIf(m -> !places.contains(m.where()));
            for (String place : places) {
                if (mutants.stream().noneMatch(m -> m.where().equals(place))) {
                    err.println("ladle mutate: --at " + place + ": no mutant there" + near(made, place));
                    return Ladle.EXIT_USAGE;
                }
            }
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
        Set<String> keys = new LinkedHashSet<>();
        mutants.forEach(m -> keys.add(m.key()));
        for (String k : equivalent) {
            if (!keys.contains(k) && limit == 0 && onlyModules.isEmpty() && places.isEmpty()) {
                err.println("ladle mutate: " + eqFile + " lists a mutant that is no longer made: " + k);
            }
        }
        err.println("ladle mutate: " + mutants.size() + " of " + all + " mutants on " + String.join(", ", models) + " ("
                + jobs + " at a time" + (timeout > 0 ? ", at most " + timeout + " s each" : "") + ")");
        MutationRun.Settings settings = new MutationRun.Settings(
                jobs,
                timeout > 0 ? java.time.Duration.ofSeconds(timeout) : null,
                equivalent,
                home.resolve("target"),
                resume);
        List<MutationRun.Result> results = MutationRun.run(tla, manifest, models, mutants, settings, line -> {
            synchronized (err) {
                err.println(line);
                err.flush();
            }
        });
        out.print(report(results));
        // print does not flush picocli's writer, and the JVM exits right after: the report was lost when redirected.
        out.flush();
        return 0;
    }

    private static boolean checkedBy(Path tla, List<String> models, String module) throws IOException {
        for (String m : models) {
            if (MutationRun.uses(tla, m, module)) {
                return true;
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
    private static String near(List<SpecMutants.Mutant> made, String place) {
        String file = place.substring(0, place.indexOf(':'));
        int line = Integer.parseInt(place.split(":")[1]);
        List<String> inFile = made.stream()
                .map(SpecMutants.Mutant::where)
                .filter(w -> w.startsWith(file + ":"))
                .distinct()
                .toList();
        if (inFile.isEmpty()) {
            return " (" + file + " has no mutants among the modules mutated for these models)";
        }
        int best = inFile.stream()
                .mapToInt(w -> Math.abs(Integer.parseInt(w.split(":")[1]) - line))
                .min()
                .orElseThrow();
        List<String> closest = inFile.stream()
                .filter(w -> Math.abs(Integer.parseInt(w.split(":")[1]) - line) == best)
                .toList();
        return " (nearest: " + String.join(", ", closest) + ")";
    }
}
