package dev.ladle.persist.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Arbitrary damage to a log (truncation, bit flips, junk overwrites, anywhere including the header and the
 * superblocks) and arbitrary bytes: the reader throws nothing but {@link LogException}, accepts no record that was
 * not written as it is, and never asks for bytes past the end of the file.
 */
class LogReaderProperties {
    /** A log as written: its bytes and every record's payload by LSN. */
    record Written(byte[] bytes, Map<Long, byte[]> payloads) {}

    private static final Map<Integer, Written> BASE = new ConcurrentHashMap<>();

    /** The base logs: a few records, or several laps around the small data area with seals moving the tail. */
    static Written base(int seed) {
        return BASE.computeIfAbsent(seed, s -> {
            try {
                Path dir = Files.createTempDirectory("logprop");
                Path f = dir.resolve("log");
                Map<Long, byte[]> payloads = new HashMap<>();
                Random r = new Random(s);
                try (TransactionLog log = Logs.create(f)) {
                    int rounds = 1 + s % 4 * 3;
                    for (int round = 0; round < rounds; round++) {
                        List<TransactionLog.Appended> as = new ArrayList<>();
                        for (int i = 0; i < 8; i++) {
                            int size = r.nextInt(400);
                            byte[] p = Logs.payload(log.nextLsn(), size);
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
                throw new IllegalStateException(e);
            }
        });
    }

    /** One change to the file: cut it, flip a bit, or overwrite a range with junk. */
    record Damage(int kind, double where, int bit, int length, long junkSeed) {
        byte[] apply(byte[] in) {
            int at = (int) (where * in.length);
            switch (kind) {
                case 0:
                    return java.util.Arrays.copyOf(in, at);
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

    /** Counts what the reader asks for, and fails a read that starts past the end. */
    static final class Bounded implements LogSource {
        final byte[] bytes;
        final long declared;
        long furthestRequest;

        Bounded(byte[] bytes, long declared) {
            this.bytes = bytes;
            this.declared = declared;
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public synchronized int read(ByteBuffer dst, long position) throws IOException {
            furthestRequest = Math.max(furthestRequest, position + dst.remaining());
            return LogSource.of(bytes).read(dst, position);
        }

        @Override
        public void close() {}
    }

    @Property(tries = 400)
    void damagedLogsYieldOnlyRecordsAsWritten(
            @ForAll @IntRange(min = 0, max = 11) int seed,
            @ForAll @Size(min = 1, max = 4) List<@net.jqwik.api.From("damage") Damage> damages) {
        Written w = base(seed);
        byte[] bytes = w.bytes();
        for (Damage d : damages) {
            bytes = d.apply(bytes);
        }
        check(bytes, w);
    }

    @Property(tries = 300)
    void arbitraryBytesAreATypedErrorOrAnEmptyLog(
            @ForAll @Size(max = 40_000) byte[] junk,
            @ForAll boolean withHeader,
            @ForAll @IntRange(min = 0, max = 11) int seed) {
        byte[] bytes = junk;
        if (withHeader) {
            // a genuine header and superblocks in front of junk: the reader gets as far as the data area
            byte[] head = base(seed).bytes();
            bytes = java.util.Arrays.copyOf(head, (int) LogFormat.DATA_OFFSET + junk.length);
            System.arraycopy(junk, 0, bytes, (int) LogFormat.DATA_OFFSET, junk.length);
        }
        check(bytes, new Written(bytes, Map.of()));
    }

    /** The check bites: a log whose record differs from what the writer was told is reported. */
    @net.jqwik.api.Example
    void theCheckCatchesARecordWithOtherContents() {
        Written w = base(0);
        Map<Long, byte[]> told = new HashMap<>(w.payloads());
        byte[] p = told.get(1L).clone();
        p[p.length - 1] ^= 1;
        told.put(1L, p);
        org.junit.jupiter.api.Assertions.assertThrows(
                AssertionError.class, () -> check(w.bytes(), new Written(w.bytes(), told)));
    }

    private static void check(byte[] bytes, Written w) {
        Bounded src = new Bounded(bytes, Logs.SMALL);
        List<LogRecord> got = new ArrayList<>();
        LogReader.ScanResult res;
        try (LogReader r = LogReader.open(src, "damaged")) {
            res = r.scan(got::add);
            assertNotNull(res.end());
            for (LogRecord rec : got) {
                long off = r.offsetOf(rec.position());
                // the alignment slack after the payload is not part of the record: a cut file may lack it
                assertTrue(
                        off + LogFormat.RECORD_HEADER + rec.payload().length <= bytes.length,
                        "a record past the end of the file");
            }
        } catch (LogException e) {
            assertNotNull(e.kind());
            assertTrue(e.getMessage().startsWith("damaged: "), e.getMessage());
            return;
        }
        assertTrue(src.furthestRequest <= Logs.SMALL, "read requested up to " + src.furthestRequest);
        long expect = -1;
        for (LogRecord rec : got) {
            if (rec.padding()) {
                continue;
            }
            byte[] p = w.payloads().get(rec.lsn());
            assertNotNull(p, "record " + rec.lsn() + " was never written");
            assertArrayEquals(p, rec.payload(), "record " + rec.lsn() + " accepted with other contents");
            assertEquals(RecordType.DATA, rec.type());
            if (expect >= 0) {
                assertEquals(expect, rec.lsn(), "LSNs follow one another");
            }
            expect = rec.lsn() + 1;
        }
    }
}
