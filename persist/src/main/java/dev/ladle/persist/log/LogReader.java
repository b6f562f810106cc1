package dev.ladle.persist.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads a log file: the file header, both superblocks, and the records from the tail the newest valid superblock
 * names. Replay is a plain scanner with a callback. Damage in the data area ends the scan and is reported, never
 * thrown: a short read at the end is the torn end of the log (or, when the file holds none of the next record, where
 * the file was cut). The only exception is {@link LogException}, for a
 * file that is not a readable log at all. The reader opens files read-only.
 */
public final class LogReader implements AutoCloseable {
    /** Receives each record the scanner accepts, padding included, in log order. */
    @FunctionalInterface
    public interface Visitor {
        void record(LogRecord record);
    }

    /**
     * Receives each record the scanner accepts where it lies in the reader's buffer, without a copy: its payload is
     * bytes {@code [offset, offset + length)} of {@code buf} (direct memory, little-endian; read it by index, its
     * position and limit mean nothing), valid during the call only (the reader reuses the buffer).
     */
    @FunctionalInterface
    public interface InPlaceVisitor {
        void record(long lsn, int type, long position, int epoch, ByteBuffer buf, int offset, int length);
    }

    /**
     * Consecutive records a scan steps over without reading them: the {@code count} LSNs from {@code firstLsn},
     * lying in log positions {@code [fromPos, toPos)} (a padding record among them included). A scan that reaches
     * {@code fromPos} expecting {@code firstLsn} goes on at {@code toPos} expecting {@code firstLsn + count}.
     */
    public record Skip(long fromPos, long toPos, long firstLsn, long count) {}

    /** Where and why a scan stopped, and what it accepted. */
    public record ScanResult(
            long startPos,
            long endPos,
            long firstLsn,
            long lastLsn,
            int lastEpoch,
            long records,
            long paddingRecords,
            ScanEnd end,
            String detail,
            long skippedBytes) {
        /** The bytes the scan read: from its start to its end, less what it stepped over. */
        public long bytes() {
            return endPos - startPos - skippedBytes;
        }
    }

    private static final int WINDOW = 1 << 20;

    private final LogSource source;
    private final String name;
    private final long fileSize;
    private final long capacity;
    private final int maxRecord;
    private final List<Superblock.Status> superblocks;
    private final Superblock superblock;
    private final byte[] systemDigest;

    // read-ahead window over the data area, in file offsets: direct memory, so a read goes from the page cache straight
    // into it (a heap array is filled through a temporary direct buffer, one more copy of everything recovery reads)
    private ByteBuffer window = ByteBuffer.allocateDirect(0).order(ByteOrder.LITTLE_ENDIAN);
    private ByteBuffer crcView = window.duplicate();
    private long windowStart = -1;
    private int windowLen;
    /** The buffer the synchronous path reads into (the window, unless the window is one of {@link #ahead}). */
    private ByteBuffer own = window;
    /** Which of {@link #ahead} the window lies in; -1: {@link #own}. */
    private int windowIn = -1;

