package dev.ladle.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ladle bench codegen|ipc|x86}: the JMH benchmarks of the bench module, run in their own JVM (JMH forks
 * anyway, and the benchmark jar carries TLC and the generated kernel), printed side by side with ratios.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a benchmark (JMH) and prints its table with baselines measured in the same run.",
            "",
            "Exit codes: 0 ran; 1 a benchmark failed (its exception is in JMH's output); 2 unknown benchmark or the "
                    + "benchmark jar cannot be built."
        })
public final class BenchCommand implements Callable<Integer> {
    /** The benchmarks BenchMain runs, by name. */
    static final List<String> KNOWN = List.of("codegen", "ipc", "kernel", "persist", "revoke", "x86");

    @Spec
    CommandSpec spec;

    @Parameters(
            paramLabel = "BENCHMARK",
            arity = "0..1",
            description = {
                "Which benchmark (default: codegen):",
                "codegen: the kernel's Send of a 6-word message: generated code vs TLC's evaluator vs hand-written Java",
                "x86: TLB hit vs full page walk vs physical read; int 0x30 through Unicorn vs a Java handoff",
                "ipc: send+receive of a 6-word message through the kernel's trap entry vs a Java ring buffer",
                "kernel: the KernelImpl machine: state bytes per unit; send+receive at 16 vs 4,096 threads vs "
                        + "hand-written",
                "persist: the log, checkpoints, operation log and recovery beside the raw disk of the same file system",
                "revoke: revoke and unmap by number of descendants (0 to 256) at 16 and 4,096 threads"
            })
    String target = "codegen";

    /** The parts of the persist benchmark {@code --only} selects (PersistBench.PARTS). */
    static final List<String> PERSIST_PARTS = List.of("streaming", "group-commit");

    @Option(
            names = "--only",
            paramLabel = "PART",
            description = "persist only: run just this part: streaming (the checkpoint streaming rows and the raw disk"
                    + " rows they are compared with, about a minute) or group-commit (the group-commit rows, each beside"
                    + " the raw fsync measured just before it)")
    String only;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!KNOWN.contains(target)) {
            spec.commandLine()
                    .getErr()
                    .println("ladle bench: unknown benchmark '" + target + "' (known: " + String.join(", ", KNOWN)
                            + ")");
            return Ladle.EXIT_USAGE;
        }
        if (only != null && !target.equals("persist")) {
            spec.commandLine().getErr().println("ladle bench: --only applies to persist, not " + target);
            return Ladle.EXIT_USAGE;
        }
        if (only != null && !PERSIST_PARTS.contains(only)) {
            spec.commandLine()
                    .getErr()
                    .println("ladle bench: --only takes one of " + String.join(", ", PERSIST_PARTS) + ", not '" + only
                            + "'");
            return Ladle.EXIT_USAGE;
        }
        Path home =
                Path.of(System.getProperty("ladle.home", ".")).toAbsolutePath().normalize();
        Path jar = home.resolve("bench/target/ladle-bench.jar");
        if (!Files.exists(jar) || stale(home, jar)) {
            spec.commandLine()
                    .getErr()
                    .println("ladle bench: building the benchmark jar (mvn package, tests skipped)...");
            Process mvn = new ProcessBuilder(
                            "mvn",
                            "-B",
                            "-q",
                            "-f",
                            home.resolve("pom.xml").toString(),
                            "-pl",
                            "bench",
                            "-am",
                            "package",
                            "-DskipTests")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .start();
            if (mvn.waitFor() != 0 || !Files.exists(jar)) {
                spec.commandLine().getErr().println("ladle bench: the benchmark jar did not build (output above)");
                return Ladle.EXIT_USAGE;
            }
        }
        Path tmp = Files.createTempDirectory("ladle-bench");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Djava.io.tmpdir=" + tmp);
        cmd.add("-Dladle.specs=" + home.resolve("specs/src/main/tla"));
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.add(target);
        if (only != null) {
            cmd.add("--only");
            cmd.add(only);
        }
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        int rc = p.waitFor();
        try (var walk = Files.walk(tmp)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
        return rc;
    }

    /** A source, spec or pom newer than the jar means the benchmark would measure old code. */
    private static boolean stale(Path home, Path jar) throws IOException {
        long built = Files.getLastModifiedTime(jar).toMillis();
        for (String dir : List.of(
                "bench/src",
                "kernel/src",
                "codegen/src",
                "x86/src",
                "userland/src",
                "persist/src",
                "specs/src/main/tla")) {
            Path d = home.resolve(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (var walk = Files.walk(d)) {
                if (walk.anyMatch(x -> {
                    try {
                        return Files.isRegularFile(x)
                                && Files.getLastModifiedTime(x).toMillis() > built;
                    } catch (IOException e) {
                        return true;
                    }
                })) {
                    return true;
                }
            }
        }
        return false;
    }
}
