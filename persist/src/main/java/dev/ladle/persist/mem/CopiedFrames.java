package dev.ladle.persist.mem;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Copy-on-write for frames whose memory offers no write-protect fault to the persistence layer (an engine's memory,
 * read through {@link Reader}): eager, by copying. {@link #protect} copies the protected frames while the world is
 * stopped, and the checkpointer maps those copies ({@link #mapSnapshot}), so the log writes each frame from its copy
 * with no further copy. Exact, not lazy. Dirty tracking is not here: on the x86 target it is the D bits' ({@code x86}'s
 * {@code DirtyFrames}), which keeps no copy of a frame.
 */
public final class CopiedFrames implements CopyOnWrite {
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

    /** Frames {@code 0 .. frames - 1}, read through {@code reader}. */
    public CopiedFrames(int frames, Reader reader) {
        this.frames = frames;
        this.reader = reader;
    }

    /** Frames {@code 0 .. frames() - 1}. */
    public int frames() {
        return frames;
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
}
