package dev.ladle.properties;

import dev.ladle.persist.log.LogException;
import dev.ladle.persist.log.LogFormat;
import dev.ladle.persist.log.LogReader;
import dev.ladle.persist.log.LogRecord;
import dev.ladle.persist.log.LogSource;
import dev.ladle.persist.log.RecordType;
import dev.ladle.persist.log.TransactionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Property 5, log robustness: arbitrary bytes, truncations and corruptions of a log file. Logs written by persist's
 * {@link TransactionLog} (a few records, or several laps around a small data area with seals moving the tail) are
 * cut, have bits flipped or ranges overwritten with junk, anywhere, the file header and the superblocks included;
 * or the file is arbitrary bytes, alone or behind a genuine header and superblocks. {@link LogReader} opens and
 * scans each, and:
 *
 * <ul>
 *   <li>throws nothing but its own typed error, {@link LogException}, with a kind and a message naming the file;
 *   <li>accepts no record with a bad CRC: the CRC32C of every accepted record is computed again from the file's
 *       bytes where the record lies, and the payload handed out must be those bytes; of a log as written, every
 *       accepted record is one the writer appended, with its contents, its LSNs one after the other;
 *   <li>never reads past the end: no read it asks of the file reaches past the end of the log its header
 *       declares (the data area is circular: a scan wraps at its end, and bytes a longer file holds beyond it are
 *       no part of the log), and no accepted record extends past the end of the file itself (a cut file lacks
 *       what was beyond the cut: the reader must not take what is not there). A read asked of a cut file beyond
 *       its actual end is allowed: that is how the reader learns it was cut (the source gives no bytes there).
 * </ul>
 */
@AddLifecycleHook(Budget.class)
public class LogRobustnessProperties {
    /** The smallest log: the three header blocks and four blocks of data, so records wrap around often. */
    static final long SMALL = LogFormat.MIN_FILE_SIZE;

    /** A log as written: its bytes and every record's payload by LSN. */
    record Written(byte[] bytes, Map<Long, byte[]> payloads) {}

    private static final Map<Integer, Written> BASE = new ConcurrentHashMap<>();

    /** What the file read is: a written log damaged, arbitrary bytes, or arbitrary bytes behind a genuine header. */
    enum Shape {
        DAMAGED,
        JUNK,
        JUNK_AFTER_HEADER
    }

    /** One change to the file: cut it, flip a bit, or overwrite a range with junk. */
    record Damage(int kind, double where, int bit, int length, long junkSeed) {
        byte[] apply(byte[] in) {
            int at = (int) (where * in.length);
            switch (kind) {
                case 0:
                    return Arrays.copyOf(in, at);
                case 1: {
                    byte[] out = in.clone();
                    if (at < out.length) {
                        out[at] ^= (byte) (1 << bit);
                    }
                    return out;
                }
                default: {
                    byte[] out = in.clone();
                    Random r = new Random(junkSeed);
                    for (int i = at; i < Math.min(out.length, at + length); i++) {
                        out[i] = (byte) r.nextInt();
                    }
                    return out;
                }
            }
        }

        @Override
        public String toString() {
            String what = kind == 0 ? "cut" : kind == 1 ? "flip bit " + bit : "junk of " + length + " bytes";
            return String.format("%s at %.4f of the file", what, where);
        }
    }

    @Property(tries = 700)
    void theLogReaderThrowsOnlyItsTypedErrorAndAcceptsOnlyRecordsAsWritten(
            @ForAll Shape shape,
            @ForAll @IntRange(min = 0, max = 11) int base,
            @ForAll @Size(min = 1, max = 4) List<@From("damage") Damage> damages,
            @ForAll @Size(max = 40_000) byte[] junk) {
        Written w = base(base);
        byte[] bytes;
        Map<Long, byte[]> payloads;
        switch (shape) {
            case DAMAGED:
                bytes = w.bytes();
                for (Damage d : damages) {
                    bytes = d.apply(bytes);
                }
                payloads = w.payloads();
                Tally.count("damages applied", damages.size());
                break;
            case JUNK:
                bytes = junk;
                payloads = Map.of();
                break;
            default:
                // a genuine header and superblocks in front of junk: the reader gets as far as the data area
                bytes = Arrays.copyOf(w.bytes(), (int) LogFormat.DATA_OFFSET + junk.length);
                System.arraycopy(junk, 0, bytes, (int) LogFormat.DATA_OFFSET, junk.length);
                payloads = Map.of();
        }
        Tally.count("logs read", 1);
        Read r = check(bytes, payloads);
        Tally.count(r.error() == null ? "logs scanned" : "refused with a typed error", 1);
        Tally.count("records accepted, each CRC checked again", r.accepted());
    }

