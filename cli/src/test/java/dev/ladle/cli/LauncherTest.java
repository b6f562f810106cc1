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
        assertTrue(java.endsWith("-jar " + jar + " check --list"), java);
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
}
