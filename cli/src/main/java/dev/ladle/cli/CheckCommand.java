package dev.ladle.cli;

import dev.ladle.checker.CheckOptions;
import dev.ladle.checker.CheckRun;
import dev.ladle.checker.Checker;
import dev.ladle.checker.Coverage;
import dev.ladle.checker.ModelRef;
import dev.ladle.checker.ModelResult;
import dev.ladle.checker.Report;
import dev.ladle.tla.SourceError;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ladle check}: model-check every TLA+ model and Alloy command, compare with the manifest. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Model-check every TLA+ model and Alloy command; compare with the manifest.",
            "",
            "Model-checks every TLA+ model (X.cfg beside X.tla, run by TLC in a child JVM) and every Alloy "
                    + "check/run command (Alloy with SAT4J) under the models folder, prints the results table and "
                    + "the counterexamples, and compares each result with the manifest.",
            "",
            "Exit codes: 0 every model gave its expected result; 1 a model is violated, failed, or differs "
                    + "from the manifest; 2 usage, syntax or semantic error."
        },
        footer = {
            "",
            "Default models folder: specs/src/main of the repository, with the manifest specs/manifest.json.",
            "With --specs DIR: the models under DIR, with DIR/manifest.json when it exists (else nothing is compared).",
            "",
            "Distributed: 'ladle check --serve NAME' starts TLC's server for one model; 'ladle worker HOST' attaches a worker."
        })
