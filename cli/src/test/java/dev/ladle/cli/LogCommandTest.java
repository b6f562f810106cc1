package dev.ladle.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.persist.log.LogFormat;
import dev.ladle.persist.log.RecordType;
import dev.ladle.persist.log.TransactionLog;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    private static Run ladle(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Ladle.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** A log with five data records, a sealed checkpoint of two objects, and two operations after it. */
    private Path log() throws Exception {
        Path f = dir.resolve("ladle.log");
        try (TransactionLog log =
                TransactionLog.create(f, TransactionLog.Options.defaults().withFileSize(LogFormat.MIN_FILE_SIZE))) {
            for (int i = 0; i < 5; i++) {
                log.append(RecordType.DATA, new byte[100]);
            }
            TransactionLog.Appended begin = log.append(RecordType.CHECKPOINT_BEGIN, new byte[16]);
            log.append(RecordType.CHECKPOINT_OBJECT, new byte[40]);
            log.append(RecordType.CHECKPOINT_OBJECT, new byte[40]);
            TransactionLog.Appended end = log.append(RecordType.CHECKPOINT_END, new byte[8]);
            log.append(RecordType.OPERATION, new byte[20]);
            log.append(RecordType.OPERATION, new byte[20]).durable().get();
            log.seal(begin.lsn(), begin.position(), 0, 1, end.lsn(), end.position());
        }
        return f;
    }

    private static long offsetOfLsn(Path f, long lsn) throws Exception {
        // records 1..5 take 160 bytes each (32 header + 100 payload, aligned to 32)
        return LogFormat.DATA_OFFSET + (lsn - 1) * 160;
    }

    private static void assertUnchanged(Path f, byte[] before, FileTime mtime) throws Exception {
        assertArrayEquals(before, Files.readAllBytes(f), "inspect wrote to the file");
        assertEquals(mtime, Files.getLastModifiedTime(f));
    }

    @Test
    void logWithoutAToolIsAUsageError() {
        Run r = ladle("log");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith("ladle log: which tool? (ladle log inspect FILE)"), r.err());
        assertTrue(r.err().contains("inspect"), r.err());
    }

    @Test
    void inspectShowsSuperblocksRecordsByTypeCheckpointsAndTheEnd() throws Exception {
        Path f = log();
        byte[] before = Files.readAllBytes(f);
        FileTime mtime = Files.getLastModifiedTime(f);
        Run r = ladle("log", "inspect", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("A  generation 1, epoch 1, tail 0 (LSN 1)"), r.out());
        assertTrue(
                r.out()
                        .contains(
                                "B  generation 2, epoch 1, tail 0 (LSN 1), head 1248 (LSN 11), checkpoint LSN 6 at 800,"
                                        + " its end LSN 9 at 1056  (in use)"),
                r.out());
        assertTrue(r.out().matches("(?s).*data\\s+5\\s+800\\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*checkpoint-object\\s+2\\s+.*"), r.out());
        assertTrue(r.out().matches("(?s).*operation\\s+2\\s+.*"), r.out());
        assertTrue(r.out().matches("(?s).*total\\s+11\\s+1248\\n.*"), r.out());
        assertTrue(r.out().contains("begin LSN 6 at position 800: 2 objects, end LSN 9, sealed"), r.out());
        assertTrue(r.out().contains("clean end: never written"), r.out());
        assertFalse(r.out().contains("cut short"), r.out());
        assertTrue(
                r.out().contains("\n  format version " + dev.ladle.persist.log.LogFormat.CURRENT_VERSION + ", "),
                r.out());
        assertTrue(
                r.out().contains("\n  no system digest (not written by 'ladle run --log' or 'ladle demo')\n"), r.out());
        assertUnchanged(f, before, mtime);
    }

    /** The system digest of the file header, in the text and in the JSON, as its creator gave it. */
    @Test
    void inspectShowsTheSystemDigest() throws Exception {
        Path f = dir.resolve("digest.log");
        byte[] digest = new byte[32];
        for (int i = 0; i < digest.length; i++) {
            digest[i] = (byte) (i * 7 + 1);
        }
        String hex = java.util.HexFormat.of().formatHex(digest);
        try (TransactionLog log = TransactionLog.create(
                f,
                TransactionLog.Options.defaults()
                        .withFileSize(LogFormat.MIN_FILE_SIZE)
                        .withSystemDigest(digest))) {
            log.append(RecordType.DATA, new byte[10]).durable().get();
        }
        Run r = ladle("log", "inspect", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.out()
                        .contains("\n  system digest " + hex + " (of the boot description and its images; 'ladle run"
                                + " --recover' needs the same)\n"),
                r.out());
        Run j = ladle("log", "inspect", "--json", f.toString());
        assertEquals(0, j.code(), j.err());
        assertTrue(
                j.out()
                        .contains("\"version\":" + dev.ladle.persist.log.LogFormat.CURRENT_VERSION
                                + ",\"systemDigest\":\"" + hex + "\","),
                j.out());
        Run none = ladle("log", "inspect", "--json", log().toString());
        assertTrue(none.out().contains("\"systemDigest\":null,"), none.out());
        assertTrue(
                none.out()
                        .contains("\"checkpointLsn\":6,\"checkpointPos\":800,\"checkpointEndLsn\":9,"
                                + "\"checkpointEndPos\":1056}"),
                none.out());
    }

    @Test
    void jsonCarriesTheSameFacts() throws Exception {
        Path f = log();
        Run r = ladle("log", "inspect", "--json", f.toString());
        assertEquals(0, r.code(), r.err());
        String j = r.out().trim();
        assertTrue(j.startsWith("{") && j.endsWith("}"), j);
        assertTrue(j.contains("\"data\":{\"records\":5,\"bytes\":800}"), j);
        assertTrue(
                j.contains(
                        "{\"beginLsn\":6,\"position\":800,\"objects\":2,\"endLsn\":9,\"complete\":true,\"sealed\":true}"),
                j);
        assertTrue(j.contains("\"end\":\"UNWRITTEN\",\"clean\":true"), j);
        assertTrue(j.contains("\"slot\":\"B\",\"valid\":true,\"inUse\":true,\"generation\":2"), j);
    }

    @Test
    void aTornTailIsShownAsTheEndOfTheLog() throws Exception {
        Path f = log();
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(LogFormat.DATA_OFFSET + 1248 - 50);
        }
        Run r = ladle("log", "inspect", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("torn end: the file ends inside the record\n"), r.out());
        assertTrue(r.out().contains("the torn end of the log"), r.out());
        assertTrue(r.out().matches("(?s).*total\\s+10\\s+.*"), r.out());
        long size = LogFormat.DATA_OFFSET + 1248 - 50;
        assertTrue(
                r.out()
                        .contains(String.format(
                                "  cut short: the file ends at offset %,d, %,d bytes before the size its header declares",
                                size, LogFormat.MIN_FILE_SIZE - size)),
                r.out());
    }

    /** Inspects {@code f} in text and JSON: both succeed; the text and the JSON. */
    private static String[] inspect(Path f) {
        Run r = ladle("log", "inspect", f.toString());
        assertEquals(0, r.code(), r.err());
        Run j = ladle("log", "inspect", "--json", f.toString());
        assertEquals(0, j.code(), j.err());
        return new String[] {r.out(), j.out()};
    }

    /** {@link #log()} under its own name (each shape gets a copy of its own). */
    private Path log(String name) throws Exception {
        return Files.move(log(), dir.resolve(name));
    }

    private void cut(Path f, long size) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(size);
        }
    }

    private void write(Path f, long at, byte[] bytes) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(at);
            raf.write(bytes);
        }
    }

    /**
     * Each shape of a cut, junk or wrapped file (those of persist's LogReaderTest) gets the label that says what it
     * is, in the text and the JSON: a record lying wholly past the end of a cut file is where the file was cut, never a
     * torn end; a record the file holds part of is the torn end.
     */
    @Test
    void eachShapeOfTheEndIsLabelledForWhatItIs() throws Exception {
        // header only: no record
        Path fresh = dir.resolve("fresh.log");
        TransactionLog.create(fresh, TransactionLog.Options.defaults().withFileSize(LogFormat.MIN_FILE_SIZE))
                .close();
        String[] h = inspect(fresh);
        assertTrue(h[0].contains("\n  clean end: never written\n"), h[0]);
        assertTrue(h[1].contains("\"end\":\"UNWRITTEN\",\"clean\":true,\"label\":\"clean end\""), h[1]);

        // cut at a record's start: the file holds nothing of LSN 11 (at position 1184)
        Path f = log("cut.log");
        cut(f, LogFormat.DATA_OFFSET + 1184);
        String[] c = inspect(f);
        assertTrue(c[0].contains("\n  cut file: the file ends before the record (cut or truncated file)\n"), c[0]);
        assertTrue(
                c[0].contains("\n  the file holds nothing of it: the file was cut short before it (a crash leaves the"
                        + " file its full size)\n"),
                c[0]);
        assertFalse(c[0].contains("torn"), c[0]);
        assertTrue(c[1].contains("\"end\":\"CUT\",\"clean\":false,\"label\":\"cut file\""), c[1]);
        assertTrue(c[1].contains("\"lastLsn\":10,"), c[1]);

        // cut inside a length (the record header) and inside a record: the file holds part of LSN 11
        for (long into : new long[] {6, LogFormat.RECORD_HEADER + 10}) {
            Path t = log("torn" + into + ".log");
            cut(t, LogFormat.DATA_OFFSET + 1184 + into);
            String[] s = inspect(t);
            assertTrue(s[0].contains("\n  torn end: the file ends inside the record\n"), s[0]);
            assertTrue(
                    s[0].contains(
                            into == 6 ? "the file ends inside the record header (6 of 32 bytes)" : "(42 of 52 bytes)"),
                    s[0]);
            assertTrue(
                    s[0].contains("no intact record beyond it: the torn end of the log, where the file was cut"), s[0]);
            assertTrue(s[1].contains("\"end\":\"SHORT_READ\",\"clean\":false,\"label\":\"torn end\""), s[1]);
        }

        // junk at the end, and a bit flipped in the last record: the file its full size
        Path j = log("junk.log");
        byte[] junk = new byte[1000];
        new Random(3).nextBytes(junk);
        write(j, LogFormat.DATA_OFFSET + 1248, junk);
        Path flip = log("flip.log");
        write(flip, LogFormat.DATA_OFFSET + 1184 + 40, new byte[] {0x55});
        for (Path d : List.of(j, flip)) {
            String[] s = inspect(d);
            assertTrue(s[0].contains("\n  torn or damaged end: "), s[0]);
            assertTrue(
                    s[0].contains("no intact record beyond it: the torn end of the log (what a crash during a write"
                            + " leaves), or damage to its last record"),
                    s[0]);
            assertFalse(s[0].contains("cut"), s[0]);
            assertTrue(s[1].contains("\"label\":\"torn or damaged end\""), s[1]);
        }

        // a torn superblock: the other one is used, the log ends cleanly
        Path sb = log("superblock.log");
        write(sb, LogFormat.SUPERBLOCK_B + 40, new byte[64]);
        String[] b = inspect(sb);
        assertTrue(b[0].contains("\n  B  invalid: "), b[0]);
        assertTrue(b[0].contains("\n  clean end: never written\n"), b[0]);
    }

    /**
     * A log reopened after a torn end and written again ends where the new writer's records do: what the crashed writer
     * left beyond is not damage, and is not counted as intact records beyond the end.
     */
    @Test
    void aReopenedLogEndsAtWhatAnEarlierWriterLeftAndIsNotDamaged() throws Exception {
        Path f = dir.resolve("reopened.log");
        TransactionLog.Options o = TransactionLog.Options.defaults().withFileSize(LogFormat.MIN_FILE_SIZE);
        try (TransactionLog log = TransactionLog.create(f, o)) {
            for (int i = 0; i < 10; i++) {
                log.append(RecordType.DATA, new byte[100]).durable().get();
            }
        }
        write(f, offsetOfLsn(f, 5) + LogFormat.RECORD_HEADER, new byte[] {42}); // LSN 5 torn
        try (TransactionLog log = TransactionLog.open(f, o)) {
            log.append(RecordType.DATA, new byte[100]).durable().get(); // the new LSN 5, where the old one was
        }
        String[] s = inspect(f);
        assertTrue(s[0].contains("\n  end of a reopened log: record of an earlier writer\n"), s[0]);
        assertTrue(s[0].contains("left past its durable end (the log was reopened after a crash): not damage"), s[0]);
        assertFalse(s[0].contains("damaged before its end"), s[0]);
        assertTrue(s[1].contains("\"end\":\"STALE_EPOCH\",\"clean\":false,\"label\":\"end of a reopened log\""), s[1]);
        assertTrue(s[1].contains("\"intactBeyond\":0,"), s[1]);
    }

    /** A log that went around the data area several times ends cleanly, at a record of an earlier lap. */
    @Test
    void aWrappedLogEndsCleanly() throws Exception {
        Path f = dir.resolve("wrapped.log");
        long capacity = LogFormat.MIN_FILE_SIZE - LogFormat.DATA_OFFSET;
        try (TransactionLog log =
                TransactionLog.create(f, TransactionLog.Options.defaults().withFileSize(LogFormat.MIN_FILE_SIZE))) {
            while (log.nextPos() < 3 * capacity) {
                List<TransactionLog.Appended> a = new java.util.ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    a.add(log.append(RecordType.DATA, new byte[300]));
                }
                TransactionLog.Appended keep = a.get(5);
                log.seal(
                        keep.lsn(),
                        keep.position(),
                        keep.position(),
                        keep.lsn(),
                        a.get(9).lsn());
            }
        }
        String[] s = inspect(f);
        assertTrue(s[0].contains("\n  clean end: "), s[0]);
        assertFalse(s[0].contains("beyond it"), s[0]);
        assertTrue(s[1].contains("\"clean\":true,\"label\":\"clean end\""), s[1]);
    }

    @Test
    void damageInTheMiddleIsToldApartFromATornEnd() throws Exception {
        Path f = log();
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(offsetOfLsn(f, 3) + 50);
            raf.write(0x55);
        }
        Run r = ladle("log", "inspect", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("CRC mismatch"), r.out());
        assertTrue(r.out().contains("8 intact records beyond the end (LSNs 4..11)"), r.out());
        // the damage (LSN 3) lies before the sealed checkpoint (LSN 6 at 800) recovery starts from
        assertTrue(
                r.out().contains("recovery starts at the sealed checkpoint (position 800), beyond the damage"),
                r.out());
        assertFalse(r.out().contains("recovery stops at the damage"), r.out());
        assertTrue(
                r.out()
                        .contains("none before the end below; the superblock's sealed checkpoint (LSN 6 at"
                                + " position 800) lies beyond it"),
                r.out());
    }

    @Test
    void damageAfterTheSealedCheckpointIsWhereRecoveryStops() throws Exception {
        Path f = log();
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(LogFormat.DATA_OFFSET + 1120 + 40); // inside LSN 10, the first operation after the checkpoint
            raf.write(0x55);
        }
        Run r = ladle("log", "inspect", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("CRC mismatch"), r.out());
        assertTrue(r.out().contains("1 intact records beyond the end (LSNs 11..11)"), r.out());
        assertTrue(r.out().contains("recovery stops at the damage"), r.out());
        assertTrue(
                r.out().contains("every record above passes its CRC32C; the one at the end below fails it"), r.out());
        assertFalse(r.out().contains("every record's CRC32C holds"), r.out());
        Run json = ladle("log", "inspect", "--json", f.toString());
        assertEquals(0, json.code(), json.err());
        assertTrue(json.out().contains("\"crcOk\":false"), json.out());
    }

    @Test
    void intactRecordsBeyondTheDamagePastTheSearchLimitAreNotCountedAsExact() throws Exception {
        Path f = dir.resolve("long.log");
        int records = dev.ladle.persist.log.LogInspection.BEYOND_LIMIT + 100;
        try (TransactionLog log = TransactionLog.create(
                f, TransactionLog.Options.defaults().withFileSize(LogFormat.DATA_OFFSET + 32L * LogFormat.BLOCK))) {
            TransactionLog.Appended last = null;
            for (int i = 0; i < records; i++) {
                last = log.append(RecordType.DATA, new byte[1]);
            }
            last.durable().get();
        }
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(LogFormat.DATA_OFFSET + 2L * LogFormat.recordSize(1) + LogFormat.RECORD_HEADER); // LSN 3's payload
            raf.write(0x55);
        }
        Run r = ladle("log", "inspect", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("CRC mismatch"), r.out());
        assertTrue(
                r.out()
                        .contains("the first 1000 intact records beyond the end (LSNs 4..1003; the search stops there,"
                                + " more may follow)"),
                r.out());
        Run json = ladle("log", "inspect", "--json", f.toString());
        assertTrue(json.out().contains("\"intactBeyond\":1000,\"intactBeyondCapped\":true"), json.out());
        Run few = ladle("log", "inspect", "--json", log().toString());
        assertTrue(few.out().contains("\"intactBeyondCapped\":false"), few.out());
    }

    @Test
    void aForeignFileIsAClearErrorAndIsNotWritten() throws Exception {
        byte[] junk = new byte[100_000];
        new Random(1).nextBytes(junk);
        Path f = Files.write(dir.resolve("photo.jpg"), junk);
        FileTime mtime = Files.getLastModifiedTime(f);
        Run r = ladle("log", "inspect", f.toString());
        assertEquals(2, r.code(), "not a log is an input error");
        assertEquals("ladle log inspect: " + f + ": not a ladle log (no LADLELOG magic at offset 0)\n", r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertEquals("", r.out());
        assertUnchanged(f, junk, mtime);
    }

    @Test
    void aLogWithBothSuperblocksDamagedIsAClearError() throws Exception {
        Path f = log();
        for (long at : List.of(LogFormat.SUPERBLOCK_A + 30, LogFormat.SUPERBLOCK_B + 30)) {
            try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                raf.seek(at);
                raf.write(0x77);
            }
        }
        byte[] before = Files.readAllBytes(f);
        FileTime mtime = Files.getLastModifiedTime(f);
        Run r = ladle("log", "inspect", f.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no valid superblock (superblock A fails its CRC"), r.err());
        assertUnchanged(f, before, mtime);
    }

    @Test
    void emptyAndMissingFilesAreClearErrors() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty"));
        Run r = ladle("log", "inspect", empty.toString());
        assertEquals(2, r.code());
        assertEquals("ladle log inspect: " + empty + ": empty file, not a log\n", r.err());
        Run m = ladle("log", "inspect", dir.resolve("nope").toString());
        assertEquals(2, m.code());
        assertEquals("ladle log inspect: " + dir.resolve("nope") + ": no such file\n", m.err());
        Run d = ladle("log", "inspect", dir.toString());
        assertEquals(2, d.code());
        assertEquals("ladle log inspect: " + dir + ": a folder, not a log file\n", d.err());
    }

    @Test
    void noFileIsAUsageError() {
        assertEquals(2, ladle("log", "inspect").code());
    }

    /**
     * The first checkpoint's begin record freed by a later seal (the tail kept at the oldest frame a later
     * checkpoint refers to): its objects and end record are still listed, as a checkpoint whose begin lies behind
     * the tail, so the checkpoints account for every checkpoint record counted by type.
     */
    @Test
    void aCheckpointWhoseBeginLiesBehindTheTailIsListed() throws Exception {
        Path f = dir.resolve("tail.log");
        try (TransactionLog log =
                TransactionLog.create(f, TransactionLog.Options.defaults().withFileSize(LogFormat.MIN_FILE_SIZE))) {
            log.append(RecordType.CHECKPOINT_BEGIN, new byte[16]);
            TransactionLog.Appended first = log.append(RecordType.CHECKPOINT_OBJECT, new byte[40]);
            log.append(RecordType.CHECKPOINT_OBJECT, new byte[40]);
            log.append(RecordType.CHECKPOINT_END, new byte[8]);
            TransactionLog.Appended begin = log.append(RecordType.CHECKPOINT_BEGIN, new byte[16]);
            log.append(RecordType.CHECKPOINT_OBJECT, new byte[40]);
            TransactionLog.Appended end = log.append(RecordType.CHECKPOINT_END, new byte[8]);
            end.durable().get();
            log.seal(begin.lsn(), begin.position(), first.position(), first.lsn(), end.lsn());
        }
        Run r = ladle("log", "inspect", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*checkpoint-begin\\s+1\\s+.*"), r.out());
        assertTrue(r.out().matches("(?s).*checkpoint-end\\s+2\\s+.*"), r.out());
        assertTrue(
                r.out()
                        .contains("  begin behind the tail (before LSN 2; freed when a later checkpoint was sealed): 2"
                                + " objects, end LSN 4\n  begin LSN 5 at position " + begin(f) + ": 1 objects, end LSN"
                                + " 7, sealed\n"),
                r.out());
        Run json = ladle("log", "inspect", "--json", f.toString());
        assertEquals(0, json.code(), json.err());
        assertTrue(
                json.out()
                        .contains("\"checkpoints\":[{\"beginLsn\":null,\"position\":null,\"objects\":2,\"endLsn\":4,"
                                + "\"complete\":true,\"sealed\":false,\"beginBehindTail\":true},{\"beginLsn\":5,"),
                json.out());
    }

    @Test
    void aSealedCheckpointBeyondTheEndIsNamedAfterTheCheckpointsListed() throws Exception {
        Path f = dir.resolve("tail.log");
        aCheckpointWhoseBeginLiesBehindTheTailIsListed();
        long sealedAt = begin(f);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(LogFormat.DATA_OFFSET + sealedAt - 10); // cut after the end record, before the sealed begin
        }
        Run r = ladle("log", "inspect", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.out()
                        .contains("  begin behind the tail (before LSN 2; freed when a later checkpoint was sealed): 2"
                                + " objects, end LSN 4\n  the superblock's sealed checkpoint (LSN 5 at position "
                                + sealedAt + ") lies beyond the end below\nend of log\n"),
                r.out());
    }

    /** Where the superblock puts the sealed checkpoint's begin record (its position). */
    private static long begin(Path f) throws Exception {
        return dev.ladle.persist.log.LogInspection.of(f).chosen().checkpointPos();
    }

    /**
     * A copy cut short before its sealed checkpoint: the end is where the file was cut, not what a crash leaves, and
     * recovery (which starts at that checkpoint) fails; the text and the JSON say so.
     */
    @Test
    void aLogCutBeforeItsSealedCheckpointSaysRecoveryFails() throws Exception {
        Path f = log();
        Run whole = ladle("log", "inspect", "--json", f.toString());
        assertTrue(whole.out().contains("\"sealedCheckpointIntact\":true"), whole.out());
        assertFalse(ladle("log", "inspect", f.toString()).out().contains("recovery fails"));
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(LogFormat.DATA_OFFSET + 700); // inside LSN 5; the checkpoint begins at position 800
        }
        byte[] before = Files.readAllBytes(f);
        FileTime mtime = Files.getLastModifiedTime(f);
        Run r = ladle("log", "inspect", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.out()
                        .contains("  no intact record beyond it: the torn end of the log, where the file was cut short"
                                + " (a crash leaves the file its full size)"),
                r.out());
        assertFalse(r.out().contains("(what a crash leaves)"), r.out());
        assertTrue(
                r.out()
                        .contains("  none before the end below; the superblock's sealed checkpoint (LSN 6 at position"
                                + " 800) lies beyond it"),
                r.out());
        assertTrue(
                r.out()
                        .contains(String.format(
                                "  recovery fails: the sealed checkpoint it starts from (LSN 6 at position 800, file"
                                        + " offset %,d) is not intact: it lies beyond the end of the file",
                                LogFormat.DATA_OFFSET + 800)),
                r.out());
        Run json = ladle("log", "inspect", "--json", f.toString());
        assertTrue(json.out().contains("\"sealedCheckpointIntact\":false"), json.out());
        assertUnchanged(f, before, mtime);
        // a log with no sealed checkpoint at all
        Path fresh = dir.resolve("fresh.log");
        TransactionLog.create(fresh, TransactionLog.Options.defaults().withFileSize(LogFormat.MIN_FILE_SIZE))
                .close();
        Run none = ladle("log", "inspect", fresh.toString());
        assertEquals(0, none.code(), none.err());
        assertTrue(none.out().contains("  no sealed checkpoint: recovery has nothing to start from"), none.out());
    }

    /**
     * A copy cut short before the first record from the tail: the end names where the file really ends, not the
     * record's offset beyond it as though the file ended there.
     */
    @Test
    void aCopyCutBeforeTheTailSaysWhereTheFileEnds() throws Exception {
        Path f = log();
        long cut = LogFormat.DATA_OFFSET - 100; // the superblocks intact, the data area gone
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(cut);
        }
        Run r = ladle("log", "inspect", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("): beyond the end of the file, which ends at offset " + cut + "\n"), r.out());
        assertFalse(r.out().contains("the file ends here"), r.out());
    }
}
