package dev.ladle.persist.log;

/**
 * The record types of the log. The log itself only knows {@link #PADDING}; the rest name what the layers above
 * write, so that {@code ladle log inspect} can count records by type.
 */
public final class RecordType {
    private RecordType() {}

    /** Fills the data area up to its end so that the next record starts at the beginning. Takes no LSN. */
    public static final int PADDING = 1;
    /** An opaque payload (tests, benchmarks). */
    public static final int DATA = 2;
    /** A kernel operation: syscall, arguments and result, appended before it takes effect. */
    public static final int OPERATION = 3;
    /** The contents of pages an operation dirtied. */
    public static final int PAGE_DELTA = 4;
    /** A checkpoint begins: its snapshot was taken at this LSN. */
    public static final int CHECKPOINT_BEGIN = 5;
    /** One object of a checkpoint (thread, process, address space, capability table, message, frame...). */
    public static final int CHECKPOINT_OBJECT = 6;
    /** A checkpoint's objects are all written; the superblock may be switched to it once this is durable. */
    public static final int CHECKPOINT_END = 7;
    /**
     * Where a range of a checkpoint's frames lie (their own records, or earlier ones): written after the checkpoint's
     * objects, before its end, and read by a lazy recovery on a frame's first touch (since format version 3).
     */
    public static final int CHECKPOINT_INDEX = 8;

    private static final String[] NAMES = {
        "?",
        "padding",
        "data",
        "operation",
        "page-delta",
        "checkpoint-begin",
        "checkpoint-object",
        "checkpoint-end",
        "checkpoint-index"
    };

    public static boolean known(int type) {
        return type >= PADDING && type <= CHECKPOINT_INDEX;
    }

    public static String name(int type) {
        return known(type) ? NAMES[type] : "unknown(" + type + ")";
    }
}
