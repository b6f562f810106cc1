package dev.ladle.persist.mem;

import dev.ladle.persist.Persistent;
import java.util.function.Supplier;

/**
 * A lazy recovery's frames as a memory whose frames wait for their contents asks for them, on each frame's first
 * touch: a frame restored lazily one by one ({@link Persistent#restoreFrame(int, Supplier, boolean)}) gives its own
 * contents, the others the recovery's source ({@link Persistent#restoreFramesLazily}), and a frame neither holds reads
 * zeros. A system that pages frames in by number (the IA-32 target's memory, {@code X86Platform.awaitContents}) keeps
 * one from its {@link Persistent#beginRestore} on and hands {@link #contents} to the memory; nothing here is read or
 * copied per frame until a frame is asked for. The recovery (its log reader) must stay open while frames wait.
 */
public final class WaitingFrames {
    private final Supplier<byte[]>[] own;
    private volatile Persistent.LazyFrames source;

    /** Frames {@code [0, frames)}, none of them given contents yet (each reads zeros until one is). */
    @SuppressWarnings("unchecked")
    public WaitingFrames(int frames) {
        this.own = new Supplier[frames];
    }

    /** The frames covered: {@code [0, frames())}. */
    public int frames() {
        return own.length;
    }

    /** Frame {@code frame} gives {@code contents} when it is first touched (a frame restored lazily one by one). */
    public void restoreFrame(int frame, Supplier<byte[]> contents) {
        if (frame < 0 || frame >= own.length) {
            throw new IndexOutOfBoundsException("frame " + frame + " is outside the " + own.length + " frames");
        }
        own[frame] = contents;
    }

    /**
     * Keeps {@code frames} and asks it for a frame's contents on the frame's first touch (unless the frame was given
     * its own): nothing is read per frame now. Refuses a source that covers more frames than the system has.
     */
    public void restoreFramesLazily(Persistent.LazyFrames frames) {
        if (frames.count() > own.length) {
            throw new IllegalArgumentException(
                    "the checkpoint covers " + frames.count() + " frames; this system has " + own.length);
        }
        source = frames;
    }

    /**
     * The contents of frame {@code frame} on its first touch: its own, else the source's; null for zeros. Throws what
     * they throw ({@code Recovery.ObjectLost} for a damaged record).
     */
    public byte[] contents(int frame) {
        Supplier<byte[]> mine = frame >= 0 && frame < own.length ? own[frame] : null;
        if (mine != null) {
            return mine.get();
        }
        Persistent.LazyFrames from = source;
        return from != null && frame < from.count() ? from.contents(frame) : null;
    }
}
