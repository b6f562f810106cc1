package dev.ladle.persist.log;

/**
 * Why a scan stopped. Every one of these is the end of the log as far as recovery goes: the durable log is the
 * prefix before it. Inspection reports which one it was.
 */
public enum ScanEnd {
    /** The next slot was never written (zeros): the clean end of a log that has not wrapped there yet. */
    UNWRITTEN("never written"),
    /**
     * The file ends before the next record: it holds none of it (the file was cut or truncated, at or before where
     * the record lies; a crash leaves the file its full size).
     */
    CUT("the file ends before the record (cut or truncated file)"),
    /** The file ends inside the next record (it holds part of it): its end is torn. */
    SHORT_READ("the file ends inside the record"),
    /** The next record's length cannot be right (beyond the data area or the largest record). */
    BAD_LENGTH("impossible length"),
    /** The next record fails its CRC: a torn write or damage. */
    BAD_CRC("CRC mismatch"),
    /** The slot holds a record of an earlier lap around the file. */
    STALE_POSITION("record of an earlier lap"),
    /** The slot holds a record an earlier incarnation of the writer left beyond its durable end. */
    STALE_EPOCH("record of an earlier writer"),
    /** The next record's LSN does not follow (a gap: the record before it was lost). */
    LSN_GAP("LSN does not follow"),
    /** The next record has a type this code does not know. */
    UNKNOWN_TYPE("unknown record type"),
    /** The scan went once around the whole data area. */
    FULL_CIRCLE("went once around the data area");

    private final String description;

    ScanEnd(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /**
     * What this end is, in a few words ({@code ladle log inspect}): {@code clean end}, {@code end of a reopened log}
     * (what an earlier writer left beyond its durable end), {@code cut file}, {@code torn end}, {@code torn or damaged
     * end} (a CRC or length that fails: a torn write, or damage), {@code damaged end}.
     */
    public String label() {
        return switch (this) {
            case UNWRITTEN, STALE_POSITION, FULL_CIRCLE -> "clean end";
            case STALE_EPOCH -> "end of a reopened log";
            case CUT -> "cut file";
            case SHORT_READ -> "torn end";
            case BAD_CRC, BAD_LENGTH -> "torn or damaged end";
            case LSN_GAP, UNKNOWN_TYPE -> "damaged end";
        };
    }

    /** The log ended where it should: nothing was damaged or cut. */
    public boolean clean() {
        return this == UNWRITTEN || this == STALE_POSITION || this == FULL_CIRCLE;
    }
}
