package dev.ladle.persist.log;

/**
 * The one error the log reader raises: the file is not a log, or a log this code cannot read, or it cannot be read
 * at all. Damage inside the data area is not an error: the scan stops there and says why ({@link ScanEnd}).
 */
public final class LogException extends Exception {
    /** What is wrong with the file. */
    public enum Kind {
        EMPTY,
        NOT_A_LOG,
        UNSUPPORTED_VERSION,
        BAD_GEOMETRY,
        NO_VALID_SUPERBLOCK,
        IO
    }

    private final Kind kind;

    public LogException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public LogException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
