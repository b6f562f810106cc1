package dev.ladle.codegen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tla2sany.st.Location;

/** The spec's own text, for the Javadoc and guard names that quote it; each module's file read once. */
final class SourceText {

    /** The folder of the spec's files (null: no quotes). */
    private final Path dir;

    private final Map<String, List<String>> sourceLines = new HashMap<>();

    SourceText(Path dir) {
        this.dir = dir;
    }

    /** The text of a construct at loc: from its first to its last character. */
    String of(Location loc) {
        return text(loc.source(), loc.beginLine(), loc.beginColumn(), loc.endLine(), loc.endColumn());
    }

    /** The first line of a definition at loc, from its name on. */
    String firstLine(Location loc) {
        return loc == null ? "" : text(loc.source(), loc.beginLine(), loc.beginColumn(), loc.beginLine(), 0);
    }

    /**
     * The spec's text from (line, column) to (endLine, endColumn), 1-based and inclusive; endColumn 0 means to
     * the end of endLine. Lines after the first lose the first line's indentation. Empty when the module's file
     * is not at hand (no folder given, or a standard module).
     */
    private String text(String module, int line, int column, int endLine, int endColumn) {
        if (dir == null || line <= 0) {
            return "";
        }
        List<String> lines = lines(module);
        if (endLine > lines.size() || line > endLine) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int k = line; k <= endLine; k++) {
            String l = lines.get(k - 1);
            int from = k == line ? Math.min(column - 1, l.length()) : Math.min(column - 1, leadingSpaces(l));
            int to = k == endLine && endColumn > 0 ? Math.min(endColumn, l.length()) : l.length();
            if (k > line) {
                sb.append('\n');
            }
            sb.append(l, Math.min(from, to), to);
        }
        return sb.toString().stripTrailing();
    }

    private static int leadingSpaces(String l) {
        int i = 0;
        while (i < l.length() && l.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /** A module's lines; none when its file cannot be read (a standard module has none beside the spec). */
    private List<String> lines(String module) {
        return sourceLines.computeIfAbsent(module, m -> {
            try {
                return Files.readAllLines(dir.resolve(m + ".tla"));
            } catch (IOException | UncheckedIOException e) {
                return List.of();
            }
        });
    }
}
