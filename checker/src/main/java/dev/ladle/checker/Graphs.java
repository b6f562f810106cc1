package dev.ladle.checker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/** Renders the DOT state graph TLC dumps ({@code -dump dot}) with Graphviz. */
final class Graphs {
    /**
     * Graphs with more states than this are not drawn: Graphviz takes minutes over tens of
     * thousands of states and writes an SVG of megabytes nobody can read.
     */
    static final long MAX_STATES = 2_000;

    private Graphs() {}

    /**
     * Renders {@code dot} (a graph of {@code states} states) to {@code svg}; returns {@code null}
     * on success, else what went wrong. Where Graphviz is missing or the graph is too large to
     * draw, the DOT file is kept beside the requested SVG instead.
     */
    static String render(Path dot, Path svg, long states) {
        if (!Files.exists(dot)) {
            return "TLC wrote no state graph";
        }
        try {
            if (states > MAX_STATES) {
                Path keep = keepDot(dot, svg);
                return "the state graph has " + states + " states, more than the " + MAX_STATES
                        + " --graph draws (Graphviz would take minutes and write an unreadable SVG); no " + svg
                        + " was drawn, the graph is in " + keep;
            }
            Path parent = svg.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Process p;
            try {
                p = new ProcessBuilder(
                                "dot",
                                "-Tsvg",
                                dot.toString(),
                                "-o",
                                svg.toAbsolutePath().toString())
                        .redirectErrorStream(true)
                        .start();
            } catch (IOException e) {
                Path keep = keepDot(dot, svg);
                return "Graphviz 'dot' is not installed, so no " + svg
                        + " was drawn (Debian: apt-get install graphviz); " + "the graph is in " + keep;
            }
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                return "Graphviz failed on the state graph: " + out.strip();
            }
            return null;
        } catch (IOException e) {
            return "cannot write " + svg + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while drawing " + svg;
        }
    }

    private static Path keepDot(Path dot, Path svg) throws IOException {
        Path keep = svg.resolveSibling(svg.getFileName().toString().replaceFirst("\\.svg$", "") + ".dot");
        Path parent = keep.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.copy(dot, keep, StandardCopyOption.REPLACE_EXISTING);
        return keep;
    }
}