    // read-ahead while a scan runs: the next window's bytes are read on another thread into one of two buffers, at
    // HEADROOM, while the scan checks and hands over the records of the current one; the part of a record the current
    // window cuts off (at most HEADROOM bytes) is copied in front of them, so the next window follows on without a gap
    private static final int HEADROOM = 64 << 10;
    private static final java.util.concurrent.ExecutorService READ_AHEAD =
            java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "log-read-ahead");
                t.setDaemon(true);
                return t;
            });
    private final ByteBuffer[] ahead = new ByteBuffer[2];
    private boolean sequential;
    private java.util.concurrent.Future<Integer> prefetch;
    private long prefetchAt;
    private int prefetchIn;

    private LogReader(LogSource source, String name) throws LogException {
        this.source = source;
        this.name = name;
        long actual;
        try {
            actual = source.size();
        } catch (IOException e) {
            throw new LogException(LogException.Kind.IO, name + ": cannot read: " + e.getMessage(), e);
        }
        if (actual == 0) {
            throw new LogException(LogException.Kind.EMPTY, name + ": empty file, not a log");
        }
        byte[] h = new byte[LogFormat.FILE_HEADER_BYTES];
        int n = readFully(h, 0);
        if (n < LogFormat.FILE_MAGIC.length || !Arrays.equals(Arrays.copyOf(h, 8), LogFormat.FILE_MAGIC)) {
            throw new LogException(
                    LogException.Kind.NOT_A_LOG, name + ": not a ladle log (no LADLELOG magic at offset 0)");
        }
        if (n < LogFormat.FILE_HEADER_PREFIX) {
            throw new LogException(
                    LogException.Kind.BAD_GEOMETRY, name + ": the file header is cut short (" + n + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        int version = b.getInt(8);
        // bytes 0..39 are laid out alike in every version: a log of another version is told by its number
        if (b.getInt(36) != LogFormat.crc(h, 0, 36)) {
            throw new LogException(
                    LogException.Kind.NOT_A_LOG, name + ": the file header fails its CRC (offset 0, 40 bytes)");
        }
        if (version != LogFormat.CURRENT_VERSION) {
            throw new LogException(
                    LogException.Kind.UNSUPPORTED_VERSION,
                    name + ": log format version " + version + "; this build reads version "
                            + LogFormat.CURRENT_VERSION);
        }
        if (n < LogFormat.FILE_HEADER_BYTES) {
            throw new LogException(
                    LogException.Kind.BAD_GEOMETRY, name + ": the file header is cut short (" + n + " bytes)");
        }
        if (b.getInt(76) != LogFormat.crc(h, 40, 36)) {
            throw new LogException(
                    LogException.Kind.NOT_A_LOG,
                    name + ": the file header's system digest fails its CRC (offset 40, 40 bytes)");
        }
        int digestLength = b.getInt(40);
        if (digestLength < 0 || digestLength > LogFormat.MAX_SYSTEM_DIGEST) {
            throw new LogException(
                    LogException.Kind.BAD_GEOMETRY,
                    name + ": the file header gives a system digest of " + digestLength + " bytes (at most "
                            + LogFormat.MAX_SYSTEM_DIGEST + ")");
        }
        this.systemDigest = Arrays.copyOfRange(h, 44, 44 + digestLength);
        this.fileSize = b.getLong(16);
        long dataOffset = b.getLong(24);
        int align = b.getInt(12);
        this.maxRecord = b.getInt(32);
        if (align != LogFormat.ALIGN
                || dataOffset != LogFormat.DATA_OFFSET
                || fileSize < LogFormat.MIN_FILE_SIZE
                || fileSize % LogFormat.BLOCK != 0
                || maxRecord != LogFormat.maxRecord(fileSize)) {
            throw new LogException(
                    LogException.Kind.BAD_GEOMETRY,
                    name + ": the file header describes an impossible layout (size " + fileSize + ", alignment " + align
                            + ", data at " + dataOffset + ")");
        }
        this.capacity = fileSize - LogFormat.DATA_OFFSET;
        Superblock.Status a = readSuperblock(0);
        Superblock.Status bs = readSuperblock(1);
        this.superblocks = List.of(a, bs);
        Superblock best = null;
        for (Superblock.Status s : superblocks) {
            if (s.valid() && (best == null || s.superblock().generation() > best.generation())) {
                best = s.superblock();
            }
        }
        if (best == null) {
            throw new LogException(
                    LogException.Kind.NO_VALID_SUPERBLOCK,
                    name + ": no valid superblock (" + a.problem() + "; " + bs.problem() + ")");
        }
        this.superblock = best;
    }

    /** Opens {@code file} read-only. */
    public static LogReader open(Path file) throws LogException {
        LogSource src;
        try {
            src = LogSource.readOnly(file);
        } catch (IOException e) {
            throw new LogException(LogException.Kind.IO, file + ": cannot open: " + e, e);
        }
        try {
            return new LogReader(src, file.toString());
        } catch (LogException e) {
            try {
                src.close();
            } catch (IOException ignored) {
                // the open already failed; that failure is the one to report
            }
            throw e;
        }
    }

    public static LogReader open(LogSource source, String name) throws LogException {
        return new LogReader(source, name);
    }

    private Superblock.Status readSuperblock(int slot) throws LogException {
        byte[] bytes = new byte[Superblock.BYTES];
        int n = readFully(bytes, Superblock.offset(slot));
        Superblock.Status s = Superblock.decode(slot, bytes, n);
        if (s.valid()) {
            Superblock sb = s.superblock();
            if (sb.headPos() - sb.tailPos() > capacity
                    || (sb.hasCheckpoint()
                            && (sb.checkpointPos() < sb.tailPos() || sb.checkpointPos() > sb.headPos()))) {
                return new Superblock.Status(
                        slot, null, "superblock " + (slot == 0 ? "A" : "B") + " holds positions outside the log");
            }
        }
        return s;
    }

    private int readFully(byte[] into, long offset) throws LogException {
        ByteBuffer dst = ByteBuffer.wrap(into);
        try {
            while (dst.hasRemaining()) {
                int r = source.read(dst, offset + dst.position());
                if (r < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new LogException(LogException.Kind.IO, name + ": read failed at offset " + offset + ": " + e, e);
        }
        return dst.position();
    }

    public String name() {
        return name;
    }

    public long fileSize() {
        return fileSize;
    }

    public long capacity() {
        return capacity;
    }

    public int maxRecord() {
        return maxRecord;
    }

    public List<Superblock.Status> superblocks() {
        return superblocks;
    }

    /**
     * The system digest the log's creator put in the file header ({@code TransactionLog.Options.withSystemDigest}),
     * as given; empty when none was.
     */
    public byte[] systemDigest() {
        return systemDigest.clone();
    }

    /** The valid superblock with the highest generation. */
    public Superblock superblock() {
        return superblock;
    }

    /** The file offset of log position {@code pos}. */
    public long offsetOf(long pos) {
        return LogFormat.DATA_OFFSET + Math.floorMod(pos, capacity);
    }

    /** Scans from the tail the superblock names. */
    public ScanResult scan(Visitor visitor) throws LogException {
        return scan(superblock.tailPos(), superblock.tailLsn(), visitor);
    }

    /**
     * Scans forward from log position {@code pos}, expecting the first record that takes an LSN to carry
     * {@code firstLsn}, and hands every accepted record to {@code visitor}, until the first record that is missing,
     * torn, damaged, stale or out of sequence, or until it went once around the data area.
     */
    public ScanResult scan(long pos, long firstLsn, Visitor visitor) throws LogException {
        return scanInPlace(
                pos,
                firstLsn,
                (lsn, type, position, epoch, buf, offset, length) ->
                        visitor.record(new LogRecord(lsn, type, position, epoch, copy(buf, offset, length))));
    }

    /**
     * As {@link #scan(long, long, Visitor)}, handing each record over where it lies in the reader's buffer: a
     * visitor that needs only part of a payload (a frame's contents) copies only that part.
     */
    public ScanResult scanInPlace(long pos, long firstLsn, InPlaceVisitor visitor) throws LogException {
        return scanInPlace(pos, firstLsn, List.of(), visitor);
    }

    /**
     * As {@link #scanInPlace(long, long, InPlaceVisitor)}, stepping over the records of {@code skips} (in log
     * order) unread: records known to be durable that the caller reads later, if at all, by {@link #readAt}. The
     * scan's {@link ScanResult#bytes()} counts only what it read.
     */
    public ScanResult scanInPlace(long pos, long firstLsn, List<Skip> skips, InPlaceVisitor visitor)
            throws LogException {
        sequential = true;
        try {
            return scanFrom(pos, firstLsn, skips, visitor);
        } finally {
            sequential = false;
        }
    }

    private ScanResult scanFrom(long pos, long firstLsn, List<Skip> skips, InPlaceVisitor visitor) throws LogException {
        long start = pos;
        long expect = firstLsn;
        int epoch = Integer.MIN_VALUE;
        long records = 0;
        long padding = 0;
        long skipped = 0;
        int nextSkip = 0;
        while (true) {
            while (nextSkip < skips.size() && skips.get(nextSkip).fromPos() < pos) {
                nextSkip++; // behind the scan (a run the caller gave out of order is read instead)
            }
            if (nextSkip < skips.size()
                    && skips.get(nextSkip).fromPos() == pos
                    && skips.get(nextSkip).firstLsn() == expect) {
                Skip k = skips.get(nextSkip++);
                skipped += k.toPos() - k.fromPos();
                records += k.count();
                expect += k.count();
                pos = k.toPos();
                continue;
            }
            if (pos - start >= capacity) {
                return new ScanResult(
                        start, pos, firstLsn, expect - 1, epoch, records, padding, ScanEnd.FULL_CIRCLE, "", skipped);
            }
            Step s = step(pos, expect, epoch);
            if (s.end != null) {
                return new ScanResult(
                        start, pos, firstLsn, expect - 1, epoch, records, padding, s.end, s.detail, skipped);
            }
            visitor.record(s.lsn, s.type, pos, s.epoch, window, s.offset, s.length);
            if (s.type == RecordType.PADDING) {
                padding++;
            } else {
                records++;
                expect++;
            }
            epoch = s.epoch;
            pos += LogFormat.recordSize(s.length);
        }
    }

    /**
     * Reads the one record at {@code pos} (a checkpoint refers to frame records of earlier checkpoints by
     * position), checking its CRC and that it is the record with {@code lsn}; null when it is not there intact.
     */
    public LogRecord readAt(long pos, long lsn) throws LogException {
        return step(pos, lsn, Integer.MIN_VALUE).record(pos);
    }

    /**
     * Looks past the end of a scan for intact records with later LSNs, at every aligned position up to one lap
     * from the scan's start. Finding some means the log was damaged in the middle rather than torn at its end:
     * records after the damage exist but recovery cannot use them, because the record before them is gone.
     */
    public List<LogRecord> intactBeyond(ScanResult end, int limit) throws LogException {
        List<LogRecord> found = new java.util.ArrayList<>();
        for (long pos = end.endPos() + LogFormat.ALIGN;
                pos < end.startPos() + capacity && found.size() < limit;
                pos += LogFormat.ALIGN) {
            LogRecord r = step(pos, -1, Integer.MIN_VALUE).record(pos);
            if (r != null && !r.padding() && r.lsn() > end.lastLsn()) {
                found.add(r);
                pos += r.size() - LogFormat.ALIGN;
            }
        }
        return found;
    }

    /**
     * One step of the scanner: either why it stops ({@code end} not null) or an accepted record, whose payload is
     * {@code window[offset, offset + length)} until the next read.
     */
    private record Step(
            ScanEnd end, String detail, long lsn, int type, int epoch, ByteBuffer window, int offset, int length) {
        Step(ScanEnd end, String detail) {
            this(end, detail, 0, 0, 0, null, 0, 0);
        }

        /** The accepted record at {@code pos}, its payload copied; null when the step stopped the scan. */
        LogRecord record(long pos) {
            return end != null ? null : new LogRecord(lsn, type, pos, epoch, copy(window, offset, length));
        }
    }

    /** Bytes {@code [offset, offset + length)} of {@code b}, copied. */
    public static byte[] copy(ByteBuffer b, int offset, int length) {
        byte[] out = new byte[length];
        b.get(offset, out);
        return out;
    }

    private Step step(long pos, long expectLsn, int lastEpoch) throws LogException {
        long off = offsetOf(pos);
        long roomToEnd = fileSize - off;
        int got = load(off, LogFormat.RECORD_HEADER);
        if (got < LogFormat.RECORD_HEADER) {
            long size = sourceSize();
            String detail = got == 0
                    ? where(pos, off)
                            + (size >= 0 && size < off
                                    ? ": beyond the end of the file, which ends at offset " + size
                                    : ": the file ends here")
                    : where(pos, off) + ": the file ends inside the record header (" + got + " of 32 bytes)";
            return new Step(got == 0 ? ScanEnd.CUT : ScanEnd.SHORT_READ, detail);
        }
        int w = (int) (off - windowStart);
        ByteBuffer h = window;
        boolean zero = true;
        for (int i = 0; i < LogFormat.RECORD_HEADER; i += 8) {
            zero &= h.getLong(w + i) == 0;
        }
        if (zero) {
            return new Step(ScanEnd.UNWRITTEN, where(pos, off) + ": zeros");
        }
        int crc = h.getInt(w);
        int length = h.getInt(w + 4);
        long lsn = h.getLong(w + 8);
        long position = h.getLong(w + 16);
        int type = h.getShort(w + 24) & 0xffff;
        int epoch = h.getInt(w + 28);
        if (length < 0 || LogFormat.RECORD_HEADER + (long) length > Math.min(roomToEnd, maxRecord)) {
            return new Step(ScanEnd.BAD_LENGTH, where(pos, off) + ": length " + length);
        }
        int total = LogFormat.RECORD_HEADER + length;
        got = load(off, total);
        if (got < total) {
            return new Step(
                    ScanEnd.SHORT_READ,
                    where(pos, off) + ": the file ends inside the record (" + got + " of " + total + " bytes)");
        }
        w = (int) (off - windowStart);
        CRC32C c = new CRC32C();
        c.update(crcView.limit(w + total).position(w + 4));
        if ((int) c.getValue() != crc) {
            return new Step(ScanEnd.BAD_CRC, where(pos, off) + ": CRC mismatch over " + total + " bytes");
        }
        if (position != pos) {
            return new Step(ScanEnd.STALE_POSITION, where(pos, off) + ": holds the record of position " + position);
        }
        if (epoch < lastEpoch) {
            return new Step(
                    ScanEnd.STALE_EPOCH, where(pos, off) + ": written by epoch " + epoch + " after epoch " + lastEpoch);
        }
        if (!RecordType.known(type)) {
            return new Step(ScanEnd.UNKNOWN_TYPE, where(pos, off) + ": type " + type);
        }
        if (type == RecordType.PADDING ? lsn != 0 : expectLsn >= 0 && lsn != expectLsn) {
            return new Step(ScanEnd.LSN_GAP, where(pos, off) + ": LSN " + lsn + ", expected " + expectLsn);
        }
        return new Step(null, null, lsn, type, epoch, window, w + LogFormat.RECORD_HEADER, length);
    }

    /** The source's length in bytes, or -1 when it cannot be told. */
    private long sourceSize() {
        try {
            return source.size();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String where(long pos, long off) {
        return "position " + pos + " (file offset " + off + ")";
    }

    /** Makes file bytes [off, off + n) available in the window; returns how many of them the file has. */
    private int load(long off, int n) throws LogException {
        if (windowStart >= 0 && off >= windowStart && off + n <= windowStart + windowLen) {
            return n;
        }
        // the part of the window at and after off (a record cut by the window's end) is kept, not read again
        int keep = windowStart >= 0 && off >= windowStart && off < windowStart + windowLen
                ? (int) (windowStart + windowLen - off)
                : 0;
        if (prefetch != null) {
            // the bytes read ahead start where the window ends; off lies in the window (keep > 0) or at or after its
            // end
            // (skip: the alignment after a record the window ended with)
            long skip = Math.max(0, off - prefetchAt);
            boolean follows = windowStart >= 0
                    && off >= windowStart
                    && prefetchAt == windowStart + windowLen
                    && keep <= HEADROOM
                    && skip < WINDOW
                    && n <= keep + WINDOW - skip;
            int got = awaitPrefetch(follows);
            if (follows) {
                ByteBuffer base = ahead[prefetchIn];
                int from = HEADROOM - keep + (int) skip;
                int len = Math.max(0, keep + got - (int) skip);
                if (keep > 0) {
                    base.put(from, window, (int) (off - windowStart), keep);
                }
                window = base.slice(from, len).order(ByteOrder.LITTLE_ENDIAN);
                crcView = window.duplicate();
                windowIn = prefetchIn;
                windowStart = off;
                windowLen = len;
                readAhead();
                return Math.min(n, windowLen);
            }
        }
        byte[] kept = keep > 0 ? copy(window, (int) (off - windowStart), keep) : null;
        if (own.capacity() < Math.max(WINDOW, n)) {
            own = ByteBuffer.allocateDirect(Math.max(WINDOW, n)).order(ByteOrder.LITTLE_ENDIAN);
        }
        window = own;
        crcView = window.duplicate();
        windowIn = -1;
        if (kept != null) {
            window.put(0, kept);
        }
        int want = (int) Math.min(window.capacity(), Math.max(n, fileSize - off));
        ByteBuffer dst = window.duplicate().clear().limit(want).position(keep);
        try {
            readFully(source, dst, off);
        } catch (IOException e) {
            throw new LogException(LogException.Kind.IO, name + ": read failed at offset " + off + ": " + e, e);
        }
        windowStart = off;
        windowLen = dst.position();
        readAhead();
        return Math.min(n, windowLen);
    }

    /** Reads into {@code dst} from its position up to its limit, {@code dst}'s index 0 being file offset {@code at}. */
    private static void readFully(LogSource source, ByteBuffer dst, long at) throws IOException {
        while (dst.hasRemaining()) {
            int r = source.read(dst, at + dst.position());
            if (r < 0) {
                break;
            }
        }
    }

    /** During a scan: starts reading the bytes after the window into the read-ahead buffer the window is not in. */
    private void readAhead() {
        long at = windowStart + windowLen;
        if (!sequential || windowLen == 0 || at >= fileSize) {
            return;
        }
        int b = windowIn == 0 ? 1 : 0;
        if (ahead[b] == null) {
            ahead[b] = ByteBuffer.allocateDirect(HEADROOM + WINDOW).order(ByteOrder.LITTLE_ENDIAN);
        }
        int len = (int) Math.min(WINDOW, fileSize - at);
        // index 0 of dst is file offset at - HEADROOM
        ByteBuffer dst = ahead[b].duplicate().clear().limit(HEADROOM + len).position(HEADROOM);
        prefetchAt = at;
        prefetchIn = b;
        prefetch = READ_AHEAD.submit(() -> {
            readFully(source, dst, at - HEADROOM);
            return dst.position() - HEADROOM;
        });
    }

    /**
     * Waits for the read ahead; returns the bytes it read. Its failure is thrown when its bytes are {@code wanted};
     * otherwise the window is read again where it is wanted, and a failure shows there.
     */
    private int awaitPrefetch(boolean wanted) throws LogException {
        java.util.concurrent.Future<Integer> f = prefetch;
        prefetch = null;
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the read runs on; its buffer is reused only once it is done
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!wanted) {
                        return 0;
                    }
                    Throwable c = e.getCause();
                    throw new LogException(
                            LogException.Kind.IO, name + ": read failed at offset " + prefetchAt + ": " + c, c);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        if (prefetch != null) {
            try {
                awaitPrefetch(false);
            } catch (LogException ignored) {
                // not wanted: never thrown
            }
        }
        try {
            source.close();
        } catch (IOException ignored) {
            // read-only: nothing to lose on a failed close
        }
    }
}
