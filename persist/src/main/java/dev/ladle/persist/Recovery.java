package dev.ladle.persist;

import dev.ladle.kernel.gen.persistence.Kinds;
import dev.ladle.persist.log.LogException;
import dev.ladle.persist.log.LogReader;
import dev.ladle.persist.log.LogRecord;
import dev.ladle.persist.log.LogSource;
import dev.ladle.persist.log.RecordType;
import dev.ladle.persist.log.ScanEnd;
import dev.ladle.persist.log.Superblock;
import dev.ladle.persist.model.DependencyOrder;
import dev.ladle.persist.model.KernelObject;
import dev.ladle.persist.model.ObjectRef;
import dev.ladle.persist.model.ObjectRefSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Supplier;

/**
 * Recovery after a crash: the newest valid superblock, its sealed checkpoint, its objects restored in dependency
 * order (Persistence.tla's {@code RestoreObject}, never before what an object depends on), the durable log after
 * the checkpoint replayed up to the first missing or torn record, every invariant checker run, then resume.
 *
 * <p>Lazy: frames are not read during recovery; each is paged in from its record on first touch, so the time to
 * the first instruction does not grow with memory; so are the deferred objects (page tables), each read on its first
 * use. Recovery only reads the log, so a crash during recovery is survived by recovering again. Keep the recovery
 * open while lazily restored frames and deferred objects may still be used.
 */
public final class Recovery implements AutoCloseable {
    /**
     * What a recovery did. {@code framesRestored} counts the frames the checkpoint holds, restored now (a full
     * recovery) or waiting for their first touch (a lazy one), the same either way; a frame the checkpoint does not
     * hold (in no object of its snapshot), though its index may cover it, is not counted, nor in {@code
     * objectsRestored}.
     */
    public record Result(
            long checkpointLsn,
            long resumedAt,
            int objectsRestored,
            int framesRestored,
            long recordsReplayed,
            ScanEnd end,
            String endDetail,
            long bytesScanned,
            long nanosToResume,
            List<String> violations) {}

    /** The system's state after recovery breaks an invariant: recovery refuses to resume. */
    public static final class RecoveryFailed extends Exception {
        public RecoveryFailed(String message) {
            super(message);
        }
    }

    private final LogReader reader;
    private final Persistent sys;
    private final ProtocolTrace trace;
    /** After a lazy recovery: where its checkpoint holds each frame's contents (null: not recovered lazily). */
    private volatile java.util.function.IntFunction<Records.FrameRef> frameRecords;
    /** After a lazy recovery through the end record's index: the runs its scan stepped over (empty otherwise). */
    private volatile List<LogReader.Skip> skipped = List.of();

    private Recovery(LogReader reader, Persistent sys, ProtocolTrace trace) {
        this.reader = reader;
        this.sys = sys;
        this.trace = trace;
    }

    public static Recovery open(Path file, Persistent sys, ProtocolTrace trace) throws LogException {
        return new Recovery(LogReader.open(file), sys, trace);
    }

    /** Recovers from the log in {@code source} ({@code name} in messages). */
    public static Recovery open(LogSource source, String name, Persistent sys, ProtocolTrace trace)
            throws LogException {
        return new Recovery(LogReader.open(source, name), sys, trace);
    }

    /** A record to replay: an operation, or a page delta's payload (copied out of the scan: the log is read once). */
    private record Pending(long lsn, int type, int epoch, Operation op, byte[] delta) {}

