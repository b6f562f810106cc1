package dev.ladle.kernel.hw;

/**
 * A thread's registers as the kernel sees them at a trap. The trap entry takes one of these, so tests drive the
 * kernel through the same entry as the CPU without executing instructions.
 */
public interface RegisterFile {
    int get(Reg r);

    void set(Reg r, int value);

    /**
     * Copies the {@code count} registers from {@code first} on, in {@link Reg} order, into {@code into} from
     * {@code at} (the six message words of a system call are EBX to EBP). A register file kept as an array does it
     * with one copy.
     */
    default void get(Reg first, int count, int[] into, int at) {
        for (int i = 0; i < count; i++) {
            into[at + i] = get(Reg.ofOrdinal(first.ordinal() + i));
        }
    }

    /** Sets the {@code count} registers from {@code first} on, in {@link Reg} order, from {@code from[at..]}. */
    default void set(Reg first, int count, int[] from, int at) {
        for (int i = 0; i < count; i++) {
            set(Reg.ofOrdinal(first.ordinal() + i), from[at + i]);
        }
    }
}
