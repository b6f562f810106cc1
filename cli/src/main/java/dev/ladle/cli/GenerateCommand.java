package dev.ladle.cli;

import dev.ladle.codegen.Diagnostic;
import dev.ladle.codegen.Generator;
import dev.ladle.codegen.Write;
import dev.ladle.codegen.check.Differential;
import dev.ladle.codegen.check.Fuzz;
import dev.ladle.codegen.check.InProcessCompiler;
import dev.ladle.codegen.check.MachineHandle;
import dev.ladle.codegen.check.TlcOracle;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ladle generate}: the code generator the build runs, for a user: specs in, Java state machines out. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Generates the Java state machines of TLA+ specs (SANY -> typed IR -> JavaPoet) and prints, per spec, "
                    + "which actions became which methods, their guards and the invariant checkers.",
            "",
            "With --check FILE.tla: generates FILE, compiles it in memory and walks it against TLC's own evaluator "
                    + "(constants from the cfg), printing per action the steps applied, the refusals per guard, TLC "
                    + "errors, the invariant checks and the distinct states.",
            "",
            "Exit codes: 0 every spec generated (with --check: the machine agrees with TLC); 1 (--check) a "
                    + "disagreement, printed with the state, the step and both results, or the generator failed on "
                    + "a spec (a generator bug, named with the spec and where it failed); 2 a spec is outside the "
                    + "supported subset (errors name file, line and column), or a usage error; 3 a source could not "
                    + "be written under --out."
        },
        footer = {
            "",
            "Default specs: the three the kernel's build generates into kernel/target/generated-sources (Kernel, "
                    + "Persistence, KernelImpl). With --specs DIR: the root modules of DIR (those no other module "
                    + "there extends; bounded models MC* and *Post modules excluded).",
            "The supported subset: docs/tla-subset.md."
        })
public final class GenerateCommand implements Callable<Integer> {
    /**
     * The specs the kernel's build generates (kernel/pom.xml lists the same, in the same order; a test compares them):
     * the default without {@code --specs}. The repository's other root modules (KernelLiveness, PersistentKernel) are
     * models for TLC only.
     */
    static final List<String> BUILD_SPECS = List.of("Kernel", "Persistence", "KernelImpl");

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SPEC", arity = "0..*", description = "Only these modules (names or .tla files).")
    List<String> names = new ArrayList<>();

    @Option(names = "--specs", paramLabel = "DIR", description = "The folder of specs (default: the repository's).")
    Path specs;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Write the Java sources under DIR (default: only print the mapping).")
    Path out;

    @Option(
            names = "--package",
            paramLabel = "PKG",
            description = "Base package; each spec goes to PKG.<module in lower case> (default: ${DEFAULT-VALUE}).")
    String basePackage = "dev.ladle.kernel.gen";

    @Option(
            names = "--check",
            paramLabel = "FILE.tla",
            description = "Check the generated machine of FILE against TLC instead of printing the mapping.")
    Path check;

    @Option(
            names = "--cfg",
            paramLabel = "FILE.cfg",
            description = "Constants for --check, in the spec's folder (default: FILE.cfg beside the spec, else "
                    + "MCFILE.cfg, whose MCFILE.tla, when present, is the model TLC loads).")
    Path cfg;

