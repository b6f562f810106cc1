package dev.ladle.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs every default fixture model once (TLC with one worker, so counts are deterministic) and
 * checks what each checker reported: verdicts, violated names, state counts, traces, Alloy
 * relations, the comparison with the fixtures' manifest, and that nothing is left behind.
 */
class CheckerTest {
    static CheckRun run;
    static Set<Path> fixturesBefore;
    static Set<Path> tempBefore;

    @BeforeAll
    static void checkFixtures() {
        fixturesBefore = Fixtures.listing(Fixtures.MODELS);
        tempBefore = Fixtures.tlcTempFolders();
        run = Checker.check(Fixtures.MODELS, CheckOptions.defaults().withWorkers(1));
    }

    static ModelResult result(String name) {
        return run.result(name).orElseThrow(() -> new AssertionError("no result for " + name + " in " + run.results()));
    }

    @Test
    void everyFixtureGivesWhatTheManifestExpects() {
        assertEquals(List.of(), run.parseErrors());
        assertEquals(List.of(), run.problems());
        for (ModelResult r : run.results()) {
            assertEquals(List.of(), r.drift(), r.model());
        }
        assertEquals(ExitCode.OK, run.exitCode());
    }

    @Test
    void largerConfigurationIsNotRunByDefault() {
        assertFalse(run.result("MCCounterBig").isPresent());
        assertEquals(
                List.of(
                        "Counter",
                        "Graph/CyclicAndAcyclic",
                        "Graph/NoSelfLoop",
                        "Graph/SomeAcyclicEdges",
                        "Stuck",
                        "Symmetry/Symmetric",
                        "Toggle",
                        "Transfer"),
                run.results().stream().map(ModelResult::model).toList());
    }

    @Test
    void correctSpecHoldsWithItsStateCounts() {
        ModelResult r = result("Counter");
        assertEquals(Verdict.HOLDS, r.verdict());
        // (N+1)(N+2)/2 pairs y <= x for N = 3.
        assertEquals(10, r.distinct());
        assertEquals(14, r.total());
        assertEquals(7, r.depth());
        assertTrue(r.trace().isEmpty());
    }

    @Test
    void invariantViolationNamesTheInvariantAndGivesTheShortestTrace() {
        ModelResult r = result("Transfer");
        assertEquals(Verdict.VIOLATED, r.verdict());
        assertEquals("NoOverdraft", r.violated());
        List<TraceStep> t = r.trace();
        assertEquals(3, t.size());
        assertEquals("Initial predicate", t.get(0).action());
        assertEquals(Map.of("balance", "3", "paid", "0"), t.get(0).vars());
        assertEquals("Withdraw", t.get(1).action());
        assertEquals("Transfer.tla:12:13", t.get(1).location());
        assertEquals(Map.of("balance", "-1", "paid", "4"), t.get(2).vars());
        assertEquals(List.of("balance", "paid"), t.get(2).changedFrom(t.get(1)));
    }

    @Test
    void temporalViolationIsALassoNamedAfterTheProperty() {
        ModelResult r = result("Toggle");
        assertEquals(Verdict.VIOLATED, r.verdict());
        assertEquals("EventuallyDone", r.violated());
        assertEquals(1, r.loopTo());
        assertEquals(
                List.of("Initial predicate", "Flip"),
                r.trace().stream().map(TraceStep::action).toList());
        assertEquals(List.of("bit"), r.trace().get(1).changedFrom(r.trace().get(0)));
        assertEquals(List.of("bit", "done"), List.copyOf(r.trace().get(0).vars().keySet()), "declaration order");
    }

    @Test
    void violationInAnInitialStateShowsThatState() {
        CheckRun initial = Checker.check(
                Fixtures.ROOT.resolve("initial"), CheckOptions.defaults().withWorkers(1));
        ModelResult r = initial.result("InitBad").orElseThrow();
        assertEquals(Verdict.VIOLATED, r.verdict());
        assertEquals("Small", r.violated());
        assertEquals(1, r.trace().size());
        assertEquals(
                Map.of("x", "5", "y", "[a |-> 5, b |-> \"z\"]"),
                r.trace().get(0).vars());
    }