    /** Recovers into {@code sys}; with {@code lazy}, frames are paged in on first touch. */
    public Result run(boolean lazy) throws LogException, RecoveryFailed {
        long t0 = System.nanoTime();
        Superblock sb = reader.superblock();
        if (!sb.hasCheckpoint()) {
            throw new RecoveryFailed(reader.name() + ": the log holds no sealed checkpoint to recover from");
        }
        LogRecord beginRec = reader.readAt(sb.checkpointPos(), sb.checkpointLsn());
        if (beginRec == null || beginRec.type() != RecordType.CHECKPOINT_BEGIN) {
            throw new RecoveryFailed(reader.name() + ": the sealed checkpoint's begin record (LSN " + sb.checkpointLsn()
                    + " at position " + sb.checkpointPos() + ") is not intact");
        }
        Records.Begin begin = Records.begin(beginRec.payload());
        // a lazy recovery reads the end record the superblock names first: its index says where every frame lies,
        // so the scan steps over the frames' records (and the index's) and reads only the rest
        Records.End indexed = lazy ? indexedEnd(sb) : null;
        java.util.Set<Long> deferredLsns = new java.util.HashSet<>();
        if (indexed != null) {
            indexed.deferred().forEach(d -> deferredLsns.add(d.lsn()));
        }
        // the checkpoint's flat state first: a full restore then puts each frame in place as the scan meets it
        // (frames depend on nothing), so the log is read once
        sys.beginRestore(begin.machineState());
        // the frames put in place as the scan met them, by number: no object per frame (a full restore meets thousands)
        BitSet framesRestored = new BitSet();
        List<KernelObject> objects = new ArrayList<>();
        List<Records.FrameRef> frames = new ArrayList<>();
        List<Pending> replay = new ArrayList<>();
        boolean[] inCheckpoint = {true};
        boolean[] complete = {false};
        // the scan hands records over in place: a frame's contents are copied once, out of the read buffer, and the
        // other payloads only when they are decoded
        LogReader.ScanResult scan = reader.scanInPlace(
                sb.checkpointPos(),
                sb.checkpointLsn(),
                indexed == null ? List.of() : indexed.skips(),
                (lsn, type, position, epoch, buf, off, len) -> {
                    if (type == RecordType.PADDING || lsn == sb.checkpointLsn()) {
                        return;
                    }
                    switch (type) {
                        case RecordType.CHECKPOINT_OBJECT -> {
                            if (!inCheckpoint[0]) {
                                return;
                            }
                            if (indexed != null
                                    && (Records.frameRef(buf, off, len, lsn, position) != null
                                            || deferredLsns.contains(lsn))) {
                                // a frame or a deferred object not stepped over: the index or the end record says
                                // where it lies
                                return;
                            }
                            int at = lazy ? -1 : Records.frameContentsAt(buf, off, len);
                            if (at >= 0) {
                                // a full restore puts a frame with contents in place as the scan meets it (frames
                                // depend on nothing), copied straight out of the reader's buffer: the log is read once
                                int id = Records.objectId(buf, off);
                                sys.restoreFrame(id, buf, at);
                                framesRestored.set(id);
                                return;
                            }
                            // a frame read in place (a lazy restore copies nothing out of it: the frame is read again
                            // from its record on first touch)
                            Records.FrameRef ref = Records.frameRef(buf, off, len, lsn, position);
                            if (ref != null) {
                                frames.add(ref);
                            } else {
                                objects.add(Records.object(LogReader.copy(buf, off, len)));
                            }
                        }
                        case RecordType.CHECKPOINT_END -> {
                            // only the begin record's LSN (the first 8 bytes) is read here: an end record whose
                            // index does not add up (refused by indexedEnd) still ends the checkpoint it names
                            if (inCheckpoint[0] && len >= 8 && buf.getLong(off) == sb.checkpointLsn()) {
                                inCheckpoint[0] = false;
                                complete[0] = true;
                            }
                        }
                        case RecordType.CHECKPOINT_BEGIN -> inCheckpoint[0] = false;
                        case RecordType.OPERATION ->
                            replay.add(new Pending(
                                    lsn, type, epoch, Records.operation(LogReader.copy(buf, off, len)), null));
                        case RecordType.PAGE_DELTA ->
                            replay.add(new Pending(lsn, type, epoch, null, LogReader.copy(buf, off, len)));
                        default -> {}
                    }
                });
        if (!complete[0]) {
            throw new RecoveryFailed(reader.name() + ": the sealed checkpoint at LSN " + sb.checkpointLsn()
                    + " has no end record before the log ends (" + scan.end().description() + ")");
        }
        // the crash as the image shows it: whether the log ends torn, and the last intact LSN (the durable end)
        trace.step("Crash", !scan.end().clean(), scan.lastLsn());
        trace.step("LoadCheckpoint", sb.checkpointLsn());
        int early = framesRestored.cardinality();
        ObjectRefSet restored = new ObjectRefSet(framesRestored);
        if (trace != ProtocolTrace.NONE) {
            for (int id = framesRestored.nextSetBit(0); id >= 0; id = framesRestored.nextSetBit(id + 1)) {
                trace.step("RestoreObject", new ObjectRef(Kinds.FRAME, id));
            }
        }
        // in log order: the frames an incremental checkpoint refers to lie in earlier checkpoints, and read in order
        // each read-ahead window serves the frames after it instead of being read again for each (frames depend on
        // nothing, so their order among themselves is free)
        frames.sort(java.util.Comparator.comparingLong(Records.FrameRef::position));
        Records.FrameRef[] scanned = lazy ? new Records.FrameRef[sys.frames()] : null;
        for (Records.FrameRef f : frames) {
            Supplier<byte[]> contents;
            if (lazy || f.position() < 0) {
                // a frame of zeros is materialised on first touch even in a full restore: nothing to read
                contents = () -> {
                    try {
                        return frameContents(f);
                    } catch (LogException | RecoveryFailed e) {
                        throw new ObjectLost(e.getMessage(), e);
                    }
                };
            } else {
                byte[] c = frameContents(f);
                contents = () -> c;
            }
            sys.restoreFrame(f.frame(), contents, lazy || f.position() < 0);
            if (scanned != null && f.frame() >= 0 && f.frame() < scanned.length) {
                scanned[f.frame()] = f;
            }
            framesRestored.set(f.frame()); // in the restored set
            if (trace != ProtocolTrace.NONE) {
                trace.step("RestoreObject", new ObjectRef(Kinds.FRAME, f.frame()));
            }
        }
        if (scanned != null && indexed == null) {
            frameRecords = f -> f >= 0 && f < scanned.length ? scanned[f] : null;
        }
        int lazyFrames = 0;
        if (indexed != null) {
            // the frames the checkpoint holds, of those its index covers: its end record counts every object it
            // holds, and the scan read every one but the frames and the deferred objects (the end record lists
            // those; the index is not read for the count)
            int held = indexed.objects() - objects.size() - indexed.deferred().size();
            if (held < 0 || held > indexed.frames()) {
                throw new RecoveryFailed(reader.name() + ": the sealed checkpoint's end record (LSN " + sb.endLsn()
                        + ") counts " + indexed.objects() + " objects, but its records hold " + objects.size()
                        + " besides frames and " + indexed.deferred().size()
                        + " deferred objects, and its index covers "
                        + indexed.frames() + " frames");
            }
            IndexedFrames source = new IndexedFrames(indexed, held);
            frameRecords = source::ref;
            skipped = indexed.skips();
            // every frame the index covers counts as present for the order (frames depend on nothing); only those the
            // checkpoint holds are restore steps of the trace, which reads the whole index
            framesRestored.set(0, indexed.frames());
            try {
                if (trace != ProtocolTrace.NONE) {
                    for (int f = 0; f < indexed.frames(); f++) {
                        if (source.has(f)) {
                            trace.step("RestoreObject", new ObjectRef(Kinds.FRAME, f));
                        }
                    }
                }
                // a system that takes the frames one by one reads the index now: a damaged index record refuses
                // the recovery before it resumes, as a full recovery would
                sys.restoreFramesLazily(source);
            } catch (ObjectLost e) {
                throw failed(e);
            }
            lazyFrames = held;
            // the deferred objects (page tables: they depend on frames only) are present for the order as the frames
            // are, each read where the end record says it lies on its first use
            try {
                for (Records.ObjectAt d : indexed.deferred()) {
                    restored.add(d.ref());
                    trace.step("RestoreObject", d.ref());
                    sys.restoreObjectLazily(d.ref(), () -> deferredObject(d, indexed.frames()));
                }
            } catch (ObjectLost e) {
                throw failed(e);
            }
        }
        for (KernelObject o : DependencyOrder.order(objects, restored)) {
            sys.restoreObject(o);
            trace.step("RestoreObject", o.ref());
        }
        trace.step("StartReplay", sb.checkpointLsn());
        Replayer replayer = new Replayer(sys, sb.checkpointLsn());
        // the pages an operation's step wrote go before its record, and belong with it: page deltas are applied
        // when the operation after them is, and those the log ends behind (the operation's record never became
        // durable) are not, so a step is replayed whole or not at all. Nor are those an earlier writer left behind
        // when the log was reopened after them (a recovery resumed before them, and the reopened log's operations
        // follow them): they belong to no operation of the reopened log's writer, whose epoch is another.
        List<Pending> deltas = new ArrayList<>();
        long replayed = 0;
        List<String> violations;
        // a replayed operation may use what a lazy recovery left waiting (a page table, a frame): one that turns out
        // lost refuses the recovery before it resumes, as a full recovery refuses it
        try {
            for (Pending p : replay) {
                if (p.type() == RecordType.PAGE_DELTA) {
                    deltas.add(p);
                    continue;
                }
                for (Pending d : deltas) {
                    if (d.epoch() != p.epoch()) {
                        continue; // an earlier writer's, whose operation never became durable
                    }
                    replayer.pages(d.lsn(), d.delta());
                    trace.step("ReplayRecord", d.lsn());
                    replayed++;
                }
                deltas.clear();
                replayer.operation(p.lsn(), p.op());
                trace.step("ReplayRecord", p.lsn());
                replayed++;
            }
            violations = sys.checkInvariants();
        } catch (ObjectLost e) {
            throw failed(e);
        }
        if (!violations.isEmpty()) {
            throw new RecoveryFailed(reader.name() + ": recovered state breaks " + violations);
        }
        long resumedAt = deltas.isEmpty() ? scan.lastLsn() : deltas.get(0).lsn() - 1;
        // the recovered state is what the log holds (the checkpoint and the records replayed): no frame is written
        // since the last record, so the first page delta of a log continued from here carries only what is written
        // after this point, even while the checkpoint the continued log begins with is not sealed yet
        sys.dirtyPages().drainDirtySinceRecord();
        trace.step("Resume", resumedAt);
        int framesHeld = frames.size() + early + lazyFrames;
        return new Result(
                sb.checkpointLsn(),
                resumedAt,
                framesHeld
                        + objects.size()
                        + (indexed == null ? 0 : indexed.deferred().size()),
                framesHeld,
                replayed,
                scan.end(),
                scan.detail(),
                scan.bytes(),
                System.nanoTime() - t0,
                violations);
    }