    @Option(names = "--steps", paramLabel = "N", description = "Steps of the --check walk (default: ${DEFAULT-VALUE}).")
    int steps = 10_000;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the --check walk (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(
            names = "--fuzz",
            paramLabel = "N",
            description = "Check N random well-typed expressions over the subset against TLC's evaluator "
                    + "(batches of 200, seeded by --seed); a failing batch is written out as a spec.")
    int fuzz;

    private static final Pattern EXTENDS = Pattern.compile("(?m)^\\s*EXTENDS\\s+([^\\n]+)");

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (check != null) {
            return check(o, err);
        }
        if (fuzz < 0 || (fuzz == 0 && spec.commandLine().getParseResult().hasMatchedOption("--fuzz"))) {
            err.println("ladle generate: --fuzz takes a number of expressions of 1 or more, not " + fuzz);
            return Ladle.EXIT_USAGE;
        }
        if (fuzz > 0) {
            return fuzz(o, err);
        }
        Path home =
                Path.of(System.getProperty("ladle.home", ".")).toAbsolutePath().normalize();
        Path repoSpecs =
                Path.of(System.getProperty("ladle.specs", home.resolve("specs").toString()));
        Path dir = specs != null ? specs.toAbsolutePath().normalize() : repoSpecs.resolve("src/main/tla");
        if (!Files.isDirectory(dir)) {
            err.println("ladle generate: no specs folder " + dir);
            return Ladle.EXIT_USAGE;
        }
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            err.println("ladle generate: --out " + out + " is a file: give the folder the sources go under");
            return Ladle.EXIT_USAGE;
        }
        if (out != null) {
            for (Path up = out.toAbsolutePath().getParent(); up != null; up = up.getParent()) {
                if (Files.exists(up)) {
                    if (!Files.isDirectory(up)) {
                        err.println("ladle generate: --out " + out + ": " + up
                                + " is a file, not a folder: give a folder the sources can go under");
                        return Ladle.EXIT_USAGE;
                    }
                    break;
                }
            }
        }
        List<Path> files = new ArrayList<>();
        if (names.isEmpty()) {
            files.addAll(defaultSpecs(dir));
        } else {
            for (String n : names) {
                Path p = n.endsWith(".tla") ? Path.of(n) : dir.resolve(n + ".tla");
                if (!p.isAbsolute() && !Files.exists(p)) {
                    p = dir.resolve(p);
                }
                if (!Files.isRegularFile(p)) {
                    err.println("ladle generate: no spec " + n + " (no file " + p + "); the default specs are "
                            + defaultSpecs(dir).stream()
                                    .map(f -> f.getFileName().toString().replaceFirst("\\.tla$", ""))
                                    .collect(java.util.stream.Collectors.joining(", ")));
                    return Ladle.EXIT_USAGE;
                }
                files.add(p);
            }
        }
        if (files.isEmpty()) {
            err.println("ladle generate: no specs in " + dir);
            return Ladle.EXIT_USAGE;
        }
        List<Diagnostic> errors = new ArrayList<>();
        int crashed = 0;
        for (Path f : files) {
            Generator.Result r;
            try {
                r = Generator.generate(f, basePackage);
            } catch (RuntimeException | StackOverflowError bug) {
                // A spec the generator neither compiles nor refuses with a location is a generator bug: say where.
                StackTraceElement at = bug.getStackTrace().length > 0 ? bug.getStackTrace()[0] : null;
                o.flush(); // the summaries so far, whole, before the line that says which spec failed
                err.println("ladle generate: " + f.getFileName() + ": the generator failed (a bug in the generator,"
                        + " not in the spec): " + bug + (at == null ? "" : " at " + at));
                crashed++;
                continue;
            }
            if (!r.ok()) {
                errors.addAll(r.errors());
                continue;
            }
            o.print(r.summary());
            if (out != null) {
                o.flush(); // a failed write (exit 3, one line naming the file) comes after the summaries so far
                Write.write(r.files(), out);
                o.println(
                        "  -> "
                                + out.resolve(Generator.packageFor(basePackage, r.module())
                                        .replace('.', '/')) + " (" + r.files().size() + " files)");
            }
        }
        o.flush();
        if (crashed > 0 && errors.isEmpty()) {
            return 1;
        }
        if (!errors.isEmpty()) {
            for (Diagnostic d : errors) {
                err.println(d);
            }
            err.println(
                    "ladle generate: " + errors.size() + " error(s); the supported subset is in docs/tla-subset.md");
            err.flush();
            return Ladle.EXIT_USAGE;
        }
        return 0;
    }

    /** --check: generate, compile in memory, walk against TLC; 0 agree, 1 disagree, 2 refused or usage. */
    private int check(PrintWriter o, PrintWriter err) {
        Path file = check.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file) || !file.toString().endsWith(".tla")) {
            err.println("ladle generate --check: no spec file " + check);
            return Ladle.EXIT_USAGE;
        }
        if (steps <= 0) {
            err.println("ladle generate --check: --steps must be positive, not " + steps);
            return Ladle.EXIT_USAGE;
        }
        Path dir = file.getParent();
        String module = file.getFileName().toString().replaceFirst("\\.tla$", "");
        Generator.Result r = Generator.generate(file, "check");
        if (!r.ok()) {
            r.errors().forEach(err::println);
            err.println("ladle generate --check: " + r.errors().size()
                    + " error(s); the supported subset is in docs/tla-subset.md");
            return Ladle.EXIT_USAGE;
        }
        Path config = cfg != null ? cfg.toAbsolutePath().normalize() : dir.resolve(module + ".cfg");
        if (cfg == null && !Files.exists(config)) {
            config = dir.resolve("MC" + module + ".cfg");
        }
        if (!Files.isRegularFile(config)) {
            err.println("ladle generate --check: no config " + config + " (give one with --cfg)");
            return Ladle.EXIT_USAGE;
        }
        if (!config.getParent().equals(dir)) {
            err.println("ladle generate --check: the config must be in the spec's folder " + dir);
            return Ladle.EXIT_USAGE;
        }
        String configName = config.getFileName().toString().replaceFirst("\\.cfg$", "");
        // a model module beside its cfg (MCKernel.tla for MCKernel.cfg) is what TLC loads; it extends the spec
        String tlcModule = Files.exists(dir.resolve(configName + ".tla")) ? configName : module;
        TlcOracle oracle;
        MachineHandle machine;
        try {
            ClassLoader loader = InProcessCompiler.compile(r.files());
            oracle = new TlcOracle(dir, tlcModule, configName, module);
            String cls = Generator.packageFor("check", module) + "." + module + "CheckedMachine";
            machine = new MachineHandle(loader.loadClass(cls), oracle.constructorArgs());
        } catch (ReflectiveOperationException | RuntimeException e) {
            err.println("ladle generate --check: cannot load " + module + " with " + config.getFileName() + ": "
                    + e.getMessage());
            return Ladle.EXIT_USAGE;
        }
        o.println(module + " against TLC under " + config.getFileName() + ": " + steps + " steps, seed " + seed);
        o.flush();
        try {
            Differential.Report report = Differential.run(oracle, machine, steps, seed);
            o.print(report.table());
            o.println("agrees with TLC");
            o.flush();
            return 0;
        } catch (Differential.Disagreement d) {
            o.flush();
            err.println("DISAGREEMENT: " + d.getMessage());
            err.flush();
            return 1;
        }
    }

    /**
     * --fuzz N: batches of random expressions against TLC; 0 all agree, 1 a disagreement or a refusal without a
     * location. A failing batch does not stop the run: its spec is kept under the work folder and the run goes on,
     * so one long run finds every kind of fault it can.
     */
    private int fuzz(PrintWriter o, PrintWriter err) throws IOException {
        Path work = Files.createTempDirectory("ladle-fuzz");
        Path failures = work.resolve("failures");
        // SANY copies its standard modules (Naturals.tla, ...) into java.io.tmpdir and reads them back: a folder
        // of this run's own, so another TLC process writing the shared /tmp at the same moment cannot break a batch
        Path tlcTmp = Files.createDirectories(work.resolve("tlc"));
        System.setProperty("java.io.tmpdir", tlcTmp.toString());
        java.util.Random rnd = new java.util.Random(seed);
        int batchSize = 500;
        long expressions = 0;
        long evaluations = 0;
        long tlcErrors = 0;
        long refused = 0;
        int failed = 0;
        int batches = 0;
        Fuzz.Timing spent = new Fuzz.Timing(0, 0, 0, 0);
        long start = System.nanoTime();
        while (expressions < fuzz) {
            int n = (int) Math.min(batchSize, fuzz - expressions);
            String name = "Fuzz" + (++batches);
            List<String[]> exprs = Fuzz.batch(Fuzz.of(rnd), n);
            Fuzz.Outcome r;
            try {
                r = Fuzz.check(work, name, exprs, 10 * n, seed + batches);
            } catch (RuntimeException e) {
                // the batch could not be checked at all: kept and counted as failed, never counted as agreeing
                r = new Fuzz.Outcome(null, List.of(), "the batch could not be checked: " + e, null, null);
            }
            expressions += n;
            if (!r.ok()) {
                failed++;
                Files.createDirectories(failures);
                Path spec = failures.resolve(name + ".tla");
                Files.move(work.resolve(name + ".tla"), spec, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.move(
                        work.resolve(name + ".cfg"),
                        failures.resolve(name + ".cfg"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                err.println(
                        r.disagreement() != null
                                ? "DISAGREEMENT: " + r.disagreement()
                                : "REFUSED without a location: " + r.refusals());
                err.println("ladle generate --fuzz: the batch is " + spec + " (with " + name + ".cfg beside it)");
                err.flush();
                continue;
            }
            refused += r.refusals().size();
            for (int k = 1; k <= n; k++) {
                evaluations += r.report().appliedPerAction().getOrDefault("E" + k, 0);
            }
            // a step where both stopped with an error compared an evaluation too
            evaluations += r.report().tlcErrors();
            tlcErrors += r.report().tlcErrors();
            spent = spent.plus(r.timing());
            o.printf(
                    "batch %d: %d expressions, %d evaluations compared, %d TLC errors matched, %d failed batches"
                            + " (%.0f s, %.0f s of CPU: generate %.0f, compile %.0f, load TLC %.0f, walk %.0f)%n",
                    batches,
                    expressions,
                    evaluations,
                    tlcErrors,
                    failed,
                    (System.nanoTime() - start) / 1e9,
                    ProcessHandle.current()
                            .info()
                            .totalCpuDuration()
                            .map(d -> d.toMillis() / 1e3)
                            .orElse(0.0),
                    spent.generate(),
                    spent.compile(),
                    spent.oracle(),
                    spent.walk());
            o.flush();
            deleteBatch(work, name);
        }
        o.printf(
                "fuzz: %d expressions in %d batches (%d refused with a location), %d evaluations compared with TLC"
                        + " (%d where both stopped with an error), %d batches with a disagreement%s%n",
                expressions,
                batches,
                refused,
                evaluations,
                tlcErrors,
                failed,
                failed == 0 ? "" : " (kept in " + failures + ")");
        o.flush();
        return failed == 0 ? 0 : 1;
    }

    private static void deleteBatch(Path work, String name) throws IOException {
        Files.deleteIfExists(work.resolve(name + ".tla"));
        Files.deleteIfExists(work.resolve(name + ".cfg"));
    }

    /** The modules of dir that no other module there extends, bounded models (MC*) excluded. */
    static List<Path> rootModules(Path dir) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.list(dir)) {
            all = s.filter(p -> p.getFileName().toString().endsWith(".tla"))
                    .sorted()
                    .toList();
        }
        Set<String> extended = new LinkedHashSet<>();
        for (Path p : all) {
            if (!isSpec(p)) {
                continue;
            }
            Matcher m = EXTENDS.matcher(Files.readString(p));
            while (m.find()) {
                for (String x : m.group(1).split(",")) {
                    extended.add(x.strip());
                }
            }
        }
        List<Path> roots = new ArrayList<>();
        for (Path p : all) {
            String module = p.getFileName().toString().replaceFirst("\\.tla$", "");
            if (isSpec(p) && !extended.contains(module)) {
                roots.add(p);
            }
        }
        return roots;
    }

    /** Without {@code --specs}, the build's specs; with it, the root modules of the folder. */
    private List<Path> defaultSpecs(Path dir) throws IOException {
        if (specs == null) {
            return BUILD_SPECS.stream().map(n -> dir.resolve(n + ".tla")).toList();
        }
        return rootModules(dir);
    }

    /** Bounded models (MC*) and the checker's postcondition modules (*Post) are not specs to generate. */
    private static boolean isSpec(Path p) {
        String module = p.getFileName().toString().replaceFirst("\\.tla$", "");
        return !module.startsWith("MC") && !module.endsWith("Post");
    }
}
