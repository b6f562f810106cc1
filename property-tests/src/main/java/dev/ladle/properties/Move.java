package dev.ladle.properties;

import dev.ladle.kernel.hw.RegisterFile;

/** One move of an adversarial thread: a system call ({@link Syscall}) or a memory access ({@link Access}). */
sealed interface Move permits Syscall, Access {
    /** Puts the move's operands into the thread's registers. */
    void load(RegisterFile regs);
}
