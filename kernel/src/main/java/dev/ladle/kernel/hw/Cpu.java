package dev.ladle.kernel.hw;

/** Runs a thread's user code until it traps, faults, halts or uses up its quantum. */
public interface Cpu {
    /**
     * Loads {@code regs} into the CPU, runs in {@code space} for at most {@code maxInstructions} instructions, and
     * stores the registers back into {@code regs} before returning why it stopped.
     */
    Stop run(AddressSpace space, RegisterFile regs, long maxInstructions);

    /** Instructions executed by the last {@link #run}. */
    long lastInstructionCount();
}
