package dev.ladle.properties;

import dev.ladle.persist.log.LogFormat;
import dev.ladle.persist.log.LogReader;
import dev.ladle.persist.log.RecordType;
import dev.ladle.persist.log.Superblock;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Crash images of a log file, shared by the recovery properties: a copy of the log as a crash leaves it, the last
 * write torn at a byte, a superblock torn, bits flipped, and which record a flipped byte damaged.
 *
 * <p>A torn write leaves the bytes it did not reach as they were before it: zeros in a log that has not wrapped (a
 * new log file is written out in zeros, and the properties' runs stay within one pass of their log).
 */
final class CrashImages {
    private CrashImages() {}

    /** A copy of {@code log} at {@code image}, as the log stands now. */
    static void copy(Path log, Path image) {
        try {
            Files.copy(log, image, StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A record of an image: its LSN, type, file offset and size on disk. */
    record Extent(long lsn, int type, long offset, long size) {}

    /** The records of {@code image} its scan accepts, from the tail its newest valid superblock names. */
    static List<Extent> records(Path image) {
        List<Extent> out = new ArrayList<>();
        try (LogReader r = LogReader.open(image)) {
            r.scanInPlace(r.superblock().tailPos(), r.superblock().tailLsn(), (l, type, pos, epoch, b, off, len) -> {
                out.add(new Extent(l, type, r.offsetOf(pos), LogFormat.recordSize(len)));
            });
        } catch (Exception e) {
            throw new IllegalStateException("reading the crash image " + image + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Tears the write of records {@code firstLsn .. lastLsn} in {@code image} as a crash in the middle of it leaves
     * it: the byte at {@code fraction} of the way through those records (never the first) and every byte after it, to
     * the end of the last record written, zeroed. Returns the LSN of the first record the tear changed (the first not
     * intact: the cut may fall in bytes that were zeros already), or 0 when it changed none or the image does not hold
     * those records.
     */
    static long tear(Path image, long firstLsn, long lastLsn, double fraction) {
        return tear(image, firstLsn, lastLsn, fraction, false);
    }

    /**
     * As {@link #tear(Path, long, long, double)}; with {@code inFirstRecord}, the cut at {@code fraction} of the way
     * through the first record instead.
     */
    static long tear(Path image, long firstLsn, long lastLsn, double fraction, boolean inFirstRecord) {
        try (LogReader r = LogReader.open(image)) {
            long end = r.scanInPlace(r.superblock().tailPos(), r.superblock().tailLsn(), (l, t, p, e, b, o, n) -> {})
                    .endPos();
            if (end > r.capacity()) {
                throw new IllegalStateException("the log " + image + " wrapped (its end is at log position " + end
                        + "): the bytes a torn write did not reach are older records, not the zeros this tear writes");
            }
        } catch (dev.ladle.persist.log.LogException e) {
            throw new IllegalStateException("reading the crash image " + image + ": " + e.getMessage(), e);
        }
        List<Extent> written = new ArrayList<>();
        for (Extent e : records(image)) {
            if (e.lsn() >= firstLsn && e.lsn() <= lastLsn || !written.isEmpty() && e.lsn() == 0) {
                written.add(e); // padding (no LSN) within the write belongs to it
            }
        }
        while (!written.isEmpty() && written.get(written.size() - 1).lsn() == 0) {
            written.remove(written.size() - 1);
        }
        if (written.isEmpty()) {
            return 0;
        }
        long from = written.get(0).offset();
        Extent last = written.get(written.size() - 1);
        long to = last.offset() + last.size();
        if (to - from != written.stream().mapToLong(Extent::size).sum()) {
            return 0; // the write wraps around the data area: not a single run of bytes
        }
        long span = inFirstRecord ? written.get(0).size() : to - from;
        long cut = from + Math.max(1, Math.min(span - 1, (long) (fraction * span)));
        // the first record the tear changes: bytes it zeroes that were zeros already (a frame's trailing zeros) leave
        // a record as it was, intact
        long changed = firstNonZero(image, cut, to);
        long torn = 0;
        for (Extent e : written) {
            if (changed >= 0 && torn == 0 && e.lsn() > 0 && changed < e.offset() + e.size()) {
                torn = e.lsn(); // a padding record has no LSN: the first record after it is the one not intact
            }
        }
        zero(image, cut, to);
        return torn;
    }

    /**
     * Tears the newest valid superblock of {@code image} at {@code fraction} of its bytes (never the first): the rest of
     * it zeroed. Returns the LSN of the checkpoint it named, or -1 when the image has no valid superblock.
     */
    static long tearSuperblock(Path image, double fraction) {
        Superblock sb;
        try (LogReader r = LogReader.open(image)) {
            sb = r.superblock();
        } catch (Exception e) {
            throw new IllegalStateException("reading the crash image " + image + ": " + e.getMessage(), e);
        }
        long at = Superblock.offset(sb.slot());
        long cut = Math.max(1, Math.min(Superblock.BYTES - 1, (long) (fraction * Superblock.BYTES)));
        zero(image, at + cut, at + Superblock.BYTES);
        return sb.checkpointLsn();
    }

    /** The offset of the first byte of {@code image} in {@code from .. to} that is not zero (-1: none). */
    private static long firstNonZero(Path image, long from, long to) {
        byte[] b = new byte[(int) (to - from)];
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "r")) {
            f.seek(from);
            f.readFully(b);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (int i = 0; i < b.length; i++) {
            if (b[i] != 0) {
                return from + i;
            }
        }
        return -1;
    }

    private static void zero(Path image, long from, long to) {
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.seek(from);
            f.write(new byte[(int) (to - from)]);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Flips {@code flips} random bits of {@code image} anywhere in it; returns their file offsets. */
    static long[] flip(Path image, int flips, Random r) throws Exception {
        return flip(image, flips, Files.size(image), r);
    }

    /** Flips {@code flips} random bits among the first {@code within} bytes of {@code image}; returns their offsets. */
    static long[] flip(Path image, int flips, long within, Random r) throws Exception {
        return flip(image, flips, List.of(), within, r);
    }

    /**
     * Flips {@code flips} random bits of {@code image}, each with even odds in a random record of {@code records} (when
     * there are any) or among its first {@code within} bytes; returns their file offsets.
     */
    static long[] flip(Path image, int flips, List<Extent> records, long within, Random r) throws Exception {
        byte[] b = Files.readAllBytes(image);
        long[] at = new long[flips];
        for (int i = 0; i < flips; i++) {
            int x;
            if (!records.isEmpty() && r.nextBoolean()) {
                Extent e = records.get(r.nextInt(records.size()));
                x = (int) (e.offset() + r.nextInt((int) e.size()));
            } else {
                x = r.nextInt((int) Math.min(b.length, within));
            }
            b[x] ^= (byte) (1 << r.nextInt(8));
            at[i] = x;
        }
        Files.write(image, b);
        return at;
    }

    /** The records of {@code image} after the end record of the checkpoint its newest superblock seals. */
    static List<Extent> afterCheckpoint(Path image) {
        long checkpoint;
        try (LogReader r = LogReader.open(image)) {
            checkpoint = r.superblock().checkpointLsn();
        } catch (Exception e) {
            throw new IllegalStateException("reading the crash image " + image + ": " + e.getMessage(), e);
        }
        List<Extent> records = records(image);
        for (int i = 0; i < records.size(); i++) {
            Extent e = records.get(i);
            if (e.type() == RecordType.CHECKPOINT_END && e.lsn() > checkpoint) {
                return records.subList(i + 1, records.size());
            }
        }
        return List.of();
    }

    /**
     * The first LSN a flip of the bytes at {@code offsets} (file offsets) damages in {@code image}, taken before the
     * flips: that of the record holding a flipped byte (its header, payload or alignment), or for a flipped byte of a
     * valid superblock the LSN of the checkpoint it seals (the superblock is that checkpoint's seal), or 0 for a byte
     * of the file header (everything depends on it). {@link Long#MAX_VALUE}: no flip touches anything recovery reads.
     * Every record before that LSN, and the superblock before it, are intact: what they made durable is still there.
     */
    static long firstDamagedLsn(Path image, long[] offsets) {
        List<Extent> records = records(image);
        List<Superblock.Status> sbs;
        try (LogReader r = LogReader.open(image)) {
            sbs = r.superblocks();
        } catch (Exception e) {
            throw new IllegalStateException("reading the crash image " + image + ": " + e.getMessage(), e);
        }
        long first = Long.MAX_VALUE;
        for (long x : offsets) {
            if (x < LogFormat.FILE_HEADER_BYTES) {
                return 0;
            }
            for (Superblock.Status s : sbs) {
                long at = Superblock.offset(s.slot());
                if (s.valid() && x >= at && x < at + Superblock.BYTES) {
                    first = Math.min(first, s.superblock().checkpointLsn());
                }
            }
            for (Extent e : records) {
                if (x >= e.offset() && x < e.offset() + e.size()) {
                    // a padding record has no LSN of its own: what follows it is what it damages
                    first = Math.min(first, e.lsn() > 0 ? e.lsn() : nextLsn(records, e));
                }
            }
        }
        return first;
    }

    private static long nextLsn(List<Extent> records, Extent padding) {
        boolean after = false;
        for (Extent e : records) {
            if (after && e.lsn() > 0) {
                return e.lsn();
            }
            after |= e == padding;
        }
        return Long.MAX_VALUE;
    }

    /** The file offset just past the last record {@code image}'s scan accepts (the data area's start: none). */
    static long usedEnd(Path image) {
        List<Extent> records = records(image);
        return records.isEmpty()
                ? LogFormat.DATA_OFFSET
                : records.get(records.size() - 1).offset()
                        + records.get(records.size() - 1).size();
    }
}
