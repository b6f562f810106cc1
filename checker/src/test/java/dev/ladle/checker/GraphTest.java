package dev.ladle.checker;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --graph}: TLC's DOT dump of a small model, drawn by Graphviz. */
class GraphTest {

    static boolean dotInstalled() {
        try {
            return new ProcessBuilder("dot", "-V")
                            .redirectErrorStream(true)
                            .start()
                            .waitFor()
                    == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** Graphviz is a documented requirement of the tests (README); without it this test fails, never skips. */
    @Test
    void drawsTheStateGraphOfOneModel(@TempDir Path dir) throws Exception {
        assertTrue(dotInstalled(), "Graphviz 'dot' is not installed (Debian: apt-get install graphviz)");
        Path svg = dir.resolve("counter.svg");
        CheckRun run = Checker.check(
                Fixtures.MODELS,
                CheckOptions.defaults()
                        .withWorkers(1)
                        .withNames(List.of("Counter"))
                        .withGraph(svg));
        assertTrue(run.result("Counter").orElseThrow().verdict() == Verdict.HOLDS);
        String text = Files.readString(svg);
        assertTrue(text.contains("<svg"), "an SVG picture");
        // Edges are labelled with the actions that take them.
        assertTrue(text.contains("IncX") && text.contains("IncY") && text.contains("Reset"), "action labels");
    }

    @Test
    void refusesMoreThanOneModel(@TempDir Path dir) {
        assertThrows(
                IllegalArgumentException.class,
                () -> Checker.check(Fixtures.MODELS, CheckOptions.defaults().withGraph(dir.resolve("g.svg"))));
    }
}
