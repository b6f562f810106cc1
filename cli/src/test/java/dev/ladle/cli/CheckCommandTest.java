package dev.ladle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ladle.checker.ExitCode;
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
    void helpReachesANestedCommand() {
        Outcome nested = ladle("help", "log", "inspect");
        assertEquals(0, nested.code(), nested.err());
        assertTrue(nested.out().contains("Usage: ladle log inspect"), nested.out());
        Outcome top = ladle("help", "check");
        assertTrue(top.out().contains("Usage: ladle check"), top.out());
        assertTrue(ladle("help").out().contains("Usage: ladle"));
        Outcome wrong = ladle("help", "log", "inspekt");
        assertEquals(ExitCode.USAGE, wrong.code());
        assertTrue(wrong.err().contains("'ladle log' has no command 'inspekt' (its commands: inspect)"), wrong.err());
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
                o.out()
                        .lines()
                        .anyMatch(l -> l.matches("Counter\\s+tlc\\s+holds\\s+10\\s+14\\s+7\\s+-\\s+.*as expected")),
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
    void coverageWithJsonPutsTheActionsInTheJsonAndItsExitCodeIsTheCommands(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("Tiny.tla"),
                "---- MODULE Tiny ----\nEXTENDS Naturals\nVARIABLE x\nInit == x = 0\nUp == x' = (x + 1) % 3\n"
                        + "Never == x > 5 /\\ x' = 0\nNext == Up \\/ Never\n====\n");
        Files.writeString(dir.resolve("Tiny.cfg"), "INIT Init\nNEXT Next\n");
        Outcome o = ladle("check", "--specs", dir.toString(), "--workers", "1", "-q", "--json", "--coverage");
        assertEquals(1, o.code(), o.out() + o.err());
        JsonNode json = new ObjectMapper().readTree(o.out());
        assertEquals(1, json.path("exitCode").asInt(), "the JSON's exit code is the command's: " + o.out());
        JsonNode actions = json.path("coverage");
        assertEquals(2, actions.size(), o.out());
        assertEquals("Up", actions.get(0).path("action").asText());
        assertEquals(3, actions.get(0).path("generated").asLong());
        assertEquals("Never", actions.get(1).path("action").asText());
        assertEquals(0, actions.get(1).path("generated").asLong());
    }

    @Test
    void coverageWithAnUpdatedManifestRecordsTheCountsAndStillExitsOneForAnActionNeverTaken(@TempDir Path dir)
            throws Exception {
        Files.writeString(
                dir.resolve("Tiny.tla"),
                "---- MODULE Tiny ----\nEXTENDS Naturals\nVARIABLE x\nInit == x = 0\nUp == x' = (x + 1) % 3\n"
                        + "Never == x > 5 /\\ x' = 0\nNext == Up \\/ Never\n====\n");
        Files.writeString(dir.resolve("Tiny.cfg"), "INIT Init\nNEXT Next\n");
        Path manifest = dir.resolve("manifest.json");
        Outcome o = ladle(
                "check",
                "--specs",
                dir.toString(),
                "--workers",
                "1",
                "--coverage",
                "--update-manifest",
                "--manifest",
                manifest.toString());
        assertEquals(1, o.code(), o.out() + o.err());
        assertTrue(
                o.out().contains("an action was never taken") || o.err().contains("an action was never taken"),
                o.out() + o.err());
        JsonNode written = new ObjectMapper().readTree(manifest.toFile());
        assertTrue(written.toString().contains("Tiny"), written.toString());
        Outcome covered = ladle(
                "check",
                "--specs",
                dir.toString(),
                "--workers",
                "1",
                "--update-manifest",
                "--manifest",
                manifest.toString());
        assertEquals(0, covered.code(), "without --coverage an untaken action decides nothing: " + covered.err());
    }

    @Test
    @org.junit.jupiter.api.Timeout(120) // a server that starts waits for workers
    void coverageThatCannotBeGivenIsNeverSilentlyDropped() {
        Outcome serve = ladle("check", "--specs", MODELS, "--serve", "--coverage", "Counter");
        assertEquals(2, serve.code(), serve.err());
        assertEquals(
                "ladle check: --coverage cannot be combined with --serve: TLC's distributed mode reports no coverage"
                        + " (check the model without --serve for its coverage)",
                serve.err().strip());
        Outcome list = ladle("check", "--specs", MODELS, "--list", "--coverage", "Counter");
        assertEquals(0, list.code(), list.err());
        assertEquals(
                "ladle check: --list checks no model: --coverage has no effect",
                list.err().strip());
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

    @Test
    void workersAndTimeoutBelowOneAreRejectedAlike() {
        for (String[] args :
                new String[][] {{"--workers", "0"}, {"--workers", "-2"}, {"--timeout", "0"}, {"--timeout", "-5"}}) {
            Outcome o = ladle("check", "--specs", MODELS, args[0], args[1], "Counter");
            assertEquals(ExitCode.USAGE, o.code(), String.join(" ", args));
            assertTrue(
                    o.err().contains(args[0] + " takes a number of") && o.err().contains("1 or more"), o.err());
        }
    }

    @Test
    void malformedHeapSizeIsRejected() {
        Outcome o = ladle("check", "--specs", MODELS, "--tlc-heap", "lots", "Counter");
        assertEquals(ExitCode.USAGE, o.code());
        assertTrue(o.err().contains("--tlc-heap takes a size such as 512m"), o.err());
    }

    @Test
    void specsNamingAFileSaysItIsAFile() {
        Outcome o =
                ladle("check", "--specs", FIXTURES.resolve("models/Counter.tla").toString());
        assertEquals(ExitCode.USAGE, o.code());
        assertTrue(o.err().contains("is a file: give the folder that holds the models"), o.err());
    }

    @Test
    void serveWithoutANameAsksForOne() {
        Outcome o = ladle("check", "--specs", MODELS, "--serve");
        assertEquals(ExitCode.USAGE, o.code());
        assertTrue(o.err().contains("--serve runs TLC's server for one TLC model: name exactly one"), o.err());
    }

    @Test
    void emptyFolderExitsTwoSayingNothingWasFound(@TempDir Path dir) {
        Outcome o = ladle("check", "--specs", dir.toString());
        assertEquals(ExitCode.USAGE, o.code());
        assertTrue(o.err().contains("no models found under"), o.err());
        assertFalse(o.out().contains("all as expected"), o.out());
    }

    @Test
    void alloyErrorWithJsonPrintsJson() throws Exception {
        Outcome o = ladle("check", "--specs", FIXTURES.resolve("alloy-syntax").toString(), "--json");
        assertEquals(ExitCode.USAGE, o.code());
        JsonNode json = new ObjectMapper().readTree(o.out());
        assertEquals(ExitCode.USAGE, json.path("exitCode").asInt());
        assertTrue(json.path("parseErrors").get(0).path("file").asText().endsWith("Typo.als"), o.out());
    }

    @Test
    void inputErrorWithJsonPrintsJson(@TempDir Path dir) throws Exception {
        Outcome o = ladle("check", "--specs", dir.toString(), "--json");
        assertEquals(ExitCode.USAGE, o.code());
        JsonNode json = new ObjectMapper().readTree(o.out());
        assertTrue(json.path("error").asText().startsWith("no models found"), o.out());
    }

    @Test
    void unwritableTraceJsonKeepsTheResultsAndExitsWithTheIoCode(@TempDir Path dir) {
        Path trace = dir.resolve("no/such/folder/trace.json");
        Outcome o =
                ladle("check", "--specs", MODELS, "--workers", "1", "-q", "--trace-json", trace.toString(), "Transfer");
        assertEquals(ExitCode.IO, o.code(), o.err());
        assertTrue(o.out().contains("Transfer") && o.out().contains("as expected"), "the table is printed: " + o.out());
        assertTrue(o.err().contains("cannot write the traces to " + trace), o.err());
    }

    @Test
    void noManifestAndManifestFileChooseWhatIsCompared(@TempDir Path dir) throws Exception {
        Outcome none = ladle("check", "--specs", MODELS, "--workers", "1", "--no-manifest", "-q", "Transfer");
        assertEquals(ExitCode.DIFFERS, none.code(), "a violation with no manifest: " + none.out());
        assertTrue(none.out().contains("no manifest, results not compared"), none.out());
        Path other = dir.resolve("other.json");
        Files.writeString(
                other, "{\"format\": 1, \"models\": {\"Transfer\": {\"engine\": \"tlc\", \"expect\": \"holds\"}}}");
        Outcome drift =
                ladle("check", "--specs", MODELS, "--workers", "1", "--manifest", other.toString(), "-q", "Transfer");
        assertEquals(ExitCode.DIFFERS, drift.code());
        assertTrue(drift.out().contains("DRIFT: expected holds, got violated: NoOverdraft"), drift.out());
    }

    @Test
    void workerRejectsBadThreadsAndPort() {
        Outcome threads = ladle("worker", "127.0.0.1", "--threads", "0");
        assertEquals(ExitCode.USAGE, threads.code());
        assertTrue(threads.err().contains("--threads takes a number of 1 or more"), threads.err());
        Outcome port = ladle("worker", "127.0.0.1", "--port", "70000");
        assertEquals(ExitCode.USAGE, port.code());
        assertTrue(port.err().contains("--port takes a port number"), port.err());
        Outcome waitZero = ladle("worker", "127.0.0.1", "--wait", "0");
        assertEquals(ExitCode.USAGE, waitZero.code());
        assertTrue(waitZero.err().contains("--wait takes a number of seconds"), waitZero.err());
    }

    @Test
    void workerGivesUpOnAServerThatNeverAnswers() throws Exception {
        int free;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            free = s.getLocalPort();
        }
        Outcome o = ladle("worker", "127.0.0.1", "--port", Integer.toString(free), "--wait", "2");
        assertEquals(ExitCode.IO, o.code(), o.err());
        assertTrue(o.err().contains("no server answered on 127.0.0.1, port " + free + ", for 2 s"), o.err());
    }
}
