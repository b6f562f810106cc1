package dev.ladle.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every action of the kernel's and the persistence machine's specs (each disjunct of their
 * next-state relations) must be taken by some default model, by TLC's own coverage count: an
 * action no model takes is code the postconditions and invariants never see.
 *
 * <p>Coverage depends only on the initial states and the next-state relation, so the models run
 * here with their invariants and properties left out of the cfg (the same state graph, checked
 * faster); the full models run in {@code ./ladle check}.
 */
class SpecCoverageTest {

    private static final Path TLA = Fixtures.SPECS.resolve("src/main/tla");

    /** The specs whose every action must be covered (KernelImpl once it exists). */
    private static final List<String> COVERED = List.of("Kernel", "Persistence", "KernelImpl");

    @Test
    void everyActionOfTheKernelAndPersistenceSpecsIsTakenByADefaultModel(@TempDir Path dir) throws IOException {
        Manifest manifest = Manifest.read(Fixtures.SPECS.resolve("manifest.json"));
        List<String> models = new ArrayList<>();
        for (String m : manifest.models()) {
            Manifest.Entry e = manifest.entry(m).orElseThrow();
            if (e.engine() == Engine.TLC && e.expect() == Verdict.HOLDS && e.runByDefault()) {
                models.add(m);
            }
        }
        copyWithoutChecks(TLA, dir);
        CheckRun run = Checker.check(
                dir,
                CheckOptions.defaults()
                        .withNames(models)
                        .withWorkers(1)
                        .withCoverage(true)
                        .withoutManifest());
        for (ModelResult r : run.results()) {
            assertEquals(Verdict.HOLDS, r.verdict(), r.model() + ": " + r.describe());
            assertTrue(!r.coverage().isEmpty(), r.model() + " reported no coverage");
        }
        List<Coverage.Row> rows = Coverage.merge(run);
        Set<String> required = new TreeSet<>();
        for (String spec : COVERED) {
            if (Files.exists(TLA.resolve(spec + ".tla"))) {
                required.add(spec);
            }
        }
        Set<String> missing = new TreeSet<>(required);
        missing.removeAll(Coverage.modules(rows));
        assertTrue(missing.isEmpty(), "no default model checks the actions of " + missing);
        Set<String> never = Coverage.neverTaken(rows, required);
        assertTrue(never.isEmpty(), "actions no default model takes: " + never + "\n" + Coverage.table(rows));
    }

    @Test
    void anActionNoModelTakesIsReported() {
        ModelResult r = new ModelResult(
                "M",
                Engine.TLC,
                Verdict.HOLDS,
                "",
                1,
                1,
                1,
                java.time.Duration.ZERO,
                List.of(),
                0,
                "",
                List.of(),
                "",
                List.of(),
                List.of(),
                List.of(
                        new ActionCoverage("Kernel", "Send", 10, false, 3, 7),
                        new ActionCoverage("Kernel", "Wait", 20, false, 0, 0)));
        List<Coverage.Row> rows = Coverage.merge(List.of(r));
        assertEquals(Set.of("Kernel!Wait"), Coverage.neverTaken(rows, Set.of("Kernel")));
        assertTrue(Coverage.table(rows).contains("NEVER TAKEN"), Coverage.table(rows));
    }

    /** Copies the modules and cfgs, each cfg without its INVARIANT(S) and PROPERTY(IES) sections. */
    private static void copyWithoutChecks(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".tla")) {
                    Files.copy(f, to.resolve(name));
                } else if (name.endsWith(".cfg")) {
                    StringBuilder kept = new StringBuilder();
                    boolean skipping = false;
                    for (String line : Files.readAllLines(f)) {
                        String t = line.strip();
                        if (t.matches("(INVARIANTS?|PROPERT(Y|IES))\\b.*")) {
                            skipping = true;
                            continue;
                        }
                        if (skipping && (t.isEmpty() || t.matches("[A-Z_]+\\b.*") || t.startsWith("\\*"))) {
                            skipping = false;
                        }
                        if (!skipping) {
                            kept.append(line).append('\n');
                        }
                    }
                    Files.writeString(to.resolve(name), kept.toString());
                }
            }
        }
    }
}
