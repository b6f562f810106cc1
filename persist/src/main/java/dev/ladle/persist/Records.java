package dev.ladle.persist;

import dev.ladle.kernel.gen.persistence.Kinds;
import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.persist.log.LogReader.Skip;
import dev.ladle.persist.model.KernelObject;
import dev.ladle.persist.model.ObjectRef;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The payloads of the persistence records (little-endian).
 *
 * <pre>
 * checkpoint-begin   8 sequence, 1 flags (1 full, 2 one process's closure), 4 n, n x 4 machine state words
 * checkpoint-object  1 kind, 4 id, 2 d, d x (1 kind, 4 id) dependencies, 4 len, len bytes: a frame's 4096
 *                    bytes; none for a frame of zeros; or, for a frame not dirtied since the last checkpoint,
 *                    16 bytes: the LSN and position of the earlier record holding its contents (a reference)
 * checkpoint-index   4 first frame f, 4 n, n x (8 LSN, 8 position): where the contents of frames f .. f + n - 1
 *                    lie as of this checkpoint (position -1: a frame of zeros; LSN 0: not in the checkpoint)
 * checkpoint-end     8 LSN of the begin record, 4 objects (every object the checkpoint holds, frames written or
 *                    referred to included: a lazy recovery counts the frames it holds from it); then, for a lazy
 *                    recovery to start without reading the frames (absent in an end record of 12 bytes): 4 frames,
 *                    4 s, s x (8 from position, 8 to position, 8 first LSN, 8 count): the runs of this checkpoint's
 *                    frame, deferred object and index records, 4 i, i x (8 LSN, 8 position, 4 first frame,
 *                    4 frames): its index records, 4 o, o x (1 kind, 4 id, 8 LSN, 8 position): its deferred objects'
 *                    records (those whose kind depends on frames only, as a page table does), which a lazy recovery
 *                    reads on first use
 * operation          4 code, 1 effect, 1 kind, 4 id, 4 thread, 4 result, 1 a, a x 4 args, 1 r, r x 4 registers
 * page-delta         4 n, n x (4 frame, 4096 bytes)
 * </pre>
 */
public final class Records {
    private Records() {}

    public static final int FULL = 1;
    public static final int PARTIAL = 2;

    /** A frame found in an earlier record of the log. */
    public record FrameRef(int frame, long lsn, long position) {}

    public record Begin(long sequence, int flags, int[] machineState) {}

    /**
     * A checkpoint's end. {@code frames} is the number of frames its index covers, -1 when it has no index (a lazy
     * recovery then reads every record of the checkpoint); {@code skips} are the runs of its own frame, deferred
     * object and index records, which a lazy recovery steps over; {@code index} its index records, read on a frame's
     * first touch; {@code deferred} where its deferred objects lie, each read on its first use.
     */
    public record End(
            long beginLsn, int objects, int frames, List<Skip> skips, List<IndexPart> index, List<ObjectAt> deferred) {
        /** An end without an index. */
        public End(long beginLsn, int objects) {
            this(beginLsn, objects, -1, List.of(), List.of(), List.of());
        }

        public boolean indexed() {
            return frames >= 0;
        }
    }

    /** An index record of a checkpoint: where it lies and the frames {@code [firstFrame, firstFrame + frames)}. */
    public record IndexPart(long lsn, long position, int firstFrame, int frames) {}

    /**
     * Where the record of a checkpoint's deferred object lies: an object whose kind depends on frames only ({@link
     * dev.ladle.persist.model.KindDeps#deferred}, a page table), which a lazy recovery restores on its first use, as
     * it does a frame, instead of reading it before the first instruction.
     */
    public record ObjectAt(ObjectRef ref, long lsn, long position) {}

    /** Frames an index record covers at most (16 KiB of entries). */
    public static final int INDEX_FRAMES = 1024;

    /** The payload of an index record: where frames {@code first .. first + n - 1} of {@code loc} lie. */
    public static byte[] index(int first, int n, FrameRef[] loc) {
        ByteBuffer x = buf(8 + 16 * n);
        x.putInt(first).putInt(n);
        for (int f = first; f < first + n; f++) {
            FrameRef r = f < loc.length ? loc[f] : null;
            x.putLong(r == null ? 0 : r.lsn()).putLong(r == null ? 0 : r.position());
        }
        return x.array();
    }

    /**
     * The frames an index record covers, each where its contents lie (null: not in the checkpoint); null when the
     * payload is not an index of {@code part}'s frames.
     */
    public static FrameRef[] index(byte[] p, IndexPart part) {
        if (p.length < 8) {
            return null;
        }
        ByteBuffer x = wrap(p);
        int first = x.getInt();
        int n = x.getInt();
        if (first != part.firstFrame() || n != part.frames() || p.length != 8 + 16L * n) {
            return null;
        }
        FrameRef[] out = new FrameRef[n];
        for (int i = 0; i < n; i++) {
            long lsn = x.getLong();
            long pos = x.getLong();
            out[i] = lsn == 0 ? null : new FrameRef(first + i, lsn, pos);
        }
        return out;
    }

    private static ByteBuffer buf(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer wrap(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static byte[] begin(Begin b) {
        ByteBuffer x = buf(8 + 1 + 4 + 4 * b.machineState().length);
        x.putLong(b.sequence()).put((byte) b.flags()).putInt(b.machineState().length);
        x.asIntBuffer().put(b.machineState());
        return x.array();
    }

    /**
     * The bytes of a begin record before its machine state words (sequence, flags, the number of words): with the
     * words right after them (little-endian), the record {@link #begin(Begin)} encodes. A checkpoint copies the state
     * straight into the memory that follows, so the log writes the words from where they were copied.
     */
    public static ByteBuffer beginHead(long sequence, int flags, int words) {
        return buf(8 + 1 + 4).putLong(sequence).put((byte) flags).putInt(words).flip();
    }

    public static Begin begin(byte[] p) {
        ByteBuffer x = wrap(p);
        long seq = x.getLong();
        int flags = x.get();
        int[] state = new int[x.getInt()];
        x.asIntBuffer().get(state);
        return new Begin(seq, flags, state);
    }

    public static byte[] object(KernelObject o) {
        ByteBuffer x = objectHead(o.ref(), o.deps(), o.payload().length, o.payload().length);
        x.put(o.payload());
        return x.array();
    }

    /**
     * The bytes of an object record before its payload of {@code payloadLength} bytes (kind, id, dependencies,
     * length): with the payload right after them, the record {@link #object(KernelObject)} encodes. A frame's record
     * is this head followed by the frame's memory as it is, so the log can write the frame from where it lies.
     */
    public static ByteBuffer objectHead(ObjectRef ref, List<ObjectRef> deps, int payloadLength) {
        return objectHead(ref, deps, payloadLength, 0).flip();
    }

    /**
     * As {@link #objectHead(ObjectRef, List, int)}, written into {@code into} from its start (which must have room for
     * it) and returned flipped: one buffer serves a whole checkpoint's frames (the log copies a head when it appends).
     */
    public static ByteBuffer objectHead(ByteBuffer into, ObjectRef ref, List<ObjectRef> deps, int payloadLength) {
        ByteBuffer x = into.clear().order(ByteOrder.LITTLE_ENDIAN);
        x.put((byte) ref.kind().ordinal()).putInt(ref.id()).putShort(depCount(ref, deps.size()));
        for (int i = 0; i < deps.size(); i++) {
            ObjectRef d = deps.get(i);
            x.put((byte) d.kind().ordinal()).putInt(d.id());
        }
        x.putInt(payloadLength);
        return x.flip();
    }

    /** Bytes of an object record's head (before its payload) with {@code deps} dependencies. */
    /**
     * The most dependencies an object record holds: its count is an unsigned 16-bit field. A page table maps at most
     * this many pages.
     */
    public static final int MAX_DEPS = 0xffff;

    /** The dependency count of {@code ref}'s record; refuses more than {@link #MAX_DEPS} rather than wrap. */
    private static short depCount(ObjectRef ref, int deps) {
        if (deps > MAX_DEPS) {
            throw new IllegalArgumentException(ref + " depends on " + deps + " objects; an object record holds at most "
                    + MAX_DEPS + " dependencies");
        }
        return (short) deps;
    }

    public static int objectHeadBytes(int deps) {
        return 1 + 4 + 2 + 5 * deps + 4;
    }

    private static ByteBuffer objectHead(ObjectRef ref, List<ObjectRef> deps, int payloadLength, int room) {
        ByteBuffer x = buf(1 + 4 + 2 + 5 * deps.size() + 4 + room);
        x.put((byte) ref.kind().ordinal()).putInt(ref.id()).putShort(depCount(ref, deps.size()));
        for (ObjectRef d : deps) {
            x.put((byte) d.kind().ordinal()).putInt(d.id());
        }
        x.putInt(payloadLength);
        return x;
    }

    public static KernelObject object(byte[] p) {
        ByteBuffer x = wrap(p);
        ObjectRef ref = new ObjectRef(Kinds.values()[x.get()], x.getInt());
        int d = x.getShort() & 0xffff;
        List<ObjectRef> deps = new ArrayList<>(d);
        for (int i = 0; i < d; i++) {
            deps.add(new ObjectRef(Kinds.values()[x.get()], x.getInt()));
        }
        byte[] payload = new byte[x.getInt()];
        x.get(payload);
        return new KernelObject(ref, deps, payload);
    }

    /**
     * The contents of a frame record lying at {@code b[off, off + len)} (encoded by {@link #object(KernelObject)}),
     * copied out of it; null when the record is not a frame holding a whole page (a reference, a frame of zeros or
     * another kind of object).
     */
    public static byte[] frameContents(byte[] b, int off, int len) {
        if (len < 11 || b[off] != (byte) Kinds.FRAME.ordinal()) {
            return null;
        }
        ByteBuffer x = ByteBuffer.wrap(b, off, len).order(ByteOrder.LITTLE_ENDIAN);
        int at = off + 7 + 5 * (x.getShort(off + 5) & 0xffff);
        if (at + 4 + PhysicalMemory.PAGE_SIZE != off + len || x.getInt(at) != PhysicalMemory.PAGE_SIZE) {
            return null;
        }
        return java.util.Arrays.copyOfRange(b, at + 4, at + 4 + PhysicalMemory.PAGE_SIZE);
    }

    /**
     * Where the contents of a frame record lying at {@code b[off, off + len)} begin in {@code b} (4096 bytes from
     * there); -1 when the record is not a frame holding a whole page. As {@link #frameContents}, without the copy.
     */
    public static int frameContentsAt(ByteBuffer b, int off, int len) {
        if (len < 11 || b.get(off) != (byte) Kinds.FRAME.ordinal()) {
            return -1;
        }
        ByteBuffer x = b.order() == ByteOrder.LITTLE_ENDIAN ? b : b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int at = off + 7 + 5 * (x.getShort(off + 5) & 0xffff);
        if (at + 4 + PhysicalMemory.PAGE_SIZE != off + len || x.getInt(at) != PhysicalMemory.PAGE_SIZE) {
            return -1;
        }
        return at + 4;
    }

    /**
     * Where the contents of the frame whose record (LSN {@code lsn}, at log position {@code position}) lies at {@code
     * b[off, off + len)} are, read in place: its reference when it holds one, position -1 when it holds no contents (a
     * frame of zeros), its own position otherwise. Null when the record is not a frame's (or not one whose head can be
     * read: {@link #object(byte[])} says what is wrong with it).
     */
    public static FrameRef frameRef(ByteBuffer b, int off, int len, long lsn, long position) {
        if (len < 11 || b.get(off) != (byte) Kinds.FRAME.ordinal()) {
            return null;
        }
        ByteBuffer x = b.order() == ByteOrder.LITTLE_ENDIAN ? b : b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int id = x.getInt(off + 1);
        int at = off + 7 + 5 * (x.getShort(off + 5) & 0xffff);
        if (at + 4 > off + len) {
            return null;
        }
        int n = x.getInt(at);
        if (n < 0 || at + 4 + n != off + len) {
            return null;
        }
        if (n == 16) {
            return new FrameRef(id, x.getLong(at + 4), x.getLong(at + 12));
        }
        return new FrameRef(id, lsn, n == 0 ? -1 : position);
    }

    /** The id of the object whose record lies at {@code b[off...]} (read by index). */
    public static int objectId(ByteBuffer b, int off) {
        return b.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(off + 1);
    }

    /** The id of the object whose record lies at {@code b[off...]}. */
    public static int objectId(byte[] b, int off) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(off + 1);
    }

    /** The payload of a frame reference: where the frame's contents are. */
    public static byte[] reference(FrameRef r) {
        return buf(16).putLong(r.lsn()).putLong(r.position()).array();
    }

    /** The frame reference a frame object's payload holds, or null when it holds the contents. */
    public static FrameRef reference(int frame, byte[] payload) {
        if (payload.length != 16) {
            return null;
        }
        ByteBuffer x = wrap(payload);
        return new FrameRef(frame, x.getLong(), x.getLong());
    }

    public static byte[] end(End e) {
        if (!e.indexed()) {
            return buf(12).putLong(e.beginLsn()).putInt(e.objects()).array();
        }
        ByteBuffer x = buf(12
                + 4
                + 4
                + 32 * e.skips().size()
                + 4
                + 24 * e.index().size()
                + 4
                + DEFERRED_BYTES * e.deferred().size());
        x.putLong(e.beginLsn()).putInt(e.objects()).putInt(e.frames());
        x.putInt(e.skips().size());
        for (Skip s : e.skips()) {
            x.putLong(s.fromPos()).putLong(s.toPos()).putLong(s.firstLsn()).putLong(s.count());
        }
        x.putInt(e.index().size());
        for (IndexPart i : e.index()) {
            x.putLong(i.lsn()).putLong(i.position()).putInt(i.firstFrame()).putInt(i.frames());
        }
        x.putInt(e.deferred().size());
        for (ObjectAt o : e.deferred()) {
            x.put((byte) o.ref().kind().ordinal())
                    .putInt(o.ref().id())
                    .putLong(o.lsn())
                    .putLong(o.position());
        }
        return x.array();
    }

    /** The bytes an end record takes per deferred object. */
    public static final int DEFERRED_BYTES = 1 + 4 + 8 + 8;

    /** Decodes an end record; an index that does not add up is refused ({@link IllegalArgumentException}). */
    public static End end(byte[] p) {
        ByteBuffer x = wrap(p);
        long begin = x.getLong();
        int objects = x.getInt();
        if (!x.hasRemaining()) {
            return new End(begin, objects);
        }
        int frames = x.getInt();
        int s = x.getInt();
        if (frames < 0 || s < 0 || s > x.remaining() / 32) {
            throw new IllegalArgumentException("an end record whose index does not add up");
        }
        List<Skip> skips = new ArrayList<>(s);
        for (int k = 0; k < s; k++) {
            skips.add(new Skip(x.getLong(), x.getLong(), x.getLong(), x.getLong()));
        }
        int n = x.getInt();
        if (n < 0 || n > (x.remaining() - 4) / 24) {
            throw new IllegalArgumentException("an end record whose index does not add up");
        }
        List<IndexPart> index = new ArrayList<>(n);
        long covered = 0;
        for (int k = 0; k < n; k++) {
            IndexPart part = new IndexPart(x.getLong(), x.getLong(), x.getInt(), x.getInt());
            // every part but the last covers INDEX_FRAMES frames: frame f is in part f / INDEX_FRAMES
            if (part.firstFrame() != covered
                    || part.frames() <= 0
                    || part.frames() > INDEX_FRAMES
                    || (k < n - 1 && part.frames() != INDEX_FRAMES)) {
                throw new IllegalArgumentException("an end record whose index does not add up");
            }
            covered += part.frames();
            index.add(part);
        }
        if (covered != frames) {
            throw new IllegalArgumentException("an end record whose index does not add up");
        }
        int d = x.getInt();
        if (d < 0 || d != x.remaining() / DEFERRED_BYTES || x.remaining() % DEFERRED_BYTES != 0) {
            throw new IllegalArgumentException("an end record whose index does not add up");
        }
        List<ObjectAt> deferred = new ArrayList<>(d);
        for (int k = 0; k < d; k++) {
            int kind = x.get();
            int id = x.getInt();
            if (kind < 0
                    || kind >= Kinds.values().length
                    || !dev.ladle.persist.model.KindDeps.deferred(Kinds.values()[kind])
                    || id < 0) {
                throw new IllegalArgumentException("an end record whose index does not add up");
            }
            deferred.add(new ObjectAt(new ObjectRef(Kinds.values()[kind], id), x.getLong(), x.getLong()));
        }
        return new End(begin, objects, frames, skips, index, deferred);
    }

    public static byte[] operation(Operation op) {
        ByteBuffer x = buf(4 + 1 + 1 + 4 + 4 + 4 + 1 + 4 * op.args().length + 1 + 4 * op.regs().length);
        x.putInt(op.code()).put((byte) op.effect().ordinal());
        x.put((byte) op.object().kind().ordinal()).putInt(op.object().id());
        x.putInt(op.thread()).putInt(op.result());
        x.put((byte) op.args().length);
        for (int a : op.args()) {
            x.putInt(a);
        }
        x.put((byte) op.regs().length);
        for (int r : op.regs()) {
            x.putInt(r);
        }
        return x.array();
    }

    public static Operation operation(byte[] p) {
        ByteBuffer x = wrap(p);
        int code = x.getInt();
        Operation.Effect effect = Operation.Effect.values()[x.get()];
        ObjectRef obj = new ObjectRef(Kinds.values()[x.get()], x.getInt());
        int thread = x.getInt();
        int result = x.getInt();
        int[] args = new int[x.get()];
        for (int i = 0; i < args.length; i++) {
            args[i] = x.getInt();
        }
        int[] regs = new int[x.get()];
        for (int i = 0; i < regs.length; i++) {
            regs[i] = x.getInt();
        }
        return new Operation(code, effect, obj, thread, args, result, regs);
    }

    public static byte[] pageDelta(int[] frames, byte[][] contents) {
        ByteBuffer x = buf(4 + frames.length * (4 + PhysicalMemory.PAGE_SIZE));
        x.putInt(frames.length);
        for (int i = 0; i < frames.length; i++) {
            x.putInt(frames[i]).put(contents[i]);
        }
        return x.array();
    }

    /** Calls {@code sink} for each page of a page-delta record. */
    public static void pageDelta(byte[] p, java.util.function.ObjIntConsumer<byte[]> sink) {
        ByteBuffer x = wrap(p);
        int n = x.getInt();
        for (int i = 0; i < n; i++) {
            int f = x.getInt();
            byte[] c = new byte[PhysicalMemory.PAGE_SIZE];
            x.get(c);
            sink.accept(c, f);
        }
    }
}
