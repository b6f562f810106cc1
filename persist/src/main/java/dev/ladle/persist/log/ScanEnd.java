package dev.ladle.persist.log;

/**
 * Why a scan stopped. Every one of these is the end of the log as far as recovery goes: the durable log is the
 * prefix before it. Inspection reports which one it was.
 */
public enum ScanEnd {
    /** The next slot was never written (zeros): the clean end of a log that has not wrapped there yet. */
    UNWRITTEN("never written"),
    /** The file ends inside the next record: it was cut, or the last write did not complete. */
    SHORT_READ("file ends inside the record (torn end)"),
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

    /** The log ended where it should: nothing was damaged or cut. */
    public boolean clean() {
        return this == UNWRITTEN || this == STALE_POSITION || this == FULL_CIRCLE;
    }
}
