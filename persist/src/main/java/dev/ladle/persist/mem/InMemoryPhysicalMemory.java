package dev.ladle.persist.mem;

import dev.ladle.kernel.hw.PhysicalMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Physical memory in the Java heap, frame by frame (a frame never written takes no memory), with copy-on-write
 * for checkpoints and dirty tracking for incremental checkpoints and page deltas. Stands in for the x86 target's
 * memory in tests and benchmarks. Writes come from one thread at a time (the kernel's); the checkpointer reads
 * snapshots from another.
 *
 * <p>Copy-on-write moves the writer, not the snapshot: the first write to a protected frame gives the frame a copy
 * of its memory to write into and leaves the memory it had as the pre-image. So a frame the checkpointer maps
 * ({@link #mapSnapshot}) is a view of the frame's own memory when nobody wrote it, and stays the snapshot's when
 * somebody writes it while it is mapped.
 */
public final class InMemoryPhysicalMemory implements PhysicalMemory, CopyOnWrite, DirtyPages {
    private final int frames;
    private final byte[][] data;
    private final BitSet dirtyCk = new BitSet();
    private final BitSet dirtyRec = new BitSet();
    private final Object cowLock = new Object();
    private final BitSet protectedFrames = new BitSet();
    private final Map<Integer, byte[]> preImages = new HashMap<>();
    private final BitSet mappedFrames = new BitSet();
    /** The pre-image of a frame never written before its first write while protected; never written itself. */
    private static final byte[] ZEROS = new byte[PAGE_SIZE];

    private volatile boolean anyProtected;
    private long copied;

    public InMemoryPhysicalMemory(int frames) {
        this.frames = frames;
        this.data = new byte[frames][];
    }

    @Override
    public int frames() {
        return frames;
    }

    private static int frameOf(long pa) {
        return (int) (pa >>> 12);
    }

    /** The frame's bytes for reading; null for a frame never written (all zeros). */
    private byte[] peek(int f) {
        return data[f];
    }

    /** Called before every write to {@code f}: copy-on-write, dirty bits; returns the frame's bytes. */
    private byte[] beforeWrite(int f) {
        copyOnWrite(f, true);
        dirtyCk.set(f);
        dirtyRec.set(f);
        byte[] b = data[f];
        if (b == null) {
            b = new byte[PAGE_SIZE];
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
                    byte[] cur = data[f];
                    preImages.put(f, cur == null ? ZEROS : cur);
                    data[f] = cur == null || !copy ? null : cur.clone();
                    protectedFrames.clear(f);
                    copied++;
                }
            }
        }
    }

    @Override
    public byte readByte(long pa) {
        byte[] b = peek(frameOf(pa));
        return b == null ? 0 : b[(int) (pa & 4095)];
    }

    @Override
    public void writeByte(long pa, byte value) {
        beforeWrite(frameOf(pa))[(int) (pa & 4095)] = value;
    }

    @Override
    public int readInt(long pa) {
        byte[] b = peek(frameOf(pa));
        if (b == null) {
            return 0;
        }
        int o = (int) (pa & 4095);
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (b[o + 3] & 0xff) << 24;
    }

    @Override
    public void writeInt(long pa, int value) {
        byte[] b = beforeWrite(frameOf(pa));
        int o = (int) (pa & 4095);
        b[o] = (byte) value;
        b[o + 1] = (byte) (value >>> 8);
        b[o + 2] = (byte) (value >>> 16);
        b[o + 3] = (byte) (value >>> 24);
    }

    @Override
    public void copyFrame(int fromFrame, int toFrame) {
        byte[] src = peek(fromFrame);
        byte[] dst = beforeWrite(toFrame);
        if (src == null) {
            Arrays.fill(dst, (byte) 0);
        } else {
            System.arraycopy(src, 0, dst, 0, PAGE_SIZE);
        }
    }

    @Override
    public void clearFrame(int frame) {
        Arrays.fill(beforeWrite(frame), (byte) 0);
    }

    /** Copies a frame's current contents into {@code into}. */
    public void readFrame(int frame, byte[] into) {
        byte[] b = peek(frame);
        if (b == null) {
            Arrays.fill(into, 0, PAGE_SIZE, (byte) 0);
        } else {
            System.arraycopy(b, 0, into, 0, PAGE_SIZE);
        }
    }

    /** Puts a frame's contents in place without marking it dirty (a frame restored from a checkpoint). */
    public void installFrame(int frame, byte[] from) {
        copyOnWrite(frame, false);
        byte[] b = data[frame];
        if (b == null) {
            b = new byte[PAGE_SIZE];
            data[frame] = b;
        }
        System.arraycopy(from, 0, b, 0, PAGE_SIZE);
    }

    /**
     * Takes {@code page} as a frame's contents, without a copy and without marking it dirty (a frame restored from a
     * checkpoint); the caller keeps no hold of the array.
     */
    public void adoptFrame(int frame, byte[] page) {
        if (page.length != PAGE_SIZE) {
            throw new IllegalArgumentException("frame " + frame + ": " + page.length + " bytes, not a page");
        }
        copyOnWrite(frame, false);
        data[frame] = page;
    }

    /** Forgets every frame's contents (recovery starts from nothing). */
    public void wipe() {
        Arrays.fill(data, null);
        dirtyCk.clear();
        dirtyRec.clear();
        releaseAll();
    }

    /** Replaces a frame's contents (a page delta replayed, a frame restored). */
    public void writeFrame(int frame, byte[] from) {
        System.arraycopy(from, 0, beforeWrite(frame), 0, PAGE_SIZE);
    }

    @Override
    public void protect(BitSet toProtect) {
        synchronized (cowLock) {
            protectedFrames.or(toProtect);
            anyProtected = !protectedFrames.isEmpty();
        }
    }

    @Override
    public ByteBuffer mapSnapshot(int frame) {
        synchronized (cowLock) {
            byte[] b = preImages.get(frame);
            if (b == null) {
                if (!protectedFrames.get(frame)) {
                    throw new IllegalStateException("frame " + frame + " was not protected by this checkpoint");
                }
                // still protected: nobody wrote it since the snapshot, and a write from now on moves the writer
                b = data[frame] == null ? ZEROS : data[frame];
            }
            mappedFrames.set(frame);
            return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    @Override
    public void unmapSnapshot(int frame) {
        synchronized (cowLock) {
            preImages.remove(frame);
            protectedFrames.clear(frame);
            mappedFrames.clear(frame);
            anyProtected = !protectedFrames.isEmpty();
        }
    }

    @Override
    public boolean mapped(int frame) {
        synchronized (cowLock) {
            return mappedFrames.get(frame);
        }
    }

    /**
     * A view of the memory that holds {@code frame}'s current contents (its own array, no copy; null for a frame
     * never written): what a test compares the log writer's buffers with.
     */
    public ByteBuffer frameMemory(int frame) {
        byte[] b = data[frame];
        return b == null ? null : ByteBuffer.wrap(b);
    }

    @Override
    public void releaseAll() {
        synchronized (cowLock) {
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
}