    /** What one read of a file gave: the records accepted, or the typed error. */
    record Read(long accepted, LogException error) {}

    /** The check bites: a record whose contents differ from what the writer was told is reported. */
    @Example
    void aRecordWithOtherContentsIsCaught() {
        Written w = base(0);
        Map<Long, byte[]> told = new HashMap<>(w.payloads());
        byte[] p = told.get(1L).clone();
        p[p.length - 1] ^= 1;
        told.put(1L, p);
        expectCaught(() -> check(w.bytes(), told), "record 1 accepted with other contents");
    }

    /**
     * The check bites: a reader that took a record whose CRC does not match would be caught. The file's stored
     * CRC of a record is changed after the reader accepted it (a source that serves the record's bytes as written
     * to the reader, and the changed bytes to the check): the recomputed CRC no longer matches.
     */
    @Example
    void aRecordAcceptedWithABadCrcIsCaught() {
        Written w = base(0);
        byte[] bytes = w.bytes();
        byte[] shown = bytes.clone();
        // the first record of the data area (the base log's tail is its start at its first lap)
        shown[(int) LogFormat.DATA_OFFSET] ^= 1;
        expectCaught(() -> accepted(bytes, shown, w.payloads()), "with a CRC that does not match");
    }

    /** The check bites: a read that reaches past the end of the log is reported. */
    @Example
    void aReadPastTheEndIsCaught() {
        Bounded src = new Bounded(new byte[(int) SMALL + 100]);
        try {
            src.read(ByteBuffer.allocate(64), SMALL - 32);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        expectCaught(src::checkWithinLog, "a read asked up to offset " + (SMALL + 32));
    }

    private static void expectCaught(Runnable check, String message) {
        try {
            check.run();
        } catch (AssertionError e) {
            if (e.getMessage() != null && e.getMessage().contains(message)) {
                return;
            }
            throw new AssertionError("expected the check to report \"" + message + "\", got: " + e.getMessage(), e);
        }
        throw new AssertionError("expected the check to report \"" + message + "\", it passed");
    }

    /**
     * The base logs: a few records, or several laps around the small data area with seals moving the tail. Each
     * record's payload names its LSN, so a record in the wrong place is seen.
     */
    static Written base(int seed) {
        return BASE.computeIfAbsent(seed, s -> {
            try {
                Path dir = Files.createTempDirectory("ladle-logprop");
                Path f = dir.resolve("log");
                Map<Long, byte[]> payloads = new HashMap<>();
                Random r = new Random(s);
                try (TransactionLog log = TransactionLog.create(
                        f, TransactionLog.Options.defaults().withFileSize(SMALL))) {
                    int rounds = 1 + s % 4 * 3;
                    for (int round = 0; round < rounds; round++) {
                        List<TransactionLog.Appended> as = new ArrayList<>();
                        for (int i = 0; i < 8; i++) {
                            byte[] p = payload(log.nextLsn(), r.nextInt(400));
                            TransactionLog.Appended a = log.append(RecordType.DATA, p);
                            payloads.put(a.lsn(), p);
                            as.add(a);
                        }
                        as.get(7).durable().get();
                        if (round < rounds - 1) {
                            TransactionLog.Appended keep = as.get(r.nextInt(8));
                            log.seal(
                                    keep.lsn(),
                                    keep.position(),
                                    keep.position(),
                                    keep.lsn(),
                                    as.get(7).lsn());
                        }
                    }
                }
                byte[] bytes = Files.readAllBytes(f);
                Files.delete(f);
                Files.delete(dir);
                return new Written(bytes, payloads);
            } catch (Exception e) {
                throw new IllegalStateException("writing base log " + s + ": " + e, e);
            }
        });
    }

    private static byte[] payload(long lsn, int size) {
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

    @Provide
    Arbitrary<Damage> damage() {
        // half the damage lands in the headers and superblocks (the first 12 KiB of 28 KiB), half in the data
        Arbitrary<Double> where = Arbitraries.oneOf(
                Arbitraries.doubles().between(0, 0.43), Arbitraries.doubles().between(0.43, 1.0));
        return Combinators.combine(
                        Arbitraries.integers().between(0, 2),
                        where,
                        Arbitraries.integers().between(0, 7),
                        Arbitraries.integers().between(1, 600),
                        Arbitraries.longs())
                .as(Damage::new);
    }

    /**
     * The file as a source that records every read asked of it (the reader may read ahead on a second thread: the
     * reads are recorded, not failed, and checked once the reader is done).
     */
    static final class Bounded implements LogSource {
        final byte[] bytes;
        private long furthestEnd;

        Bounded(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public synchronized int read(ByteBuffer dst, long position) throws IOException {
            furthestEnd = Math.max(furthestEnd, position + dst.remaining());
            return LogSource.of(bytes).read(dst, position);
        }

        @Override
        public void close() {}

        /**
         * Every log the property reads is {@link #SMALL} bytes long by its header (junk has no header that passes
         * its CRC, and a header's geometry is checked against that CRC).
         */
        synchronized void checkWithinLog() {
            if (furthestEnd > SMALL) {
                throw new AssertionError(
                        "a read asked up to offset " + furthestEnd + ", past the end of the " + SMALL + "-byte log");
            }
        }
    }

    /** Reads {@code bytes} and checks what the reader did; returns what it accepted, or its typed error. */
    static Read check(byte[] bytes, Map<Long, byte[]> payloads) {
        return accepted(bytes, bytes, payloads);
    }

    /**
     * Reads {@code read} and checks each accepted record against {@code file}, the bytes of the file the check
     * believes in (the same bytes, but for the example that shows the CRC check bites).
     */
    private static Read accepted(byte[] read, byte[] file, Map<Long, byte[]> payloads) {
        Bounded src = new Bounded(read);
        List<LogRecord> got = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        try (LogReader r = LogReader.open(src, "damaged")) {
            LogReader.ScanResult res = r.scan(rec -> {
                got.add(rec);
                offsets.add(r.offsetOf(rec.position()));
            });
            if (res.end() == null) {
                throw new AssertionError("a scan that names no end");
            }
        } catch (LogException e) {
            if (e.kind() == null || e.getMessage() == null || !e.getMessage().startsWith("damaged: ")) {
                throw new AssertionError("a typed error without a kind or not naming the file: " + e.getMessage());
            }
            src.checkWithinLog();
            return new Read(0, e);
        }
        src.checkWithinLog();
        long expect = -1;
        for (int i = 0; i < got.size(); i++) {
            LogRecord rec = got.get(i);
            long off = offsets.get(i);
            int length = rec.payload().length;
            // the alignment slack after the payload is not part of the record: a cut file may lack it
            if (off + LogFormat.RECORD_HEADER + length > file.length) {
                throw new AssertionError("record " + rec.lsn() + " at offset " + off + " of " + length
                        + " bytes extends past the end of the " + file.length + "-byte file");
            }
            int stored = ByteBuffer.wrap(file, (int) off, 4)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .getInt();
            int computed = LogFormat.crc(file, (int) off + 4, LogFormat.RECORD_HEADER - 4 + length);
            if (stored != computed) {
                throw new AssertionError("record " + rec.lsn() + " at offset " + off
                        + " accepted with a CRC that does not match (stored " + Integer.toHexString(stored)
                        + ", computed " + Integer.toHexString(computed) + ")");
            }
            byte[] there = Arrays.copyOfRange(
                    file, (int) off + LogFormat.RECORD_HEADER, (int) off + LogFormat.RECORD_HEADER + length);
            if (!Arrays.equals(there, rec.payload())) {
                throw new AssertionError(
                        "record " + rec.lsn() + " at offset " + off + " handed out other bytes than the file's");
            }
            if (rec.padding()) {
                continue;
            }
            byte[] p = payloads.get(rec.lsn());
            if (p == null) {
                throw new AssertionError("record " + rec.lsn() + " was never written");
            }
            if (!Arrays.equals(p, rec.payload())) {
                throw new AssertionError("record " + rec.lsn() + " accepted with other contents");
            }
            if (rec.type() != RecordType.DATA) {
                throw new AssertionError("record " + rec.lsn() + " accepted with type " + rec.type());
            }
            if (expect >= 0 && rec.lsn() != expect) {
                throw new AssertionError("record " + rec.lsn() + " accepted after " + (expect - 1) + ": LSNs skip");
            }
            expect = rec.lsn() + 1;
        }
        return new Read(got.size(), null);
    }
}
