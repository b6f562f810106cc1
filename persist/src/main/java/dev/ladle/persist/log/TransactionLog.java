package dev.ladle.persist.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * The writer of a circular transaction log (format: {@link LogFormat}).
 *
 * <p>Group commit: {@link #append} puts the record into the batch being filled and returns at once with its LSN and
 * a future; a full batch is queued (up to six) and a new one begun. Three threads carry a batch on: the flusher
 * writes every queued batch (and the one being filled, when no force is in flight) to the file; the forcer makes
 * what is written durable with one {@link FileChannel#force} (a flush), publishes the new durable LSN and hands the
 * futures of what it covered to the acknowledger thread, which completes them in LSN order. The flusher never waits
 * for a force: while the disk writes what force {@code k} took, the flusher copies the batches filled meanwhile into
 * the file, and force {@code k + 1} starts as soon as force {@code k} returned and everything appended before that
 * is written, if someone waits for durability: a written record's future, or an {@link #awaitDurable} whose LSN is
 * written (records nobody waits for, a checkpoint's frames, are forced with the next record someone waits for, at
 * {@link #close}, or once {@link #FORCE_BEHIND} bytes of them are written and not forced: the disk then writes them
 * back while the flusher writes on, rather than all at the end). So a record appended while flush {@code k} is in
 * flight is made durable by flush {@code k + 1}; delivering flush {@code k}'s acknowledgements (whatever their
 * callbacks do) never holds flush {@code k + 1} back. An append wakes the flusher only when it would take the batch
 * (one filled, or none in flight and none being written), not once per record during a force. A future completes
 * only after its record is durable: that is the acknowledgement. Bytes the flusher wrote are not durable until a
 * force returns, and a crash may keep any part of them.
 *
 * <p>Space: a record may take the space of an older record only when that record lies before the tail, which
 * moves only when a sealed checkpoint makes the records behind it unnecessary ({@link #seal}). A full log makes
 * the appender wait (and asks the {@linkplain #onLogFull listener}, which may force a checkpoint, whether waiting can
 * help: when nothing can free space the append fails at once); it never overwrites. Ordinary records leave a reserve free so that a checkpoint can still be written into a log that is
 * full of operations.
 *
 * <p>Futures complete on the acknowledger thread, one after the other: a callback that blocks delays the
 * acknowledgements after it (not the flushes), and must not wait for this log to close.
 *
 * <p>Zero copy: {@link #append(int, ByteBuffer, ByteBuffer, Runnable)} takes a record whose body (a frame of a
 * checkpoint) is not copied into the batch: the batch keeps a reference to it and the flusher hands the body's own
 * memory to the file with the rest of the batch in one gathering write, then tells the appender the body is no
 * longer read. Until then the body must not change (the checkpointer keeps the frame mapped, copy-on-write).
 */
public final class TransactionLog implements AutoCloseable {
    /** What an append returns at once: the record's LSN and position, and its acknowledgement. */
    public record Appended(long lsn, long position, CompletableFuture<Long> durable) {}

    /**
     * Settings for a new or reopened log. {@code systemDigest} (at most {@link LogFormat#MAX_SYSTEM_DIGEST} bytes,
     * empty: none) goes into a new log's file header as given, naming the system whose log it is; the log never
     * interprets it, and a reopened log keeps the one it was created with ({@link LogReader#systemDigest}).
     */
    public record Options(long fileSize, int batchBytes, long fullWaitMillis, byte[] systemDigest) {
        public Options {
            if (systemDigest.length > LogFormat.MAX_SYSTEM_DIGEST) {
                throw new IllegalArgumentException("a system digest holds at most " + LogFormat.MAX_SYSTEM_DIGEST
                        + " bytes, not " + systemDigest.length);
            }
            systemDigest = systemDigest.clone();
        }

        public Options(long fileSize, int batchBytes, long fullWaitMillis) {
            this(fileSize, batchBytes, fullWaitMillis, new byte[0]);
        }

        public static Options defaults() {
            return new Options(LogFormat.DEFAULT_FILE_SIZE, 4 << 20, 10_000);
        }

        public Options withFileSize(long size) {
            return new Options(size, batchBytes, fullWaitMillis, systemDigest);
        }

        public Options withFullWaitMillis(long ms) {
            return new Options(fileSize, batchBytes, ms, systemDigest);
        }

        /** A new log's file header names its system by {@code digest} (opaque to the log). */
        public Options withSystemDigest(byte[] digest) {
            return new Options(fileSize, batchBytes, fullWaitMillis, digest);
        }

        @Override
        public byte[] systemDigest() {
            return systemDigest.clone();
        }
    }

    private record Pending(long lsn, CompletableFuture<Long> future) {}

    private final Path file;
    private final FileChannel ch;
    private final long capacity;
    private final int maxRecord;
    private final long reserve;
    private final Options options;
    private final int epoch;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition progress = lock.newCondition();
    private final Object superblockLock = new Object();

    /**
     * Held around every force of the file once the log runs, the forcer's and a superblock's: Linux reports a
     * writeback error to one {@code fsync} of an open file only, so of two forces at once one may return although pages
     * it was to make durable were lost (the other force took the error). A force that fails makes the log failed before
     * the next force can start, and a force that would start after the log failed fails instead.
     */
    private final java.util.concurrent.locks.ReentrantLock forceLock = new java.util.concurrent.locks.ReentrantLock();

    /**
     * Filled batches waiting for the flusher, at most {@link #MAX_QUEUED}, in log order. {@code buffer} holds the
     * batch's bytes but the bodies of {@code bodies}, each of which goes in at its offset in {@code buffer}.
     */
    private record Batch(
            ByteBuffer buffer,
            long start,
            List<Pending> acks,
            List<Body> bodies,
            long bodyBytes,
            long firstLsn,
            long lastLsn) {}

    /**
     * A record's body the flusher writes from where it lies: its bytes come after {@code buffer}'s first {@code at}
     * bytes (and those of the bodies before it); {@code released} runs once they were written or never will be, and
     * before it the body's position is set back to {@code from} (the write moves it).
     */
    private record Body(int at, ByteBuffer bytes, int from, Runnable released) {}

    private static final int MAX_QUEUED = 6;

    /**
     * Bytes written and not forced after which the forcer forces them though nobody waits for them (a checkpoint's
     * frames streaming): the disk writes them back while the flusher copies the next ones into the file, so the force
     * that covers the checkpoint's end record finds at most this much (and what came after it) still to write. On the
     * benchmark's disk a 64 MiB checkpoint took 11 to 17 % less wall time than with one force at the end (medians of
     * 25 and 40 rounds alternated in one JVM; 4 and 16 MiB within the spread of 8).
     */
    public static final long FORCE_BEHIND = 8L << 20;

    /**
     * The size a batch's buffer starts at: a batch of checkpoint frames holds only their heads (the bodies are written
     * from where they lie); a buffer of {@link Options#batchBytes} (4 MiB) per batch was a large object the collector
     * treats specially (a humongous region in G1), one per 4 MiB of a checkpoint, each starting a collection.
     */
    private static final int FIRST_BUFFER = 64 << 10;

    private ByteBuffer current;
    private final java.util.ArrayDeque<Batch> full = new java.util.ArrayDeque<>();
    private final java.util.ArrayDeque<ByteBuffer> free = new java.util.ArrayDeque<>();
    private long currentStart;
    /** The LSNs of the first and last records in the current batch (0: none yet; padding takes none). */
    private long currentFirstLsn;

    private long currentLastLsn;
    private List<Pending> pending = new ArrayList<>();
    private List<Body> bodies = new ArrayList<>();
    private long bodyBytes;
    private long nextPos;
    private long nextLsn;
    private long durablePos;
    private long durableLsn;
    private long tailPos;
    private long tailLsn;
    private long checkpointLsn;
    private long checkpointPos;
    /** The sealed checkpoint's end record, when the seal named it (LSN 0, position -1: not named). */
    private long checkpointEndLsn;

    private long checkpointEndPos = -1;
    private long generation;
    private long flushes;
    private boolean closing;
    private IOException failure;
    private volatile FullListener onLogFull = () -> true;
    /** Counts the events after which an append waiting for space asks its listener again: seals, {@link #recheckFull}. */
    private long spaceEvents;

    private volatile FlushListener onFlushed = (first, last) -> {};

    /**
     * Told after each force, before the new durable LSN is published and before the acknowledgements: records
     * {@code first..last} are now durable.
     */
    @FunctionalInterface
    public interface FlushListener {
        void flushed(long first, long last);
    }

    private final Thread flusher;

    /**
     * Where the flusher has written up to (log position, LSN of the last record written), what of it no force covers
     * yet (the first such LSN, 0: none; the futures waiting for it), whether a force is in flight, the position a
     * force may not start before (the end of what was appended when the force before it returned), and whether the
     * flusher has stopped. Guarded by {@link #lock}.
     */
    private long writtenPos;

    private long writtenLsn;
    private long unforcedFirstLsn;
    private List<Pending> unforcedAcks = new ArrayList<>();
    private boolean forcing;
    /** Whether a thread (the flusher, or the forcer after a force) is writing batches it took: one at a time. */
    private boolean writing;

    private long forceFrom;
    /**
     * The forcer's timeline (guarded by {@link #lock}): when the force in flight started, the time spent in forces, and
     * the time from the return of a force that left something appended not durable to the start of the next force
     * (the disk idle while work waits), over {@code forcesAfterWork} such gaps; {@code returnedWithWork} is when the
     * last such force returned (0: the last force left nothing owed).
     */
    private long forceStarted;

    private long forceNanos;
    private long idleWithWorkNanos;
    private long forcesAfterWork;
    private long returnedWithWork;

    /**
     * The LSNs {@link #awaitDurable} callers wait for, each with how many wait for it: with the futures of what is
     * written, what makes the forcer force (guarded by {@link #lock}).
     */
    private final java.util.TreeMap<Long, Integer> awaited = new java.util.TreeMap<>();

    private boolean flusherDone;

    /** How many times the flusher woke up waiting for work (guarded by {@link #lock}): for tests. */
    private long flusherWakeups;

    private final Condition written = lock.newCondition();
    private final Thread forcer;

    /** A flush's acknowledgements, or their failure, waiting for the acknowledger thread; in LSN order. */
    private record Acks(List<Pending> acks, IOException failure) {}

    private static final Acks END = new Acks(List.of(), null);
    private final java.util.concurrent.LinkedBlockingQueue<Acks> toAcknowledge =
            new java.util.concurrent.LinkedBlockingQueue<>();
    private final Thread acknowledger;

    private TransactionLog(
            Path file,
            FileChannel ch,
            long fileSize,
            Options options,
            Superblock sb,
            long endPos,
            long lastLsn,
            int epoch) {
        this.file = file;
        this.ch = ch;
        this.options = options;
        this.capacity = fileSize - LogFormat.DATA_OFFSET;
        this.maxRecord = LogFormat.maxRecord(fileSize);
        this.reserve = Math.max(capacity / 8, maxRecord);
        this.epoch = epoch;
        this.current = newBuffer();
        this.nextPos = endPos;
        this.currentStart = endPos;
        this.nextLsn = lastLsn + 1;
        this.durablePos = endPos;
        this.durableLsn = lastLsn;
        this.writtenPos = endPos;
        this.writtenLsn = lastLsn;
        this.forceFrom = endPos;
        this.tailPos = sb.tailPos();
        this.tailLsn = sb.tailLsn();
        this.checkpointLsn = sb.checkpointLsn();
        this.checkpointPos = sb.checkpointPos();
        this.checkpointEndLsn = sb.endLsn();
        this.checkpointEndPos = sb.endPos();
        this.generation = sb.generation();
        this.flusher = new Thread(this::flushLoop, "log-flusher " + file.getFileName());
        this.flusher.setDaemon(true);
        this.forcer = new Thread(this::forceLoop, "log-forcer " + file.getFileName());
        this.forcer.setDaemon(true);
        this.acknowledger = new Thread(this::acknowledgeLoop, "log-acknowledger " + file.getFileName());
        this.acknowledger.setDaemon(true);
        this.acknowledger.start();
        this.forcer.start();
        this.flusher.start();
    }

    /**
     * The buffer a batch starts with: it grows as inline records need ({@link #reserveInline}). Direct memory, as the
     * bodies are: the gathering write hands every piece of a batch to the file from its own address (a heap buffer is
     * copied into a temporary direct buffer inside each write first).
     */
    private ByteBuffer newBuffer() {
        return ByteBuffer.allocateDirect(Math.min(options.batchBytes(), FIRST_BUFFER))
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    private static final byte[] ZEROS = new byte[4096];

    /** Clears {@code b[from, from + n)}. */
    private static void zero(ByteBuffer b, int from, int n) {
        for (int at = from; at < from + n; at += ZEROS.length) {
            b.put(at, ZEROS, 0, Math.min(ZEROS.length, from + n - at));
        }
    }

    /** Creates a new log file of {@code options.fileSize()} bytes, written out in full (no holes). */
    public static TransactionLog create(Path file, Options options) throws IOException {
        return create(file, options, java.util.function.UnaryOperator.identity());
    }

    /** As {@link #create(Path, Options)}, with the file's channel passed through {@code channel} (tests: a fake disk). */
    static TransactionLog create(Path file, Options options, java.util.function.UnaryOperator<FileChannel> channel)
            throws IOException {
        long size = options.fileSize();
        if (size < LogFormat.MIN_FILE_SIZE || size % LogFormat.BLOCK != 0) {
            throw new IllegalArgumentException("log size must be a multiple of " + LogFormat.BLOCK + " and at least "
                    + LogFormat.MIN_FILE_SIZE + " bytes: " + size);
        }
        FileChannel ch = channel.apply(FileChannel.open(
                file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE));
        try {
            ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
            for (long at = 0; at < size; at += zeros.capacity()) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
                writeFully(ch, zeros, at);
            }
            writeFully(ch, LogFormat.fileHeader(size, options.systemDigest()), 0);
            Superblock sb = new Superblock(0, 1, 1, 0, 1, 0, 0, 0, 0, 0, -1);
            writeFully(ch, sb.encode(), Superblock.offset(0));
            ch.force(true);
            return new TransactionLog(file, ch, size, options, sb, 0, 0, 1);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Opens an existing log for appending: finds the durable end by scanning from the tail (stopping at the torn
     * end, if any), then starts a new epoch, recorded in a superblock before anything is appended.
     */
    public static TransactionLog open(Path file, Options options) throws IOException, LogException {
        return open(file, options, java.util.List.of());
    }

    /**
     * As {@link #open(Path, Options)}, the scan for the durable end stepping over the runs of {@code stepOver} unread
     * (those a lazy recovery of this file stepped over: the sealed checkpoint's frames, known durable, which it reads
     * on first touch), so that reopening a log after a lazy recovery does not read the whole memory back. A run that
     * does not start where a record does is read instead.
     */
    public static TransactionLog open(Path file, Options options, java.util.List<LogReader.Skip> stepOver)
            throws IOException, LogException {
        Superblock sb;
        LogReader.ScanResult end;
        long fileSize;
        try (LogReader r = LogReader.open(file)) {
            sb = r.superblock();
            fileSize = r.fileSize();
            // from the sealed checkpoint: the records before it (frames an incremental checkpoint refers to)
            // are read by position, and a damaged one must not make the writer overwrite the checkpoint
            end = sb.hasCheckpoint()
                    ? r.scanInPlace(sb.checkpointPos(), sb.checkpointLsn(), stepOver, (l, t, p, e, b, o, n) -> {})
                    : r.scan(rec -> {});
            if (sb.namesEnd() && end.lastLsn() < sb.endLsn()) {
                // a lazy recovery steps over the sealed checkpoint's frames unread and may resume on a log damaged
                // among them: appending at the damage would overwrite the records it still reads frames from
                throw new LogException(
                        LogException.Kind.IO,
                        r.name() + ": the sealed checkpoint (LSN " + sb.checkpointLsn() + " to its end record, LSN "
                                + sb.endLsn() + ") is damaged at " + end.detail() + "; not opened for writing,"
                                + " which would overwrite it");
            }
        }
        int epoch = (int) Math.max(sb.epoch(), end.lastEpoch()) + 1;
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        TransactionLog log = new TransactionLog(file, ch, fileSize, options, sb, end.endPos(), end.lastLsn(), epoch);
        try {
            log.writeSuperblock();
        } catch (IOException e) {
            log.close();
            throw e;
        }
        return log;
    }

    /** Opens {@code file} if it exists, creates it otherwise. */
    public static TransactionLog openOrCreate(Path file, Options options) throws IOException, LogException {
        if (java.nio.file.Files.exists(file)) {
            return open(file, options);
        }
        return create(file, options);
    }

    public Path file() {
        return file;
    }

    public long capacity() {
        return capacity;
    }

    public Options options() {
        return options;
    }

    public int maxRecord() {
        return maxRecord;
    }

    /** Bytes only checkpoint records may use, so a checkpoint fits into a log full of operations. */
    public long reserve() {
        return reserve;
    }

    public int epoch() {
        return epoch;
    }

    /**
     * Told (on the appending thread, without the log's lock) when an append finds the log full, and again each time
     * it is still full after a seal or {@link #recheckFull}: whether waiting may free space.
     */
    @FunctionalInterface
    public interface FullListener {
        /**
         * True: space may be freed while the append waits (a checkpoint is under way, or was just asked for or begun
         * here); the append waits, up to {@link Options#fullWaitMillis}. False: nothing will free it while this append
         * waits; it fails at once with {@link LogFullException}. What this throws (a checkpoint begun here that
         * failed) the append throws.
         */
        boolean mayFreeSpace() throws IOException, InterruptedException, LogFullException;
    }

    /** Called when an append finds the log full, before it waits ({@link FullListener}); by default it waits. */
    public void onLogFull(FullListener listener) {
        this.onLogFull = listener;
    }

    /**
     * Makes the appends waiting for space ask their {@linkplain #onLogFull listener} again (what it answered may have
     * changed: a checkpoint that was under way failed, say).
     */
    public void recheckFull() {
        lock.lock();
        try {
            spaceEvents++;
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Called on the forcer thread after every group commit, before its acknowledgements are sent. */
    public void onFlushed(FlushListener listener) {
        this.onFlushed = listener;
    }

    public Appended append(int type, byte[] payload) throws InterruptedException, LogFullException, IOException {
        return append(type, ByteBuffer.wrap(payload));
    }

    /**
     * Appends a record holding {@code payload}'s remaining bytes. Returns once the record is in the batch being
     * filled; its future completes with its LSN when it is durable (exceptionally if the log failed first).
     */
    public Appended append(int type, ByteBuffer payload) throws InterruptedException, LogFullException, IOException {
        return append(type, payload, null, null);
    }

    /**
     * Appends a record whose payload is {@code head}'s remaining bytes followed by {@code body}'s, without copying
     * {@code body}: the flusher writes it to the file from {@code body}'s own memory (for a direct buffer, from its
     * address, with no copy at all), and runs {@code released} (on the thread that wrote it: the flusher, or the forcer) once it has written it, or
     * once it never will (the log failed). Until then {@code body} must keep its contents and nobody else may use the
     * buffer object: the log reads it as it is (no view of it is made), moving its position, and sets the position
     * back before {@code released} runs; its limit is not changed. {@code head} is copied before this returns. {@code
     * released} must be quick and must not throw.
     */
    public Appended append(int type, ByteBuffer head, ByteBuffer body, Runnable released)
            throws InterruptedException, LogFullException, IOException {
        return appendRecord(type, head, body, released, true);
    }

    /**
     * Where a record appended by {@link #appendCovered} lies: its LSN, its log position and the bytes it takes there
     * (the next record, or the padding before it, starts at {@code position + size}).
     */
    public record Placed(long lsn, long position, int size) {}

    /**
     * As {@link #append(int, ByteBuffer, ByteBuffer, Runnable)} for a record nobody waits for by itself: it gets no
     * future of its own, and is known durable once a later record's acknowledgement is (records become durable in LSN
     * order), as a checkpoint's frames are by its end record's. Saves a future and its completion per record.
     */
    public Placed appendCovered(int type, ByteBuffer head, ByteBuffer body, Runnable released)
            throws InterruptedException, LogFullException, IOException {
        int size = LogFormat.recordSize(head.remaining() + (body == null ? 0 : body.remaining()));
        Appended a = appendRecord(type, head, body, released, false);
        return new Placed(a.lsn(), a.position(), size);
    }

    private Appended appendRecord(int type, ByteBuffer head, ByteBuffer body, Runnable released, boolean acknowledged)
            throws InterruptedException, LogFullException, IOException {
        if (type == RecordType.PADDING || !RecordType.known(type)) {
            throw new IllegalArgumentException("cannot append a record of type " + type);
        }
        int len = head.remaining() + (body == null ? 0 : body.remaining());
        int size = LogFormat.recordSize(len);
        if (size > maxRecord) {
            throw new RecordTooLargeException(len, maxRecord);
        }
        boolean checkpoint = type == RecordType.CHECKPOINT_BEGIN
                || type == RecordType.CHECKPOINT_OBJECT
                || type == RecordType.CHECKPOINT_INDEX
                || type == RecordType.CHECKPOINT_END;
        long limit = checkpoint ? capacity : capacity - reserve;
        long told = -1; // the space events when the listener was last asked (-1: never)
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.fullWaitMillis());
        lock.lockInterruptibly();
        try {
            while (true) {
                if (failure != null) {
                    throw new IOException("log " + file + " failed earlier", failure);
                }
                if (closing) {
                    throw new IOException("log " + file + " is closed");
                }
                long phys = Math.floorMod(nextPos, capacity);
                int pad = phys + size > capacity ? (int) (capacity - phys) : 0;
                long need = (long) pad + size;
                if (nextPos + need - tailPos > limit) {
                    if (told != spaceEvents) {
                        told = spaceEvents;
                        boolean mayFree;
                        lock.unlock();
                        try {
                            mayFree = onLogFull.mayFreeSpace();
                        } finally {
                            lock.lock();
                        }
                        if (!mayFree) {
                            long used = nextPos - tailPos;
                            if (used + need <= limit) {
                                continue; // freed meanwhile
                            }
                            throw full(used, "nothing can seal a checkpoint while this append waits");
                        }
                        continue;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw full(
                                nextPos - tailPos, "no checkpoint sealed within " + options.fullWaitMillis() + " ms");
                    }
                    progress.awaitNanos(left);
                    continue;
                }
                long used = current.position() + bodyBytes;
                if (used > 0 && used + need > options.batchBytes()) {
                    if (full.size() < MAX_QUEUED) {
                        // the batch goes to the flusher's queue: a flush in flight does not stop the appenders, the
                        // flusher writes it during that flush, and the next force makes it durable
                        sealCurrent();
                        work.signal();
                        continue;
                    } else {
                        progress.await();
                        continue;
                    }
                }
                reserveInline(need - (body == null ? 0 : body.remaining()));
                if (pad > 0) {
                    putRecord(0, RecordType.PADDING, pad - LogFormat.RECORD_HEADER, null, null, null);
                }
                long lsn = nextLsn++;
                long pos = putRecord(lsn, type, len, head, body, released);
                if (currentFirstLsn == 0) {
                    currentFirstLsn = lsn;
                }
                currentLastLsn = lsn;
                CompletableFuture<Long> f = null;
                if (acknowledged) {
                    f = new CompletableFuture<>();
                    pending.add(new Pending(lsn, f));
                }
                if (!forcing && !writing) {
                    // the flusher takes the batch being filled only with no force in flight (and a writer, or the
                    // forcer whose force returns, signals it when done): waking it otherwise only puts it back to sleep
                    work.signal();
                }
                return new Appended(lsn, pos, f);
            }
        } finally {
            lock.unlock();
        }
    }

    private LogFullException full(long used, String why) {
        return new LogFullException("log " + file + " is full: " + used + " of " + capacity
                + " bytes are still needed by recovery (tail at position " + tailPos + "); " + why
                + "; seal a checkpoint to free space");
    }

    /**
     * Bytes ordinary records (not a checkpoint's) may still take before an append waits for space, not counting the
     * padding a record crossing the end of the data area needs.
     */
    public long room() {
        lock.lock();
        try {
            return capacity - reserve - (nextPos - tailPos);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes room for {@code n} more bytes in the current batch's buffer (lock held). A batch's limit is
     * {@link Options#batchBytes} counting the bodies, which take no room in its buffer (a batch of frames needs tens of
     * kilobytes for their heads), so the buffer starts small and grows by doubling; a record larger than a batch makes
     * a batch of its own, its buffer as large as the record.
     */
    private void reserveInline(long n) {
        if (current.remaining() >= n) {
            return;
        }
        long want = Math.max((long) current.position() + n, Math.min(2L * current.capacity(), options.batchBytes()));
        ByteBuffer grown = ByteBuffer.allocateDirect((int) want).order(ByteOrder.LITTLE_ENDIAN);
        grown.put(0, current, 0, current.position()).position(current.position());
        current = grown;
    }

    /** Queues the current batch for the flusher and starts a new one (lock held). */
    private void sealCurrent() {
        full.add(new Batch(current, currentStart, pending, bodies, bodyBytes, currentFirstLsn, currentLastLsn));
        currentFirstLsn = 0;
        currentLastLsn = 0;
        bodies = new ArrayList<>();
        bodyBytes = 0;
        ByteBuffer next = free.poll();
        current = next != null ? next : newBuffer();
        current.clear();
        currentStart = nextPos;
        pending = new ArrayList<>();
    }

    /**
     * Writes one record at the end of the current batch (lock held); returns its position. The header and {@code
     * payload} (copied) lie together in the batch, so the CRC reads them in one piece, then the body where it lies;
     * one CRC object serves every record (the lock is held).
     */
    private long putRecord(long lsn, int type, int len, ByteBuffer payload, ByteBuffer external, Runnable released) {
        ByteBuffer b = current;
        int at = b.position();
        int size = LogFormat.recordSize(len);
        long pos = nextPos;
        int inlinePayload;
        if (payload == null) {
            zero(b, at, size);
            inlinePayload = len;
        } else {
            inlinePayload = payload.remaining();
            b.put(at + LogFormat.RECORD_HEADER, payload, payload.position(), inlinePayload);
        }
        LogFormat.putRecordFields(b, at, len, lsn, pos, type, epoch);
        int afterInline = at + LogFormat.RECORD_HEADER + inlinePayload;
        crc.reset();
        b.limit(afterInline).position(at + 4);
        crc.update(b);
        b.limit(b.capacity());
        int inline = size;
        if (external != null) {
            // the body stays where it is: the flusher writes it from there, right after these bytes (no view of it is
            // made: its position, moved by the CRC and the write, is set back each time)
            int from = external.position();
            crc.update(external);
            external.position(from);
            bodies.add(new Body(afterInline, external, from, released));
            bodyBytes += external.remaining();
            inline -= external.remaining();
        }
        b.putInt(at, (int) crc.getValue());
        if (payload != null) {
            zero(b, afterInline, at + inline - afterInline);
        }
        b.position(at + inline);
        nextPos += size;
        return pos;
    }

    /** The CRC of the record being put (lock held). */
    private final CRC32C crc = new CRC32C();

    private void flushLoop() {
        try {
            writeBatches();
        } finally {
            lock.lock();
            try {
                flusherDone = true;
                written.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void forceLoop() {
        try {
            forceWritten();
        } finally {
            toAcknowledge.add(END); // after every acknowledgement: the flusher's failed ones come before it stops
        }
    }

    /** Completes the futures of each flush in turn, in LSN order, until the flusher has stopped. */
    private void acknowledgeLoop() {
        while (true) {
            Acks a;
            try {
                a = toAcknowledge.take();
            } catch (InterruptedException e) {
                continue; // only the flusher's END stops the acknowledger: no future is left incomplete
            }
            if (a == END) {
                return;
            }
            for (Pending p : a.acks()) {
                if (a.failure() == null) {
                    p.future().complete(p.lsn());
                } else {
                    p.future().completeExceptionally(a.failure());
                }
            }
        }
    }

    /**
     * The flusher: writes the queued batches, and the batch being filled while no force is in flight (during a force
     * it waits for full batches, so what comes in meanwhile goes out in large writes and with the next force), then
     * tells the forcer how far the file is written. It never waits for a force: the copy into the file runs while the
     * disk writes what the force before took. The forcer writes in its place when a force returns with the flusher
     * idle ({@link #forceWritten}); one of them writes at a time ({@link #writing}).
     */
    private void writeBatches() {
        while (true) {
            List<Batch> batches;
            lock.lock();
            try {
                while (failure == null
                        && (writing || !closing && full.isEmpty() && (current.position() == 0 || forcing))) {
                    work.awaitUninterruptibly();
                    flusherWakeups++;
                }
                if (failure != null) {
                    return; // whoever failed took every batch left (failAll)
                }
                batches = takeBatches(!forcing || closing);
                if (batches == null) {
                    return; // closing, everything written
                }
            } finally {
                lock.unlock();
            }
            if (writeAndPublish(batches) != null) {
                return;
            }
        }
    }

    /**
     * Takes every queued batch, and the batch being filled when {@code withCurrent} and it holds anything, for the
     * caller to write ({@link #writeAndPublish}); null when there is nothing. Lock held, {@link #writing} false.
     */
    private List<Batch> takeBatches(boolean withCurrent) {
        if (current.position() > 0 && withCurrent) {
            sealCurrent();
        }
        if (full.isEmpty()) {
            return null;
        }
        List<Batch> batches = new ArrayList<>(full);
        full.clear();
        writing = true;
        progress.signalAll();
        return batches;
    }

    /**
     * Writes {@code batches} (taken by {@link #takeBatches}) and publishes how far the file is written, for the
     * forcer; returns the log's failure, or null. On a failure, every future not completed yet fails with it.
     */
    private IOException writeAndPublish(List<Batch> batches) {
        IOException err = null;
        int done = 0;
        try {
            for (Batch b : batches) {
                writeBatch(b);
                done++;
                release(b.bodies());
            }
        } catch (IOException e) {
            err = e;
        } finally {
            // bodies never written are not read any more either
            for (int i = done; i < batches.size(); i++) {
                release(batches.get(i).bodies());
            }
        }
        List<Pending> acks = new ArrayList<>();
        batches.forEach(b -> acks.addAll(b.acks()));
        long firstLsn = 0;
        long lastLsn = 0;
        for (Batch b : batches) {
            if (b.lastLsn() != 0) {
                firstLsn = firstLsn == 0 ? b.firstLsn() : firstLsn;
                lastLsn = b.lastLsn();
            }
        }
        Batch last = batches.get(batches.size() - 1);
        long lastEnd = last.start() + last.buffer().position() + last.bodyBytes();
        IOException failed;
        lock.lock();
        try {
            if (err != null && failure == null) {
                failure = err;
            }
            failed = failure;
            if (failed == null) {
                writtenPos = lastEnd;
                if (lastLsn != 0) {
                    writtenLsn = lastLsn;
                    if (unforcedFirstLsn == 0) {
                        unforcedFirstLsn = firstLsn;
                    }
                }
                unforcedAcks.addAll(acks);
                written.signalAll();
            }
            for (Batch b : batches) {
                // written: the bytes are the file's now. A batch grown for one large record is not kept; two
                // spare batches are
                if (b.buffer().capacity() <= options.batchBytes() && free.size() < 2) {
                    free.add(b.buffer().clear());
                }
            }
            writing = false;
            progress.signalAll();
            work.signalAll(); // the other writer may be waiting for this one
        } finally {
            lock.unlock();
        }
        if (failed != null) {
            if (!acks.isEmpty()) {
                toAcknowledge.add(new Acks(acks, failed));
            }
            failAll(failed);
        }
        return failed;
    }

    /**
     * The forcer: makes what the flusher has written durable, one {@link FileChannel#force} at a time, tells the flush
     * listener, publishes the new durable LSN and hands the acknowledgements to the acknowledger. A force starts only
     * once everything appended before the previous force returned is written (so a record appended while force
     * {@code k} is in flight is durable by force {@code k + 1}), and only when someone waits for what is written
     * ({@link #durabilityAwaited}), at least {@link #FORCE_BEHIND} bytes are written and not forced, or the log closes;
     * the flusher writes on meanwhile.
     */
    private void forceWritten() {
        while (true) {
            long pos;
            long lsn;
            long first;
            List<Pending> acks;
            lock.lock();
            try {
                while (true) {
                    if (failure != null) {
                        if (flusherDone) {
                            return;
                        }
                    } else if (writtenPos > durablePos) {
                        if (flusherDone
                                || (writtenPos >= forceFrom
                                        && (closing
                                                || durabilityAwaited()
                                                || writtenPos - durablePos >= FORCE_BEHIND))) {
                            break;
                        }
                    } else if (flusherDone) {
                        return;
                    }
                    written.awaitUninterruptibly();
                }
                pos = writtenPos;
                lsn = writtenLsn;
                first = unforcedFirstLsn;
                acks = unforcedAcks;
                unforcedFirstLsn = 0;
                unforcedAcks = new ArrayList<>();
                forcing = true;
                forceStarted = System.nanoTime();
                if (returnedWithWork != 0) {
                    idleWithWorkNanos += forceStarted - returnedWithWork;
                    forcesAfterWork++;
                }
            } finally {
                lock.unlock();
            }
            IOException err = null;
            try {
                force();
            } catch (IOException e) {
                err = e;
            }
            long forceReturned = System.nanoTime();
            List<Batch> mine = null;
            // told before the new durable LSN is published: whoever waits for it (a seal) comes after in the trace
            if (err == null && first != 0) {
                onFlushed.flushed(first, lsn);
            }
            lock.lock();
            try {
                flushes++;
                forcing = false;
                forceFrom = nextPos;
                forceNanos += forceReturned - forceStarted;
                // something appended is not covered by the force that returned: the next force is owed from now
                returnedWithWork = nextPos > pos ? forceReturned : 0;
                if (err != null) {
                    if (failure == null) {
                        failure = err;
                    }
                } else {
                    durablePos = pos;
                    durableLsn = Math.max(durableLsn, lsn);
                }
                if (err == null && failure == null && !writing) {
                    // the flusher is idle: this thread writes what was appended meanwhile itself and forces it next,
                    // rather than wake the flusher and wait for it to write (two hand-offs the disk idles through)
                    mine = takeBatches(true);
                }
                progress.signalAll();
                work.signalAll(); // the batch being filled may go now
            } finally {
                lock.unlock();
            }
            // the acknowledger completes the futures; this thread goes on to the next force at once
            if (!acks.isEmpty()) {
                toAcknowledge.add(new Acks(acks, err));
            }
            if (err != null) {
                failAll(err); // then waits for the flusher to stop
            } else if (mine != null) {
                writeAndPublish(mine); // a failure fails every future left; the loop then waits for the flusher
            }
        }
    }

    /**
     * Whether someone waits for what is written to be durable (lock held): a future of a written record, or an
     * {@link #awaitDurable} whose LSN is written and not durable yet. Bytes nobody waits for (the frames a checkpoint
     * streams before its end record) are not forced as they arrive, each time a force returns, but in runs of
     * {@link #FORCE_BEHIND} bytes: the disk writes them back beside the flusher's writes, and their end record's force
     * covers the rest.
     */
    private boolean durabilityAwaited() {
        if (!unforcedAcks.isEmpty()) {
            return true;
        }
        Long next = awaited.higherKey(durableLsn);
        return next != null && next <= writtenLsn;
    }

    /** Fails every future not handed over yet (queued, being filled, written and not forced) with {@code err}. */
    private void failAll(IOException err) {
        List<Pending> left;
        List<Body> unread = new ArrayList<>();
        lock.lock();
        try {
            left = new ArrayList<>(unforcedAcks);
            unforcedAcks = new ArrayList<>();
            full.forEach(b -> left.addAll(b.acks()));
            full.forEach(b -> unread.addAll(b.bodies()));
            full.clear();
            left.addAll(pending);
            pending = new ArrayList<>();
            unread.addAll(bodies);
            bodies = new ArrayList<>();
            progress.signalAll();
            work.signalAll();
            written.signalAll();
        } finally {
            lock.unlock();
        }
        release(unread);
        if (!left.isEmpty()) {
            toAcknowledge.add(new Acks(left, err));
        }
    }

    /** Tells the appenders of {@code done} that their bodies are not read any more. */
    private static void release(List<Body> done) {
        for (Body x : done) {
            x.bytes().position(x.from());
            if (x.released() != null) {
                x.released().run();
            }
        }
    }

    /**
     * Writes a batch at its log position: its buffer's bytes with each body in its place, taken from the body's own
     * memory (the log's view of it, which the write consumes), in gathering writes split only where the data area
     * wraps.
     */
    private void writeBatch(Batch batch) throws IOException {
        List<Body> bodies = batch.bodies();
        ByteBuffer inline = batch.buffer();
        ByteBuffer[] pieces = new ByteBuffer[2 * bodies.size() + 1];
        int k = 0;
        int from = 0;
        for (Body x : bodies) {
            if (x.at() > from) {
                pieces[k++] = inline.slice(from, x.at() - from);
            }
            pieces[k++] = x.bytes();
            from = x.at();
        }
        if (inline.position() > from) {
            pieces[k++] = inline.slice(from, inline.position() - from);
        }
        long start = batch.start();
        long phys = Math.floorMod(start, capacity);
        if (phys + inline.position() + batch.bodyBytes() <= capacity) {
            writeRun(pieces, 0, k, start); // the whole batch lies before the end of the data area
            return;
        }
        List<ByteBuffer> run = new ArrayList<>(k);
        long runStart = start;
        long p = start;
        for (int i = 0; i < k; i++) {
            ByteBuffer piece = pieces[i];
            while (piece.hasRemaining()) {
                long at = Math.floorMod(p, capacity);
                if (at == 0 && p != runStart) {
                    writeRun(run.toArray(new ByteBuffer[0]), 0, run.size(), runStart); // ends at the area's end
                    run.clear();
                    runStart = p;
                }
                int n = (int) Math.min(piece.remaining(), capacity - at);
                run.add(piece.slice(piece.position(), n));
                piece.position(piece.position() + n);
                p += n;
            }
        }
        writeRun(run.toArray(new ByteBuffer[0]), 0, run.size(), runStart);
    }

    /**
     * Writes {@code a[from, to)} (contiguous in the data area from log position {@code start}) with gathering writes.
     */
    private void writeRun(ByteBuffer[] a, int from, int to, long start) throws IOException {
        if (from == to) {
            return;
        }
        ch.position(LogFormat.DATA_OFFSET + Math.floorMod(start, capacity));
        int i = from;
        while (i < to) {
            ch.write(a, i, Math.min(to - i, 512));
            while (i < to && !a[i].hasRemaining()) {
                i++;
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        long p = at;
        while (b.hasRemaining()) {
            p += ch.write(b, p);
        }
    }

    /** Waits until every record up to {@code lsn} is durable. */
    public void awaitDurable(long lsn) throws InterruptedException, IOException {
        lock.lockInterruptibly();
        try {
            if (durableLsn >= lsn) {
                return;
            }
            awaited.merge(lsn, 1, Integer::sum);
            written.signalAll(); // the forcer forces what is written of it now
            try {
                while (durableLsn < lsn) {
                    if (failure != null) {
                        throw new IOException("log " + file + " failed", failure);
                    }
                    progress.await();
                }
            } finally {
                awaited.merge(lsn, -1, (a, b) -> a + b == 0 ? null : a + b);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Seals a checkpoint: once the log is durable up to {@code upToLsn} (the checkpoint's end record), switches the
     * superblock to the checkpoint whose begin record is {@code checkpointLsn} at {@code checkpointPos}, with the
     * tail moved to {@code newTailPos} (whose first record has {@code newTailLsn}). The space before the new tail
     * becomes free.
     */
    public void seal(long checkpointLsn, long checkpointPos, long newTailPos, long newTailLsn, long upToLsn)
            throws InterruptedException, IOException {
        seal(checkpointLsn, checkpointPos, newTailPos, newTailLsn, upToLsn, -1);
    }

    /**
     * As {@link #seal(long, long, long, long, long)}, where {@code upToLsn} is the checkpoint's end record and
     * {@code endPos} its position (-1: not named): the superblock names it, so that a recovery reads it first.
     */
    public void seal(
            long checkpointLsn, long checkpointPos, long newTailPos, long newTailLsn, long upToLsn, long endPos)
            throws InterruptedException, IOException {
        awaitDurable(upToLsn);
        lock.lock();
        try {
            if (newTailPos < tailPos || newTailPos > durablePos || checkpointPos < newTailPos) {
                throw new IllegalArgumentException("seal would move the tail from " + tailPos + " to " + newTailPos
                        + " (durable end " + durablePos + ", checkpoint at " + checkpointPos + ")");
            }
            this.checkpointLsn = checkpointLsn;
            this.checkpointPos = checkpointPos;
            this.checkpointEndLsn = endPos < 0 ? 0 : upToLsn;
            this.checkpointEndPos = endPos;
            this.tailPos = newTailPos;
            this.tailLsn = newTailLsn;
        } finally {
            lock.unlock();
        }
        writeSuperblock();
        recheckFull();
    }

    /**
     * Forces the file ({@link #forceLock}: one force at a time). A failure makes the log failed (the caller fails the
     * futures left); after a failure no force starts.
     */
    private void force() throws IOException {
        forceLock.lock();
        try {
            lock.lock();
            try {
                if (failure != null) {
                    throw new IOException("log " + file + " failed earlier", failure);
                }
            } finally {
                lock.unlock();
            }
            try {
                ch.force(false);
            } catch (IOException e) {
                lock.lock();
                try {
                    if (failure == null) {
                        failure = e;
                    }
                } finally {
                    lock.unlock();
                }
                throw e;
            }
        } finally {
            forceLock.unlock();
        }
    }

    /** Whether a thread waits to force the file while another forces it (tests). */
    boolean forceWaiting() {
        return forceLock.hasQueuedThreads();
    }

    /**
     * Writes the next superblock (the other slot, one generation up) and forces it. A failure makes the log failed, as
     * a failed force of the records does: the force may have taken a writeback error of records a later force would
     * not see.
     */
    private void writeSuperblock() throws IOException {
        synchronized (superblockLock) {
            Superblock sb;
            lock.lock();
            try {
                if (failure != null) {
                    throw new IOException("log " + file + " failed earlier", failure);
                }
                generation++;
                sb = new Superblock(
                        (int) ((generation - 1) % 2), // generation 1 is in A, 2 in B, 3 in A...
                        generation,
                        epoch,
                        tailPos,
                        tailLsn,
                        durablePos,
                        durableLsn,
                        checkpointLsn,
                        checkpointPos,
                        checkpointEndLsn,
                        checkpointEndPos);
            } finally {
                lock.unlock();
            }
            try {
                writeFully(ch, sb.encode(), Superblock.offset(sb.slot()));
                force();
            } catch (IOException e) {
                IOException failed;
                lock.lock();
                try {
                    if (failure == null) {
                        failure = e;
                    }
                    failed = failure;
                } finally {
                    lock.unlock();
                }
                failAll(failed);
                throw e;
            }
        }
    }

    public long durableLsn() {
        lock.lock();
        try {
            return durableLsn;
        } finally {
            lock.unlock();
        }
    }

    public long durablePos() {
        lock.lock();
        try {
            return durablePos;
        } finally {
            lock.unlock();
        }
    }

    /** The LSN the next append will take. */
    public long nextLsn() {
        lock.lock();
        try {
            return nextLsn;
        } finally {
            lock.unlock();
        }
    }

    /** The log position the next record will take (before any padding). */
    public long nextPos() {
        lock.lock();
        try {
            return nextPos;
        } finally {
            lock.unlock();
        }
    }

    public long tailPos() {
        lock.lock();
        try {
            return tailPos;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes between the tail and the end of what was appended: what recovery may still need. */
    public long usedBytes() {
        lock.lock();
        try {
            return nextPos - tailPos;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The forcer's timeline so far: nanoseconds spent in forces, nanoseconds from the return of a force that left
     * something appended not yet durable to the start of the next force (the disk idle while work waits: the write of
     * what was appended and the hand-offs between the threads), and how many forces such a gap preceded.
     */
    public record ForceTimeline(long forceNanos, long idleWithWorkNanos, long forcesAfterWork) {}

    public ForceTimeline forceTimeline() {
        lock.lock();
        try {
            return new ForceTimeline(forceNanos, idleWithWorkNanos, forcesAfterWork);
        } finally {
            lock.unlock();
        }
    }

    /** How many times the flusher was woken while waiting for something to write (tests). */
    long flusherWakeups() {
        lock.lock();
        try {
            return flusherWakeups;
        } finally {
            lock.unlock();
        }
    }

    /** How many forces the forcer issued: one per group commit. */
    public long flushes() {
        lock.lock();
        try {
            return flushes;
        } finally {
            lock.unlock();
        }
    }

    /** Flushes what was appended, then closes the file. */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            closing = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            flusher.join();
            forcer.join();
            if (Thread.currentThread() != acknowledger) {
                acknowledger.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ch.close();
    }
}
