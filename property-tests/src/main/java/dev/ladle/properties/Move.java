package dev.ladle.properties;

import dev.ladle.kernel.hw.RegisterFile;

/**
 * One move of an adversarial thread: a system call ({@link Syscall}), a memory access ({@link Access}) or a pager's
 * answer to a fault ({@link PagerAnswer}, a system call made from the state when it is issued).
 */
sealed interface Move permits Syscall, Access, PagerAnswer {
    /** Puts the move's operands into the thread's registers. */
    void load(RegisterFile regs);
}
