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

    /** The manifest of MCCounter as the unmutated specs check it, written in {@code dir}. */
    private static Manifest counterManifest(Path tla, Path dir) throws IOException {
        CheckRun base =
                Checker.check(tla, CheckOptions.defaults().withWorkers(1).withoutManifest());
        Manifest.empty(dir.resolve("manifest.json"))
                .updated(base.results(), Set.of("MCCounter"))
                .write();
        return Manifest.read(dir.resolve("manifest.json"));
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
        Manifest manifest = counterManifest(tla, dir);
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

    @Test
    void aResumedRunTakesTheOutcomesRecordedOnTheSameInputsAndRunsAgainWhenAModelChanged(@TempDir Path dir)
            throws IOException {
        Path tla = specs(Files.createDirectories(dir.resolve("specs")));
        Manifest manifest = counterManifest(tla, dir);
        List<SpecMutants.Mutant> picked = SpecMutants.of(tla.resolve("Counter.tla"), Set.of("Counter")).stream()
                .filter(m -> m.operator().equals("< -> <=")
                        || (m.operator().equals("negate condition")
                                && m.definition().equals("Reset")))
                .toList();
        Path cache = dir.resolve("target");
        MutationRun.Settings first = new MutationRun.Settings(1, null, Set.of(), cache, true);
        List<String> lines1 = new java.util.ArrayList<>();
        List<MutationRun.Result> run1 =
                MutationRun.run(tla, manifest, List.of("MCCounter"), picked, first, lines1::add);
        assertTrue(lines1.stream().noneMatch(l -> l.contains("recorded")), lines1.toString());
        assertTrue(
                lines1.contains("ladle mutate: running 1 model unmutated (its time and the actions it takes order the"
                        + " models per mutant)"),
                lines1.toString());

        List<String> lines2 = new java.util.ArrayList<>();
        List<MutationRun.Result> run2 =
                MutationRun.run(tla, manifest, List.of("MCCounter"), picked, first, lines2::add);
        assertEquals(
                2,
                lines2.stream()
                        .filter(l -> l.contains("recorded by an earlier run"))
                        .count(),
                lines2.toString());
        for (int i = 0; i < run1.size(); i++) {
            assertEquals(run1.get(i).outcome(), run2.get(i).outcome());
            assertEquals(run1.get(i).by(), run2.get(i).by());
            assertEquals(run1.get(i).diff(), run2.get(i).diff());
        }
        // Without --resume the outcomes are measured again.
        List<String> lines3 = new java.util.ArrayList<>();
        MutationRun.run(
                tla,
                manifest,
                List.of("MCCounter"),
                picked,
                new MutationRun.Settings(1, null, Set.of(), cache, false),
                lines3::add);
        assertTrue(lines3.stream().noneMatch(l -> l.contains("recorded")), lines3.toString());
        // A model added: the kill recorded on MCCounter still stands, the survivor must meet the new model.
        Files.writeString(tla.resolve("MCCounterToo.tla"), "---- MODULE MCCounterToo ----\nEXTENDS Counter\n====\n");
        Files.writeString(
                tla.resolve("MCCounterToo.cfg"), "INIT Init\nNEXT Next\nINVARIANT Bounded\nCHECK_DEADLOCK FALSE\n");
        List<String> lines5 = new java.util.ArrayList<>();
        MutationRun.run(tla, manifest, List.of("MCCounter", "MCCounterToo"), picked, first, lines5::add);
        assertEquals(1, lines5.stream().filter(l -> l.contains("recorded")).count(), lines5.toString());
        assertTrue(
                lines5.stream().anyMatch(l -> l.contains("< -> <=") && l.contains("killed") && l.contains("recorded")),
                lines5.toString());
        Files.delete(tla.resolve("MCCounterToo.tla"));
        Files.delete(tla.resolve("MCCounterToo.cfg"));
        // A model the mutants run on changed: nothing recorded before applies.
        Files.writeString(
                tla.resolve("MCCounter.cfg"), "INIT Init\nNEXT Next\nINVARIANTS Bounded\nCHECK_DEADLOCK FALSE\n");
        List<String> lines4 = new java.util.ArrayList<>();
        MutationRun.run(tla, manifest, List.of("MCCounter"), picked, first, lines4::add);
        assertTrue(lines4.stream().noneMatch(l -> l.contains("recorded")), lines4.toString());
    }

    @Test
    void anEquivalentMutantIsNotRunAndATimedOutOneIsNeitherKilledNorSurvived(@TempDir Path dir) throws IOException {
        Path tla = specs(Files.createDirectories(dir.resolve("specs")));
        // A model too large to finish in 3 seconds: x counts to 3, y to a million.
        Files.writeString(tla.resolve("MCSlow.tla"), """
                ---- MODULE MCSlow ----
                EXTENDS Counter
                VARIABLE z
                SlowInit == Init /\\ z = 0
                SlowNext == (Next /\\ UNCHANGED z) \\/ (z < 1000000 /\\ z' = z + 1 /\\ UNCHANGED <<x, y>>)
                ====
                """);
        Files.writeString(
                tla.resolve("MCSlow.cfg"), "INIT SlowInit\nNEXT SlowNext\nINVARIANT Bounded\nCHECK_DEADLOCK FALSE\n");
        Manifest.empty(dir.resolve("manifest.json")).write();
        Manifest manifest = Manifest.read(dir.resolve("manifest.json"));
        List<SpecMutants.Mutant> all = SpecMutants.of(tla.resolve("Counter.tla"), Set.of("Counter"));
        SpecMutants.Mutant reset = all.stream()
                .filter(m -> m.operator().equals("negate condition")
                        && m.definition().equals("Reset"))
                .findFirst()
                .orElseThrow();
        SpecMutants.Mutant boundary = all.stream()
                .filter(m -> m.operator().equals("< -> <="))
                .findFirst()
                .orElseThrow();
        MutationRun.Settings settings =
                new MutationRun.Settings(1, java.time.Duration.ofSeconds(3), Set.of(boundary.key()));
        // The boundary mutant is killed within a few steps; listed as equivalent, it is not run at all.
        List<MutationRun.Result> results =
                MutationRun.run(tla, manifest, List.of("MCSlow"), List.of(boundary, reset), settings, line -> {});
        assertEquals(
                MutationRun.Outcome.EQUIVALENT,
                results.get(0).outcome(),
                results.get(0).toString());
        assertEquals(java.time.Duration.ZERO, results.get(0).time());
        assertEquals(
                MutationRun.Outcome.TIMED_OUT,
                results.get(1).outcome(),
                results.get(1).toString());
        assertTrue(
                !results.get(1).outcome().killed() && !results.get(1).outcome().survived());
        assertEquals("in MCSlow", results.get(1).by(), results.get(1).toString());
        // a limit of one second still runs the model (it once timed out "before MCSlow", the copy of the specs
        // having taken a few milliseconds of the second)
        MutationRun.Result oneSecond = MutationRun.run(
                        tla,
                        manifest,
                        List.of("MCSlow"),
                        List.of(reset),
                        new MutationRun.Settings(1, java.time.Duration.ofSeconds(1), Set.of()),
                        line -> {})
                .get(0);
        assertEquals(MutationRun.Outcome.TIMED_OUT, oneSecond.outcome(), oneSecond.toString());
        assertEquals("in MCSlow", oneSecond.by(), oneSecond.toString());
    }

    @Test
    void aModelWhoseStateSpaceTheMutantBlowsUpIsSetAsideForTheModelsAfterIt(@TempDir Path dir) throws IOException {
        Path tla = specs(Files.createDirectories(dir.resolve("specs")));
        // MCOpen checks nothing and is the cheapest: with Inc's guard dropped, x counts up forever there. MCCounted
        // checks Bounded beside a counter z of its own (a few thousand states unmutated, so it runs after MCOpen):
        // x = 4 violates Bounded within a few steps.
        Files.writeString(tla.resolve("MCOpen.tla"), "---- MODULE MCOpen ----\nEXTENDS Counter\n====\n");
        Files.writeString(tla.resolve("MCOpen.cfg"), "INIT Init\nNEXT Next\nCHECK_DEADLOCK FALSE\n");
        Files.writeString(tla.resolve("MCCounted.tla"), """
                ---- MODULE MCCounted ----
                EXTENDS Counter
                VARIABLE z
                CInit == Init /\\ z = 0
                CNext == (Next /\\ UNCHANGED z) \\/ (z < 3000 /\\ z' = z + 1 /\\ UNCHANGED <<x, y>>)
                ====
                """);
        Files.writeString(
                tla.resolve("MCCounted.cfg"), "INIT CInit\nNEXT CNext\nINVARIANT Bounded\nCHECK_DEADLOCK FALSE\n");
        Files.delete(tla.resolve("MCCounter.tla"));
        Files.delete(tla.resolve("MCCounter.cfg"));
        CheckRun base =
                Checker.check(tla, CheckOptions.defaults().withWorkers(1).withoutManifest());
        Manifest.empty(dir.resolve("manifest.json"))
                .updated(base.results(), Set.of("MCOpen", "MCCounted"))
                .write();
        Manifest manifest = Manifest.read(dir.resolve("manifest.json"));
        SpecMutants.Mutant unbounded = SpecMutants.of(tla.resolve("Counter.tla"), Set.of("Counter")).stream()
                .filter(m -> m.operator().equals("drop conjunct")
                        && m.original().strip().equals("x < 3"))
                .findFirst()
                .orElseThrow();
        List<String> models = List.of("MCOpen", "MCCounted");
        assertEquals(models, MutationRun.byCost(tla, manifest, models), "MCOpen is the cheaper");
        // MCOpen may run 2 s, or 20 times its unmutated run (milliseconds of TLC, seconds on a loaded machine, where a
        // limit of 60 s was once less than that and MCOpen was never set aside), then MCCounted kills the mutant
        MutationRun.Result r = MutationRun.run(
                        tla,
                        manifest,
                        models,
                        List.of(unbounded),
                        new MutationRun.Settings(
                                1,
                                java.time.Duration.ofSeconds(600),
                                Set.of(),
                                null,
                                false,
                                java.time.Duration.ofSeconds(2)),
                        line -> {})
                .get(0);
        assertEquals(MutationRun.Outcome.KILLED, r.outcome(), r.toString());
        assertEquals("by MCCounted: Bounded", r.by(), r.toString());
        assertTrue(r.time().toSeconds() < 600, r.toString());
        // alone, the model set aside gets all the time left, and the mutant times out in it
        MutationRun.Result alone = MutationRun.run(
                        tla,
                        manifest,
                        List.of("MCOpen"),
                        List.of(unbounded),
                        new MutationRun.Settings(
                                1,
                                java.time.Duration.ofSeconds(4),
                                Set.of(),
                                null,
                                false,
                                java.time.Duration.ofSeconds(1)),
                        line -> {})
                .get(0);
        assertEquals(MutationRun.Outcome.TIMED_OUT, alone.outcome(), alone.toString());
    }

    @Test
    void aMutantRunsOnTheModelsThatExtendOrInstantiateItsModuleOnly(@TempDir Path dir) throws IOException {
        Path tla = specs(Files.createDirectories(dir.resolve("specs")));
        Files.writeString(tla.resolve("Other.tla"), "---- MODULE Other ----\nVARIABLE q\n====\n");
        Files.writeString(
                tla.resolve("MCRefines.tla"),
                "---- MODULE MCRefines ----\nEXTENDS Other\nC == INSTANCE Counter\n====\n");
        Files.writeString(tla.resolve("MCOther.tla"), "---- MODULE MCOther ----\nEXTENDS Other\n====\n");
        assertTrue(MutationRun.uses(tla, "MCCounter", "Counter"));
        assertTrue(MutationRun.uses(tla, "MCRefines", "Counter"));
        assertTrue(!MutationRun.uses(tla, "MCOther", "Counter"));
    }

    @Test
    void aModelThatDoesNotUseTheMutatedDefinitionIsSkippedAndOneThatTakesItsActionRunsFirst(@TempDir Path dir)
            throws IOException {
        Path tla = specs(Files.createDirectories(dir.resolve("specs")));
        // MCIncOnly's next-state relation never reaches Reset; MCResetCheck uses Reset only in its invariant.
        Files.writeString(
                tla.resolve("MCIncOnly.tla"), "---- MODULE MCIncOnly ----\nEXTENDS Counter\nIncNext == Inc\n====\n");
        Files.writeString(tla.resolve("MCIncOnly.cfg"), "INIT Init\nNEXT IncNext\nINVARIANT Bounded\n");
        Files.writeString(
                tla.resolve("MCResetCheck.tla"),
                "---- MODULE MCResetCheck ----\nEXTENDS Counter\nIncNext == Inc\nNoReset == ~ENABLED Reset\n====\n");
        Files.writeString(tla.resolve("MCResetCheck.cfg"), "INIT Init\nNEXT IncNext\nINVARIANT NoReset\n");
        List<ActionCoverage> resetTaken = List.of(
                new ActionCoverage("Counter", "Init", 4, true, 1, 1),
                new ActionCoverage("Counter", "Inc", 5, false, 3, 3),
                new ActionCoverage("Counter", "Reset", 8, false, 0, 1));
        List<ActionCoverage> incOnly = List.of(
                new ActionCoverage("Counter", "Init", 4, true, 1, 1),
                new ActionCoverage("Counter", "Inc", 5, false, 3, 3));
        List<MutantOrder.Uses> uses = List.of(
                MutantOrder.of(tla, "MCCounter", resetTaken, 50),
                MutantOrder.of(tla, "MCIncOnly", incOnly, 1),
                MutantOrder.of(tla, "MCResetCheck", incOnly, 2));
        // Reset: the cheap MCIncOnly cannot tell it apart and is skipped; MCCounter, which takes Reset, runs
        // before MCResetCheck, which is cheaper but uses Reset only in its invariant.
        assertEquals(
                List.of("MCCounter", "MCResetCheck"), MutantOrder.order(uses, MutantOrder.key("Counter", "Reset")));
        // Inc: every model takes it, cheapest first.
        assertEquals(
                List.of("MCIncOnly", "MCResetCheck", "MCCounter"),
                MutantOrder.order(uses, MutantOrder.key("Counter", "Inc")));
        // Without coverage every model that uses the definition counts as taking it.
        List<MutantOrder.Uses> unknown = List.of(
                MutantOrder.of(tla, "MCCounter", List.of(), 50), MutantOrder.of(tla, "MCResetCheck", List.of(), 2));
        assertEquals(
                List.of("MCResetCheck", "MCCounter"), MutantOrder.order(unknown, MutantOrder.key("Counter", "Reset")));
    }
}