    @Test
    void deadlockEndsInTheStuckState() {
        ModelResult r = result("Stuck");
        assertEquals(Verdict.DEADLOCK, r.verdict());
        assertEquals(3, r.trace().size());
        assertEquals("2", r.trace().get(2).vars().get("queued"));
        assertEquals("Enqueue", r.trace().get(2).action());
    }

    @Test
    void alloyCheckThatHoldsAndRunsWithAndWithoutInstances() {
        assertEquals(Verdict.HOLDS, result("Graph/NoSelfLoop").verdict());
        assertEquals(0, result("Graph/NoSelfLoop").distinct());
        ModelResult some = result("Graph/SomeAcyclicEdges");
        assertEquals(Verdict.INSTANCE, some.verdict());
        assertEquals(9, some.distinct());
        assertFalse(some.instance().isEmpty());
        assertEquals(Verdict.NO_INSTANCE, result("Graph/CyclicAndAcyclic").verdict());
    }

    @Test
    void alloyCounterexampleNamesItsSkolemsAndReallyBreaksTheAssertion() {
        ModelResult r = result("Symmetry/Symmetric");
        assertEquals(Verdict.VIOLATED, r.verdict());
        assertEquals("Symmetric", r.violated());
        Map<String, Relation> rel = r.instance().stream().collect(Collectors.toMap(Relation::name, x -> x));
        String a = rel.get("$Symmetric_a").tuples().get(0).get(0);
        String b = rel.get("$Symmetric_b").tuples().get(0).get(0);
        assertEquals("skolem", rel.get("$Symmetric_a").kind());
        List<List<String>> edges = rel.get("Node.edges").tuples();
        assertTrue(edges.contains(List.of(a, b)), "a -> b is an edge: " + edges);
        assertFalse(edges.contains(List.of(b, a)), "b -> a is not: " + edges);
    }

    @Test
    void counterexampleTextMarksChangedVariables() {
        String text = Report.counterexample(result("Transfer"));
        assertTrue(text.contains("Counterexample for Transfer: violated: NoOverdraft (3 states)"), text);
        assertTrue(text.contains("State 2: Withdraw  (Transfer.tla:12:13)"), text);
        assertTrue(text.contains("  * balance = 1\n"), text);
        assertTrue(text.contains("    balance = 3\n"), "the initial state marks nothing: " + text);
        String loop = Report.counterexample(result("Toggle"));
        assertTrue(loop.contains("Back to state 1 by Flip  (Toggle.tla:10:9)"), loop);
        assertTrue(loop.contains("    done = FALSE\n"), "unchanged variable unmarked: " + loop);
        String alloy = Report.counterexample(result("Symmetry/Symmetric"));
        assertTrue(alloy.contains("skolem $Symmetric_a = {Node$"), alloy);
    }

    @Test
    void tableShowsResultsCountsAndComparison() {
        String table = Report.table(run);
        assertTrue(
                table.lines()
                        .anyMatch(l ->
                                l.matches("Counter\\s+tlc\\s+holds\\s+10\\s+14\\s+7\\s+-\\s+\\S+s\\s+as expected")),
                table);
        assertTrue(
                table.lines().anyMatch(l -> l.matches("Transfer\\s+tlc\\s+violated: NoOverdraft\\s+.*as expected")),
                table);
        assertTrue(table.contains("all as expected"), table);
    }

    @Test
    void traceJsonHasEveryStateWithChangedVariables() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Report.traceJson(run));
        var transfer = java.util.stream.StreamSupport.stream(json.spliterator(), false)
                .filter(n -> n.path("model").asText().equals("Transfer"))
                .findFirst()
                .orElseThrow();
        assertEquals("NoOverdraft", transfer.path("violated").asText());
        assertEquals(3, transfer.path("states").size());
        var second = transfer.path("states").get(1);
        assertEquals("Withdraw", second.path("action").asText());
        assertEquals("1", second.path("vars").path("balance").asText());
        assertEquals(2, second.path("changed").size());
    }

    @Test
    void nothingIsLeftInTheFixturesOrTheTemporaryFolder() {
        assertEquals(fixturesBefore, Fixtures.listing(Fixtures.MODELS));
        assertEquals(tempBefore, Fixtures.tlcTempFolders());
    }
}
