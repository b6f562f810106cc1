package dev.ladle.cli;

import dev.ladle.properties.Budget;
import dev.ladle.properties.PropertyRunner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ladle test}: runs the property tests of {@code property-tests/} with a summary. */
@Command(
        name = "test",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the property tests (jqwik) against the kernel and persistence, with a summary per property.",
            "",
            "Prints, per property, its tries, checks and figures (system calls, crash points, corruptions, steps"
                    + " validated), and for a failure the seed, the shrunk sample and the command that replays it. A"
                    + " failure found before is tried first (jqwik's database, .jqwik-database at the repository root,"
                    + " not in git).",
            "",
            "Exit codes: 0 every property holds; 1 a property failed; 2 usage error."
        })
public final class TestCommand implements Callable<Integer> {
    /** How many times more tries {@code --long} runs than the bounded run of {@code mvn test}. */
    static final int LONG_SCALE = 50;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--long",
            description = "Run " + LONG_SCALE + " times more tries, at least the issue's figures (10,000 crash points"
                    + " for recovery, 10,000 crash images recovered for persist-kernel and persist-kernel-x86,"
                    + " 1,000,000 adversarial syscalls for confinement and confinement-x86; a run short of one fails);"
                    + " not for CI.")
    boolean longRun;

    @Option(
            names = "--scale",
            paramLabel = "N",
            description = "Run N times more tries (a long run cut to fit the time at hand; --long is --scale "
                    + LONG_SCALE + " with the issue's floors).")
    Integer scale;

    @Option(names = "--seed", paramLabel = "N", description = "Fix jqwik's random seed (replays a reported failure).")
    String seed;

    @Option(names = "--list", description = "List the properties and exit.")
    boolean list;

    @Parameters(
            paramLabel = "PROPERTY",
            arity = "0..*",
            description =
                    "The properties to run (all when none): confinement, confinement-x86, kernel-trace, tlc-trace,"
                            + " persist-trace, persist-crash, persist-tlc-trace, persist-kernel, persist-kernel-x86, recovery, recovery-spec, sigkill,"
                            + " log, fuzz, walk"
                            + " (--list describes them).")
    List<String> names;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (list) {
            int width = PropertyRunner.PROPERTIES.stream()
                    .mapToInt(n -> n.name().length())
                    .max()
                    .orElse(0);
            for (PropertyRunner.Named n : PropertyRunner.PROPERTIES) {
                out.printf("%-" + width + "s  %s%n", n.name(), n.what());
            }
            out.flush();
            return 0;
        }
        List<PropertyRunner.Named> selected;
        try {
            selected = PropertyRunner.select(names);
        } catch (IllegalArgumentException e) {
            err.println("ladle test: " + e.getMessage());
            err.flush();
            return 2;
        }
        if (seed != null && !seed.matches("-?[0-9]+")) {
            err.println("ladle test: --seed takes a number, not " + seed);
            err.flush();
            return 2;
        }
        if (scale != null && (scale < 1 || longRun)) {
            err.println("ladle test: " + (longRun ? "--scale and --long together" : "--scale below 1: " + scale));
            err.flush();
            return 2;
        }
        System.setProperty(Budget.SCALE, Integer.toString(longRun ? LONG_SCALE : scale != null ? scale : 1));
        System.setProperty(Budget.LONG, Boolean.toString(longRun));
        if (seed != null) {
            System.setProperty(Budget.SEED, seed);
        } else {
            System.clearProperty(Budget.SEED);
        }
        String home = System.getProperty("ladle.home", ".");
        int failed = PropertyRunner.run(selected, Path.of(home, ".jqwik-database"), out);
        return failed == 0 ? 0 : 1;
    }
}
