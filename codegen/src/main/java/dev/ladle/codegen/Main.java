package dev.ladle.codegen;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Build-time entry point ({@code exec-maven-plugin}, goal java): {@code Main OUT_DIR BASE_PACKAGE SPEC.tla...}.
 * Runs inside Maven's JVM, so it never calls System.exit: errors are thrown, which fails the build.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: Main OUT_DIR BASE_PACKAGE SPEC.tla...");
        }
        Path out = Path.of(args[0]);
        List<Path> specs = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            specs.add(Path.of(args[i]));
        }
        List<Diagnostic> errors = run(specs, out, args[1], System.out);
        if (!errors.isEmpty()) {
            StringBuilder sb = new StringBuilder("code generation failed:");
            errors.forEach(e -> sb.append("\n  ").append(e));
            throw new IllegalStateException(sb.toString());
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot clear " + dir, e);
        }
    }

    /** Generates every spec (all are attempted, so one run reports every error) and writes the clean ones. */
    public static List<Diagnostic> run(List<Path> specs, Path out, String basePackage, PrintStream report) {
        List<Diagnostic> errors = new ArrayList<>();
        // files of actions or enums the spec no longer has must not survive a regeneration
        deleteTree(out.resolve(basePackage.replace('.', '/')));
        for (Path spec : specs) {
            if (!Files.exists(spec)) {
                errors.add(new Diagnostic(spec.getFileName().toString(), 0, 0, "no such spec: " + spec));
                continue;
            }
            Generator.Result r = Generator.generate(spec, basePackage);
            if (r.ok()) {
                Write.write(r.files(), out);
                report.println("ladle codegen: " + r.oneLine());
            } else {
                errors.addAll(r.errors());
            }
        }
        return errors;
    }
}
