package dev.ladle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ladle check} as a user runs it: output, options and exit codes. */
class CheckCommandTest {
    private static final Path FIXTURES = Path.of(System.getProperty("ladle.specs"), "src/test/fixtures");
    private static final String MODELS = FIXTURES.resolve("models").toString();

    record Outcome(int code, String out, String err) {}

    static Outcome ladle(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Ladle.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void checkHelpFollowsPicocliConventions() {
        Outcome o = ladle("check", "--help");
        assertEquals(0, o.code());
        for (String option : new String[] {
            "--specs",
            "--update-manifest",
            "--workers",
            "--list",
            "--json",
            "-q",
            "--trace-json",
            "--graph",
            "--serve",
            "NAME"
        }) {
            assertTrue(o.out().contains(option), option + " in " + o.out());
        }
        assertEquals(0, ladle("--help").code());
        assertTrue(ladle("--help").out().contains("check"));
    }

    @Test
    void badOptionIsAUsageError() {
        Outcome o = ladle("check", "--no-such-option");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("Unknown option"), o.err());
    }

    @Test
    void tableAndCounterexampleForNamedModels() {
        Outcome o = ladle("check", "--specs", MODELS, "--workers", "1", "Counter", "Transfer");
        assertEquals(0, o.code(), o.err());
        assertTrue(
                o.out().lines().anyMatch(l -> l.matches("Counter\\s+tlc\\s+holds\\s+10\\s+14\\s+7\\s+.*as expected")),
                o.out());
        assertTrue(o.out().contains("State 2: Withdraw  (Transfer.tla:12:13)"), o.out());
        assertTrue(o.out().contains("  * balance = -1"), o.out());
        assertTrue(o.out().contains("2 models checked"), o.out());
    }

    @Test
    void jsonAndTraceJsonForEveryDefaultModel(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("trace.json");
        Outcome o =
                ladle("check", "--specs", MODELS, "--workers", "1", "-q", "--json", "--trace-json", trace.toString());
        assertEquals(0, o.code(), o.err());
        JsonNode json = new ObjectMapper().readTree(o.out());
        assertEquals(0, json.path("exitCode").asInt());
        assertEquals(8, json.path("results").size());
        JsonNode counter = json.path("results").get(0);
        assertEquals("Counter", counter.path("model").asText());
        assertEquals(10, counter.path("distinct").asInt());
        JsonNode traces = new ObjectMapper().readTree(trace.toFile());
        assertTrue(traces.toString().contains("\"violated\":\"NoOverdraft\""), traces.toString());
        assertTrue(traces.toString().contains("\"name\":\"$Symmetric_a\""), traces.toString());
        assertFalse(o.err().contains("State 2"), "-q prints no counterexample");
    }

    @Test
    void syntaxErrorExitsTwoWithLocationAndNoStackTrace() {
        Outcome o = ladle("check", "--specs", FIXTURES.resolve("syntax").toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("Broken.tla:4:20: syntax error"), o.err());
        assertFalse(o.err().contains("Exception"), o.err());
        assertFalse(o.err().contains("\tat "), o.err());
    }

    @Test
    void unknownNameExitsTwo() {
        Outcome o = ladle("check", "--specs", MODELS, "Nope");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("no model named Nope"), o.err());
    }

    @Test
    void listShowsDefaultModelsOrTheNamedOnes() {
        Outcome all = ladle("check", "--specs", MODELS, "--list");
        assertEquals(0, all.code());
        assertTrue(all.out().contains("8 models"), all.out());
        assertFalse(all.out().contains("MCCounterBig"), all.out());
        Outcome named = ladle("check", "--specs", MODELS, "--list", "MCCounterBig", "Graph");
        assertTrue(named.out().contains("MCCounterBig") && named.out().contains("Graph/NoSelfLoop"), named.out());
        assertTrue(named.out().contains("4 models"), named.out());
    }

    @Test
    void violationWithoutManifestExitsOneAndUpdateManifestRecordsIt(@TempDir Path dir) throws Exception {
        Files.copy(FIXTURES.resolve("models/Stuck.tla"), dir.resolve("Stuck.tla"));
        Files.copy(FIXTURES.resolve("models/Stuck.cfg"), dir.resolve("Stuck.cfg"));
        Outcome first = ladle("check", "--specs", dir.toString(), "--workers", "1");
        assertEquals(1, first.code(), first.out());
        assertTrue(first.out().contains("deadlock"), first.out());
        assertEquals(
                0,
                ladle("check", "--specs", dir.toString(), "--workers", "1", "--update-manifest")
                        .code());
        assertTrue(Files.readString(dir.resolve("manifest.json")).contains("\"expect\" : \"deadlock\""));
        Outcome again = ladle("check", "--specs", dir.toString(), "--workers", "1");
        assertEquals(0, again.code(), again.out());
    }
}
