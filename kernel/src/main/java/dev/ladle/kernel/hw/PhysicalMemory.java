package dev.ladle.kernel.hw;

/** Simulated physical memory in 4 KiB frames: the truth that checkpoints carry. */
public interface PhysicalMemory {
    int PAGE_SIZE = 4096;

    /** Number of frames. */
    int frames();

    byte readByte(long physicalAddress);

    void writeByte(long physicalAddress, byte value);

    int readInt(long physicalAddress);

    void writeInt(long physicalAddress, int value);

    /** Copies one whole frame's contents (a copy item, a copy-on-write break). */
    void copyFrame(int fromFrame, int toFrame);

    /** Zeroes one frame. */
    void clearFrame(int frame);

    /**
     * The frame whose contents could not be paged in when {@code thrown} was thrown, or -1 when {@code thrown} did
     * not come from a page-in. A memory whose frames wait for their contents after a lazy recovery (the IA-32
     * target's) pages each in on its first touch, and a frame whose record turns out damaged fails that touch; the
     * kernel asks this of what escaped a step, so that it stops rather than run on from the middle of that step. A
     * memory whose frames never wait returns -1.
     */
    default int frameNotPagedIn(Throwable thrown) {
        return -1;
    }
}