public final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(
            paramLabel = "NAME",
            arity = "0..*",
            description =
                    "Only these models (TLA+ model name, Alloy File/command, or an Alloy File for all its commands).")
    List<String> names = new ArrayList<>();

    @Option(
            names = "--specs",
            paramLabel = "DIR",
            description = "Check the models under DIR instead of the repository's specs.")
    Path specs;

    @Option(names = "--manifest", paramLabel = "FILE", description = "Compare with (or update) this manifest.")
    Path manifest;

    @Option(
            names = "--update-manifest",
            description = "Record the results (verdicts and state counts) in the manifest.")
    boolean updateManifest;

    @Option(
            names = "--workers",
            paramLabel = "N",
            description = "TLC worker threads per model (default: one per core).")
    int workers;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            description = "Stop a model (TLC or Alloy) after this many seconds: an error for that model.")
    long timeoutSeconds;

    @Option(
            names = "--tlc-heap",
            paramLabel = "SIZE",
            description = "Maximum heap of each TLC child JVM, such as 4g (default: the JVM's).")
    String heap;

    @Option(names = "--list", description = "List the models that would run, and stop.")
    boolean list;

    @Option(
            names = "--json",
            description = "Print the results as JSON on standard output (progress stays on standard error).")
    boolean json;

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress line and no counterexamples: only the results table.")
    boolean quiet;

    @Option(
            names = "--trace-json",
            paramLabel = "FILE",
            description = "Write the counterexamples (TLC traces, Alloy relations) as JSON to FILE.")
    Path traceJson;

    @Option(
            names = "--graph",
            paramLabel = "FILE.svg",
            description = "Draw the state graph of the one named TLC model (Graphviz).")
    Path graph;

    @Option(
            names = "--coverage",
            description = "Run TLC with its coverage report and print how often each action (each disjunct of "
                    + "Next) was taken across the models that hold; exit 1 when one never is.")
    boolean coverage;

    @Option(
            names = "--serve",
            description =
                    "Start TLC's distributed server for the one named model; attach workers with 'ladle worker HOST'.")
    boolean serve;

    @Option(
            names = "--host",
            paramLabel = "ADDRESS",
            defaultValue = "127.0.0.1",
            description =
                    "With --serve: the address workers reach the server at (default: ${DEFAULT-VALUE}, this machine only).")
    String serveHost;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return check(out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int check(PrintWriter out, PrintWriter err) {
        Path home =
                Path.of(System.getProperty("ladle.home", ".")).toAbsolutePath().normalize();
        // The repository's models: the ladle.specs property (the launcher and the build set it), else ladle.home/specs.
        Path repoSpecs =
                Path.of(System.getProperty("ladle.specs", home.resolve("specs").toString()));
        Path dir = specs != null ? specs : repoSpecs.resolve("src/main");
        Path manifestFile = manifest != null
                ? manifest
                : specs != null ? Checker.defaultManifest(specs) : repoSpecs.resolve("manifest.json");
        if (!Files.isDirectory(dir)) {
            err.println("ladle check: models folder " + dir + " does not exist");
            return CheckRun.USAGE;
        }
        if (manifest != null && !Files.exists(manifest) && !updateManifest) {
            err.println("ladle check: manifest " + manifest + " does not exist");
            return CheckRun.USAGE;
        }
        if (workers < 0 || timeoutSeconds < 0) {
            err.println("ladle check: --workers and --timeout take a positive number");
            return CheckRun.USAGE;
        }
        CheckOptions options = CheckOptions.defaults()
                .withManifest(manifestFile)
                .withNames(names)
                .withWorkers(workers)
                .withTimeout(timeoutSeconds > 0 ? Duration.ofSeconds(timeoutSeconds) : null)
                .withChildHeap(heap)
                .withGraph(graph)
                .withCoverage(coverage);
        try {
            if (serve) {
                return Serve.serve(dir, options, serveHost, out, err);
            }
            if (list) {
                return list(out, Checker.plan(dir, options));
            }
            List<ModelRef> plan = Checker.plan(dir, options);
            if (!quiet) {
                options = options.withListener(new ProgressLine(err, System.console() != null, plan.size()));
            }
            CheckRun run = Checker.check(dir, options);
            return report(run, options, out, err);
        } catch (IllegalArgumentException e) {
            err.println("ladle check: " + e.getMessage());
            return CheckRun.USAGE;
        }
    }

    private int report(CheckRun run, CheckOptions options, PrintWriter out, PrintWriter err) {
        if (!run.parseErrors().isEmpty()) {
            for (SourceError e : run.parseErrors()) {
                err.println("error: " + e);
            }
            err.println("ladle check: " + run.parseErrors().size() + " parse error"
                    + (run.parseErrors().size() == 1 ? "" : "s") + "; nothing was checked");
            if (json) {
                out.print(Report.json(run));
            }
            return CheckRun.USAGE;
        }
        if (traceJson != null) {
            try {
                Files.writeString(traceJson, Report.traceJson(run));
            } catch (IOException e) {
                err.println("ladle check: cannot write " + traceJson + ": " + e.getMessage());
                return CheckRun.USAGE;
            }
        }
        PrintWriter human = json ? err : out;
        if (!quiet) {
            for (ModelResult r : run.results()) {
                String ce = Report.counterexample(r);
                // Instances of Alloy run commands are expected results, not worth a page of relations.
                if (!ce.isEmpty() && r.verdict().isViolation()) {
                    human.println(ce);
                }
            }
        }
        if (json) {
            out.print(Report.json(run));
        } else {
            out.print(Report.table(run));
        }
        boolean uncovered = false;
        if (coverage) {
            List<Coverage.Row> rows = Coverage.merge(run);
            human.print(Coverage.table(rows));
            uncovered = rows.stream().anyMatch(r -> !r.taken());
        }
        if (options.graph() != null && Files.exists(options.graph())) {
            human.println("state graph written to " + options.graph());
        }
        if (updateManifest) {
            Path written = Checker.updateManifest(run, options.manifest());
            human.println("manifest written: " + written);
            boolean errors = run.results().stream().anyMatch(r -> r.verdict() == dev.ladle.checker.Verdict.ERROR);
            if (errors) {
                human.println("models that failed to check were not recorded");
            }
            return errors ? CheckRun.FAILED : CheckRun.OK;
        }
        return uncovered && run.exitCode() == CheckRun.OK ? CheckRun.FAILED : run.exitCode();
    }

    private int list(PrintWriter out, List<ModelRef> plan) {
        if (json) {
            out.print(Report.listJson(plan));
            return CheckRun.OK;
        }
        int w = plan.stream().mapToInt(m -> m.name().length()).max().orElse(5);
        for (ModelRef m : plan) {
            out.println(m.name() + " ".repeat(w - m.name().length()) + "  "
                    + String.format("%-5s", m.engine().id()) + "  " + (m.config() != null ? m.config() : m.file()));
        }
        out.println(plan.size() + " model" + (plan.size() == 1 ? "" : "s"));
        return CheckRun.OK;
    }
}
