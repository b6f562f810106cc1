package dev.ladle.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expected results as data: drift, missing entries, stale entries, and rewriting the file. */
class ManifestTest {
    private static final CheckOptions ONE_WORKER = CheckOptions.defaults().withWorkers(1);

    private static void replaceInManifest(Path dir, String from, String to) throws Exception {
        Path m = dir.resolve("manifest.json");
        String text = Files.readString(m);
        assertTrue(text.contains(from), "fixture manifest changed: " + from);
        Files.writeString(m, text.replace(from, to));
    }

    @Test
    void changedStateCountIsDrift(@TempDir Path dir) throws Exception {
        Fixtures.copy(Fixtures.MODELS, dir);
        replaceInManifest(dir, "\"distinct\" : 10", "\"distinct\" : 11");
        CheckRun run = Checker.check(dir, ONE_WORKER.withNames(List.of("Counter")));
        assertEquals(
                List.of("distinct states 10, manifest says 11"),
                run.result("Counter").orElseThrow().drift());
        assertEquals(ExitCode.DIFFERS, run.exitCode());
        assertTrue(Report.table(run).contains("DRIFT: distinct states 10, manifest says 11"));
    }

    @Test
    void differentViolatedInvariantIsDrift(@TempDir Path dir) throws Exception {
        Fixtures.copy(Fixtures.MODELS, dir);
        replaceInManifest(dir, "\"invariant\" : \"NoOverdraft\"", "\"invariant\" : \"TypeOK\"");
        CheckRun run = Checker.check(dir, ONE_WORKER.withNames(List.of("Transfer")));
        assertEquals(
                List.of("expected violation of TypeOK, got NoOverdraft"),
                run.result("Transfer").orElseThrow().drift());
        assertEquals(ExitCode.DIFFERS, run.exitCode());
    }

    @Test
    void modelMissingFromTheManifestAndEntryWithoutModelAreReported(@TempDir Path dir) throws Exception {
        Fixtures.copy(Fixtures.MODELS, dir);
        replaceInManifest(dir, "\"Counter\" :", "\"Gone\" :");
        CheckRun run = Checker.check(dir, ONE_WORKER);
        assertTrue(run.result("Counter").orElseThrow().drift().get(0).startsWith("not in the manifest"));
        assertEquals(1, run.problems().size());
        assertTrue(
                run.problems().get(0).contains("entry \"Gone\" names no model"),
                run.problems().get(0));
        assertEquals(ExitCode.DIFFERS, run.exitCode());
    }

    @Test
    void withoutAManifestViolationsFailButHoldingModelsPass(@TempDir Path dir) throws Exception {
        Fixtures.copy(Fixtures.MODELS, dir);
        Files.delete(dir.resolve("manifest.json"));
        CheckRun holds = Checker.check(dir, ONE_WORKER.withNames(List.of("Counter", "Graph")));
        assertEquals(null, holds.manifest());
        assertEquals(ExitCode.OK, holds.exitCode());
        assertEquals(List.of(), holds.result("Counter").orElseThrow().drift());
        CheckRun violated = Checker.check(dir, ONE_WORKER.withNames(List.of("Stuck")));
        assertEquals(ExitCode.DIFFERS, violated.exitCode());
    }

    @Test
    void updateWritesResultsAndKeepsPerModelOptions(@TempDir Path dir) throws Exception {
        Fixtures.copy(Fixtures.MODELS, dir);
        replaceInManifest(dir, "\"distinct\" : 10", "\"distinct\" : 99");
        CheckRun run = Checker.check(dir, ONE_WORKER.withNames(List.of("Counter", "Transfer")));
        assertEquals(ExitCode.DIFFERS, run.exitCode());
        Checker.updateManifest(run, null);
        Manifest m = Manifest.read(dir.resolve("manifest.json"));
        assertEquals(10, m.entry("Counter").orElseThrow().distinct());
        assertEquals("NoOverdraft", m.entry("Transfer").orElseThrow().invariant());
        assertFalse(m.entry("MCCounterBig").orElseThrow().runByDefault(), "default: false survives");
        assertEquals(1891, m.entry("MCCounterBig").orElseThrow().distinct(), "models not run keep their entry");
        assertEquals(
                ExitCode.OK,
                Checker.check(dir, ONE_WORKER.withNames(List.of("Counter"))).exitCode());
    }

    @Test
    void malformedManifestNamesFileAndModel(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("manifest.json"),
                "{\"format\": 1, \"models\": {\"X\": {\"engine\": \"tlc\", \"expect\": \"fine\"}}}");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Manifest.read(dir.resolve("manifest.json")));
        assertTrue(
                e.getMessage().contains("model \"X\"") && e.getMessage().contains("unknown expected result 'fine'"),
                e.getMessage());
    }

    @Test
    void misspeltKeyIsAnInputErrorNotADefault(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(
                dir.resolve("manifest.json"),
                "{\"format\": 1, \"models\": {\"X\": {\"engine\": \"tlc\", \"expct\": \"deadlock\"}}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Manifest.read(file));
        assertTrue(
                e.getMessage().startsWith(file + ": model \"X\": unknown key \"expct\" (did you mean \"expect\"?)"),
                e.getMessage());
    }

    @Test
    void valueOfTheWrongTypeIsAnInputErrorNotADefault(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(
                dir.resolve("manifest.json"),
                "{\"format\": 1, \"models\": {\"X\": {\"engine\": \"tlc\", \"distinct\": \"12\"}}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Manifest.read(file));
        assertEquals(file + ": model \"X\": \"distinct\" takes a whole number, not \"12\"", e.getMessage());
    }

    @Test
    void everyManifestOfTheRepositoryReadsAsIs() {
        for (Path m : List.of(
                Fixtures.SPECS.resolve("manifest.json"),
                Fixtures.SPECS.resolve("src/test/mutants/manifest.json"),
                Fixtures.MODELS.resolve("manifest.json"))) {
            assertTrue(Manifest.read(m).models().size() > 0, m.toString());
        }
    }
}
