package dev.ladle.cli;

import dev.ladle.checker.CheckOptions;
import dev.ladle.checker.CheckRun;
import dev.ladle.checker.Checker;
import dev.ladle.checker.Coverage;
import dev.ladle.checker.Distributed;
import dev.ladle.checker.ExitCode;
import dev.ladle.checker.ModelRef;
import dev.ladle.checker.ModelResult;
import dev.ladle.checker.Report;
import dev.ladle.checker.Verdict;
import dev.ladle.tla.SourceError;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
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
                    + "from the manifest; 2 usage or input error (bad option, no models, syntax or semantic error, "
                    + "bad cfg or manifest); 3 a file could not be read or written (results are still shown)."
        },
        footer = {
            "",
            "Default models folder: specs/src/main of the repository, with the manifest specs/manifest.json.",
            "With --specs DIR: the models under DIR, with DIR/manifest.json when it exists (else nothing is compared).",
            "A manifest.json in the TLA+ examples repository's format (modules[].models[]) is read too.",
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
            names = "--no-manifest",
            description = "Compare with no manifest, even where the folder has one (a violation then fails).")
    boolean noManifest;

    @Option(
            names = "--module",
            paramLabel = "MODULE",
            description = "Check the selected .cfg files against MODULE.tla (for a cfg not named like its module).")
    String module;

    @Option(
            names = "--update-manifest",
            description = "Record the results (verdicts and state counts) in the manifest.")
    boolean updateManifest;

    @Option(
            names = "--workers",
            paramLabel = "N",
            description = "TLC worker threads per model, 1 or more (default: one per core).")
    Integer workers;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            description = "Stop a model (TLC or Alloy) after this many seconds, 1 or more: an error for that model.")
    Long timeoutSeconds;

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
                    + "Next) was taken across the models that hold; exit 1 when one never is. With --json the table "
                    + "goes to the error stream and the JSON has it as \"coverage\". Not with --serve.")
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

    @Option(
            names = "--port",
            paramLabel = "PORT",
            description =
                    "With --serve: the port of TLC's RMI registry (default: ${DEFAULT-VALUE}); workers need the same.")
    int port = Distributed.DEFAULT_PORT;

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
        Path manifestFile = manifest != null ? manifest : specs != null ? null : repoSpecs.resolve("manifest.json");
        String usage = usageError();
        if (usage != null) {
            return fail(out, err, usage, ExitCode.USAGE);
        }
        CheckOptions options = CheckOptions.defaults()
                .withManifest(manifestFile)
                .withNames(names)
                .withWorkers(workers == null ? 0 : workers)
                .withTimeout(timeoutSeconds == null ? null : Duration.ofSeconds(timeoutSeconds))
                .withChildHeap(heap)
                .withGraph(graph)
                .withModule(module)
                .withCoverage(coverage);
        if (noManifest) {
            options = options.withoutManifest();
        }
        if (manifest != null && !Files.exists(manifest) && updateManifest) {
            // --update-manifest creates it.
            options = options.withManifest(null).withoutManifest();
        }
        try {
            if (serve) {
                return Serve.serve(dir, options, serveHost, port, out, err);
            }
            if (list) {
                if (coverage) {
                    err.println("ladle check: --list checks no model: --coverage has no effect");
                }
                return list(out, Checker.plan(dir, options));
            }
            List<ModelRef> plan = Checker.plan(dir, options);
            if (!quiet) {
                options = options.withListener(new ProgressLine(err, System.console() != null, plan.size()));
            }
            CheckRun run = Checker.check(dir, options);
            return report(run, options, out, err);
        } catch (IllegalArgumentException e) {
            return fail(out, err, e.getMessage(), ExitCode.USAGE);
        } catch (UncheckedIOException e) {
            return fail(out, err, e.getMessage(), ExitCode.IO);
        }
    }

    /** What is wrong with the options before anything is read, or null. */
    private String usageError() {
        if (workers != null && workers < 1) {
            return "--workers takes a number of 1 or more (leave it out for one per core), not " + workers;
        }
        if (timeoutSeconds != null && timeoutSeconds < 1) {
            return "--timeout takes a number of seconds of 1 or more (leave it out for no limit), not "
                    + timeoutSeconds;
        }
        if (heap != null && !heap.matches("\\d+[kKmMgGtT]?")) {
            return "--tlc-heap takes a size such as 512m or 4g (the JVM's -Xmx), not " + heap;
        }
        if (specs != null && Files.isRegularFile(specs)) {
            return "--specs " + specs + " is a file: give the folder that holds the models";
        }
        if (serve && names.size() != 1) {
            return "--serve runs TLC's server for one TLC model: name exactly one (ladle check --list shows them)";
        }
        if (serve && coverage) {
            return "--coverage cannot be combined with --serve: TLC's distributed mode reports no coverage"
                    + " (check the model without --serve for its coverage)";
        }
        if (port < 1 || port > 65535) {
            return "--port takes a port number from 1 to 65535, not " + port;
        }
        if (noManifest && (manifest != null || updateManifest)) {
            return "--no-manifest cannot be combined with --manifest or --update-manifest";
        }
        if (manifest != null && Files.isDirectory(manifest)) {
            return "--manifest " + manifest + " is a folder: give the manifest's file (such as "
                    + manifest.resolve("manifest.json") + ")";
        }
        if (manifest != null && !Files.exists(manifest) && !updateManifest) {
            return "manifest " + manifest + " does not exist";
        }
        return null;
    }

    private int fail(PrintWriter out, PrintWriter err, String message, int code) {
        err.println("ladle check: " + message);
        if (json) {
            out.print(Report.errorJson(message, code));
        }
        return code;
    }

    private int report(CheckRun run, CheckOptions options, PrintWriter out, PrintWriter err) {
        PrintWriter human = json ? err : out;
        if (!run.parseErrors().isEmpty()) {
            for (SourceError e : run.parseErrors()) {
                err.println("error: " + e);
            }
            err.println("ladle check: " + run.parseErrors().size() + " input error"
                    + (run.parseErrors().size() == 1 ? "" : "s") + "; nothing was checked");
            if (json) {
                out.print(Report.json(run));
            }
            return ExitCode.USAGE;
        }
        if (!quiet) {
            human.print(Report.output(run));
            for (ModelResult r : run.results()) {
                String ce = Report.counterexample(r);
                // Instances of Alloy run commands are expected results, not worth a page of relations.
                if (!ce.isEmpty() && (r.verdict().isViolation() || r.verdict() == Verdict.ERROR)) {
                    human.println(ce);
                }
            }
        }
        List<Coverage.Row> rows = coverage ? Coverage.merge(run) : null;
        if (json) {
            out.print(Report.json(run, rows));
        } else {
            out.print(Report.table(run));
        }
        boolean uncovered = false;
        if (coverage) {
            human.print(Coverage.table(rows));
            uncovered = rows.stream().anyMatch(r -> !r.taken());
        }
        if (options.graph() != null && Files.exists(options.graph())) {
            human.println("state graph written to " + options.graph());
        }
        int code = run.exitCode();
        // A file that cannot be written is reported after the results it would have held, never instead of them.
        if (traceJson != null) {
            try {
                Files.writeString(traceJson, Report.traceJson(run));
            } catch (IOException e) {
                err.println("ladle check: cannot write the traces to " + traceJson + ": " + e);
                code = Math.max(code, ExitCode.IO);
            }
        }
        if (updateManifest) {
            try {
                Path written = Checker.updateManifest(run, options.manifest() != null ? options.manifest() : manifest);
                human.println("manifest written: " + written);
            } catch (IllegalArgumentException e) {
                err.println("ladle check: " + e.getMessage());
                return ExitCode.USAGE;
            } catch (UncheckedIOException e) {
                err.println("ladle check: " + e.getMessage());
                return ExitCode.IO;
            }
            boolean errors = run.results().stream().anyMatch(r -> r.verdict() == Verdict.ERROR);
            if (errors) {
                human.println("models that failed to check were not recorded");
            }
            if (uncovered) {
                // the counts are recorded, and the coverage asked for still decides the exit code
                human.println("an action was never taken (the coverage table above): exit 1");
            }
            return errors || uncovered ? ExitCode.DIFFERS : code == ExitCode.IO ? code : ExitCode.OK;
        }
        return uncovered && code == ExitCode.OK ? ExitCode.DIFFERS : code;
    }

    private int list(PrintWriter out, List<ModelRef> plan) {
        if (json) {
            out.print(Report.listJson(plan));
            return ExitCode.OK;
        }
        int w = plan.stream().mapToInt(m -> m.name().length()).max().orElse(5);
        for (ModelRef m : plan) {
            out.println(m.name() + " ".repeat(w - m.name().length()) + "  "
                    + String.format("%-5s", m.engine().id()) + "  " + (m.config() != null ? m.config() : m.file()));
        }
        out.println(plan.size() + " model" + (plan.size() == 1 ? "" : "s"));
        return ExitCode.OK;
    }
}
