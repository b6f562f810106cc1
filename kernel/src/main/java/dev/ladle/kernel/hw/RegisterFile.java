package dev.ladle.kernel.hw;

/**
 * A thread's registers as the kernel sees them at a trap. The trap entry takes one of these, so tests drive the
 * kernel through the same entry as the CPU without executing instructions.
 */
public interface RegisterFile {
    int get(Reg r);

    void set(Reg r, int value);
}
