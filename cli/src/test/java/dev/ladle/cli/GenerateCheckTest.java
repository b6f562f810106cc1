package dev.ladle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ladle generate --check} as a user runs it: the report, and exit 2 for refused specs and bad usage. */
class GenerateCheckTest {
    private static final Path FIXTURES =
            Path.of("../codegen/src/test/resources/specs").toAbsolutePath();

    record Outcome(int code, String out, String err) {}

    static Outcome ladle(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Ladle.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void aSpecThatAgreesPrintsItsPerActionTableAndExitsZero() {
        Outcome o = ladle(
                "generate", "--check", FIXTURES.resolve("TwoPhase.tla").toString(), "--steps", "2000", "--seed", "3");
        assertEquals(0, o.code(), o.out() + o.err());
        assertTrue(o.out().contains("TwoPhase against TLC under MCTwoPhase.cfg: 2000 steps, seed 3"), o.out());
        for (String action : new String[] {"TMCommit", "TMAbort", "TMRcvPrepared", "RMPrepare", "RMRcvDecision"}) {
            assertTrue(o.out().lines().anyMatch(l -> l.startsWith(action + " ")), action + " in\n" + o.out());
        }
        assertTrue(o.out().contains("invariant checks:"), o.out());
        assertTrue(o.out().contains("distinct states: "), o.out());
        assertTrue(o.out().contains("agrees with TLC"), o.out());
    }

    @Test
    void aRefusedSpecExitsTwoWithLocatedErrors() {
        Outcome o = ladle(
                "generate", "--check", FIXTURES.resolve("errors/TwoSets.tla").toString());
        assertEquals(2, o.code(), o.out() + o.err());
        assertTrue(o.err().contains("TwoSets.tla:7:34: unsupported: \\cup of the constant sets"), o.err());
    }

    @Test
    void missingSpecOrConfigIsAUsageError(@TempDir Path dir) throws Exception {
        assertEquals(
                2,
                ladle("generate", "--check", dir.resolve("Nope.tla").toString()).code());
        // A spec with no cfg beside it (named like its module: SANY refuses a file named otherwise).
        Path spec = dir.resolve("TwoPhase.tla");
        Files.copy(FIXTURES.resolve("TwoPhase.tla"), spec);
        Outcome o = ladle("generate", "--check", spec.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("no config"), o.err());
        assertEquals(
                2,
                ladle("generate", "--check", FIXTURES.resolve("TwoPhase.tla").toString(), "--steps", "0")
                        .code());
    }

    @Test
    void theDefaultSpecsAreTheBuildsAndGenerateWithoutAnError(@TempDir Path out) throws Exception {
        String pom = Files.readString(Path.of("../kernel/pom.xml"));
        java.util.List<String> built = java.util.regex.Pattern.compile("src/main/tla/(\\w+)\\.tla</argument>")
                .matcher(pom)
                .results()
                .map(m -> m.group(1))
                .toList();
        assertEquals(built, GenerateCommand.BUILD_SPECS, "kernel/pom.xml's generator arguments");
        Outcome o = ladle("generate", "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        for (String spec : GenerateCommand.BUILD_SPECS) {
            assertTrue(o.out().contains(spec + " -> " + spec + "Machine"), spec + " in\n" + o.out());
        }
        assertTrue(Files.exists(out.resolve("dev/ladle/kernel/gen/kernelimpl/KernelImplMachine.java")), o.out());
    }

    @Test
    void aModelOnlySpecIsRefusedWithLocationsNotAGeneratorCrash() {
        // PersistentKernel instantiates Persistence; type inference once met its constants and crashed
        Outcome o = ladle("generate", "PersistentKernel");
        assertEquals(2, o.code(), o.out() + o.err());
        assertTrue(o.err().contains("PersistentKernel.tla:53:5: variable phase has no type"), o.err());
        assertTrue(!o.err().contains("the generator failed"), o.err());
    }
}
