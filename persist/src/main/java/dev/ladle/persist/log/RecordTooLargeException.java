package dev.ladle.persist.log;

/**
 * A record larger than the log's largest record ({@link TransactionLog#maxRecord()}, a quarter of its data area):
 * the log file is too small for what is appended to it. Nothing was appended.
 */
public final class RecordTooLargeException extends IllegalArgumentException {
    private final int bytes;
    private final int maxRecord;

    public RecordTooLargeException(int bytes, int maxRecord) {
        super("record of " + bytes + " bytes exceeds the largest record, " + maxRecord);
        this.bytes = bytes;
        this.maxRecord = maxRecord;
    }

    /** The record's payload, in bytes. */
    public int bytes() {
        return bytes;
    }

    /** The largest record the log takes, header and alignment included. */
    public int maxRecord() {
        return maxRecord;
    }
}
