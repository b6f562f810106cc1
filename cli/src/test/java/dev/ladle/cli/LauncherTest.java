package dev.ladle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.checker.ExitCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ladle} launcher: it builds the jar when it is missing or older than a source, spec
 * or pom, and only then. Runs the real script in a copy of the repository's shape, with {@code
 * mvn} and {@code java} replaced by scripts that record how they were called.
 */
class LauncherTest {
    private static final Path SCRIPT =
            Path.of(System.getProperty("ladle.specs")).resolve("../ladle");

    @TempDir
    Path root;

    Path bin;
    Path log;
    Path jar;

    @BeforeEach
    void repository() throws Exception {
        Files.copy(SCRIPT, root.resolve("ladle"));
        Files.writeString(root.resolve("pom.xml"), "<project/>\n");
        Files.createDirectories(root.resolve("cli/src/main/java"));
        Files.writeString(root.resolve("cli/src/main/java/A.java"), "class A {}\n");
        Files.createDirectories(root.resolve("specs/src/main/tla"));
        Files.writeString(root.resolve("specs/src/main/tla/S.tla"), "---- MODULE S ----\n====\n");
        bin = Files.createDirectories(root.resolve("fakebin"));
        log = root.resolve("calls.log");
        jar = root.resolve("cli/target/ladle.jar");
        // mvn: records its arguments, then builds (touches) the jar unless told to fail.
        script(
                "mvn",
                "echo \"mvn $*\" >> '" + log + "'\n"
                        + "if [ -n \"${FAKE_MVN_FAIL:-}\" ]; then echo 'BUILD FAILURE: broken pom'; exit 1; fi\n"
                        + "mkdir -p '" + jar.getParent() + "' && touch '" + jar + "'\n");
        script("java", "echo \"java $*\" >> '" + log + "'\n");
    }

    private void script(String name, String body) throws Exception {
        Path p = Files.writeString(bin.resolve(name), "#!/usr/bin/env bash\n" + body);
        assertTrue(p.toFile().setExecutable(true));
    }

    private record Run(int code, String err) {}

    private Run launch(boolean mvnFails) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("ladle").toString(), "check", "--list");
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        if (mvnFails) {
            pb.environment().put("FAKE_MVN_FAIL", "1");
        }
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), err);
    }

    private List<String> calls() throws Exception {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private long mvnCalls() throws Exception {
        return calls().stream().filter(l -> l.startsWith("mvn ")).count();
    }

    @Test
    void buildsTheJarWhenItIsMissingThenRunsIt() throws Exception {
        Run r = launch(false);
        assertEquals(0, r.code(), r.err());
        assertEquals(1, mvnCalls());
        assertTrue(calls().get(0).contains("-pl cli -am package"), calls().toString());
        String java = calls().get(1);
        assertTrue(java.startsWith("java "), calls().toString());
        assertTrue(java.contains("-Dladle.specs=" + root + "/specs"), java);
        Path copy = ranJar(java);
        assertEquals(jar.resolveSibling("run"), copy.getParent(), java);
        assertTrue(Files.isRegularFile(copy), "the launcher runs a copy of the built jar: " + java);
    }

    /** The jar a recorded {@code java ... -jar JAR check --list} call ran. */
    private static Path ranJar(String javaCall) {
        assertTrue(javaCall.endsWith(" check --list"), javaCall);
        String head = javaCall.substring(0, javaCall.length() - " check --list".length());
        return Path.of(head.substring(head.lastIndexOf("-jar ") + "-jar ".length()));
    }

    @Test
    void aRebuildDoesNotTouchTheJarARunningCheckUses() throws Exception {
        // mvn rewrites cli/target/ladle.jar in place; a check still running from it would lose its
        // classes. Each run uses a private copy named by the build, which a rebuild leaves alone.
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "first build");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        assertEquals(0, launch(false).code());
        Path first = ranJar(calls().get(calls().size() - 1));
        assertEquals("first build", Files.readString(first));

        Files.writeString(jar, "second build, longer");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(120)));
        assertEquals(0, launch(false).code());
        Path second = ranJar(calls().get(calls().size() - 1));
        assertFalse(first.equals(second), "a new build runs from a new copy");
        assertEquals("second build, longer", Files.readString(second));
        assertEquals("first build", Files.readString(first), "the running copy is not rewritten");
        assertEquals(0, mvnCalls(), "a jar newer than every source is not rebuilt");
    }

    @Test
    void doesNotRebuildAFreshJarButRebuildsAfterASourceChanges() throws Exception {
        assertEquals(0, launch(false).code());
        assertEquals(0, launch(false).code());
        assertEquals(1, mvnCalls(), "a jar newer than every source is not rebuilt");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
        Files.writeString(root.resolve("specs/src/main/tla/S.tla"), "---- MODULE S ----\n\\* changed\n====\n");
        assertEquals(0, launch(false).code());
        assertEquals(2, mvnCalls(), "a spec newer than the jar rebuilds it");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
        Files.setLastModifiedTime(
                root.resolve("specs/src/main/tla/S.tla"),
                FileTime.from(Instant.now().minusSeconds(120)));
        Files.setLastModifiedTime(
                root.resolve("cli/src/main/java/A.java"),
                FileTime.from(Instant.now().minusSeconds(120)));
        Files.setLastModifiedTime(root.resolve("pom.xml"), FileTime.from(Instant.now()));
        assertEquals(0, launch(false).code());
        assertEquals(3, mvnCalls(), "a pom newer than the jar rebuilds it");
    }

    @Test
    void failedBuildShowsMavensOutputAndExitsWithTheUsageCode() throws Exception {
        Run r = launch(true);
        assertEquals(ExitCode.USAGE, r.code());
        assertTrue(r.err().contains("BUILD FAILURE: broken pom"), r.err());
        assertTrue(r.err().contains("ladle: build failed"), r.err());
        assertFalse(calls().stream().anyMatch(l -> l.startsWith("java ")), "nothing runs after a failed build");
    }

    @Test
    void aBuildThatWasInterruptedIsDoneAgain() throws Exception {
        // A build killed between packaging and shading leaves a jar newer than every source that does
        // not run ("no main manifest attribute"); the launcher must not take it for a fresh one.
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "packaged, not shaded");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        Files.writeString(jar.resolveSibling(".ladle-build-unfinished"), "");
        assertEquals(0, launch(false).code());
        assertEquals(1, mvnCalls(), "the unfinished build is done again");
        assertFalse(Files.exists(jar.resolveSibling(".ladle-build-unfinished")), "a finished build clears the mark");
        assertEquals(0, launch(false).code());
        assertEquals(1, mvnCalls(), "and then the jar is fresh");
    }

    @Test
    void aFailedBuildLeavesTheMarkSoTheNextRunBuildsAgain() throws Exception {
        assertEquals(ExitCode.USAGE, launch(true).code());
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "left by the failed build");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        assertEquals(0, launch(false).code());
        assertEquals(2, mvnCalls(), "a jar left by a failed build is not taken for a fresh one");
    }
}
