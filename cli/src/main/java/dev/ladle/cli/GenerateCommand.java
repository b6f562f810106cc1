package dev.ladle.cli;

import dev.ladle.codegen.Diagnostic;
import dev.ladle.codegen.Generator;
import dev.ladle.codegen.Write;
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
            "Exit codes: 0 every spec generated; 2 a spec is outside the supported subset (errors name file, line "
                    + "and column), or a usage error."
        },
        footer = {
            "",
            "Default specs: the root modules of the repository's specs/src/main/tla (those no other module there "
                    + "extends; bounded models MC* and postcondition modules *Post excluded). The build generates the "
                    + "same code into kernel/target/generated-sources.",
            "The supported subset: docs/tla-subset.md."
        })
public final class GenerateCommand implements Callable<Integer> {
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

    private static final Pattern EXTENDS = Pattern.compile("(?m)^\\s*EXTENDS\\s+([^\\n]+)");

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path home =
                Path.of(System.getProperty("ladle.home", ".")).toAbsolutePath().normalize();
        Path dir = specs != null ? specs.toAbsolutePath().normalize() : home.resolve("specs/src/main/tla");
        if (!Files.isDirectory(dir)) {
            err.println("ladle generate: no specs folder " + dir);
            return Ladle.EXIT_USAGE;
        }
        List<Path> files = new ArrayList<>();
        if (names.isEmpty()) {
            files.addAll(rootModules(dir));
        } else {
            for (String n : names) {
                Path p = n.endsWith(".tla") ? Path.of(n) : dir.resolve(n + ".tla");
                if (!p.isAbsolute() && !Files.exists(p)) {
                    p = dir.resolve(p);
                }
                files.add(p);
            }
        }
        if (files.isEmpty()) {
            err.println("ladle generate: no specs in " + dir);
            return Ladle.EXIT_USAGE;
        }
        List<Diagnostic> errors = new ArrayList<>();
        for (Path f : files) {
            Generator.Result r = Generator.generate(f, basePackage);
            if (!r.ok()) {
                errors.addAll(r.errors());
                continue;
            }
            o.print(r.summary());
            if (out != null) {
                Write.write(r.files(), out);
                o.println(
                        "  -> "
                                + out.resolve(Generator.packageFor(basePackage, r.module())
                                        .replace('.', '/')) + " (" + r.files().size() + " files)");
            }
        }
        o.flush();
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

    /**
     * The modules of dir that no other module there extends, bounded models (MC*) and the
     * checker's postcondition modules (*Post, which extend the specs they check) excluded.
     */
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

    private static boolean isSpec(Path p) {
        String module = p.getFileName().toString().replaceFirst("\\.tla$", "");
        return !module.startsWith("MC") && !module.endsWith("Post");
    }
}