    /**
     * After a lazy {@link #run}: where the checkpoint recovered from holds frame {@code frame}'s contents (the record
     * holding them, an earlier checkpoint's for a frame it referred to; position -1 for a frame of zeros); null when
     * it does not hold the frame, or the recovery was not lazy. Reads the part of the checkpoint's index that covers the
     * frame, once; throws {@link ObjectLost} when that index record is damaged. A checkpoint of the recovered system
     * made on the same log refers to this record for a frame that still waits for its first touch ({@link
     * Checkpointer#continueFrom}).
     */
    public Records.FrameRef frameRecord(int frame) {
        java.util.function.IntFunction<Records.FrameRef> r = frameRecords;
        return r == null ? null : r.apply(frame);
    }

    /**
     * After a lazy {@link #run} through the checkpoint's index: the runs of the checkpoint's frame, deferred object
     * and index records its scan stepped over unread (empty otherwise). The log reopened for writing steps over them
     * too ({@link dev.ladle.persist.log.TransactionLog#open(Path, dev.ladle.persist.log.TransactionLog.Options,
     * List)}), so reopening it does not read the memory back either.
     */
    public List<LogReader.Skip> skipped() {
        return skipped;
    }

    /** A lazily restored object lost during recovery: the recovery fails, naming the log once. */
    private RecoveryFailed failed(ObjectLost e) {
        String m = e.getMessage();
        return new RecoveryFailed(m.startsWith(reader.name() + ":") ? m : reader.name() + ": " + m);
    }

