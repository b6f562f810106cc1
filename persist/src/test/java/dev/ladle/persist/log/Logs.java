package dev.ladle.persist.log;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test fixtures: small logs with known records, and a reader that collects what it accepts. */
final class Logs {
    private Logs() {}

    /** The smallest log: 16 KiB of data area. */
    static final long SMALL = LogFormat.MIN_FILE_SIZE;

    /** A payload that names its LSN, so a record in the wrong place is seen. */
    static byte[] payload(long lsn, int size) {
        byte[] p = new byte[size];
        byte[] id = ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(lsn)
                .array();
        System.arraycopy(id, 0, p, 0, Math.min(8, size));
        Random r = new Random(lsn);
        for (int i = 8; i < size; i++) {
            p[i] = (byte) r.nextInt();
        }
        return p;
    }

    /** Appends {@code n} DATA records of {@code size} bytes and waits for each to be durable. */
    static List<TransactionLog.Appended> append(TransactionLog log, int n, int size) throws Exception {
        List<TransactionLog.Appended> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long lsn = log.nextLsn();
            out.add(log.append(RecordType.DATA, payload(lsn, size)));
        }
        for (TransactionLog.Appended a : out) {
            a.durable().get();
        }
        return out;
    }

    static TransactionLog create(Path file) throws Exception {
        return TransactionLog.create(file, TransactionLog.Options.defaults().withFileSize(SMALL));
    }

    /** What a scan from the superblock's tail accepted. */
    record Scan(List<LogRecord> records, LogReader.ScanResult result, Superblock superblock) {
        List<Long> lsns() {
            return records.stream()
                    .filter(r -> !r.padding())
                    .map(LogRecord::lsn)
                    .toList();
        }
    }

    static Scan scan(Path file) throws LogException {
        try (LogReader r = LogReader.open(file)) {
            return scan(r);
        }
    }

    static Scan scan(LogReader r) throws LogException {
        List<LogRecord> recs = new ArrayList<>();
        LogReader.ScanResult res = r.scan(recs::add);
        return new Scan(recs, res, r.superblock());
    }
}
