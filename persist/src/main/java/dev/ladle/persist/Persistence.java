package dev.ladle.persist;

import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.persist.log.LogException;
import dev.ladle.persist.log.LogFormat;
import dev.ladle.persist.log.LogFullException;
import dev.ladle.persist.log.RecordTooLargeException;
import dev.ladle.persist.log.RecordType;
import dev.ladle.persist.log.TransactionLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Makes a system durable in one of three modes, on one log:
 *
 * <ul>
 *   <li>{@link Mode#CHECKPOINT}: snapshots only; an operation is acknowledged when the first checkpoint taken
 *       after it is sealed.
 *   <li>{@link Mode#OPLOG}: every operation is appended before it takes effect (with the pages dirtied since the
 *       previous record as page deltas) and acknowledged when durable; checkpoints only when half the log is in
 *       use, to bound replay.
 *   <li>{@link Mode#HYBRID}: the operation log, plus an incremental checkpoint every {@code checkpointEvery}
 *       operations, so that recovery replays little.
 * </ul>
 *
 * The kernel calls {@link #operation} with its lock held, before the operation takes effect.
 */
public final class Persistence implements AutoCloseable {
    public enum Mode {
        CHECKPOINT,
        OPLOG,
        HYBRID
    }

    private final TransactionLog log;
    private final Persistent sys;
    private final Mode mode;
    private final ProtocolTrace trace;
    private final Checkpointer checkpointer;
    private final int checkpointEvery;
    /** Streams the checkpoints begun at a safe point (by an operation, or by {@link #requester}). */
    private final Thread streamer;
    /** Begins the checkpoints asked for ({@link #requestCheckpoint}, or due while another streamed). */
    private final Thread requester;

    private List<CompletableFuture<Long>> waitingForCheckpoint = new ArrayList<>();
    /**
     * Acknowledgements handed over to a snapshot, tagged with the LSN of its checkpoint's begin record: sealing that
     * checkpoint completes them, and those of earlier snapshots, never those of a later one (taken while it was
     * still streaming). Guarded by {@link #seals}.
     */
    private final java.util.TreeMap<Long, List<CompletableFuture<Long>>> handedOver = new java.util.TreeMap<>();

    /** Operations since the last snapshot. Guarded by the system's lock. */
    private long sinceCheckpoint;
    /**
     * Operations recorded so far (guarded by the system's lock), those the snapshot of each checkpoint begun and not
     * yet sealed covers (by the LSN of its begin record), and those the last sealed checkpoint covers (guarded by
     * {@link #seals}).
     */
    private long operations;

    /**
     * Guards what a seal updates: taken after the system's lock, never before it, so that the thread streaming a
     * checkpoint never waits for the system's lock (an append waiting for space under it waits for that seal).
     */
    private final Object seals = new Object();

    private final java.util.TreeMap<Long, Long> operationsAtSnapshot = new java.util.TreeMap<>();
    private long operationsSealed;
    /** Whether the first checkpoint (of a new log, the spec's {@code Init}; of a reopened one, its new base) is sealed. */
    private volatile boolean based;
    /** The LSN of the begin record of the last checkpoint sealed (0: none yet). Guarded by {@link #seals}. */
    private long sealedLsn;

    /**
     * The frames written before the last snapshot and carried by no page delta yet (taken off the operation records'
     * dirty set by that snapshot), and the LSN of its begin record. Guarded by the system's lock. Once that checkpoint,
     * or a later one, is sealed it holds them, and the next page delta leaves them out; until then the next page delta
     * carries them, since a recovery from an earlier checkpoint finds them only there.
     */
    private final BitSet beforeSnapshot = new BitSet();

    private long beforeSnapshotLsn;

    /**
     * Whether {@link #operation} is appending an operation's records (guarded by the system's lock): a safe point,
     * every earlier operation in effect and this one not yet, where the log-full listener may begin a checkpoint, as
     * the room check before the records does. Its snapshot, taken under the same hold of the lock as the page delta's
     * frames were read, holds them as the delta does; begun after the delta, a recovery from it replays the operation
     * alone, over the snapshot's frames.
     */
    private boolean recordingOperation;

    /*
     * The checkpointer's threads, guarded by this object's lock (taken after the system's, never before it). A
     * checkpoint begun under the system's lock is handed to the streamer ({@code toStream}); a checkpoint asked for
     * ({@code requested}), or a periodic one that came due while another streamed ({@code owed}: begun only if still
     * due then), is begun by the requester once none streams, unless a snapshot is taken first (which covers both).
     * {@code asks} counts the times either was set, so that the requester clears only what it saw. The streamer never waits for the system's lock before its checkpoint is sealed, so an append that
     * waits for space under that lock while a checkpoint streams is woken by its seal.
     */
    private Checkpointer.Started toStream;
    private boolean streaming;
    private boolean requested;
    private boolean owed;
    private long asks;
    private boolean beginning;
    private boolean closing;
    /** The failure of the last checkpoint the background threads took, null if it succeeded. */
    private Throwable backgroundFailure;

    private volatile Throwable lastFailure;

    /** The failure of the last background checkpoint that failed, or null. */
    public Throwable lastFailure() {
        return lastFailure;
    }

    private Persistence(TransactionLog log, Persistent sys, Mode mode, int checkpointEvery, ProtocolTrace trace) {
        this.log = log;
        this.sys = sys;
        this.mode = mode;
        this.trace = trace;
        this.checkpointEvery = checkpointEvery;
        this.checkpointer = new Checkpointer(log, sys, trace);
        checkpointer.onSnapshot(beginLsn -> {
            // in the stop-the-world step: operations so far are covered by this checkpoint, and so is a request
            synchronized (seals) {
                handedOver.put(beginLsn, waitingForCheckpoint);
                operationsAtSnapshot.put(beginLsn, operations);
            }
            waitingForCheckpoint = new ArrayList<>();
            sinceCheckpoint = 0;
            if (mode != Mode.CHECKPOINT) {
                // the frames written since the last record are in this snapshot: the first page delta after the
                // checkpoint's seal leaves them out (a recovery that replays it starts from this checkpoint or a
                // later one); a delta appended before the seal still carries them (carried)
                beforeSnapshot.or(sys.dirtyPages().drainDirtySinceRecord());
                beforeSnapshotLsn = beginLsn;
            }
            synchronized (this) {
                requested = false;
                owed = false;
            }
        });
        // a checkpoint that failed frees nothing: an append waiting for its seal asks again (and fails at once)
        checkpointer.onRelease(log::recheckFull);
        // Persistence.tla's BeginCheckpoint needs SomethingToCheckpoint (a record since the sealed checkpoint): a
        // checkpoint asked for with nothing recorded since the sealed one's snapshot (forced, by a full log, by
        // back-pressure) begins nothing. It would write what the sealed checkpoint holds, but for memory user code
        // wrote since the last operation, which no acknowledgement covers (an oplog records it with the next
        // operation's page delta). The first checkpoint is taken whatever: it is what the others build on.
        checkpointer.onlyWhen(() -> {
            synchronized (sys.lock()) {
                synchronized (seals) {
                    return !based || operations > operationsSealed;
                }
            }
        });
        log.onFlushed((first, last) -> {
            for (long l = first; l <= last; l++) {
                trace.step("Flush", l);
            }
            trace.step("Ack", last);
        });
        log.onLogFull(this::mayFreeSpace);
        this.streamer = new Thread(this::streamLoop, "checkpointer");
        this.requester = new Thread(this::requestLoop, "checkpoint-requests");
        streamer.setDaemon(true);
        requester.setDaemon(true);
        streamer.start();
        requester.start();
    }

    /**
     * The log-full listener: whether space may be freed while the append that found the log full waits. Not for a
     * checkpoint's own record (only its own seal would free space). An append made under the system's lock waits for
     * the checkpoint streaming, if one is; when none is, no other thread can begin one while that lock is held, so an
     * operation's records ({@link #recordingOperation}: a safe point, the operation not yet in effect) begin one here,
     * as {@link #operation}'s room check does before them, and wait for its seal. That check counts on the room it
     * saw, but a checkpoint streaming meanwhile appends its records into that room, and its seal may free less than
     * they took (the operations recorded while it streamed come after its begin record, and a frame it refers to by an
     * older record holds the tail back). Any other append under the lock, and an operation's with nothing recorded
     * since the sealed checkpoint's snapshot (Persistence.tla's {@code SomethingToCheckpoint}), fails at once with
     * {@link LogFullException}. An append made outside that lock asks for a checkpoint and waits for it.
     */
    private boolean mayFreeSpace() throws IOException, InterruptedException, LogFullException {
        if (checkpointer.working(Thread.currentThread())) {
            return false;
        }
        if (Thread.holdsLock(sys.lock())) {
            if (checkpointer.busy()) {
                return true; // held under the system's lock: one is streaming, and its seal frees space
            }
            return recordingOperation && beginToMakeRoom();
        }
        requestCheckpoint();
        return true;
    }

    /**
     * Starts persistence on {@code file}: a new log gets a full checkpoint of the system as it is (the boot image,
     * Persistence.tla's sealed checkpoint at LSN 0); an existing one (recovered first, with {@link Recovery}) is
     * reopened and gets a full checkpoint too, which later incremental ones build on. That checkpoint's snapshot
     * drains both dirty sets, and it is sealed before any operation is recorded: the first page delta carries the
     * frames written after it, not every frame (as after any checkpoint sealed before the delta is appended).
     */
    public static Persistence start(
            Path file,
            TransactionLog.Options options,
            Persistent sys,
            Mode mode,
            int checkpointEvery,
            ProtocolTrace trace)
            throws IOException, LogException, InterruptedException, LogFullException {
        return start(file, options, sys, mode, checkpointEvery, trace, null);
    }

    /**
     * As above, for a system that {@code recoveredFrom} recovered from {@code file} (null: none). The log's sealed
     * checkpoint and the records after it are what the system was recovered from, so the full checkpoint the log goes
     * on from is only begun here (its stop-the-world step) and streamed in the background, as a periodic one is:
     * operations may be recorded meanwhile, and a crash before its seal recovers from the checkpoint recovered from,
     * replaying the records before the reopening and those after it. When the recovery was lazy, the log is reopened
     * without reading the checkpoint's frames ({@link Recovery#skipped}), and every checkpoint refers to where the
     * recovered checkpoint holds the frames that still wait for their first touch ({@link Checkpointer#continueFrom}):
     * the first instruction after a lazy recovery waits neither for the memory to be read back nor for a checkpoint
     * of it to be written.
     */
    public static Persistence start(
            Path file,
            TransactionLog.Options options,
            Persistent sys,
            Mode mode,
            int checkpointEvery,
            ProtocolTrace trace,
            Recovery recoveredFrom)
            throws IOException, LogException, InterruptedException, LogFullException {
        TransactionLog log = !Files.exists(file)
                ? TransactionLog.create(file, options)
                : TransactionLog.open(file, options, recoveredFrom == null ? List.of() : recoveredFrom.skipped());
        Persistence p = new Persistence(log, sys, mode, checkpointEvery, trace);
        try {
            if (recoveredFrom != null) {
                p.checkpointer.continueFrom(recoveredFrom::frameRecord);
                Checkpointer.Started st = p.checkpointer.begin(false);
                synchronized (p) {
                    p.toStream = st; // the streamer seals it; the operations recorded meanwhile wait for nothing more
                    p.notifyAll();
                }
            } else {
                p.checkpointNow(false);
            }
        } catch (IOException | InterruptedException | LogFullException | RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    public TransactionLog log() {
        return log;
    }

    public Mode mode() {
        return mode;
    }

    public Checkpointer checkpointer() {
        return checkpointer;
    }

    /**
     * Records {@code op} before it takes effect (the caller holds the system's lock); returns its acknowledgement,
     * which completes when the operation is durable.
     */
    public Ack operation(Operation op) throws IOException, InterruptedException, LogFullException {
        CompletableFuture<Long> ack;
        long lsn = -1;
        long deltaLsn = -1;
        if (due()) {
            startPeriodicCheckpoint();
        }
        if (mode == Mode.CHECKPOINT) {
            ack = awaitNextSeal(op);
        } else {
            recordingOperation = true; // the records' appends may begin a checkpoint here (mayFreeSpace)
            try {
                BitSet dirty = sys.dirtyPages().drainDirtySinceRecord();
                BitSet carried = carried(dirty);
                int[] frames = carried.stream().toArray();
                boolean deltaLogged = frames.length == 0;
                byte[] record;
                try {
                    byte[] delta = null;
                    if (frames.length > 0) {
                        byte[][] contents = new byte[frames.length][];
                        for (int i = 0; i < frames.length; i++) {
                            contents[i] = new byte[PhysicalMemory.PAGE_SIZE];
                            sys.readFrame(frames[i], contents[i]);
                        }
                        delta = Records.pageDelta(frames, contents);
                    }
                    record = Records.operation(op);
                    // refused before anything is begun or appended: a checkpoint made room for nothing otherwise
                    refuseTooLarge(delta);
                    refuseTooLarge(record);
                    long need = (delta == null ? 0 : LogFormat.recordSize(delta.length))
                            + LogFormat.recordSize(record.length);
                    makeRoom(2 * need); // twice: each record may need as much again to pad to the end of the data area
                    if (delta != null) {
                        TransactionLog.Appended d = log.append(RecordType.PAGE_DELTA, delta);
                        deltaLogged = true;
                        beforeSnapshot.andNot(carried);
                        deltaLsn = d.lsn();
                        for (int f : frames) {
                            trace.step(
                                    "Update",
                                    new dev.ladle.persist.model.ObjectRef(
                                            dev.ladle.kernel.gen.persistence.Kinds.FRAME, f),
                                    d.lsn());
                        }
                    }
                } finally {
                    if (!deltaLogged) {
                        // nothing of them reached the log (too large, the log full or failed, interrupted): the next
                        // record carries them, or recovery would replay later records over the frames' older bytes
                        // (those written before the last snapshot stay in beforeSnapshot until a delta carries them)
                        sys.dirtyPages().remarkDirtySinceRecord(dirty);
                    }
                }
                TransactionLog.Appended a = log.append(RecordType.OPERATION, record);
                trace.step(op.effect().action, op.object(), a.lsn());
                ack = a.durable();
                lsn = a.lsn();
            } finally {
                recordingOperation = false;
            }
        }
        sinceCheckpoint++;
        operations++;
        return new Ack(deltaLsn, lsn, ack);
    }

    /**
     * Checkpoint mode only: records {@code op} after it took effect (the caller holds the system's lock, and has held
     * it since before the operation ran: no snapshot falls between the operation and this call), for a system that
     * knows what an operation was only once it ran (the x86 kernel's step: which thread the CPU ran, why it stopped).
     * The operation is handed over first and the periodic checkpoint, if due, begun after it: the snapshot holds the
     * operation's effects, so its seal acknowledges it. ({@link #operation} begins the checkpoint first, for an
     * operation yet to take effect, which that snapshot must not hold nor its seal acknowledge.) Persistence.tla's
     * operation step (the effect and the record at once) then comes before {@code BeginCheckpoint}, as it happened.
     */
    public Ack operationApplied(Operation op) throws IOException, InterruptedException, LogFullException {
        if (mode != Mode.CHECKPOINT) {
            throw new IllegalStateException("an operation applied before it is recorded is not write-ahead: the " + mode
                    + " mode records an operation before it takes effect (operation)");
        }
        CompletableFuture<Long> ack = awaitNextSeal(op);
        sinceCheckpoint++;
        operations++;
        if (due()) {
            startPeriodicCheckpoint();
        }
        return new Ack(-1, -1, ack);
    }

    /**
     * The frames the next page delta carries (the caller holds the system's lock): {@code dirty}, drained from the
     * operation records' dirty set, and those written before the last snapshot ({@link #beforeSnapshot}) while its
     * checkpoint is not sealed. A checkpoint that fails is never sealed: its frames go with the deltas after it.
     */
    private BitSet carried(BitSet dirty) {
        if (beforeSnapshot.isEmpty()) {
            return dirty;
        }
        boolean sealed;
        synchronized (seals) {
            sealed = sealedLsn >= beforeSnapshotLsn;
        }
        if (sealed) {
            beforeSnapshot.clear(); // the sealed checkpoint holds them
            return dirty;
        }
        BitSet all = (BitSet) dirty.clone();
        all.or(beforeSnapshot);
        return all;
    }

    /** Checkpoint mode: {@code op}'s acknowledgement, completed by the next checkpoint's seal; the step traced. */
    private CompletableFuture<Long> awaitNextSeal(Operation op) {
        CompletableFuture<Long> ack = new CompletableFuture<>();
        waitingForCheckpoint.add(ack);
        trace.step(op.effect().action, op.object());
        return ack;
    }

    /** Refuses a record the log could never take ({@link TransactionLog#maxRecord}); null is none. */
    private void refuseTooLarge(byte[] payload) {
        if (payload != null && LogFormat.recordSize(payload.length) > log.maxRecord()) {
            throw new RecordTooLargeException(payload.length, log.maxRecord());
        }
    }

    /** Whether the periodic checkpoint is due (the caller holds the system's lock). */
    private boolean due() {
        return switch (mode) {
            case CHECKPOINT, HYBRID -> sinceCheckpoint >= checkpointEvery;
            case OPLOG -> log.usedBytes() > log.capacity() / 2;
        };
    }

    /**
     * Back-pressure under the system's lock, at the safe point before an operation's records: while the log has less
     * than {@code bytes} of room for them, begins a checkpoint here (none can begin while the appends wait under the
     * lock) and waits for its seal, or for the one streaming. Returns when there is room, or when a checkpoint would
     * have nothing to write (the append then fails at once if the records do not fit). A checkpoint streaming that is
     * not sealed within the log's wait for space is {@link LogFullException}.
     */
    private void makeRoom(long bytes) throws IOException, InterruptedException, LogFullException {
        long fullWaitMillis = log.options().fullWaitMillis();
        while (log.room() < bytes) {
            if (checkpointer.busy()) {
                if (!checkpointer.awaitFree(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(fullWaitMillis))) {
                    throw new LogFullException("log " + log.file() + " is full: " + log.usedBytes() + " of "
                            + log.capacity() + " bytes are still needed by recovery, and the checkpoint streaming was "
                            + "not sealed within " + fullWaitMillis + " ms");
                }
                continue;
            }
            if (!beginToMakeRoom()) {
                return; // nothing recorded since the sealed checkpoint's snapshot: a checkpoint would free nothing
            }
        }
    }

    /**
     * Begins a checkpoint at an operation's safe point (the caller holds the system's lock, the operation is not yet
     * in effect, no checkpoint holds the checkpointer) and hands it to the streamer; false, and nothing begun, when
     * nothing was recorded since the sealed checkpoint's snapshot.
     */
    private boolean beginToMakeRoom() throws IOException, InterruptedException, LogFullException {
        Checkpointer.Started st = checkpointer.tryStart(true);
        if (st == null) {
            return false;
        }
        synchronized (this) {
            toStream = st;
            notifyAll();
        }
        return true;
    }

    /**
     * An operation's place in the log ({@code -1} in checkpoint mode, where operations are not logged), that of the
     * page delta before it ({@code -1}: none), and its acknowledgement, completed when it is durable.
     */
    public record Ack(long deltaLsn, long lsn, CompletableFuture<Long> durable) {}

    /**
     * Back-pressure, called by the kernel before it takes its lock for an operation: when three quarters of the
     * log's space for operations is in use, waits for a checkpoint to free some. (Waiting inside the lock instead
     * would keep the checkpoint's stop-the-world step from ever running.)
     */
    public void admit() throws Exception {
        long limit = (log.capacity() - log.reserve()) / 4 * 3;
        while (log.usedBytes() > limit) {
            long before = log.usedBytes();
            requestCheckpoint();
            awaitCheckpoint();
            if (log.usedBytes() >= before) {
                return; // nothing more to free now: the append itself waits or fails
            }
        }
    }

    /**
     * Asks for a checkpoint, begun on the checkpointer's thread (which takes the system's lock for its stop-the-world
     * step) and streamed there, unless one is under way or asked for already (it covers the request).
     */
    public void requestCheckpoint() {
        synchronized (this) {
            if (closing || requested || toStream != null || streaming || checkpointer.busy()) {
                return;
            }
            requested = true;
            asks++;
            notifyAll();
        }
    }

    /**
     * Takes a checkpoint on the calling thread, and acknowledges what it covers (checkpoint mode); null, and nothing
     * begun, when no operation was recorded since the snapshot of the last sealed checkpoint.
     */
    public Checkpointer.Result checkpointNow(boolean incremental)
            throws IOException, InterruptedException, LogFullException {
        Checkpointer.Started st = checkpointer.begin(incremental);
        return st == null ? null : finishAndAcknowledge(st);
    }

    /**
     * A per-process checkpoint on the calling thread ({@link Checkpointer#checkpointClosure}): the closure of
     * {@code roots} written in full, sealed, and acknowledging what its snapshot covers as any checkpoint does.
     */
    public Checkpointer.Result checkpointProcess(java.util.Collection<dev.ladle.persist.model.ObjectRef> roots)
            throws IOException, InterruptedException, LogFullException {
        Checkpointer.Started st = checkpointer.beginClosure(roots);
        return st == null ? null : finishAndAcknowledge(st);
    }

    /**
     * Streams a started checkpoint and, once it is sealed, completes the acknowledgements handed over to its snapshot
     * (and to earlier ones); if it fails, those of its own snapshot fail with it.
     */
    private Checkpointer.Result finishAndAcknowledge(Checkpointer.Started st)
            throws IOException, InterruptedException, LogFullException {
        long beginLsn = st.begin().lsn();
        Checkpointer.Result r;
        try {
            r = checkpointer.finish(st);
        } catch (IOException | InterruptedException | LogFullException | RuntimeException | Error e) {
            lastFailure = e;
            takeHandedOver(beginLsn).forEach(f -> f.completeExceptionally(e));
            throw e;
        }
        synchronized (seals) {
            var upTo = operationsAtSnapshot.headMap(beginLsn, true);
            operationsSealed = Math.max(operationsSealed, upTo.getOrDefault(beginLsn, 0L));
            upTo.clear();
            sealedLsn = Math.max(sealedLsn, beginLsn);
        }
        based = true;
        for (CompletableFuture<Long> f : takeHandedOver(beginLsn)) {
            f.complete(beginLsn);
        }
        return r;
    }

    /** The acknowledgements handed over to the snapshots up to the one of the checkpoint begun at {@code beginLsn}. */
    private List<CompletableFuture<Long>> takeHandedOver(long beginLsn) {
        synchronized (seals) {
            List<CompletableFuture<Long>> all = new ArrayList<>();
            var upTo = handedOver.headMap(beginLsn, true);
            upTo.values().forEach(all::addAll);
            upTo.clear();
            return all;
        }
    }

    /**
     * The periodic checkpoint, begun in {@link #operation} (the caller holds the system's lock): the snapshot is taken
     * here, before the operation's records, a safe point where every earlier operation has taken effect; the
     * checkpointer's thread streams it. When one is still streaming, the checkpoint due is asked for instead: it
     * begins as soon as that one ends (by the next operation, or by the checkpointer's thread if none comes), so a
     * workload that stops issuing operations still gets it.
     */
    private void startPeriodicCheckpoint() throws IOException, InterruptedException, LogFullException {
        Checkpointer.Started st = checkpointer.tryStart(true);
        synchronized (this) {
            if (st != null) {
                toStream = st;
                notifyAll();
            } else if (checkpointer.busy()) {
                owed = true;
                asks++;
                notifyAll();
            }
        }
    }

    /** The streamer: streams and seals each checkpoint begun at a safe point, then acknowledges what it covers. */
    private void streamLoop() {
        while (true) {
            Checkpointer.Started st;
            synchronized (this) {
                while (toStream == null && !(closing && !requested && !owed && !beginning)) {
                    waitHere();
                }
                if (toStream == null) {
                    return;
                }
                st = toStream;
                toStream = null;
                streaming = true;
            }
            Throwable failed = null;
            try {
                finishAndAcknowledge(st);
            } catch (Exception | Error e) {
                failed = e;
            }
            synchronized (this) {
                streaming = false;
                backgroundFailure = failed;
                notifyAll();
            }
        }
    }

    /**
     * The requester: begins each checkpoint asked for once none streams (a checkpoint streaming when it was asked for
     * is not it), under the system's lock, unless a snapshot was taken since (it covers the request); hands it to the
     * streamer. It never holds the checkpointer while it waits for the system's lock.
     */
    private void requestLoop() {
        while (true) {
            synchronized (this) {
                while (!requested && !owed && !closing) {
                    waitHere();
                }
                if (!requested && !owed) {
                    notifyAll();
                    return;
                }
                beginning = true;
            }
            Throwable failed = null;
            boolean begun = false;
            long seen = -1;
            try {
                checkpointer.awaitFree();
                synchronized (sys.lock()) {
                    boolean still;
                    synchronized (this) {
                        // a periodic checkpoint owed is begun only if still due: in oplog mode the one that streamed
                        // may have freed what made it due
                        still = requested || (owed && due());
                        seen = asks;
                    }
                    // null: nothing to checkpoint (the request is void)
                    Checkpointer.Started st = still ? checkpointer.tryStart(true) : null;
                    if (st != null) {
                        begun = true;
                        synchronized (this) {
                            toStream = st;
                        }
                    }
                }
            } catch (Exception | Error e) {
                lastFailure = e;
                failed = e;
            }
            synchronized (this) {
                if (!begun && seen == asks) {
                    // void, no longer due or failed (a snapshot clears them otherwise); one asked for since is new
                    requested = false;
                    owed = false;
                }
                beginning = false;
                if (failed != null) {
                    backgroundFailure = failed;
                }
                notifyAll();
            }
        }
    }

    /** Waits on this object's monitor; an interrupt only wakes it (these threads end by {@link #close}). */
    private void waitHere() {
        try {
            wait();
        } catch (InterruptedException e) {
            // the loops re-check their condition; they end when closed
        }
    }

    /** Whether a checkpoint is streaming on the checkpointer thread now (the system runs on meanwhile). */
    public synchronized boolean checkpointStreaming() {
        return toStream != null || streaming;
    }

    /**
     * Waits until the checkpointer's threads have nothing left to do: no checkpoint streaming, none asked for that has
     * not begun (a periodic one due while another streamed included). Throws the failure of the last one they took,
     * if it failed. Called without the system's lock (a checkpoint asked for begins under it).
     */
    public void awaitCheckpoint() throws Exception {
        synchronized (this) {
            while (toStream != null || streaming || requested || owed || beginning) {
                wait();
            }
            if (backgroundFailure != null) {
                throw new ExecutionException(backgroundFailure);
            }
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            closing = true;
            notifyAll();
        }
        try {
            requester.join(60_000);
            streamer.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.close();
    }
}