    /**
     * The sealed checkpoint's end record with its index, read where the superblock names it; null when it names
     * none, the record is not there intact, or it has no index: the scan then reads every record of the checkpoint
     * (and finds what is wrong, if anything).
     */
    private Records.End indexedEnd(Superblock sb) throws LogException {
        if (!sb.namesEnd()) {
            return null;
        }
        LogRecord r = reader.readAt(sb.endPos(), sb.endLsn());
        if (r == null || r.type() != RecordType.CHECKPOINT_END) {
            return null;
        }
        Records.End end;
        try {
            end = Records.end(r.payload());
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
            return null;
        }
        return end.indexed() && end.beginLsn() == sb.checkpointLsn() && end.frames() <= sys.frames() ? end : null;
    }

    /** A checkpoint's frames read through its index: each part of the index read once, when first needed. */
    private final class IndexedFrames implements Persistent.LazyFrames {
        private final Records.End end;
        private final int held;
        private final Records.FrameRef[][] parts;

        IndexedFrames(Records.End end, int held) {
            this.end = end;
            this.held = held;
            this.parts = new Records.FrameRef[end.index().size()][];
        }

        @Override
        public int count() {
            return end.frames();
        }

        @Override
        public int held() {
            return held;
        }

        @Override
        public boolean has(int frame) {
            return ref(frame) != null;
        }

        @Override
        public byte[] contents(int frame) {
            Records.FrameRef f = ref(frame);
            if (f == null) {
                return null;
            }
            try {
                return frameContents(f);
            } catch (LogException e) {
                throw new ObjectLost("frame " + frame + ": " + e.getMessage(), e);
            } catch (RecoveryFailed e) {
                throw new ObjectLost(e.getMessage(), e);
            }
        }

