package dev.ladle.persist.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader against each shape of damage a crash or a disk can leave; each test says exactly what is recovered. */
class LogReaderTest {
    @TempDir
    Path dir;

    private Path log(int records, int size) throws Exception {
        Path f = dir.resolve("log");
        try (TransactionLog log = Logs.create(f)) {
            Logs.append(log, records, size);
        }
        return f;
    }

    private static long offsetOfRecord(Path f, long lsn) throws Exception {
        try (LogReader r = LogReader.open(f)) {
            long[] at = {-1};
            r.scan(rec -> {
                if (rec.lsn() == lsn) {
                    at[0] = r.offsetOf(rec.position());
                }
            });
            return at[0];
        }
    }

    private static void assertRecovered(Logs.Scan s, long first, long last, int size) {
        assertEquals(LongStream.rangeClosed(first, last).boxed().toList(), s.lsns());
        for (LogRecord r : s.records()) {
            if (!r.padding()) {
                assertArrayEquals(Logs.payload(r.lsn(), size), r.payload(), "payload of LSN " + r.lsn());
            }
        }
    }

    private static void truncate(Path f, long size) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(size);
        }
    }

    private static void overwrite(Path f, long at, byte[] bytes) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(at);
            raf.write(bytes);
        }
    }

    @Test
    void emptyFileIsNotALog() throws Exception {
        Path f = Files.createFile(dir.resolve("empty"));
        LogException e = assertThrows(LogException.class, () -> LogReader.open(f));
        assertEquals(LogException.Kind.EMPTY, e.kind());
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void headerOnlyRecoversNothing() throws Exception {
        Path f = log(0, 0);
        Logs.Scan s = Logs.scan(f);
        assertEquals(List.of(), s.records());
        assertEquals(ScanEnd.UNWRITTEN, s.result().end());
        assertEquals(0, s.result().endPos());
        assertEquals(0, s.result().lastLsn());
    }

    @Test
    void headerCutBeforeTheSuperblocksIsAnError() throws Exception {
        Path f = log(3, 100);
        truncate(f, LogFormat.BLOCK);
        LogException e = assertThrows(LogException.class, () -> LogReader.open(f));
        assertEquals(LogException.Kind.NO_VALID_SUPERBLOCK, e.kind());
        assertTrue(e.getMessage().contains("cut short"), e.getMessage());
    }

    @Test
    void allJunkIsNotALog() throws Exception {
        byte[] junk = new byte[64 << 10];
        new Random(7).nextBytes(junk);
        Path f = Files.write(dir.resolve("junk"), junk);
        LogException e = assertThrows(LogException.class, () -> LogReader.open(f));
        assertEquals(LogException.Kind.NOT_A_LOG, e.kind());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void junkAtTheEndRecoversEveryRecordBeforeIt() throws Exception {
        Path f = log(5, 100);
        long end = offsetOfRecord(f, 5) + LogFormat.recordSize(100);
        byte[] junk = new byte[1000];
        new Random(3).nextBytes(junk);
        overwrite(f, end, junk);
        Logs.Scan s = Logs.scan(f);
        assertRecovered(s, 1, 5, 100);
        assertFalse(s.result().end().clean(), s.result().toString());
        assertEquals(end - LogFormat.DATA_OFFSET, s.result().endPos());
    }

    @Test
    void cutInsideALengthRecoversTheRecordsBefore() throws Exception {
        Path f = log(5, 100);
        truncate(f, offsetOfRecord(f, 3) + 6);
        Logs.Scan s = Logs.scan(f);
        assertRecovered(s, 1, 2, 100);
        assertEquals(ScanEnd.SHORT_READ, s.result().end());
        assertTrue(
                s.result().detail().contains("inside the record header"),
                s.result().detail());
    }

    @Test
    void cutInsideARecordRecoversTheRecordsBefore() throws Exception {
        Path f = log(5, 100);
        truncate(f, offsetOfRecord(f, 3) + LogFormat.RECORD_HEADER + 50);
        Logs.Scan s = Logs.scan(f);
        assertRecovered(s, 1, 2, 100);
        assertEquals(ScanEnd.SHORT_READ, s.result().end());
        assertTrue(s.result().detail().contains("82 of 132 bytes"), s.result().detail());
    }

    @Test
    void cutAtARecordsStartIsACutNotATornEnd() throws Exception {
        Path f = log(5, 100);
        truncate(f, offsetOfRecord(f, 3));
        Logs.Scan s = Logs.scan(f);
        assertRecovered(s, 1, 2, 100);
        assertEquals(ScanEnd.CUT, s.result().end(), "the file holds nothing of record 3");
        assertFalse(s.result().end().clean());
        assertTrue(
                s.result().detail().contains("the file ends here"), s.result().detail());
    }

    @Test
    void tornSuperblockFallsBackToTheOther() throws Exception {
        Path f = dir.resolve("log");
        try (TransactionLog log = Logs.create(f)) {
            List<TransactionLog.Appended> a = Logs.append(log, 6, 100);
            // generation 2 goes to slot B: a seal that moves the tail to record 4
            log.seal(4, a.get(3).position(), a.get(3).position(), 4, 6);
        }
        Logs.Scan before = Logs.scan(f);
        assertEquals(2, before.superblock().generation());
        assertRecovered(before, 4, 6, 100);
        // the write of B is torn: its second half never reached the disk
        overwrite(f, LogFormat.SUPERBLOCK_B + 40, new byte[Superblock.BYTES - 40]);
        try (LogReader r = LogReader.open(f)) {
            assertFalse(r.superblocks().get(1).valid());
            assertTrue(
                    r.superblocks().get(1).problem().contains("CRC"),
                    r.superblocks().get(1).problem());
            assertEquals(1, r.superblock().generation());
            assertEquals(0, r.superblock().slot());
            Logs.Scan s = Logs.scan(r);
            // the older superblock's tail is the start: every record is recovered
            assertRecovered(s, 1, 6, 100);
            assertEquals(ScanEnd.UNWRITTEN, s.result().end());
        }
    }

    @Test
    void bothSuperblocksTornIsAnError() throws Exception {
        Path f = log(2, 10);
        overwrite(f, LogFormat.SUPERBLOCK_A + 20, new byte[] {1, 2, 3});
        LogException e = assertThrows(LogException.class, () -> LogReader.open(f));
        assertEquals(LogException.Kind.NO_VALID_SUPERBLOCK, e.kind());
        assertTrue(e.getMessage().contains("superblock A fails its CRC"), e.getMessage());
        assertTrue(e.getMessage().contains("superblock B was never written"), e.getMessage());
    }

    /**
     * Records of many sizes over several of the reader's 1 MiB windows, read while the next window is read ahead:
     * window ends cut records at every kind of place (in the header, in the payload, parts small and larger than
     * what is carried over into the next window, records larger than a window); every record comes back whole, in
     * order, and a bit flipped in a record several windows in ends the scan right before it.
     */
    @Test
    void recordsAcrossReadWindowsComeBackWholeAndDamageFarInEndsTheScanThere() throws Exception {
        Path f = dir.resolve("log");
        int[] sizes = {24, 4000, 4120, 70 << 10, 100, 20000, 1, 9000, 33, 60000};
        List<Integer> written = new java.util.ArrayList<>();
        try (TransactionLog log =
                TransactionLog.create(f, TransactionLog.Options.defaults().withFileSize(32L << 20))) {
            List<TransactionLog.Appended> all = new java.util.ArrayList<>();
            for (int i = 0; i < 600; i++) {
                int size = i == 300 ? 1200 << 10 : sizes[i % sizes.length] + i;
                all.add(log.append(RecordType.DATA, Logs.payload(log.nextLsn(), size)));
                written.add(size);
            }
            for (TransactionLog.Appended a : all) {
                a.durable().get();
            }
        }
        List<LogRecord> data =
                Logs.scan(f).records().stream().filter(r -> !r.padding()).toList();
        assertEquals(written.size(), data.size());
        long end = 0;
        for (int i = 0; i < data.size(); i++) {
            LogRecord r = data.get(i);
            assertEquals(i + 1, r.lsn());
            assertArrayEquals(Logs.payload(i + 1, written.get(i)), r.payload(), "payload of LSN " + r.lsn());
            end = r.position() + r.size();
        }
        assertTrue(end > 8L << 20, "the records span several windows: " + end + " bytes");
        long lsn = 450;
        long at = offsetOfRecord(f, lsn) + LogFormat.RECORD_HEADER + written.get((int) lsn - 1) / 2;
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x01);
        }
        Logs.Scan s = Logs.scan(f);
        assertEquals(LongStream.range(1, lsn).boxed().toList(), s.lsns());
        assertEquals(ScanEnd.BAD_CRC, s.result().end());
    }

    @Test
    void bitFlipInsideARecordEndsTheLogBeforeIt() throws Exception {
        Path f = log(5, 100);
        long at = offsetOfRecord(f, 3) + LogFormat.RECORD_HEADER + 40;
        byte[] one = new byte[1];
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(at);
            one[0] = (byte) (raf.read() ^ 0x10);
            raf.seek(at);
            raf.write(one);
        }
        Logs.Scan s = Logs.scan(f);
        assertRecovered(s, 1, 2, 100);
        assertEquals(ScanEnd.BAD_CRC, s.result().end());
    }

    @Test
    void wrappedLogRecoversFromTheTailAcrossTheEnd() throws Exception {
        Path f = dir.resolve("log");
        int size = 300;
        long capacity = LogFormat.MIN_FILE_SIZE - LogFormat.DATA_OFFSET;
        long tailLsn;
        long lastLsn;
        try (TransactionLog log = Logs.create(f)) {
            // 16 KiB of data area, 352 bytes a record: the tail follows every 10 records, until the live part
            // of the log (tail to end) spans the end of the data area, at least two laps in
            while (true) {
                List<TransactionLog.Appended> a = Logs.append(log, 10, size);
                TransactionLog.Appended keep = a.get(5);
                log.seal(
                        keep.lsn(),
                        keep.position(),
                        keep.position(),
                        keep.lsn(),
                        a.get(9).lsn());
                tailLsn = keep.lsn();
                lastLsn = a.get(9).lsn();
                long tail = log.tailPos();
                if (tail > 2 * capacity && tail / capacity != (log.nextPos() - 1) / capacity) {
                    break;
                }
            }
        }
        Logs.Scan s = Logs.scan(f);
        assertRecovered(s, tailLsn, lastLsn, size);
        assertTrue(s.records().stream().anyMatch(LogRecord::padding), "a padding record at the wrap");
        assertTrue(s.result().end().clean(), s.result().toString());
    }

    @Test
    void reopenAfterATornEndIgnoresWhatTheCrashedWriterLeftBeyondIt() throws Exception {
        Path f = log(10, 100);
        // record 5 was torn; records 6..10 beyond it are leftovers of the crashed writer
        long at = offsetOfRecord(f, 5);
        overwrite(f, at + LogFormat.RECORD_HEADER, new byte[] {42});
        try (TransactionLog log = TransactionLog.open(f, TransactionLog.Options.defaults())) {
            assertEquals(5, log.nextLsn());
            // same size: the new record 5 ends exactly where the old record 6 begins
            Logs.append(log, 1, 100);
        }
        Logs.Scan s = Logs.scan(f);
        assertRecovered(s, 1, 5, 100);
        assertEquals(ScanEnd.STALE_EPOCH, s.result().end());
    }

    @Test
    void unknownVersionIsRefusedByName() throws Exception {
        Path f = log(1, 10);
        byte[] h = LogFormat.fileHeader(Logs.SMALL).array();
        java.nio.ByteBuffer.wrap(h).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(8, 99);
        java.nio.ByteBuffer.wrap(h).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(36, LogFormat.crc(h, 0, 36));
        overwrite(f, 0, java.util.Arrays.copyOf(h, LogFormat.FILE_HEADER_BYTES));
        LogException e = assertThrows(LogException.class, () -> LogReader.open(f));
        assertEquals(LogException.Kind.UNSUPPORTED_VERSION, e.kind());
        assertTrue(e.getMessage().contains("version 99"), e.getMessage());
    }

    private static byte[] digest(int length) {
        byte[] d = new byte[length];
        for (int i = 0; i < length; i++) {
            d[i] = (byte) (0xa0 + i);
        }
        return d;
    }

    @Test
    void theSystemDigestIsKeptAsGivenAcrossReopens() throws Exception {
        Path f = dir.resolve("digest.log");
        byte[] d = digest(LogFormat.MAX_SYSTEM_DIGEST);
        try (TransactionLog log = TransactionLog.create(
                f, TransactionLog.Options.defaults().withFileSize(Logs.SMALL).withSystemDigest(d))) {
            Logs.append(log, 3, 100);
        }
        try (LogReader r = LogReader.open(f)) {
            assertArrayEquals(d, r.systemDigest());
        }
        // a reopened log keeps the digest it was created with, whatever the options of the reopen give
        try (TransactionLog log =
                TransactionLog.open(f, TransactionLog.Options.defaults().withSystemDigest(digest(5)))) {
            Logs.append(log, 2, 100);
        }
        try (LogReader r = LogReader.open(f)) {
            assertArrayEquals(d, r.systemDigest());
        }
        assertArrayEquals(d, LogInspection.of(f).systemDigest());
        assertArrayEquals(new byte[0], LogInspection.of(log(1, 10)).systemDigest(), "none given: empty");
        assertThrows(
                IllegalArgumentException.class,
                () -> TransactionLog.Options.defaults().withSystemDigest(digest(LogFormat.MAX_SYSTEM_DIGEST + 1)));
    }

    /**
     * A log whose header (valid CRC) declares {@code version}, its bytes from 40 on kept or zeroed; the error opening
     * it.
     */
    private LogException openAsVersion(Path f, int version, boolean zeroAfterPrefix) throws Exception {
        byte[] h = java.util.Arrays.copyOf(LogFormat.fileHeader(Logs.SMALL).array(), LogFormat.FILE_HEADER_BYTES);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(h).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(8, version);
        b.putInt(36, LogFormat.crc(h, 0, 36));
        if (zeroAfterPrefix) {
            java.util.Arrays.fill(h, 40, h.length, (byte) 0);
        }
        overwrite(f, 0, h);
        LogException e = assertThrows(LogException.class, () -> LogReader.open(f));
        assertEquals(LogException.Kind.UNSUPPORTED_VERSION, e.kind());
        return e;
    }

    /** A log of format version 1 (its 40-byte header, no system digest) is refused by its version, not its CRC. */
    @Test
    void aLogOfVersionOneIsRefusedByItsVersion() throws Exception {
        Path f = log(1, 10);
        LogException e = openAsVersion(f, LogFormat.VERSION_1, true); // version 1 had nothing after its CRC
        assertEquals(f + ": log format version 1; this build reads version 4", e.getMessage());
    }

    /** A log of format version 2 (its superblocks name no end record, its checkpoints have no index) is refused. */
    @Test
    void aLogOfVersionTwoIsRefusedByItsVersion() throws Exception {
        Path f = log(1, 10);
        LogException e = openAsVersion(f, LogFormat.VERSION_2, false);
        assertEquals(f + ": log format version 2; this build reads version 4", e.getMessage());
    }

    /**
     * A log of format version 3 (its end records say nothing of deferred objects: a lazy recovery would read its page
     * tables' records as objects it must restore before resuming, its frames' runs stepping over them) is refused.
     */
    @Test
    void aLogOfVersionThreeIsRefusedByItsVersion() throws Exception {
        Path f = log(1, 10);
        LogException e = openAsVersion(f, LogFormat.VERSION_3, false);
        assertEquals(f + ": log format version 3; this build reads version 4", e.getMessage());
    }

    @Test
    void aDamagedSystemDigestIsRefused() throws Exception {
        Path f = dir.resolve("digest.log");
        try (TransactionLog log = TransactionLog.create(
                f, TransactionLog.Options.defaults().withFileSize(Logs.SMALL).withSystemDigest(digest(32)))) {
            Logs.append(log, 1, 10);
        }
        overwrite(f, 50, new byte[] {0x55});
        LogException e = assertThrows(LogException.class, () -> LogReader.open(f));
        assertEquals(LogException.Kind.NOT_A_LOG, e.kind());
        assertTrue(e.getMessage().contains("system digest fails its CRC"), e.getMessage());
        // a length beyond the field, with its CRC made to hold: an impossible header
        byte[] h = java.util.Arrays.copyOf(LogFormat.fileHeader(Logs.SMALL).array(), LogFormat.FILE_HEADER_BYTES);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(h).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(40, LogFormat.MAX_SYSTEM_DIGEST + 1);
        b.putInt(76, LogFormat.crc(h, 40, 36));
        overwrite(f, 0, h);
        e = assertThrows(LogException.class, () -> LogReader.open(f));
        assertEquals(LogException.Kind.BAD_GEOMETRY, e.kind());
        assertTrue(e.getMessage().contains("system digest of 33 bytes"), e.getMessage());
    }
}
