package dev.ladle.checker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/** Renders the DOT state graph TLC dumps ({@code -dump dot}) with Graphviz. */
final class Graphs {
    private Graphs() {}

    /**
     * Renders {@code dot} to {@code svg}; returns {@code null} on success, else what went wrong.
     * Where Graphviz is missing the DOT file is kept beside the requested SVG instead.
     */
    static String render(Path dot, Path svg) {
        if (!Files.exists(dot)) {
            return "TLC wrote no state graph";
        }
        try {
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
                Path keep = svg.resolveSibling(svg.getFileName().toString().replaceFirst("\\.svg$", "") + ".dot");
                Files.copy(dot, keep, StandardCopyOption.REPLACE_EXISTING);
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
}
