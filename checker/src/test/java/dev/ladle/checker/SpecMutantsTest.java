package dev.ladle.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mutants found on SANY's tree, applied as text, and judged by running the models. */
class SpecMutantsTest {

    private static final String COUNTER = """
            ---- MODULE Counter ----
            EXTENDS Naturals
            VARIABLES x, y
            Init == x = 0 /\\ y = 0
            Inc == /\\ x < 3
                   /\\ x' = x + 1
                   /\\ y' = y
            Reset == /\\ x = 3
                     /\\ x' = 0
                     /\\ y' = [a |-> 1, b |-> 2].a
            Next == Inc \\/ Reset
            Bounded == x <= 3
            ====
            """;

    private static Path specs(Path dir) throws IOException {
        Files.writeString(dir.resolve("Counter.tla"), COUNTER);
        Files.writeString(dir.resolve("MCCounter.tla"), "---- MODULE MCCounter ----\nEXTENDS Counter\n====\n");
        Files.writeString(
                dir.resolve("MCCounter.cfg"), "INIT Init\nNEXT Next\nINVARIANT Bounded\nCHECK_DEADLOCK FALSE\n");
        return dir;
    }

    @Test
    void findsTheMutationSitesOfTheBehaviourOnly(@TempDir Path dir) throws IOException {
        List<SpecMutants.Mutant> ms = SpecMutants.of(specs(dir).resolve("Counter.tla"), Set.of("Counter"));
        List<String> described = ms.stream()
                .map(m -> m.operator() + " " + m.original().strip() + " -> " + m.replacement())
                .toList();
        assertTrue(described.contains("drop conjunct x < 3 -> TRUE"), described.toString());
        assertTrue(described.contains("< -> <= < -> <="), described.toString());
        assertTrue(described.contains("negate condition = -> #"), described.toString());
        // Updates are never dropped (TLC would only reject the unassigned variable), and Bounded is a test, not code.
        assertTrue(described.stream().noneMatch(d -> d.startsWith("drop conjunct x' =")), described.toString());
        assertTrue(ms.stream().noneMatch(m -> m.definition().equals("Bounded")), described.toString());
        SpecMutants.Mutant lt = ms.stream()
                .filter(m -> m.operator().equals("< -> <="))
                .findFirst()
                .orElseThrow();
        String mutated = lt.apply(COUNTER);
        assertTrue(mutated.contains("/\\ x <= 3\n"), mutated);
        assertEquals(COUNTER.length() + 1, mutated.length());
        assertTrue(lt.diff(COUNTER).contains("- Inc == /\\ x < 3"), lt.diff(COUNTER));
        assertTrue(lt.diff(COUNTER).contains("+ Inc == /\\ x <= 3"), lt.diff(COUNTER));
    }

    @Test
    void aMutantIsKilledByTheInvariantItBreaksAndACountChangeIsASurvivor(@TempDir Path dir) throws IOException {
        Path tla = specs(Files.createDirectories(dir.resolve("specs")));
        Manifest manifest = Manifest.empty(dir.resolve("manifest.json"));
        CheckRun base =
                Checker.check(tla, CheckOptions.defaults().withWorkers(1).withoutManifest());
        manifest.updated(base.results(), Set.of("MCCounter")).write();
        manifest = Manifest.read(dir.resolve("manifest.json"));
        List<SpecMutants.Mutant> all = SpecMutants.of(tla.resolve("Counter.tla"), Set.of("Counter"));
        List<SpecMutants.Mutant> picked = all.stream()
                .filter(m -> m.operator().equals("< -> <=")
                        || (m.operator().equals("negate condition")
                                && m.definition().equals("Reset")))
                .toList();
        assertEquals(2, picked.size(), all.toString());
        List<MutationRun.Result> results = MutationRun.run(tla, manifest, List.of("MCCounter"), picked, 2, line -> {});
        MutationRun.Result boundary =
                results.get(0).mutant().operator().equals("< -> <=") ? results.get(0) : results.get(1);
        MutationRun.Result reset = boundary == results.get(0) ? results.get(1) : results.get(0);
        assertEquals(MutationRun.Outcome.KILLED, boundary.outcome(), boundary.toString());
        assertTrue(boundary.by().contains("Bounded"), boundary.by());
        // Reset from 0, 1 or 2 instead of 3 reaches the same states by more steps: only the counts change.
        assertEquals(MutationRun.Outcome.COUNTS_ONLY, reset.outcome(), reset.toString());
    }
}
