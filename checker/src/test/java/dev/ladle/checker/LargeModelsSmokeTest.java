package dev.ladle.checker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The specs' larger configurations ({@code default: false} in the manifest, too slow for every
 * build) get a bounded smoke run, as the public TLA+ examples do for theirs: each explores for at
 * most {@link #LIMIT} and must find no violation in that time, so a broken large model is noticed.
 */
class LargeModelsSmokeTest {
    static final Duration LIMIT = Duration.ofSeconds(20);

    @Test
    void everyLargeModelRunsForItsTimeWithoutAViolation() {
        Manifest manifest = Manifest.read(Fixtures.SPECS.resolve("manifest.json"));
        List<String> large = manifest.models().stream()
                .filter(n -> !manifest.entry(n).orElseThrow().runByDefault())
                .toList();
        assertFalse(large.isEmpty(), "the manifest marks its larger models default: false");
        CheckRun run = Checker.check(
                Fixtures.SPECS.resolve("src/main"),
                CheckOptions.defaults()
                        .withManifest(Fixtures.SPECS.resolve("manifest.json"))
                        .withNames(large)
                        .withWorkers(1)
                        .withTimeout(LIMIT));
        List<String> wrong = new ArrayList<>();
        for (String name : large) {
            ModelResult r = run.result(name).orElseThrow();
            Verdict expected = manifest.entry(name).orElseThrow().expect();
            boolean timedOut = r.verdict() == Verdict.ERROR && r.error().startsWith("timed out after");
            boolean finishedAsExpected = r.verdict() == expected && r.drift().isEmpty();
            if (!timedOut && !finishedAsExpected) {
                wrong.add(name + ": " + r.describe() + " " + r.drift());
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }
}
