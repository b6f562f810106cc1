package dev.ladle.tla;

import java.nio.file.Path;

/**
 * A syntax or semantic error in a model file, located the way editors expect.
 *
 * @param file the file the parser names
 * @param line 1-based line, 0 when the parser gave none
 * @param column 1-based column, 0 when the parser gave none (a cfg error is reported by line)
 * @param message the parser's message, without its location
 */
public record SourceError(Path file, int line, int column, String message) {
    @Override
    public String toString() {
        if (line <= 0) {
            return file + ": " + message;
        }
        return column > 0 ? file + ":" + line + ":" + column + ": " + message : file + ":" + line + ": " + message;
    }
}
