package dev.ladle.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ladle.tla.SourceError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input the checker must refuse or report clearly: each case once wrong before, each named by its shape. */
class ErrorPathsTest {
    private static final CheckOptions ONE = CheckOptions.defaults().withWorkers(1);
    private static final String COUNTER = "---- MODULE %s ----\nEXTENDS Naturals\nVARIABLE x\n"
            + "Init == x = 0\nNext == x < 3 /\\ x' = x + 1\nTypeOK == x \\in 0..3\n====\n";

    private static Path module(Path dir, String name) throws Exception {
        return Files.writeString(dir.resolve(name + ".tla"), COUNTER.formatted(name));
    }

    @Test
    void emptyFolderIsAnInputErrorSayingNothingWasFound(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checker.check(dir, ONE));
        assertTrue(e.getMessage().startsWith("no models found under " + dir), e.getMessage());
    }

    @Test
    void moduleWithoutACfgIsAnInputErrorNamingTheModule(@TempDir Path dir) throws Exception {
        module(dir, "Foo");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checker.plan(dir, ONE));
        assertTrue(e.getMessage().contains("Foo.tla has no .cfg of the same name"), e.getMessage());
    }

    @Test
    void aFileGivenAsTheFolderSaysItIsAFile(@TempDir Path dir) throws Exception {
        Path file = module(dir, "Foo");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checker.check(file, ONE));
        assertTrue(e.getMessage().contains("is a file, not a folder"), e.getMessage());
    }

    @Test
    void alloyAndTlaErrorsInOneFolderAreBothReported(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Bad.als"), "sig A {}\nfact { all a: A | }\n");
        Files.writeString(dir.resolve("Broken.tla"), "---- MODULE Broken ----\nVARIABLE x\nInit == x = = 1\n====\n");
        Files.writeString(dir.resolve("Broken.cfg"), "INIT Init\nNEXT Init\n");
        CheckRun run = Checker.check(dir, ONE);
        assertEquals(ExitCode.USAGE, run.exitCode());
        List<String> files = run.parseErrors().stream()
                .map(e -> e.file().getFileName().toString())
                .sorted()
                .toList();
        assertEquals(List.of("Bad.als", "Broken.tla"), files, run.parseErrors().toString());
    }

    @Test
    void missingExtendedModuleIsSanysMessageAtTheExtendsLine(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("A.tla"),
                "---- MODULE A ----\nEXTENDS Missing\nVARIABLE x\nInit == x = 0\nNext == x' = x\n====\n");
        Files.writeString(dir.resolve("A.cfg"), "INIT Init\nNEXT Next\n");
        SourceError e = Checker.check(dir, ONE).parseErrors().get(0);
        assertEquals(dir.resolve("A.tla"), e.file());
        assertEquals(2, e.line());
        assertTrue(e.message().startsWith("Cannot find source file for module Missing"), e.message());
    }

    @Test
    void cfgNamingAnUndefinedInvariantIsAnInputErrorAtItsLine(@TempDir Path dir) throws Exception {
        module(dir, "Counter");
        Files.writeString(dir.resolve("Counter.cfg"), "INIT Init\nNEXT Next\n\nINVARIANT TypeOK NoSuchThing\n");
        CheckRun run = Checker.check(dir, ONE);
        assertEquals(ExitCode.USAGE, run.exitCode());
        assertEquals(List.of(), run.results(), "TLC never started");
        assertEquals(
                dir.resolve("Counter.cfg") + ":4: INVARIANT NoSuchThing: Counter.tla (with what it extends) defines no"
                        + " NoSuchThing",
                run.parseErrors().get(0).toString());
    }

    private static final String WITH_N = "---- MODULE %s ----\nEXTENDS Naturals\nCONSTANT N\nVARIABLE x\n"
            + "Init == x = 0\nNext == x < N /\\ x' = x + 1\nTypeOK == x \\in 0..N\n====\n";

    @Test
    void cfgLeavingAConstantWithoutAValueIsAnInputErrorBeforeTlcStarts(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Counter.tla"), WITH_N.formatted("Counter"));
        Files.writeString(dir.resolve("Counter.cfg"), "INIT Init\nNEXT Next\nINVARIANT TypeOK\n");
        CheckRun run = Checker.check(dir, ONE);
        assertEquals(ExitCode.USAGE, run.exitCode());
        assertEquals(List.of(), run.results(), "TLC never started");
        assertEquals(
                dir.resolve("Counter.cfg") + ": CONSTANT N of Counter.tla has no value: add `N = ...` (or `N <- ...`)"
                        + " to the CONSTANT section",
                run.parseErrors().get(0).toString());
    }

    @Test
    void cfgGivingAValueToAnUndeclaredConstantIsAnInputErrorAtItsLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Counter.tla"), WITH_N.formatted("Counter"));
        Files.writeString(dir.resolve("Counter.cfg"), "CONSTANT N = 3\nCONSTANT M = 4\nINIT Init\nNEXT Next\n");
        CheckRun run = Checker.check(dir, ONE);
        assertEquals(ExitCode.USAGE, run.exitCode());
        assertEquals(List.of(), run.results(), "TLC never started");
        assertEquals(
                dir.resolve("Counter.cfg") + ":2: CONSTANT M: Counter.tla (with what it extends) declares no constant M"
                        + " (did you mean N?)",
                run.parseErrors().get(0).toString());
    }

    @Test
    void constantsOfAnExtendedModuleAndOverriddenConstantsCountAsGiven(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Base.tla"), WITH_N.formatted("Base"));
        Files.writeString(
                dir.resolve("MCBase.tla"),
                "---- MODULE MCBase ----\nEXTENDS Base\nCONSTANT K\nTwo == 2\nMCInit == Init /\\ K = K\n====\n");
        Files.writeString(dir.resolve("MCBase.cfg"), "CONSTANT N = 2\nCONSTANT K <- Two\nINIT Init\nNEXT Next\n");
        assertEquals(List.of(), Checker.cfgErrors(Checker.plan(dir, ONE).get(0)));
    }

    @Test
    void everyModelOfTheRepositoryGivesExactlyItsConstants() {
        List<String> errors = new java.util.ArrayList<>();
        for (ModelRef m : Checker.plan(Fixtures.SPECS.resolve("src/main"), ONE.withoutManifest())) {
            if (m.engine() == Engine.TLC) {
                Checker.cfgErrors(m).forEach(e -> errors.add(e.toString()));
            }
        }
        assertEquals(List.of(), errors);
    }

    @Test
    void cfgKeywordTypoIsNamedWithTheKeywordMeant(@TempDir Path dir) throws Exception {
        module(dir, "Counter");
        Files.writeString(dir.resolve("Counter.cfg"), "INIT Init\nNEXT Next\nINVARIANTT TypeOK\n");
        SourceError e = Checker.check(dir, ONE).parseErrors().get(0);
        assertEquals(3, e.line());
        assertEquals("unknown keyword INVARIANTT (did you mean INVARIANT?)", e.message());
    }

    @Test
    void aliasIsNamedAsUnsupportedByThisTlc(@TempDir Path dir) throws Exception {
        module(dir, "Counter");
        Files.writeString(dir.resolve("Counter.cfg"), "INIT Init\nNEXT Next\nALIAS TypeOK\n");
        CheckRun run = Checker.check(dir, ONE);
        assertEquals(ExitCode.USAGE, run.exitCode());
        assertEquals(
                dir.resolve("Counter.cfg") + ":3: ALIAS is not supported by the TLC this checker runs (TLC 2.18):"
                        + " remove it",
                run.parseErrors().get(0).toString());
    }

    @Test
    void tlcRuntimeErrorKeepsItsLocationTraceCountsAndPrintedOutput(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("Rt.tla"),
                "---- MODULE Rt ----\nEXTENDS Sequences, Naturals, TLC\nVARIABLE s\nInit == s = <<1, 2>>\n"
                        + "Next == /\\ PrintT(<<\"len\", Len(s)>>)\n        /\\ s' = Tail(s)\n====\n");
        Files.writeString(dir.resolve("Rt.cfg"), "INIT Init\nNEXT Next\n");
        CheckRun run = Checker.check(dir, ONE);
        ModelResult r = run.result("Rt").orElseThrow();
        assertEquals(Verdict.ERROR, r.verdict());
        assertTrue(r.error().contains("Rt.tla:6:17: Attempted to apply Tail to the empty sequence."), r.error());
        assertTrue(
                r.error().contains("\n0. Line 5, column 9 to line 6, column 23 in Rt"),
                "TLC's positions, one per line: " + r.error());
        assertEquals(3, r.trace().size());
        assertEquals("<<>>", r.trace().get(2).vars().get("s"));
        assertEquals(3, r.distinct());
        assertEquals(List.of("<<\"len\", 2>>", "<<\"len\", 1>>", "<<\"len\", 0>>"), r.output());
        assertEquals(ExitCode.DIFFERS, run.exitCode());
        assertTrue(Report.counterexample(r).startsWith("Behaviour up to the error in Rt (3 states)"));
        JsonNode trace = new ObjectMapper().readTree(Report.traceJson(run)).get(0);
        assertEquals(3, trace.path("states").size());
        assertTrue(trace.path("error").asText().contains("Tail"), trace.toString());
        assertFalse(trace.has("violated"));
        JsonNode json =
                new ObjectMapper().readTree(Report.json(run)).path("results").get(0);
        assertEquals(3, json.path("distinct").asInt());
        assertEquals(3, json.path("output").size());
    }

    @Test
    void printOutputOfAModelThatHoldsIsKept(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("P.tla"),
                "---- MODULE P ----\nEXTENDS Naturals, TLC\nVARIABLE x\nInit == x = 0 /\\ Print(\"hello\", TRUE)\n"
                        + "Next == x < 1 /\\ x' = x + 1\n====\n");
        Files.writeString(dir.resolve("P.cfg"), "INIT Init\nNEXT Next\nCHECK_DEADLOCK FALSE\n");
        ModelResult r = Checker.check(dir, ONE).result("P").orElseThrow();
        assertEquals(Verdict.HOLDS, r.verdict(), r.error());
        assertEquals(List.of("\"hello\"  TRUE"), r.output());
    }

    @Test
    void heapTooSmallForTheJvmGivesTheJvmsReason(@TempDir Path dir) throws Exception {
        module(dir, "Counter");
        Files.writeString(dir.resolve("Counter.cfg"), "INIT Init\nNEXT Next\nCHECK_DEADLOCK FALSE\n");
        ModelResult r =
                Checker.check(dir, ONE.withChildHeap("1k")).result("Counter").orElseThrow();
        assertEquals(Verdict.ERROR, r.verdict());
        assertTrue(r.error().contains("Too small maximum heap"), r.error());
    }

    @Test
    void examplesRepositoryManifestIsReadAndNonExhaustiveModelsAreSkippedWithTheReason() {
        CheckRun run = Checker.check(Fixtures.ROOT.resolve("examples"), ONE);
        assertTrue(run.manifest().examplesFormat());
        ModelResult holds = run.result("SpecTest4Nodes").orElseThrow();
        assertEquals(Verdict.HOLDS, holds.verdict(), holds.error());
        assertEquals(List.of(), holds.drift());
        assertEquals(5, holds.distinct());
        assertEquals(Verdict.VIOLATED, run.result("SpecTestFails").orElseThrow().verdict());
        ModelResult generate = run.result("SpecTestGenerate").orElseThrow();
        assertEquals(Verdict.SKIPPED, generate.verdict());
        assertTrue(generate.error().startsWith("mode \"generate\" is not exhaustive search"), generate.error());
        assertTrue(run.result("SpecTestSimulate").orElseThrow().error().startsWith("mode \"simulate\""));
        assertEquals(ExitCode.OK, run.exitCode());
        assertTrue(Report.summary(run).startsWith("2 models checked in"), Report.summary(run));
        assertTrue(Report.summary(run).contains("(2 skipped)"), Report.summary(run));
    }

    @Test
    void examplesManifestDriftIsReported(@TempDir Path dir) throws Exception {
        Fixtures.copy(Fixtures.ROOT.resolve("examples"), dir);
        Path m = dir.resolve("manifest.json");
        Files.writeString(m, Files.readString(m).replace("\"distinctStates\": 5", "\"distinctStates\": 7"));
        CheckRun run = Checker.check(dir, ONE.withNames(List.of("SpecTest4Nodes")));
        assertEquals(
                List.of("distinct states 5, manifest says 7"),
                run.result("SpecTest4Nodes").orElseThrow().drift());
        assertThrows(IllegalArgumentException.class, () -> Checker.updateManifest(run, null), "read only format");
    }

    @Test
    void noManifestComparesNothingAndAModuleOptionPicksTheModule(@TempDir Path dir) throws Exception {
        Fixtures.copy(Fixtures.ROOT.resolve("examples"), dir);
        Files.delete(dir.resolve("manifest.json"));
        ModelResult unresolved = Checker.check(dir, ONE.withNames(List.of("SpecTest4Nodes")))
                .result("SpecTest4Nodes")
                .orElseThrow();
        assertTrue(unresolved.error().contains("use --module"), unresolved.error());
        CheckRun run = Checker.check(dir, ONE.withModule("SpecTest").withNames(List.of("SpecTest4Nodes")));
        ModelResult r = run.result("SpecTest4Nodes").orElseThrow();
        assertEquals(Verdict.HOLDS, r.verdict(), r.error());
        assertNull(run.manifest());
        CheckRun ignored = Checker.check(
                Fixtures.ROOT.resolve("examples"),
                ONE.withoutManifest().withModule("SpecTest").withNames(List.of("SpecTestFails")));
        assertNull(ignored.manifest());
        assertEquals(ExitCode.DIFFERS, ignored.exitCode(), "a violation with no manifest to expect it");
    }

    @Test
    void manifestModuleEntryChecksACfgAgainstAModuleOfAnotherName(@TempDir Path dir) throws Exception {
        module(dir, "Spec");
        Files.writeString(
                dir.resolve("SpecSmall.cfg"), "INIT Init\nNEXT Next\nINVARIANT TypeOK\nCHECK_DEADLOCK FALSE\n");
        Files.writeString(
                dir.resolve("manifest.json"),
                "{\"format\": 1, \"models\": {\"SpecSmall\": {\"engine\": \"tlc\", \"expect\": \"holds\","
                        + " \"module\": \"Spec\", \"distinct\": 4}}}");
        CheckRun run = Checker.check(dir, ONE);
        ModelResult r = run.result("SpecSmall").orElseThrow();
        assertEquals(Verdict.HOLDS, r.verdict(), r.error());
        assertEquals(List.of(), r.drift());
        assertEquals(ExitCode.OK, run.exitCode());
    }

    @Test
    void malformedManifestJsonNamesFileLineAndColumnWithoutParserInternals(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("manifest.json"), "{\n  \"format\": 1,\n  \"models\": {,}\n}\n");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Manifest.read(dir.resolve("manifest.json")));
        assertTrue(e.getMessage().startsWith(dir.resolve("manifest.json") + ":3:"), e.getMessage());
        assertFalse(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("jackson"), e.getMessage());
        assertFalse(e.getMessage().contains("StreamReadFeature"), e.getMessage());
        assertFalse(e.getMessage().contains("Source:"), e.getMessage());
    }

    @Test
    void largeStateGraphIsNotDrawnAndSaysWhy(@TempDir Path dir) {
        Path svg = dir.resolve("wide.svg");
        List<String> messages = new java.util.ArrayList<>();
        CheckListener listener = new CheckListener() {
            @Override
            public void message(String line) {
                messages.add(line);
            }
        };
        CheckRun run = Checker.check(
                Fixtures.ROOT.resolve("graph-large"), ONE.withGraph(svg).withListener(listener));
        assertEquals(Verdict.HOLDS, run.result("Wide").orElseThrow().verdict());
        assertFalse(Files.exists(svg));
        assertTrue(Files.exists(dir.resolve("wide.dot")), "the DOT file is kept");
        assertTrue(
                messages.stream().anyMatch(m -> m.startsWith("the state graph has 2501 states, more than the 2000")),
                messages.toString());
    }

    @Test
    void alloyRunHasNoViolatedFieldAndItsCountIsNotInTheDistinctColumn() throws Exception {
        CheckRun run = Checker.check(Fixtures.MODELS, ONE.withNames(List.of("Graph/SomeAcyclicEdges")));
        JsonNode n = new ObjectMapper().readTree(Report.traceJson(run)).get(0);
        assertEquals("instance", n.path("result").asText());
        assertFalse(n.has("violated"), n.toString());
        String row = Report.table(run)
                .lines()
                .filter(l -> l.startsWith("Graph/SomeAcyclicEdges"))
                .findFirst()
                .orElseThrow();
        assertTrue(row.matches("Graph/SomeAcyclicEdges\\s+alloy\\s+instance found\\s+-\\s+-\\s+-\\s+9\\s+.*"), row);
    }

    @Test
    void cleanupOfAFolderThatCannotBeDeletedReportsInsteadOfThrowing() {
        // /proc entries cannot be deleted, even by root.
        String problem = TempFolder.delete(Path.of("/proc/self/fd"));
        assertNotNull(problem);
        assertTrue(problem.startsWith("could not remove the temporary folder /proc/self/fd"), problem);
    }
}
