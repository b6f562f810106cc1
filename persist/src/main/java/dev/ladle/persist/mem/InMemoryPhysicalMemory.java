package dev.ladle.persist.mem;

import dev.ladle.kernel.hw.PhysicalMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Physical memory outside the Java heap, frame by frame (a frame never written takes no memory), with copy-on-write
 * for checkpoints and dirty tracking for incremental checkpoints and page deltas. Stands in for the x86 target's
 * memory in tests and benchmarks. Writes come from one thread at a time (the kernel's); the checkpointer reads
 * snapshots from another.
 *
 * <p>Each frame is 4 KiB of direct memory, cut from slabs of {@value #SLAB_FRAMES} frames and reused through a free
 * list (a frame dropped, a pre-image released), as the x86 target's physical memory lies outside the heap: the log
 * hands a frame to the file from its own address, with no staging copy (a heap array is copied into a temporary
 * direct buffer inside every {@code FileChannel.write}), and the collector neither scans nor moves it.
 *
 * <p>Copy-on-write moves the writer, not the snapshot: the first write to a protected frame gives the frame a copy
 * of its memory to write into and leaves the memory it had as the pre-image. So a frame the checkpointer maps
 * ({@link #mapSnapshot}) is a view of the frame's own memory when nobody wrote it, and stays the snapshot's when
 * somebody writes it while it is mapped.
 */
public final class InMemoryPhysicalMemory implements PhysicalMemory, CopyOnWrite, DirtyPages {
    /** Frames per slab of direct memory (1 MiB). */
    static final int SLAB_FRAMES = 256;

    private final int frames;
    private final ByteBuffer[] data;
    private final BitSet dirtyCk = new BitSet();
    private final BitSet dirtyRec = new BitSet();
    private final Object cowLock = new Object();
    private final BitSet protectedFrames = new BitSet();
    private final Map<Integer, ByteBuffer> preImages = new HashMap<>();
    private final BitSet mappedFrames = new BitSet();
    private final Pool pool = new Pool();
    /** The pre-image of a frame never written before its first write while protected; never written itself. */
    private static final ByteBuffer ZEROS =
            ByteBuffer.allocateDirect(PAGE_SIZE).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);

    private volatile boolean anyProtected;
    private long copied;
    /** Told of each frame before a write to it (a copy-on-write other than this memory's own); null: none. */
    private java.util.function.IntConsumer beforeEachWrite;

    public InMemoryPhysicalMemory(int frames) {
        this.frames = frames;
        this.data = new ByteBuffer[frames];
    }

    /**
     * The frames' memory: slabs of direct memory cut into pages, and the pages given back. Used by the kernel's
     * thread (a frame's first write, copy-on-write) and the log's flusher (a pre-image released once written).
     */
    private static final class Pool {
        private final java.util.ArrayDeque<ByteBuffer> free = new java.util.ArrayDeque<>();
        private ByteBuffer slab;
        private int cut = SLAB_FRAMES;

        /** A page of memory; its contents are whatever it held before ({@code zero}: cleared). */
        synchronized ByteBuffer take(boolean zero) {
            ByteBuffer b = free.poll();
            if (b == null) {
                if (cut == SLAB_FRAMES) {
                    slab = ByteBuffer.allocateDirect(SLAB_FRAMES * PAGE_SIZE); // zeroed
                    cut = 0;
                }
                b = slab.slice(cut++ * PAGE_SIZE, PAGE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
                return b;
            }
            if (zero) {
                b.clear();
                b.put(0, ZEROS_HEAP); // a page given back keeps its old bytes
            }
            return b;
        }

        synchronized void give(ByteBuffer b) {
            if (b != ZEROS) {
                free.push(b);
            }
        }
    }

    private static final byte[] ZEROS_HEAP = new byte[PAGE_SIZE];

    @Override
    public int frames() {
        return frames;
    }

    private static int frameOf(long pa) {
        return (int) (pa >>> 12);
    }

    /** The frame's memory for reading; null for a frame never written (all zeros). */
    private ByteBuffer peek(int f) {
        return data[f];
    }

    /** Called before every write to {@code f}: copy-on-write, dirty bits; returns the frame's memory. */
    private ByteBuffer beforeWrite(int f) {
        java.util.function.IntConsumer hook = beforeEachWrite;
        if (hook != null) {
            hook.accept(f);
        }
        copyOnWrite(f, true);
        dirtyCk.set(f);
        dirtyRec.set(f);
        ByteBuffer b = data[f];
        if (b == null) {
            b = pool.take(true);
            data[f] = b;
        }
        return b;
    }

    /**
     * Before {@code f} changes: when it is protected, the memory it has stays the snapshot's (a mapping of it keeps
     * reading it) and the frame takes a copy ({@code copy}) or nothing (its contents are about to be replaced).
     */
    private void copyOnWrite(int f, boolean copy) {
        if (anyProtected) {
            synchronized (cowLock) {
                if (protectedFrames.get(f)) {
                    ByteBuffer cur = data[f];
                    preImages.put(f, cur == null ? ZEROS : cur);
                    ByteBuffer now = null;
                    if (cur != null && copy) {
                        now = pool.take(false);
                        now.put(0, cur, 0, PAGE_SIZE);
                    }
                    data[f] = now;
                    protectedFrames.clear(f);
                    copied++;
                }
            }
        }
    }

    @Override
    public byte readByte(long pa) {
        ByteBuffer b = peek(frameOf(pa));
        return b == null ? 0 : b.get((int) (pa & 4095));
    }

    @Override
    public void writeByte(long pa, byte value) {
        beforeWrite(frameOf(pa)).put((int) (pa & 4095), value);
    }

    @Override
    public int readInt(long pa) {
        ByteBuffer b = peek(frameOf(pa));
        return b == null ? 0 : b.getInt((int) (pa & 4095));
    }

    @Override
    public void writeInt(long pa, int value) {
        beforeWrite(frameOf(pa)).putInt((int) (pa & 4095), value);
    }

    @Override
    public void copyFrame(int fromFrame, int toFrame) {
        ByteBuffer src = peek(fromFrame);
        ByteBuffer dst = beforeWrite(toFrame);
        if (src == null) {
            dst.put(0, ZEROS_HEAP);
        } else if (src != dst) {
            dst.put(0, src, 0, PAGE_SIZE);
        }
    }

    @Override
    public void clearFrame(int frame) {
        beforeWrite(frame).put(0, ZEROS_HEAP);
    }

    /** Copies a frame's current contents into {@code into}. */
    public void readFrame(int frame, byte[] into) {
        ByteBuffer b = peek(frame);
        if (b == null) {
            Arrays.fill(into, 0, PAGE_SIZE, (byte) 0);
        } else {
            b.get(0, into, 0, PAGE_SIZE);
        }
    }

    /** Puts a frame's contents in place without marking it dirty (a frame restored from a checkpoint). */
    public void installFrame(int frame, byte[] from) {
        installFrame(frame, from, 0);
    }

    /**
     * Puts the page at {@code from[offset, offset + 4096)} in place as a frame's contents, without marking it dirty (a
     * frame restored from a checkpoint, copied straight out of the log reader's buffer).
     */
    public void installFrame(int frame, byte[] from, int offset) {
        copyOnWrite(frame, false);
        ByteBuffer b = data[frame];
        if (b == null) {
            b = pool.take(false);
            data[frame] = b;
        }
        b.put(0, from, offset, PAGE_SIZE);
    }

    /**
     * Takes {@code page} as a frame's contents without marking it dirty (a frame restored from a checkpoint); the
     * caller keeps no hold of the array. The memory lies outside the heap, so its bytes are copied there.
     */
    public void adoptFrame(int frame, byte[] page) {
        if (page.length != PAGE_SIZE) {
            throw new IllegalArgumentException("frame " + frame + ": " + page.length + " bytes, not a page");
        }
        installFrame(frame, page, 0);
    }

    /**
     * Puts the page at bytes {@code [offset, offset + 4096)} of {@code from} (read by index) in place as a frame's
     * contents, without marking it dirty (a frame restored from a checkpoint, copied straight out of the log reader's
     * buffer).
     */
    public void installFrame(int frame, ByteBuffer from, int offset) {
        copyOnWrite(frame, false);
        ByteBuffer b = data[frame];
        if (b == null) {
            b = pool.take(false);
            data[frame] = b;
        }
        b.put(0, from, offset, PAGE_SIZE);
    }

    /** Forgets every frame's contents (recovery starts from nothing). */
    public void wipe() {
        releaseAll();
        for (int f = 0; f < frames; f++) {
            if (data[f] != null) {
                pool.give(data[f]);
                data[f] = null;
            }
        }
        dirtyCk.clear();
        dirtyRec.clear();
    }

    /** Replaces a frame's contents (a page delta replayed, a frame restored). */
    public void writeFrame(int frame, byte[] from) {
        beforeWrite(frame).put(0, from, 0, PAGE_SIZE);
    }

    @Override
    public void protect(BitSet toProtect) {
        synchronized (cowLock) {
            protectedFrames.or(toProtect);
            anyProtected = !protectedFrames.isEmpty();
        }
    }

    /** Frames the checkpointer maps at once: the copy-on-write lock is taken once per group, not per frame. */
    private static final int SNAPSHOT_GROUP = 64;

    @Override
    public int snapshotGroup() {
        return SNAPSHOT_GROUP;
    }

    @Override
    public ByteBuffer mapSnapshot(int frame) {
        synchronized (cowLock) {
            return mapHolding(frame);
        }
    }

    @Override
    public void mapSnapshots(int[] frames, int n, ByteBuffer[] into) {
        synchronized (cowLock) {
            for (int i = 0; i < n; i++) {
                into[i] = mapHolding(frames[i]);
            }
        }
    }

    private ByteBuffer mapHolding(int frame) {
        ByteBuffer b = preImages.isEmpty() ? null : preImages.get(frame);
        if (b == null) {
            if (!protectedFrames.get(frame)) {
                throw new IllegalStateException("frame " + frame + " was not protected by this checkpoint");
            }
            // still protected: nobody wrote it since the snapshot, and a write from now on moves the writer
            b = data[frame] == null ? ZEROS : data[frame];
        }
        mappedFrames.set(frame);
        return b.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void unmapSnapshot(int frame) {
        synchronized (cowLock) {
            unmapHolding(frame);
            anyProtected = !protectedFrames.isEmpty();
        }
    }

    @Override
    public void unmapSnapshots(int[] frames, int n) {
        synchronized (cowLock) {
            for (int i = 0; i < n; i++) {
                unmapHolding(frames[i]);
            }
            anyProtected = !protectedFrames.isEmpty();
        }
    }

    private void unmapHolding(int frame) {
        ByteBuffer pre = preImages.isEmpty() ? null : preImages.remove(frame);
        if (pre != null) {
            pool.give(pre); // the log has written it: nobody reads it any more
        }
        protectedFrames.clear(frame);
        mappedFrames.clear(frame);
    }

    @Override
    public boolean mapped(int frame) {
        synchronized (cowLock) {
            return mappedFrames.get(frame);
        }
    }

    /**
     * The memory that holds {@code frame}'s current contents (itself, no copy, writable without copy-on-write or dirty
     * bits; null for a frame never written): what a test compares the log writer's buffers with.
     */
    public ByteBuffer frameMemory(int frame) {
        ByteBuffer b = data[frame];
        return b == null ? null : b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Tells {@code hook} of each frame before every write to it (the kernel's writes through this memory; not a
     * recovery's {@code installFrame}): for a copy-on-write of the frames other than this memory's own, which then
     * stays unused (property-tests' {@code KernelWorld} has the kernel's checkpointer pages, {@link CheckpointerPages}).
     */
    public void beforeEachWrite(java.util.function.IntConsumer hook) {
        this.beforeEachWrite = hook;
    }

    /**
     * A read-only view of {@code frame}'s own memory (no copy; all zeros for a frame never written): what the log writer
     * reads where the kernel's checkpointer pages map it. It shows later writes to the frame.
     */
    public ByteBuffer frameView(int frame) {
        ByteBuffer b = data[frame];
        return (b == null ? ZEROS : b).asReadOnlyBuffer().clear().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void releaseAll() {
        synchronized (cowLock) {
            preImages.values().forEach(pool::give);
            protectedFrames.clear();
            preImages.clear();
            mappedFrames.clear();
            anyProtected = false;
        }
    }

    @Override
    public long copiedFrames() {
        synchronized (cowLock) {
            return copied;
        }
    }

    /** Pre-images held right now: the extra memory a checkpoint costs. */
    public int heldPreImages() {
        synchronized (cowLock) {
            return preImages.size();
        }
    }

    @Override
    public BitSet drainDirtySinceCheckpoint() {
        BitSet b = (BitSet) dirtyCk.clone();
        dirtyCk.clear();
        return b;
    }

    @Override
    public BitSet drainDirtySinceRecord() {
        BitSet b = (BitSet) dirtyRec.clone();
        dirtyRec.clear();
        return b;
    }

    @Override
    public void remarkDirtySinceRecord(BitSet frames) {
        dirtyRec.or(frames);
    }
}
