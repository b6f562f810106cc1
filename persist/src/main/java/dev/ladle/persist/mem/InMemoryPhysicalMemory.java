package dev.ladle.persist.mem;

import dev.ladle.kernel.hw.PhysicalMemory;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Physical memory in the Java heap, frame by frame (a frame never written takes no memory), with copy-on-write
 * for checkpoints and dirty tracking for incremental checkpoints and page deltas. Stands in for the x86 target's
 * memory in tests and benchmarks. Writes come from one thread at a time (the kernel's); the checkpointer reads
 * snapshots from another.
 */
public final class InMemoryPhysicalMemory implements PhysicalMemory, CopyOnWrite, DirtyPages {
    private final int frames;
    private final byte[][] data;
    private final BitSet dirtyCk = new BitSet();
    private final BitSet dirtyRec = new BitSet();
    private final Object cowLock = new Object();
    private final BitSet protectedFrames = new BitSet();
    private final Map<Integer, byte[]> preImages = new HashMap<>();
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
        if (anyProtected) {
            synchronized (cowLock) {
                if (protectedFrames.get(f)) {
                    byte[] cur = data[f];
                    preImages.put(f, cur == null ? new byte[PAGE_SIZE] : cur.clone());
                    protectedFrames.clear(f);
                    copied++;
                }
            }
        }
        dirtyCk.set(f);
        dirtyRec.set(f);
        byte[] b = data[f];
        if (b == null) {
            b = new byte[PAGE_SIZE];
            data[f] = b;
        }
        return b;
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
    public void readSnapshot(int frame, byte[] into) {
        synchronized (cowLock) {
            byte[] pre = preImages.remove(frame);
            if (pre != null) {
                System.arraycopy(pre, 0, into, 0, PAGE_SIZE);
            } else {
                // still protected: nobody wrote it since the snapshot, and no write can land while we hold the lock
                readFrame(frame, into);
            }
            protectedFrames.clear(frame);
            anyProtected = !protectedFrames.isEmpty();
        }
    }

    @Override
    public void releaseAll() {
        synchronized (cowLock) {
            protectedFrames.clear();
            preImages.clear();
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