        private Records.FrameRef ref(int frame) {
            if (frame < 0 || frame >= end.frames()) {
                return null;
            }
            int k = frame / Records.INDEX_FRAMES;
            synchronized (reader) {
                if (parts[k] == null) {
                    Records.IndexPart part = end.index().get(k);
                    Records.FrameRef[] got = null;
                    try {
                        LogRecord r = reader.readAt(part.position(), part.lsn());
                        if (r != null && r.type() == RecordType.CHECKPOINT_INDEX) {
                            got = Records.index(r.payload(), part);
                        }
                    } catch (LogException e) {
                        throw new ObjectLost("frame " + frame + ", its index record: " + e.getMessage(), e);
                    }
                    if (got == null) {
                        throw new ObjectLost(
                                reader.name() + ": frame " + frame + ": the index record of frames "
                                        + part.firstFrame() + " to " + (part.firstFrame() + part.frames() - 1)
                                        + " (LSN " + part.lsn() + " at position " + part.position()
                                        + ") is not intact",
                                null);
                    }
                    parts[k] = got;
                }
                return parts[k][frame - end.index().get(k).firstFrame()];
            }
        }
    }

    /**
     * A lazily restored object (a frame, a deferred object such as a page table) could not be restored on its first
     * use: its record turned out damaged, or what it holds does not fit the system (a full restore reports the same as
     * {@link RecoveryFailed} before it resumes).
     */
    public static final class ObjectLost extends RuntimeException {
        public ObjectLost(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A deferred object read where the end record says it lies, on its first use; {@link ObjectLost} when its record
     * is not intact, holds another object, or depends on anything but the frames the index covers.
     */
    private KernelObject deferredObject(Records.ObjectAt at, int frames) {
        String where = reader.name() + ": " + at.ref() + ": its record (LSN " + at.lsn() + " at position "
                + at.position() + ")";
        KernelObject o;
        synchronized (reader) {
            LogRecord r;
            try {
                r = reader.readAt(at.position(), at.lsn());
            } catch (LogException e) {
                throw new ObjectLost(where + ": " + e.getMessage(), e);
            }
            if (r == null || r.type() != RecordType.CHECKPOINT_OBJECT) {
                throw new ObjectLost(where + " is not intact", null);
            }
            try {
                o = Records.object(r.payload());
            } catch (RuntimeException e) {
                throw new ObjectLost(where + " does not decode", e);
            }
        }
        if (!o.ref().equals(at.ref())) {
            throw new ObjectLost(where + " holds " + o.ref() + " instead", null);
        }
        for (ObjectRef d : o.deps()) {
            if (d.kind() != Kinds.FRAME || d.id() < 0 || d.id() >= frames) {
                throw new ObjectLost(where + " depends on " + d + ", not a frame of the checkpoint", null);
            }
        }
        return o;
    }

    private byte[] frameContents(Records.FrameRef f) throws LogException, RecoveryFailed {
        if (f.position() < 0) {
            return new byte[dev.ladle.kernel.hw.PhysicalMemory.PAGE_SIZE];
        }
        synchronized (reader) {
            LogRecord r = reader.readAt(f.position(), f.lsn());
            if (r == null || r.type() != RecordType.CHECKPOINT_OBJECT) {
                throw new RecoveryFailed(reader.name() + ": frame " + f.frame() + ": its record (LSN " + f.lsn()
                        + " at position " + f.position() + ") is not intact");
            }
            KernelObject o = Records.object(r.payload());
            if (o.ref().kind() != Kinds.FRAME || o.ref().id() != f.frame()) {
                throw new RecoveryFailed(reader.name() + ": frame " + f.frame() + ": the record at LSN " + f.lsn()
                        + " holds " + o.ref() + " instead");
            }
            byte[] c = o.payload();
            if (c.length != 0 && c.length != dev.ladle.kernel.hw.PhysicalMemory.PAGE_SIZE) {
                throw new RecoveryFailed(reader.name() + ": frame " + f.frame() + ": its record at LSN " + f.lsn()
                        + " holds " + c.length + " bytes, not a page");
            }
            return c.length == 0 ? new byte[dev.ladle.kernel.hw.PhysicalMemory.PAGE_SIZE] : c;
        }
    }

    /** Applies records in LSN order, each at most once: a record at or below the last applied LSN is skipped. */
    public static final class Replayer {
        private final Persistent sys;
        private long applied;

        public Replayer(Persistent sys, long appliedUpTo) {
            this.sys = sys;
            this.applied = appliedUpTo;
        }

        public boolean operation(long lsn, Operation op) {
            if (lsn <= applied) {
                return false;
            }
            sys.replay(op);
            applied = lsn;
            return true;
        }

        public boolean pages(long lsn, byte[] pageDelta) {
            if (lsn <= applied) {
                return false;
            }
            Records.pageDelta(pageDelta, (c, f) -> sys.replayPage(f, c));
            applied = lsn;
            return true;
        }

        public long applied() {
            return applied;
        }
    }

    @Override
    public void close() {
        reader.close();
    }
}
