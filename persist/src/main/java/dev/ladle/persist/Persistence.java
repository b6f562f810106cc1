package dev.ladle.persist;

import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.persist.log.LogException;
import dev.ladle.persist.log.LogFullException;
import dev.ladle.persist.log.RecordType;
import dev.ladle.persist.log.TransactionLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
    private final ExecutorService background;
    private List<CompletableFuture<Long>> waitingForCheckpoint = new ArrayList<>();
    /**
     * Acknowledgements handed over to a snapshot, tagged with the LSN of its checkpoint's begin record: sealing that
     * checkpoint completes them, and those of earlier snapshots, never those of a later one (taken while it was
     * still streaming). Guarded by the system's lock.
     */
    private final java.util.TreeMap<Long, List<CompletableFuture<Long>>> handedOver = new java.util.TreeMap<>();

    private long sinceCheckpoint;
    /**
     * Operations recorded so far, those the snapshot of each checkpoint begun and not yet sealed covers (by the LSN of
     * its begin record), and those the last sealed checkpoint covers. Guarded by the system's lock.
     */
    private long operations;

    private final java.util.TreeMap<Long, Long> operationsAtSnapshot = new java.util.TreeMap<>();
    private long operationsSealed;
    /** Whether the first checkpoint (of a new log, the spec's {@code Init}; of a reopened one, its new base) is sealed. */
    private volatile boolean based;

    private Future<?> inFlight;
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
        this.background = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "checkpointer");
            t.setDaemon(true);
            return t;
        });
        checkpointer.onSnapshot(beginLsn -> {
            // in the stop-the-world step: operations so far are covered by this checkpoint
            handedOver.put(beginLsn, waitingForCheckpoint);
            waitingForCheckpoint = new ArrayList<>();
            operationsAtSnapshot.put(beginLsn, operations);
        });
        // Persistence.tla's BeginCheckpoint needs SomethingToCheckpoint (a record since the sealed checkpoint): a
        // checkpoint asked for with nothing recorded since the sealed one's snapshot (forced, by a full log, by
        // back-pressure) begins nothing. It would write what the sealed checkpoint holds, but for memory user code
        // wrote since the last operation, which no acknowledgement covers (an oplog records it with the next
        // operation's page delta). The first checkpoint is taken whatever: it is what the others build on.
        checkpointer.onlyWhen(() -> {
            synchronized (sys.lock()) {
                return !based || operations > operationsSealed;
            }
        });
        log.onFlushed((first, last) -> {
            for (long l = first; l <= last; l++) {
                trace.step("Flush", l);
            }
            trace.step("Ack", last);
        });
        log.onLogFull(this::requestCheckpoint);
    }

    /**
     * Starts persistence on {@code file}: a new log gets a full checkpoint of the system as it is (the boot image,
     * Persistence.tla's sealed checkpoint at LSN 0); an existing one (recovered first, with {@link Recovery}) is
     * reopened and gets a full checkpoint too, which later incremental ones build on.
     */
    public static Persistence start(
            Path file,
            TransactionLog.Options options,
            Persistent sys,
            Mode mode,
            int checkpointEvery,
            ProtocolTrace trace)
            throws IOException, LogException, InterruptedException, LogFullException {
        TransactionLog log =
                Files.exists(file) ? TransactionLog.open(file, options) : TransactionLog.create(file, options);
        Persistence p = new Persistence(log, sys, mode, checkpointEvery, trace);
        p.checkpointNow(false);
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
        boolean due = switch (mode) {
            case CHECKPOINT, HYBRID -> sinceCheckpoint >= checkpointEvery;
            case OPLOG -> log.usedBytes() > log.capacity() / 2;
        };
        if (due) {
            startPeriodicCheckpoint();
        }
        if (mode == Mode.CHECKPOINT) {
            ack = new CompletableFuture<>();
            waitingForCheckpoint.add(ack);
            trace.step(op.effect().action, op.object());
        } else {
            BitSet dirty = sys.dirtyPages().drainDirtySinceRecord();
            if (!dirty.isEmpty()) {
                int[] frames = dirty.stream().toArray();
                byte[][] contents = new byte[frames.length][];
                for (int i = 0; i < frames.length; i++) {
                    contents[i] = new byte[PhysicalMemory.PAGE_SIZE];
                    sys.readFrame(frames[i], contents[i]);
                }
                TransactionLog.Appended d = log.append(RecordType.PAGE_DELTA, Records.pageDelta(frames, contents));
                deltaLsn = d.lsn();
                for (int f : frames) {
                    trace.step(
                            "Update",
                            new dev.ladle.persist.model.ObjectRef(dev.ladle.kernel.gen.persistence.Kinds.FRAME, f),
                            d.lsn());
                }
            }
            TransactionLog.Appended a = log.append(RecordType.OPERATION, Records.operation(op));
            trace.step(op.effect().action, op.object(), a.lsn());
            ack = a.durable();
            lsn = a.lsn();
        }
        sinceCheckpoint++;
        operations++;
        return new Ack(deltaLsn, lsn, ack);
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

    /** Starts a checkpoint on the checkpointer thread unless one is running. */
    public synchronized void requestCheckpoint() {
        if (inFlight != null && !inFlight.isDone()) {
            return;
        }
        sinceCheckpoint = 0;
        requestPending = true;
        inFlight = background.submit(() -> {
            try {
                checkpointNow(true);
            } catch (Exception | Error e) {
                lastFailure = e;
                throw e;
            } finally {
                synchronized (this) {
                    requestPending = false;
                }
            }
            return null;
        });
    }

    /** A requested checkpoint is on the checkpointer thread, begun or not (guarded by this object's lock). */
    private boolean requestPending;

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
        synchronized (sys.lock()) {
            var upTo = operationsAtSnapshot.headMap(beginLsn, true);
            operationsSealed = Math.max(operationsSealed, upTo.getOrDefault(beginLsn, 0L));
            upTo.clear();
        }
        based = true;
        for (CompletableFuture<Long> f : takeHandedOver(beginLsn)) {
            f.complete(beginLsn);
        }
        return r;
    }

    /** The acknowledgements handed over to the snapshots up to the one of the checkpoint begun at {@code beginLsn}. */
    private List<CompletableFuture<Long>> takeHandedOver(long beginLsn) {
        synchronized (sys.lock()) {
            List<CompletableFuture<Long>> all = new ArrayList<>();
            var upTo = handedOver.headMap(beginLsn, true);
            upTo.values().forEach(all::addAll);
            upTo.clear();
            return all;
        }
    }

    /**
     * The periodic checkpoint, begun in {@link #operation} unless a requested checkpoint is on the checkpointer thread
     * (then the next operation tries again; one still acknowledging its seal does not hold the next snapshot back).
     * The snapshot is taken here, before the operation's records: a safe point under the caller's lock, where every
     * earlier operation has taken effect; the checkpointer streams it. Checked and submitted under this object's
     * lock, as {@link #requestCheckpoint} does: a periodic checkpoint begun while a request waited on the single
     * checkpointer thread would queue its streaming behind that request, which waits for it to end.
     */
    private synchronized void startPeriodicCheckpoint() throws IOException, InterruptedException, LogFullException {
        if (requestPending) {
            return;
        }
        Checkpointer.Started st = checkpointer.tryStart(true);
        if (st != null) {
            sinceCheckpoint = 0;
            inFlight = background.submit(() -> {
                finishAndAcknowledge(st);
                return null;
            });
        }
    }

    /** Whether a checkpoint is streaming on the checkpointer thread now (the system runs on meanwhile). */
    public synchronized boolean checkpointStreaming() {
        return inFlight != null && !inFlight.isDone();
    }

    /** Waits for a running background checkpoint. */
    public void awaitCheckpoint() throws Exception {
        Future<?> f;
        synchronized (this) {
            f = inFlight;
        }
        if (f != null) {
            f.get();
        }
    }

    @Override
    public void close() throws IOException {
        background.shutdown();
        try {
            background.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.close();
    }
}
