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
        description = "Mutation testing of the specs: generate single-change mutants, run each on the default models.",
        descriptionHeading = "%n",
        parameterListHeading = "%n",
        optionListHeading = "%n",
        header = {
            "Generates single-change mutants of the specs the default models check (Kernel.tla and the modules it "
                    + "extends, Persistence.tla, KernelImpl.tla when it exists), found with SANY on the definitions "
                    + "Init and Next use: drop a conjunct, negate a condition (= #, \\in \\notin), move a comparison "
                    + "boundary (< <=, > >=), \\cup -> \\, \\subseteq -> =, drop an EXCEPT path, swap two action "
                    + "parameters of the same set, read a variable after the step instead of before (and the "
                    + "reverse). Each mutant runs in a copy of the specs on the models that extend the mutated "
                    + "module, smallest first, each TLC in a child JVM, until one reports a violation.",
            "",
            "Per mutant: killed (by which model and invariant or property), killed (TLC error), survived (counts "
                    + "changed: only the manifest's state counts noticed), or survived; survivors with their diff. "
                    + "Score: killed / mutants. Exit codes: 0 the run finished; 2 usage error."
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
        // The witnesses of the chosen models: a witness is named <Model>_<Witness>.
        for (String w : witnesses) {
            if (models.contains(w.substring(0, Math.max(0, w.indexOf('_'))))) {
                models.add(w);
            }
        }
        if (limit < 0 || jobs < 1) {
            err.println("ladle mutate: --limit takes a positive number and --jobs at least 1");
            return Ladle.EXIT_USAGE;
        }
        // Each spec root and the modules of it that are mutated.
        Map<String, Set<String>> roots = new LinkedHashMap<>();
        roots.put("Kernel", Set.of("Kernel", "CSpace", "Memory", "Ipc"));
        roots.put("Persistence", Set.of("Persistence"));
        roots.put("KernelImpl", Set.of("KernelImpl"));
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
                out.println(m.where() + "  " + m.operator() + " (" + m.definition() + "): " + oneLine(m.original())
                        + "  ->  " + oneLine(m.replacement()));
            }
            out.println(mutants.size() + " of " + all + " mutants");
            return 0;
        }
        err.println("ladle mutate: " + mutants.size() + " of " + all + " mutants on " + String.join(", ", models) + " ("
                + jobs + " at a time)");
        List<MutationRun.Result> results = MutationRun.run(tla, manifest, models, mutants, jobs, line -> {
            synchronized (err) {
                err.println(line);
                err.flush();
            }
        });
        out.print(report(results));
        return 0;
    }

    private static boolean checkedBy(Path tla, List<String> models, String module) throws IOException {
        for (String m : models) {
            if (MutationRun.extendsModule(tla, m, module)) {
                return true;
            }
        }
        return false;
    }

    static String report(List<MutationRun.Result> results) {
        StringBuilder s = new StringBuilder();
        Map<String, int[]> byModule = new LinkedHashMap<>();
        for (MutationRun.Result r : results) {
            int[] c = byModule.computeIfAbsent(r.mutant().module(), k -> new int[4]);
            c[r.outcome().ordinal()]++;
        }
        s.append("\nmodule        mutants  killed  killed(error)  survived(counts)  survived  score\n");
        int[] total = new int[4];
        for (Map.Entry<String, int[]> e : byModule.entrySet()) {
            int[] c = e.getValue();
            for (int i = 0; i < 4; i++) {
                total[i] += c[i];
            }
            s.append(row(e.getKey(), c));
        }
        s.append(row("all", total));
        boolean any = false;
        for (MutationRun.Result r : results) {
            if (r.outcome().killed()) {
                continue;
            }
            if (!any) {
                s.append("\nSurvivors:\n");
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

    private static String row(String module, int[] c) {
        int n = c[0] + c[1] + c[2] + c[3];
        int killed = c[0] + c[1];
        return String.format(
                "%-12s  %7d  %6d  %13d  %16d  %8d  %4.0f%%%n",
                module, n, c[0], c[1], c[2], c[3], n == 0 ? 0.0 : 100.0 * killed / n);
    }

    private static String oneLine(String s) {
        String t = s.replaceAll("\\s+", " ").strip();
        return t.length() > 70 ? t.substring(0, 67) + "..." : t;
    }
}
