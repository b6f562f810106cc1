package dev.ladle.properties;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the properties by name through the JUnit platform (jqwik's engine) and prints, per property, its tries,
 * checks and counters, and for a failure the seed, the shrunk sample and the command that replays it. What
 * {@code ladle test} runs.
 */
public final class PropertyRunner {
    /** A property by its short name: the class that holds it (run whole, with its regression examples). */
    public record Named(String name, Class<?> holder, String method, String what) {}

    public static final List<Named> PROPERTIES = List.of(
            new Named(
                    "confinement",
                    ConfinementProperties.class,
                    "noThreadLeavesItsIslandAndNoRefusalChangesAnything",
                    "confinement under attack (property 4)"),
            new Named(
                    "confinement-x86",
                    X86ConfinementProperties.class,
                    "noThreadLeavesItsIslandOnTheX86Target",
                    "confinement under attack on the IA-32 target, by real int 0x30 under Unicorn (property 4)"),
            new Named(
                    "kernel-trace",
                    KernelTraceProperties.class,
                    "everyKernelStepIsASpecActionYieldingTheKernelsState",
                    "online trace validation of the kernel against Kernel.tla (property 3)"),
            new Named(
                    "tlc-trace",
                    TlcTraceProperties.class,
                    "batchesOfKernelRunsAreBehavioursOfKernelTla",
                    "trace validation of the kernel in batches by TLC (property 3)"),
            new Named(
                    "recovery-spec",
                    RecoverySpecProperties.class,
                    "theRecoveredKernelSatisfiesTheSpecsAndWasRestoredInDependencyOrder",
                    "recovery against the spec: invariants and restore order (property 2)"),
            new Named(
                    "recovery",
                    RecoveryProperties.class,
                    "recoveryGivesTheStateAtTheLastDurableLsn",
                    "recovery equals a durable prefix (property 1)"),
            new Named(
                    "persist-trace",
                    PersistenceTraceProperties.class,
                    "everyPersistStepIsAStepOfPersistenceTla",
                    "online trace validation of persistence against Persistence.tla (property 3)"),
            new Named(
                    "persist-crash",
                    PersistenceCrashTraceProperties.class,
                    "aCrashAndItsRecoveryAreStepsOfPersistenceTla",
                    "online trace validation of a crash and its recovery against Persistence.tla (property 3)"),
            new Named(
                    "persist-tlc-trace",
                    PersistenceTlcTraceProperties.class,
                    "persistRunsAreBehavioursOfPersistenceTlaCheckedByTlc",
                    "trace validation of persistence against Persistence.tla by TLC, through crashes and recovery"
                            + " (property 3)"),
            new Named(
                    "persist-kernel",
                    KernelPersistenceTraceProperties.class,
                    "everyPersistStepOfTheKernelIsAStepOfPersistenceTla",
                    "recovery of the kernel equals a durable prefix, with online trace validation of its persistence"
                            + " against Persistence.tla (properties 1 and 3)"),
            new Named(
                    "persist-kernel-x86",
                    X86KernelPersistenceProperties.class,
                    "recoveryOfRealX86CodeEqualsADurablePrefix",
                    "recovery of the kernel on the IA-32 target, its threads running real code under Unicorn, equals a"
                            + " durable prefix: frames byte for byte, registers included (property 1)"),
            new Named(
                    "sigkill",
                    KillProperties.class,
                    "aKilledProcessRecoversToADurablePrefix",
                    "recovery after SIGKILL of a child JVM (property 1)"),
            new Named(
                    "log",
                    LogRobustnessProperties.class,
                    "theLogReaderThrowsOnlyItsTypedErrorAndAcceptsOnlyRecordsAsWritten",
                    "log robustness: arbitrary bytes, truncations and corruptions of a log file (property 5)"),
            new Named(
                    "fuzz",
                    FuzzProperties.class,
                    "generatedExpressionsAgreeWithTlc",
                    "generated code vs TLC: random expressions (property 6)"),
            new Named(
                    "walk",
                    WalkProperties.class,
                    "theKernelSpecsMachineAgreesWithTlcOnRandomWalks",
                    "generated code vs TLC: the kernel spec's machine walked beside TLC (property 6)"));

    private PropertyRunner() {}

    /**
     * jqwik's own logger, kept at warnings: its notes (edge cases outnumbering tries, the previous failure tried
     * first) are not the summary's, and came out on standard error as dated java.util.logging lines. Held here so
     * the setting is not collected with the logger.
     */
    private static final java.util.logging.Logger JQWIK_LOG = java.util.logging.Logger.getLogger("net.jqwik");

    /** Finds the properties named (all when none); throws IllegalArgumentException naming an unknown one. */
    public static List<Named> select(List<String> names) {
        if (names == null || names.isEmpty()) {
            return PROPERTIES;
        }
        List<Named> out = new ArrayList<>();
        for (String n : names) {
            Named found = PROPERTIES.stream()
                    .filter(p -> p.name().equals(n))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no property named " + n + "; known: "
                            + PROPERTIES.stream().map(Named::name).collect(Collectors.joining(", "))));
            out.add(found);
        }
        return out;
    }

    /**
     * Runs {@code selected} with jqwik's failure database at {@code database} (a failed sample is tried first on
     * the next run); returns the number of failed properties and examples.
     */
    public static int run(List<Named> selected, Path database, PrintWriter out) {
        Tally.reset();
        JQWIK_LOG.setLevel(java.util.logging.Level.WARNING);
        List<String> failures = new ArrayList<>();
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .configurationParameter("jqwik.database", database.toString())
                .configurationParameter("jqwik.reporting.onlyfailures", "true");
        for (Named n : selected) {
            request.selectors(selectClass(n.holder()));
        }
        LauncherDiscoveryRequest r = request.build();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(r, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isTest() && result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    failures.add(id.getDisplayName() + ": "
                            + result.getThrowable()
                                    .map(Tally::describe)
                                    .orElse(result.getStatus().name()));
                }
            }
        });
        String scale = System.getProperty(Budget.SCALE, "1");
        String row = "%-"
                + Math.max(
                        "property".length(),
                        selected.stream().mapToInt(n -> n.name().length()).max().orElse(0)) + "s %7s %7s  %-8s %s%n";
        out.printf(row, "property", "tries", "checks", "result", "figures");
        for (Named n : selected) {
            Tally.Entry e = Tally.of(n.method()).orElse(null);
            if (e == null) {
                out.printf(row, n.name(), "-", "-", "NOT RUN", "(see the failures below)");
                continue;
            }
            String figures = e.counters.entrySet().stream()
                    .map(c -> c.getKey() + " " + c.getValue())
                    .collect(Collectors.joining(", "));
            out.printf(
                    row,
                    n.name(),
                    String.valueOf(e.tries),
                    String.valueOf(e.checks),
                    e.failed ? "FAILED" : "ok",
                    figures);
            if (!e.target().isEmpty()) {
                out.printf(row, "", "", "", "", "long-run target: " + e.target());
                if (!e.targetMet() && !e.failed) {
                    failures.add(n.name() + ": the long run fell short of its target, " + e.target());
                }
            }
        }
        for (Named n : selected) {
            Tally.Entry e = Tally.of(n.method()).orElse(null);
            if (e != null && e.failed) {
                out.println();
                out.println(n.name() + " (" + n.what() + ") failed:");
                out.println("  seed:   " + e.seed);
                out.println("  shrunk: " + e.sample);
                out.println("  error:  " + e.error.replace("\n", "\n          "));
                out.println("  replay: ./ladle test --seed " + e.seed
                        + (Budget.longRun() ? " --long" : scale.equals("1") ? "" : " --scale " + scale) + " "
                        + n.name());
            }
        }
        for (String f : failures) {
            out.println("failed: " + f);
        }
        out.flush();
        return failures.size();
    }

    /** The counters of the last run, by property name. */
    public static Map<String, Tally.Entry> tallies() {
        return Tally.all();
    }
}
