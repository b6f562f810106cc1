package dev.ladle.kernel.hw;

/**
 * A page fault as the Intel SDM reports it: the linear address (CR2) and the error code (bit 0 present, bit 1
 * write, bit 2 user). A value, not an exception: the kernel's fault path routes it to the thread's pager.
 */
public record PageFault(int cr2, int errorCode) {
    public static final int PRESENT = 1;
    public static final int WRITE = 2;
    public static final int USER = 4;

    public boolean present() {
        return (errorCode & PRESENT) != 0;
    }

    public boolean write() {
        return (errorCode & WRITE) != 0;
    }
}
