package dev.ladle.persist.mem;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Copy-on-write and dirty tracking for frames whose memory offers no write-protect fault and no dirty bits to the
 * persistence layer (an engine's memory, read through {@link Reader}): both by copying and comparing.
 *
 * <p>Copy-on-write is eager: {@link #protect} copies the protected frames while the world is stopped, and the
 * checkpointer maps those copies ({@link #mapSnapshot}), so the log writes each frame from its copy with no further
 * copy. Dirty tracking compares each frame with its contents at the previous drain, one baseline per set. Both are
 * exact; neither is lazy.
 */
public final class ComparedFrames implements CopyOnWrite, DirtyPages {
    /** Reads frame {@code frame}'s 4096 bytes into {@code into}. */
    public interface Reader {
        void read(int frame, byte[] into);
    }

    private static final int PAGE = 4096;

    private final int frames;
    private final Reader reader;
    private final Map<Integer, byte[]> images = new HashMap<>();
    private final BitSet mapped = new BitSet();
    private long copied;
    private final byte[][] sinceCheckpoint;
    private final byte[][] sinceRecord;

    /** Frames {@code 0 .. frames - 1}, read through {@code reader}. */
    public ComparedFrames(int frames, Reader reader) {
        this.frames = frames;
        this.reader = reader;
        this.sinceCheckpoint = new byte[frames][];
        this.sinceRecord = new byte[frames][];
    }

    @Override
    public synchronized void protect(BitSet toProtect) {
        for (int f = toProtect.nextSetBit(0); f >= 0; f = toProtect.nextSetBit(f + 1)) {
            byte[] b = new byte[PAGE];
            reader.read(f, b);
            images.put(f, b);
            copied++;
        }
    }

    @Override
    public synchronized ByteBuffer mapSnapshot(int frame) {
        byte[] b = images.get(frame);
        if (b == null) {
            throw new IllegalStateException("frame " + frame + " was not protected by this checkpoint");
        }
        mapped.set(frame);
        return ByteBuffer.wrap(b);
    }

    @Override
    public synchronized void unmapSnapshot(int frame) {
        images.remove(frame);
        mapped.clear(frame);
    }

    @Override
    public synchronized boolean mapped(int frame) {
        return mapped.get(frame);
    }

    @Override
    public synchronized void releaseAll() {
        images.clear();
        mapped.clear();
    }

    @Override
    public synchronized long copiedFrames() {
        return copied;
    }

    private BitSet drain(byte[][] seen) {
        BitSet out = new BitSet();
        byte[] now = new byte[PAGE];
        for (int f = 0; f < frames; f++) {
            reader.read(f, now);
            if (seen[f] == null || !Arrays.equals(seen[f], now)) {
                out.set(f);
                seen[f] = now.clone();
            }
        }
        return out;
    }

    @Override
    public synchronized BitSet drainDirtySinceCheckpoint() {
        return drain(sinceCheckpoint);
    }

    @Override
    public synchronized BitSet drainDirtySinceRecord() {
        return drain(sinceRecord);
    }
}
