package dev.ladle.kernel.boot;

/**
 * A boot description or an image it names is wrong: the message names the file, line and column
 * ({@code file:line:column: what}), the way compilers do, so an editor can jump there.
 */
public final class BootError extends Exception {
    private final String file;
    private final int line;
    private final int column;
    private final String reason;

    public BootError(String file, int line, int column, String reason) {
        super(file + ":" + line + ":" + column + ": " + reason);
        this.file = file;
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String reason() {
        return reason;
    }
}
