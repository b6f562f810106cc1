package dev.ladle.kernel.hw;

/**
 * Why the CPU handed control back to the kernel.
 *
 * <p>A stop is also what a logged scheduler step records (the operation code and arguments of a step's record in
 * persistence's operation log, beside the thread and its registers): {@link #code()} and {@link #args()} encode it,
 * {@link #decode} gives it back. The codes are part of the log's format: a log written with them is replayed with
 * them.
 */
public sealed interface Stop {
    /** The code of a {@link Trap}; its argument: the vector. */
    int TRAP = 1;
    /** The code of a {@link Fault}; its arguments: CR2 and the error code. */
    int FAULT = 2;
    /** The code of a {@link BadInstruction}; its argument: EIP (the reason is not recorded). */
    int BAD_INSTRUCTION = 3;
    /** The code of a {@link Preempted}; its argument: the instructions run, as an unsigned 32-bit count. */
    int PREEMPTED = 4;
    /** The code of a {@link Halted}; no arguments. */
    int HALTED = 5;

    /** This stop's code in a step's record. */
    int code();

    /** This stop's arguments in a step's record. */
    int[] args();

    /**
     * The stop a step's record describes: {@code code} and {@code args} as {@link #code()} and {@link #args()} gave
     * them. Throws IllegalArgumentException naming an unknown code or a wrong number of arguments.
     */
    static Stop decode(int code, int[] args) {
        int want = switch (code) {
            case TRAP, BAD_INSTRUCTION, PREEMPTED -> 1;
            case FAULT -> 2;
            case HALTED -> 0;
            default -> throw new IllegalArgumentException("unknown step code " + code);
        };
        if (args.length != want) {
            throw new IllegalArgumentException(
                    "step code " + code + " takes " + want + " arguments, not " + args.length);
        }
        return switch (code) {
            case TRAP -> new Trap(args[0]);
            case FAULT -> new Fault(new PageFault(args[0], args[1]));
            case BAD_INSTRUCTION -> new BadInstruction(args[0], "bad instruction (replayed)");
            case PREEMPTED -> new Preempted(args[0] & 0xffffffffL);
            default -> new Halted();
        };
    }

    /** A software interrupt {@code int vector} ({@code 0x30} is the syscall); EIP is after the instruction. */
    record Trap(int vector) implements Stop {
        @Override
        public int code() {
            return TRAP;
        }

        @Override
        public int[] args() {
            return new int[] {vector};
        }
    }

    /** An access to an unmapped or protected page. */
    record Fault(PageFault fault) implements Stop {
        @Override
        public int code() {
            return FAULT;
        }

        @Override
        public int[] args() {
            return new int[] {fault.cr2(), fault.errorCode()};
        }
    }

    /** An invalid instruction or another exception the thread cannot continue from. */
    record BadInstruction(int eip, String reason) implements Stop {
        @Override
        public int code() {
            return BAD_INSTRUCTION;
        }

        @Override
        public int[] args() {
            return new int[] {eip};
        }
    }

    /** The instruction budget (the preemption quantum) ran out. */
    record Preempted(long instructions) implements Stop {
        @Override
        public int code() {
            return PREEMPTED;
        }

        @Override
        public int[] args() {
            return new int[] {(int) instructions};
        }
    }

    /** The thread executed {@code hlt}. */
    record Halted() implements Stop {
        @Override
        public int code() {
            return HALTED;
        }

        @Override
        public int[] args() {
            return new int[0];
        }
    }
}
