package dev.ladle.kernel.hw;

/** Why the CPU handed control back to the kernel. */
public sealed interface Stop {
    /** A software interrupt {@code int vector} ({@code 0x30} is the syscall); EIP is after the instruction. */
    record Trap(int vector) implements Stop {}

    /** An access to an unmapped or protected page. */
    record Fault(PageFault fault) implements Stop {}

    /** An invalid instruction or another exception the thread cannot continue from. */
    record BadInstruction(int eip, String reason) implements Stop {}

    /** The instruction budget (the preemption quantum) ran out. */
    record Preempted(long instructions) implements Stop {}

    /** The thread executed {@code hlt}. */
    record Halted() implements Stop {}
}
