package dev.ladle.persist.log;

/**
 * One record as the scanner delivered it: its CRC held, it sits at the position it names, and its LSN follows the
 * one before it.
 */
public record LogRecord(long lsn, int type, long position, int epoch, byte[] payload) {
    /** Bytes it takes in the data area. */
    public int size() {
        return LogFormat.recordSize(payload.length);
    }

    public boolean padding() {
        return type == RecordType.PADDING;
    }
}
