package dev.ladle.persist;

import dev.ladle.kernel.gen.persistence.Kinds;
import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.persist.log.LogFormat;
import dev.ladle.persist.log.LogFullException;
import dev.ladle.persist.log.LogReader;
import dev.ladle.persist.log.RecordType;
import dev.ladle.persist.log.TransactionLog;
import dev.ladle.persist.mem.CopyOnWrite;
import dev.ladle.persist.mem.Monitors;
import dev.ladle.persist.model.DependencyOrder;
import dev.ladle.persist.model.KernelObject;
import dev.ladle.persist.model.KindDeps;
import dev.ladle.persist.model.ObjectRef;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Takes checkpoints on the fly. A short stop-the-world step (under the system's lock) copies the machine's flat
 * state and the object graph, write-protects the frames to be written and appends the begin record; the system
 * then runs on while this checkpointer (a thread outside the kernel core) streams the objects to the log in
 * dependency order, frames read through copy-on-write, and seals the checkpoint by the superblock switch once the
 * log is durable up to its end record.
 *
 * <p>Frames go to the log without a copy: the checkpointer maps each frame's snapshot contents
 * ({@link CopyOnWrite#mapSnapshot}: the frame's own memory, or its pre-image when it was written since the snapshot)
 * and appends the record with the mapped memory as its body; the log's flusher writes the body to the file from
 * there and only then does the checkpointer unmap the frame. While it is mapped the frame stays write-protected, so
 * a write meanwhile lands in a copy and the bytes logged are the snapshot's.
 *
 * <p>Incremental: a frame not dirtied since the last sealed checkpoint is not written again; the begin record
 * refers to its last record instead, and the tail stays behind the oldest record referred to. A frame whose record
 * is more than half the log behind is written again, so old checkpoints never pin the tail.
 */
public final class Checkpointer {
    /** What one checkpoint did. */
    public record Result(
            long beginLsn,
            boolean sealed,
            int objectsWritten,
            int framesWritten,
            int framesReferenced,
            int totalObjects,
            long bytes,
            long pauseNanos,
            long totalNanos,
            long framesCopiedOnWrite,
            int closureObjects) {}

    private final TransactionLog log;
    private final Persistent sys;
    private final ProtocolTrace trace;
    /** By frame: the record holding its contents as of the last sealed checkpoint (null: none). */
    private Records.FrameRef[] frameLoc = new Records.FrameRef[0];

    private final BitSet located = new BitSet();
    /**
     * Whether a checkpoint holds this checkpointer (from its stop-the-world step until it is sealed or failed), and
     * the thread doing its work (the one taking its snapshot, then the one streaming it). Taken only with the
     * system's lock held, in the stop-the-world step: a thread holding that lock that finds the checkpointer held
     * knows the holder's snapshot is taken and it is streaming, so the seal to come needs nothing from that thread.
     * Guarded by {@link #held}'s monitor.
     */
    private final Object held = new Object();

    private boolean busy;
    private volatile Thread worker;
    private boolean haveFull;
    private long sequence;
    private volatile java.util.function.LongConsumer onSnapshot = lsn -> {};
    private volatile java.util.function.BooleanSupplier somethingToCheckpoint = () -> true;
    /**
     * Where the checkpoint a lazy recovery restored the system from holds each frame's contents (null: the system was
     * not recovered lazily from this log, or no frame waits any more).
     */
    private java.util.function.IntFunction<Records.FrameRef> recoveredFrames;

    public Checkpointer(TransactionLog log, Persistent sys, ProtocolTrace trace) {
        this.log = log;
        this.sys = sys;
        this.trace = trace;
    }

    /**
     * The system was recovered lazily from this checkpointer's log, and {@code recordOf} says where the checkpoint it
     * was recovered from holds a frame's contents ({@link Recovery#frameRecord}). A whole-system checkpoint refers to
     * that record for every frame that still waits for its first touch when its snapshot is taken ({@link
     * Persistent#framesWaiting}: its contents are that record's), as an incremental checkpoint refers to a frame not
     * dirtied since: the first checkpoint after a recovery reads and writes only the frames touched since, not the
     * whole memory, and its seal keeps the log's tail behind the records it refers to, which the waiting frames are
     * still read from. A record more than half the log behind, or a frame of zeros, is written again (the frame paged
     * in first), as for an incremental checkpoint.
     */
    public void continueFrom(java.util.function.IntFunction<Records.FrameRef> recordOf) {
        this.recoveredFrames = recordOf;
    }

    /**
     * Called inside the stop-the-world step of a whole-system checkpoint, after the snapshot, with the LSN of its
     * begin record (the operation log hands over the acknowledgements this checkpoint will complete).
     */
    void onSnapshot(java.util.function.LongConsumer r) {
        this.onSnapshot = r;
    }

    /**
     * Whether there is anything for a checkpoint to write, asked once no other checkpoint runs (Persistence.tla's
     * {@code SomethingToCheckpoint}: something recorded since the sealed checkpoint's snapshot); when it says no,
     * {@link #begin}, {@link #tryStart} and {@link #beginClosure} begin nothing and return null. Without it (a
     * checkpointer on its own) a checkpoint always begins.
     */
    void onlyWhen(java.util.function.BooleanSupplier somethingToCheckpoint) {
        this.somethingToCheckpoint = somethingToCheckpoint;
    }

    /** A checkpoint of the whole system: incremental when a full one was sealed before by this checkpointer. */
    public Result checkpoint(boolean incremental) throws IOException, InterruptedException, LogFullException {
        Started st = begin(incremental);
        return st == null ? null : finish(st);
    }

    /**
     * The stop-the-world step of a whole-system checkpoint, waiting for one still streaming to finish first; null when
     * there is nothing to checkpoint ({@link #onlyWhen}). Hand the result to {@link #finish}.
     */
    public Started begin(boolean incremental) throws IOException, InterruptedException, LogFullException {
        while (true) {
            awaitFree();
            synchronized (sys.lock()) {
                if (tryHold()) {
                    return somethingNew() ? start(incremental && haveFull, null) : null;
                }
            }
            // another checkpoint began between the wait and the lock: wait for it in turn
        }
    }

    /**
     * Whether a checkpoint holds this checkpointer now. Asked with the system's lock held, true means one is streaming
     * (its snapshot is taken) and will be sealed, or fail, without that lock's holder doing anything.
     */
    public boolean busy() {
        synchronized (held) {
            return busy;
        }
    }

    /** Whether {@code t} is doing a checkpoint's work now: an append it makes is the checkpoint's own record. */
    public boolean working(Thread t) {
        return worker == t;
    }

    /** Waits until no checkpoint holds this checkpointer (without taking it). */
    public void awaitFree() throws InterruptedException {
        synchronized (held) {
            while (busy) {
                held.wait();
            }
        }
    }

    /** As {@link #awaitFree()}, at most {@code nanos}; whether it is free. */
    public boolean awaitFree(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        synchronized (held) {
            while (busy) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(held, left);
            }
            return true;
        }
    }

    /** Takes this checkpointer if it is free; the caller holds the system's lock. */
    private boolean tryHold() {
        synchronized (held) {
            if (busy) {
                return false;
            }
            busy = true;
        }
        worker = Thread.currentThread();
        return true;
    }

    private void release() {
        worker = null;
        synchronized (held) {
            busy = false;
            held.notifyAll();
        }
        onRelease.run();
    }

    private volatile Runnable onRelease = () -> {};

    /** Called once a checkpoint gives this checkpointer back, sealed or failed (on the thread that held it). */
    void onRelease(Runnable r) {
        this.onRelease = r;
    }

    /**
     * Holding this checkpointer: whether there is something to checkpoint; if not, releases it. Asked after the
     * previous checkpoint is sealed, and what it asks only becomes true meanwhile (records are added, and only a seal,
     * which needs this checkpointer, covers them), so the answer holds until the snapshot.
     */
    private boolean somethingNew() {
        if (somethingToCheckpoint.getAsBoolean()) {
            return true;
        }
        release();
        return false;
    }

    /**
     * The stop-the-world step of a checkpoint, for a caller at a safe point that holds the system's lock already
     * (the kernel, between operations); null when a checkpoint is still streaming or there is nothing to checkpoint. Hand the result to
     * {@link #finish} on the checkpointer's thread.
     */
    public Started tryStart(boolean incremental) throws IOException, InterruptedException, LogFullException {
        synchronized (sys.lock()) {
            if (!tryHold()) {
                return null;
            }
            return somethingNew() ? start(incremental && haveFull, null) : null;
        }
    }

    /**
     * A checkpoint of one process: {@code roots} (its threads, say) and the closure of what they depend on are
     * written in full, so the process can be restored from this checkpoint's records alone; the rest of the system
     * goes in as an incremental checkpoint does (frames not dirtied since the last sealed checkpoint by reference).
     * It is sealed like any checkpoint, and recovery starts from it. {@link Result#closureObjects()} is the size of
     * the closure.
     */
    public Result checkpointClosure(Collection<ObjectRef> roots)
            throws IOException, InterruptedException, LogFullException {
        Started st = beginClosure(roots);
        return st == null ? null : finish(st);
    }

    /** The stop-the-world step of {@link #checkpointClosure} (null: nothing to checkpoint). Hand it to {@link #finish}. */
    public Started beginClosure(Collection<ObjectRef> roots)
            throws IOException, InterruptedException, LogFullException {
        while (true) {
            awaitFree();
            synchronized (sys.lock()) {
                if (tryHold()) {
                    return somethingNew() ? start(haveFull, List.copyOf(roots)) : null;
                }
            }
        }
    }

    /** A checkpoint whose stop-the-world step is done and whose objects are still to be streamed. */
    public record Started(
            long t0,
            long pause,
            int[] state,
            BitSet toWrite,
            TransactionLog.Placed begin,
            Collection<ObjectRef> roots,
            Records.FrameRef[] referred) {}

    private static final ByteBuffer ZEROS =
            ByteBuffer.allocate(PhysicalMemory.PAGE_SIZE).asReadOnlyBuffer();

    private static boolean zero(ByteBuffer frame) {
        return frame.mismatch(ZEROS) < 0;
    }

    /**
     * The stop-the-world step of a full checkpoint exactly as {@link #checkpoint} takes it (copy the flat state,
     * write-protect every frame, append the begin record), after which the checkpoint is abandoned unsealed: what
     * a benchmark of the pause measures without streaming the whole memory. Returns the pause in nanoseconds.
     */
    public long stopTheWorldOnly() throws IOException, InterruptedException, LogFullException {
        while (true) {
            awaitFree();
            synchronized (sys.lock()) {
                if (tryHold()) {
                    try {
                        return pauseOnly();
                    } finally {
                        release();
                    }
                }
            }
        }
    }

    private long pauseOnly() throws IOException, InterruptedException, LogFullException {
        BitSet all = new BitSet();
        all.set(0, sys.frames());
        spareStateBuffer();
        long t0 = System.nanoTime();
        long pause;
        synchronized (sys.lock()) {
            sys.copyOnWrite().protect(all);
            appendBegin(++sequence, Records.FULL);
            pause = System.nanoTime() - t0;
        }
        sys.copyOnWrite().releaseAll();
        return pause;
    }

    /**
     * Direct memory the begin records' state words are copied into, given back by the log once it has written them
     * (at most two kept). Reused, so the stop-the-world step neither allocates nor touches fresh pages (a first touch
     * is a page fault, an allocation may start a collection: both made the pause vary between runs).
     */
    private final java.util.concurrent.ConcurrentLinkedDeque<ByteBuffer> spareState =
            new java.util.concurrent.ConcurrentLinkedDeque<>();

    private volatile int lastStateWords;

    /** Before the pause: makes sure a spare buffer holds the state as large as it was last time (allocated here). */
    private void spareStateBuffer() {
        int bytes = 4 * Math.max(lastStateWords, 1024);
        for (ByteBuffer b : spareState) {
            if (b.capacity() >= bytes) {
                return;
            }
        }
        spareState.push(ByteBuffer.allocateDirect(bytes + bytes / 8).order(java.nio.ByteOrder.LITTLE_ENDIAN));
    }

    /** A begin record appended inside the pause: the state copied straight into its body, which the log writes. */
    private record BeginAppended(TransactionLog.Placed appended, ByteBuffer words) {}

    private BeginAppended appendBegin(long seq, int flags) throws IOException, InterruptedException, LogFullException {
        int n = sys.stateWords();
        int[] copied = n < 0 ? sys.copyState() : null;
        if (copied != null) {
            n = copied.length;
        }
        ByteBuffer body = null;
        for (ByteBuffer b : spareState) {
            if (b.capacity() >= 4 * n && spareState.removeFirstOccurrence(b)) {
                body = b;
                break;
            }
        }
        if (body == null) {
            body = ByteBuffer.allocateDirect(4 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN); // the state grew
        }
        body.clear().limit(4 * n);
        if (copied != null) {
            body.asIntBuffer().put(copied);
        } else {
            sys.copyStateTo(body.asIntBuffer());
        }
        lastStateWords = n;
        ByteBuffer words = body;
        TransactionLog.Placed a;
        try {
            // covered: nobody waits for the begin record by itself (the seal waits for the end record), so it is
            // not forced alone before the frames
            a = log.appendCovered(RecordType.CHECKPOINT_BEGIN, Records.beginHead(seq, flags, n), body, () -> {
                if (spareState.size() < 2) {
                    spareState.push(words);
                }
            });
        } catch (IOException | InterruptedException | LogFullException | RuntimeException e) {
            spareState.push(words); // not appended: the log never reads it
            throw e;
        }
        return new BeginAppended(a, words);
    }

    private Started start(boolean incremental, Collection<ObjectRef> roots)
            throws IOException, InterruptedException, LogFullException {
        try {
            Started st = startHolding(incremental, roots);
            worker = null; // the snapshot is taken: the streaming thread (finish) does the rest
            return st;
        } catch (IOException | InterruptedException | LogFullException | RuntimeException e) {
            // the begin record was not appended: no snapshot was taken, so the frames protected for it are given
            // back (a write would copy a pre-image nobody reads, held until the next checkpoint), and the dirty bits
            // drained for it are lost: the next checkpoint writes every frame
            sys.copyOnWrite().releaseAll();
            haveFull = false;
            release();
            throw e;
        }
    }

    private Started startHolding(boolean incremental, Collection<ObjectRef> roots)
            throws IOException, InterruptedException, LogFullException {
        // frames whose last record is more than half the log behind are written again (outside the pause: only
        // this checkpointer writes frame records, so the set can only shrink meanwhile)
        BitSet old = new BitSet();
        long oldBefore = log.nextPos() - log.capacity() / 2;
        for (Records.FrameRef r : frameLoc) {
            if (r != null && r.position() < oldBefore) {
                old.set(r.frame());
            }
        }
        spareStateBuffer();
        // frames still waiting since a lazy recovery from this log, where the checkpoint recovered from holds them
        // (before the pause, which rechecks them: a frame stops waiting, never starts, so the set can only shrink; the
        // index is read here, by the first checkpoint after the recovery, which Persistence.start begins without the
        // system's lock; a later one, begun under it, finds the index read already)
        Records.FrameRef[] recovered = roots == null ? recoveredAt(oldBefore) : null;
        BitSet referable = new BitSet();
        for (int f = 0; recovered != null && f < recovered.length; f++) {
            if (recovered[f] != null) {
                referable.set(f);
            }
        }
        sys.beforeCheckpoint(referable); // the rest of what a lazy recovery left waiting is restored before the pause
        long t0 = System.nanoTime();
        BitSet toWrite;
        BeginAppended begun;
        TransactionLog.Placed begin;
        long pause;
        long seq = sequence + 1; // taken once the begin record is appended: a begin that fails leaves no gap
        synchronized (sys.lock()) {
            if (roots == null) {
                BitSet dirty = sys.dirtyPages().drainDirtySinceCheckpoint();
                if (incremental) {
                    toWrite = (BitSet) located.clone();
                    toWrite.flip(0, sys.frames());
                    toWrite.or(dirty);
                    toWrite.or(old);
                } else {
                    toWrite = new BitSet();
                    toWrite.set(0, sys.frames());
                }
                if (recovered != null) {
                    // those still waiting now hold the recovered checkpoint's contents: referred to, not written
                    BitSet still = sys.framesWaiting();
                    still.and(referable);
                    toWrite.andNot(still);
                    referable = still;
                }
                sys.copyOnWrite().protect(toWrite);
            } else {
                // which frames the closure holds is known once the graph is computed, after the pause: protect
                // every frame, write the closure's and those an incremental checkpoint writes
                BitSet dirty = sys.dirtyPages().drainDirtySinceCheckpoint();
                BitSet all = new BitSet();
                all.set(0, sys.frames());
                sys.copyOnWrite().protect(all);
                if (incremental) {
                    toWrite = (BitSet) located.clone();
                    toWrite.flip(0, sys.frames());
                    toWrite.or(dirty);
                    toWrite.or(old);
                } else {
                    toWrite = all;
                }
            }
            // the state copied once, into the begin record's body (written by the log from there)
            begun = appendBegin(seq, roots == null ? Records.FULL : Records.PARTIAL);
            sequence = seq;
            begin = begun.appended();
            // reported inside the stop-the-world step, so the trace puts it between the operations before the
            // snapshot and those after it
            trace.step("BeginCheckpoint", begin.lsn());
            onSnapshot.accept(begin.lsn());
            pause = System.nanoTime() - t0;
        }
        // the words as an array, read back from the body once the world runs again (nothing writes the body until the
        // log has written it; the next begin record waits for this checkpoint)
        int[] state = new int[begun.words().limit() / 4];
        ByteBuffer words = begun.words();
        for (int i = 0; i < state.length; i++) {
            state[i] = words.getInt(4 * i); // by index: the log's flusher may be moving the body's position now
        }
        for (int f = 0; recovered != null && f < recovered.length; f++) {
            if (!referable.get(f)) {
                recovered[f] = null; // paged in before the pause: written
            }
        }
        return new Started(t0, pause, state, toWrite, begin, roots, recovered);
    }

    /**
     * By frame, where the checkpoint of a lazy recovery holds the contents of each frame still waiting for its first
     * touch, for those a checkpoint may refer to (not a frame of zeros, not more than half the log behind, which is
     * written again); null when the system was not recovered lazily from this log or nothing waits any more.
     */
    private Records.FrameRef[] recoveredAt(long oldBefore) {
        java.util.function.IntFunction<Records.FrameRef> recordOf = recoveredFrames;
        if (recordOf == null) {
            return null;
        }
        BitSet waiting = sys.framesWaiting();
        if (waiting.isEmpty()) {
            recoveredFrames = null; // nothing will wait again
            return null;
        }
        Records.FrameRef[] at = new Records.FrameRef[sys.frames()];
        for (int f = waiting.nextSetBit(0); f >= 0 && f < at.length; f = waiting.nextSetBit(f + 1)) {
            Records.FrameRef r;
            try {
                r = recordOf.apply(f);
            } catch (Recovery.ObjectLost e) {
                r = null; // its index record is damaged: paged in before the pause, which reports it
            }
            if (r != null && r.frame() == f && r.position() >= 0 && r.position() >= oldBefore) {
                at[f] = r;
            }
        }
        return at;
    }

    /** Streams the objects of a started checkpoint in dependency order and seals it (the checkpointer's part). */
    public Result finish(Started st) throws IOException, InterruptedException, LogFullException {
        worker = Thread.currentThread();
        try {
            return stream(st);
        } finally {
            release();
        }
    }

    private Result stream(Started st) throws IOException, InterruptedException, LogFullException {
        long t0 = st.t0();
        long pause = st.pause();
        int[] state = st.state();
        BitSet toWrite = st.toWrite();
        TransactionLog.Placed begin = st.begin();
        Collection<ObjectRef> roots = st.roots();
        List<KernelObject> objects = sys.objects(state);
        int totalObjects = objects.size();
        Set<ObjectRef> closure = roots == null ? Set.of() : DependencyOrder.closure(objects, roots);
        long copiedBefore = sys.copyOnWrite().copiedFrames();
        CopyOnWrite cow = sys.copyOnWrite();
        InFlight inFlight = new InFlight();
        try {
            Records.FrameRef[] written = new Records.FrameRef[sys.frames()];
            List<Records.FrameRef> refs = new ArrayList<>();
            Runs runs = new Runs();
            List<Records.ObjectAt> deferred = new ArrayList<>();
            FrameWriter frameWriter = new FrameWriter(cow, inFlight, written, runs);
            // frames first, streamed while the rest of the graph is ordered (DependencyOrder.framesFirst)
            for (KernelObject o : DependencyOrder.framesFirst(objects, Set.of())) {
                KernelObject out = o;
                boolean isFrame = o.ref().kind() == Kinds.FRAME;
                int id = o.ref().id();
                Records.FrameRef ref = !isFrame || toWrite.get(id) || closure.contains(o.ref())
                        ? null
                        : st.referred() != null && st.referred()[id] != null
                                ? st.referred()[id] // still waiting since a lazy recovery: where it was recovered from
                                : id < frameLoc.length ? frameLoc[id] : null;
                if (isFrame && ref == null) {
                    // a frame with its contents: written with the frames next to it in the order, in groups
                    frameWriter.add(o);
                    continue;
                }
                frameWriter.flush(); // the frames before this object go first: the order is kept
                if (ref != null) {
                    out = new KernelObject(o.ref(), o.deps(), Records.reference(ref));
                    refs.add(ref);
                }
                byte[] payload = Records.object(out);
                TransactionLog.Placed placed =
                        log.appendCovered(RecordType.CHECKPOINT_OBJECT, ByteBuffer.wrap(payload), null, null);
                if (isFrame) {
                    runs.add(placed); // a reference: a lazy recovery finds it in the index
                } else if (KindDeps.deferred(o.ref().kind())) {
                    // a page table: a lazy recovery reads it on first use, where the end record says it lies
                    runs.add(placed);
                    deferred.add(new Records.ObjectAt(o.ref(), placed.lsn(), placed.position()));
                } else {
                    runs.close();
                }
                frameWriter.bytes += payload.length;
                if (ref != null) {
                    trace.step("WriteObject", o.ref(), "reference", ref.lsn());
                } else {
                    trace.step("WriteObject", o.ref());
                }
            }
            frameWriter.flush();
            runs.close();
            long bytes = frameWriter.bytes;
            int frames = frameWriter.frames;
            Records.FrameRef[] loc = written; // every frame written now, and those referred to
            for (Records.FrameRef r : refs) {
                if (loc[r.frame()] == null) {
                    loc[r.frame()] = r;
                }
            }
            Records.End endRecord = indexed(begin.lsn(), objects.size(), loc, runs, deferred);
            TransactionLog.Appended end = log.append(RecordType.CHECKPOINT_END, Records.end(endRecord));
            {
                long tailPos = begin.position();
                long tailLsn = begin.lsn();
                for (Records.FrameRef r : refs) {
                    if (r.position() < tailPos) {
                        tailPos = r.position();
                        tailLsn = r.lsn();
                    }
                }
                log.seal(begin.lsn(), begin.position(), tailPos, tailLsn, end.lsn(), end.position());
                frameLoc = loc;
                located.clear();
                for (int f = 0; f < loc.length; f++) {
                    if (loc[f] != null) {
                        located.set(f);
                    }
                }
                haveFull = true;
                trace.step("Seal", begin.lsn());
            }
            return new Result(
                    begin.lsn(),
                    true,
                    objects.size(),
                    frames,
                    refs.size(),
                    totalObjects,
                    bytes,
                    pause,
                    System.nanoTime() - t0,
                    sys.copyOnWrite().copiedFrames() - copiedBefore,
                    roots == null ? -1 : closure.size());
        } catch (IOException | InterruptedException | LogFullException | RuntimeException e) {
            // the dirty bits drained by this attempt are lost: the next checkpoint writes every frame
            haveFull = false;
            throw e;
        } finally {
            // a frame the log has not written yet is still read from where it lies: keep it mapped until then
            inFlight.awaitNone();
            sys.copyOnWrite().releaseAll();
        }
    }

    /**
     * Appends the index of a checkpoint's frames ({@code loc}: where each frame's contents lie) and returns the end
     * record that lists it, the runs of frame, deferred object and index records a lazy recovery steps over, and
     * where the deferred objects ({@code deferred}) lie. Without an index (a log too small for its records, or an end
     * record too large for the log) a lazy recovery reads every record of the checkpoint, as it did before the index.
     */
    private Records.End indexed(
            long beginLsn, int objects, Records.FrameRef[] loc, Runs runs, List<Records.ObjectAt> deferred)
            throws IOException, InterruptedException, LogFullException {
        int frames = loc.length;
        int parts = (frames + Records.INDEX_FRAMES - 1) / Records.INDEX_FRAMES;
        // the end record lists a run per index record at most besides the frames' runs
        long endBytes =
                28L + 32L * (runs.skips.size() + parts) + 24L * parts + (long) Records.DEFERRED_BYTES * deferred.size();
        if (LogFormat.recordSize(8 + 16 * Records.INDEX_FRAMES) > log.maxRecord() || endBytes > log.maxRecord() / 2) {
            return new Records.End(beginLsn, objects);
        }
        List<Records.IndexPart> index = new ArrayList<>(parts);
        for (int first = 0; first < frames; first += Records.INDEX_FRAMES) {
            int n = Math.min(Records.INDEX_FRAMES, frames - first);
            byte[] payload = Records.index(first, n, loc);
            TransactionLog.Placed p =
                    log.appendCovered(RecordType.CHECKPOINT_INDEX, ByteBuffer.wrap(payload), null, null);
            runs.add(p);
            index.add(new Records.IndexPart(p.lsn(), p.position(), first, n));
        }
        runs.close();
        return new Records.End(beginLsn, objects, frames, List.copyOf(runs.skips), index, List.copyOf(deferred));
    }

    /**
     * The runs of a checkpoint's own frame, deferred object and index records with consecutive LSNs (the records of operations
     * appended meanwhile fall between them): what a lazy recovery steps over ({@link LogReader.Skip}).
     */
    private static final class Runs {
        final List<LogReader.Skip> skips = new ArrayList<>();
        private long from;
        private long to;
        private long first;
        private long count;

        /** A frame's, a deferred object's or an index's record, appended at {@code p}. */
        void add(TransactionLog.Placed p) {
            long end = p.position() + p.size();
            if (count > 0 && p.lsn() == first + count) {
                to = end;
                count++;
                return;
            }
            close();
            from = p.position();
            to = end;
            first = p.lsn();
            count = 1;
        }

        /** Ends the current run (the next record of the checkpoint is read by a lazy recovery). */
        void close() {
            if (count > 0) {
                skips.add(new LogReader.Skip(from, to, first, count));
            }
            count = 0;
        }
    }

    /**
     * Writes the frames of a checkpoint that go with their contents, a group at a time ({@link
     * CopyOnWrite#snapshotGroup}): the group is mapped at once (one round of the copy-on-write lock), each frame is
     * appended with its mapped memory as the record's body and its head written into one buffer reused for every
     * frame (the log copies it), and the group is unmapped at once when the log has written the last of them.
     */
    private final class FrameWriter {
        private final CopyOnWrite cow;
        private final InFlight inFlight;
        private final Records.FrameRef[] written;
        private final Runs runs;
        private final int size;
        private final KernelObject[] group;
        private final ByteBuffer[] views;
        private ByteBuffer head = ByteBuffer.allocate(64);
        private int n;
        long bytes;
        int frames;

        FrameWriter(CopyOnWrite cow, InFlight inFlight, Records.FrameRef[] written, Runs runs) {
            this.runs = runs;
            this.cow = cow;
            this.inFlight = inFlight;
            this.written = written;
            this.size = Math.max(1, cow.snapshotGroup());
            this.group = new KernelObject[size];
            this.views = new ByteBuffer[size];
        }

        void add(KernelObject frame) throws IOException, InterruptedException, LogFullException {
            group[n++] = frame;
            if (n == size) {
                flush();
            }
        }

        /** Maps, appends and traces the frames added since the last flush, in the order they were added. */
        void flush() throws IOException, InterruptedException, LogFullException {
            if (n == 0) {
                return;
            }
            int count = n;
            n = 0;
            int[] ids = new int[count];
            for (int i = 0; i < count; i++) {
                ids[i] = group[i].ref().id();
            }
            inFlight.mapped(count);
            try {
                cow.mapSnapshots(ids, count, views);
            } catch (RuntimeException e) {
                inFlight.unmapped(count); // nothing of it reached the log; releaseAll drops what was mapped
                throw e;
            }
            Mapped mapped = new Mapped(cow, inFlight, ids, count);
            for (int i = 0; i < count; i++) {
                KernelObject o = group[i];
                ByteBuffer view = views[i];
                views[i] = null;
                group[i] = null;
                frames++;
                TransactionLog.Placed a;
                try {
                    if (zero(view)) {
                        // a frame of zeros (never written, or cleared) is recorded without its contents
                        byte[] payload = Records.object(new KernelObject(o.ref(), o.deps(), new byte[0]));
                        a = log.appendCovered(RecordType.CHECKPOINT_OBJECT, ByteBuffer.wrap(payload), null, null);
                        runs.add(a);
                        bytes += payload.length;
                        mapped.run(); // the log never reads the mapping
                    } else {
                        // the record's body is the mapped frame itself: unmapped once the log has written it
                        int h = Records.objectHeadBytes(o.deps().size());
                        if (head.capacity() < h) {
                            head = ByteBuffer.allocate(h);
                        }
                        Records.objectHead(head, o.ref(), o.deps(), view.remaining());
                        bytes += h + view.remaining();
                        a = log.appendCovered(RecordType.CHECKPOINT_OBJECT, head, view, mapped);
                        runs.add(a);
                    }
                } catch (IOException | InterruptedException | LogFullException | RuntimeException e) {
                    for (int k = i; k < count; k++) {
                        mapped.run(); // not appended: the log never reads them
                        views[k] = null;
                        group[k] = null;
                    }
                    throw e;
                }
                written[o.ref().id()] = new Records.FrameRef(o.ref().id(), a.lsn(), a.position());
                trace.step("WriteObject", o.ref());
            }
        }
    }

    /**
     * A group of mapped frames: run once per frame when the log has written it (or never will), and the last run
     * unmaps the whole group.
     */
    private static final class Mapped implements Runnable {
        private final CopyOnWrite cow;
        private final InFlight inFlight;
        private final int[] ids;
        private final int count;
        private int left;

        Mapped(CopyOnWrite cow, InFlight inFlight, int[] ids, int count) {
            this.cow = cow;
            this.inFlight = inFlight;
            this.ids = ids;
            this.count = count;
            this.left = count;
        }

        @Override
        public void run() {
            synchronized (this) {
                if (--left > 0) {
                    return;
                }
            }
            try {
                cow.unmapSnapshots(ids, count);
            } finally {
                inFlight.unmapped(count);
            }
        }
    }

    /** The frames a checkpoint has mapped and the log has not written yet. */
    private static final class InFlight {
        private int mapped;

        synchronized void mapped(int n) {
            mapped += n;
        }

        /** Called once {@code n} frames mapped are not read by the log any more and were unmapped. */
        synchronized void unmapped(int n) {
            mapped -= n;
            notifyAll();
        }

        synchronized void awaitNone() {
            Monitors.awaitUninterruptibly(this, () -> mapped <= 0);
        }
    }
}
