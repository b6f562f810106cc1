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
}
