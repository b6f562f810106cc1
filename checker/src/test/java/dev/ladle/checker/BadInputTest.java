package dev.ladle.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.tla.SourceError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Syntax and semantic errors, misplaced files and unknown names: clear messages, right exit codes. */
class BadInputTest {

    @Test
    void tlaSyntaxErrorNamesFileLineAndColumnAndChecksNothing() {
        CheckRun run = Checker.check(
                Fixtures.ROOT.resolve("syntax"), CheckOptions.defaults().withWorkers(1));
        assertEquals(ExitCode.USAGE, run.exitCode());
        assertEquals(List.of(), run.results());
        SourceError e = run.parseErrors().get(0);
        assertEquals("Broken.tla", e.file().getFileName().toString());
        assertEquals(4, e.line());
        assertEquals(20, e.column());
        assertTrue(e.message().startsWith("syntax error: Encountered \"1\""), e.message());
    }

    @Test
    void tlaSemanticErrorNamesTheUnknownOperator() {
        CheckRun run = Checker.check(
                Fixtures.ROOT.resolve("semantic"), CheckOptions.defaults().withWorkers(1));
        assertEquals(ExitCode.USAGE, run.exitCode());
        SourceError e = run.parseErrors().get(0);
        assertEquals("Unknown.tla", e.file().getFileName().toString());
        assertEquals(4, e.line());
        assertEquals(14, e.column());
        assertTrue(e.message().contains("Unknown operator: `Succ'"), e.message());
    }

    @Test
    void alloyTypeErrorNamesFileLineAndColumn() {
        CheckRun run = Checker.check(Fixtures.ROOT.resolve("alloy-syntax"), CheckOptions.defaults());
        assertEquals(ExitCode.USAGE, run.exitCode());
        SourceError e = run.parseErrors().get(0);
        assertEquals("Typo.als", e.file().getFileName().toString());
        assertEquals(3, e.line());
        assertTrue(e.column() > 0);
        assertTrue(e.message().contains("edgez"), e.message());
    }

    @Test
    void alloySyntaxErrorIsAParseError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Bad.als"), "sig A {}\nfact { all a: A | }\n");
        CheckRun run = Checker.check(dir, CheckOptions.defaults());
        assertEquals(ExitCode.USAGE, run.exitCode());
        SourceError e = run.parseErrors().get(0);
        assertEquals(2, e.line());
        assertTrue(e.message().startsWith("syntax error"), e.message());
    }

    @Test
    void modelWithoutItsCfgIsAnErrorForThatModel() {
        CheckRun run = Checker.check(Fixtures.ROOT.resolve("missing-cfg"), CheckOptions.defaults());
        ModelResult r = run.result("MCLonely").orElseThrow();
        assertEquals(Verdict.ERROR, r.verdict());
        assertEquals("model MCLonely.tla has no MCLonely.cfg beside it (TLC needs one)", r.error());
        assertEquals(ExitCode.DIFFERS, run.exitCode());
    }

    @Test
    void cfgWithoutItsModuleIsAnErrorForThatModel(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Orphan.cfg"), "INIT Init\nNEXT Next\n");
        ModelResult r =
                Checker.check(dir, CheckOptions.defaults()).result("Orphan").orElseThrow();
        assertEquals(Verdict.ERROR, r.verdict());
        assertTrue(r.error().startsWith("Orphan.cfg has no Orphan.tla beside it"), r.error());
    }

    @Test
    void alloyCommandPastItsTimeLimitIsStopped() {
        long start = System.nanoTime();
        CheckRun run = Checker.check(
                Fixtures.ROOT.resolve("alloy-slow"),
                CheckOptions.defaults().withTimeout(java.time.Duration.ofSeconds(3)));
        ModelResult r = run.result("Ramsey/NoFour").orElseThrow();
        assertEquals(Verdict.ERROR, r.verdict());
        assertEquals("timed out after 3 s", r.error());
        assertTrue(System.nanoTime() - start < 30_000_000_000L, "stopped, not waited for");
    }

    @Test
    void alloyCommandWithATimeLimitGivesTheSameResultInItsOwnJvm() {
        CheckRun run = Checker.check(
                Fixtures.MODELS,
                CheckOptions.defaults().withNames(List.of("Symmetry")).withTimeout(java.time.Duration.ofSeconds(120)));
        ModelResult r = run.result("Symmetry/Symmetric").orElseThrow();
        assertEquals(Verdict.VIOLATED, r.verdict());
        assertEquals("Symmetric", r.violated());
        assertEquals(AlloyRunner.COUNT_CAP, r.distinct());
        assertTrue(r.instance().stream()
                .anyMatch(x -> x.name().equals("$Symmetric_b") && x.kind().equals("skolem")));
        assertEquals(ExitCode.OK, run.exitCode());
    }

    @Test
    void unknownModelNameIsAUsageError() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Checker.plan(Fixtures.MODELS, CheckOptions.defaults().withNames(List.of("Nope"))));
        assertTrue(e.getMessage().contains("no model named Nope"), e.getMessage());
    }

    @Test
    void missingFolderIsAUsageError() {
        assertThrows(
                IllegalArgumentException.class,
                () -> Checker.check(Path.of("no/such/folder"), CheckOptions.defaults()));
    }

    @Test
    void tlcOutOfMemoryIsAnErrorForThatModelAndTheOthersStillRun() {
        CheckRun run = Checker.check(
                Fixtures.ROOT.resolve("oom"),
                CheckOptions.defaults().withWorkers(1).withChildHeap("32m"));
        ModelResult huge = run.result("Huge").orElseThrow();
        assertEquals(Verdict.ERROR, huge.verdict());
        assertTrue(huge.error().startsWith("TLC ran out of memory"), huge.error());
        ModelResult small = run.result("Small").orElseThrow();
        assertEquals(Verdict.HOLDS, small.verdict());
        assertEquals(4, small.distinct());
        assertEquals(ExitCode.DIFFERS, run.exitCode());
        assertTrue(Report.table(run).contains("Huge: error: TLC ran out of memory"));
    }

    @Test
    void timeoutIsAnErrorForThatModel() {
        CheckRun run = Checker.check(
                Fixtures.MODELS,
                CheckOptions.defaults()
                        .withWorkers(1)
                        .withNames(List.of("MCCounterBig"))
                        .withTimeout(java.time.Duration.ofMillis(300)));
        ModelResult r = run.result("MCCounterBig").orElseThrow();
        assertEquals(Verdict.ERROR, r.verdict());
        assertTrue(r.error().startsWith("timed out"), r.error());
    }
}
