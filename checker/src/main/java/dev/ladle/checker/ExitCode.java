package dev.ladle.checker;

/**
 * The exit codes of {@code ladle check} (and of every {@code ladle} command), one constant each.
 */
public final class ExitCode {
    /** Every model gave the result its manifest expects (or, with no manifest, none was violated). */
    public static final int OK = 0;
    /** A result differs: a violation, drift from the manifest, or a model that could not be checked. */
    public static final int DIFFERS = 1;
    /** A usage or input error: bad option, missing folder, no models, syntax error, malformed manifest or cfg. */
    public static final int USAGE = 2;
    /** A file could not be read or written (disk full, permission denied); results were still reported. */
    public static final int IO = 3;

    private ExitCode() {}
}
