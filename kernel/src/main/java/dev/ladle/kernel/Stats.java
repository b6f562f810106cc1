package dev.ladle.kernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run did: system calls by operation and result code, messages, faults, refusals, instructions, and,
 * when asked for, the trace of every system call. {@link #traceHash()} folds a kept trace into one number, when
 * asked for it: the trap entry only counts.
 */
public final class Stats {
    /** One system call (or a kernel action on a thread's behalf: a fault message is op 0). */
    public record Event(long step, int thread, int op, int operand, int result) {}

    private static final int RESULTS = Abi.RESULT_NAMES.length;

    /** Counts by operation (row {@code OP_NAMES.length}: unknown operations) and result code, row after row. */
    private final long[] syscalls = new long[(Abi.OP_NAMES.length + 1) * RESULTS];

    private final Map<String, Long> refusalsByGuard = new TreeMap<>();
    private final List<Event> trace;
    long messages;
    long faults;
    long faultMessages;
    long kills;
    long exits;
    long instructions;
    long steps;
    long invariantChecks;

    Stats(boolean keepTrace) {
        trace = keepTrace ? new ArrayList<>() : null;
    }

    void syscall(long step, int thread, int op, int operand, int result) {
        int row = op >= 1 && op < Abi.OP_NAMES.length ? op : Abi.OP_NAMES.length;
        syscalls[row * RESULTS + result]++;
        if (trace != null) {
            trace.add(new Event(step, thread, op, operand, result));
        }
    }

    /** A kernel event (a fault message, a kill): in the trace, not in the system-call table. */
    void event(long step, int thread, int kind, int operand) {
        if (trace != null) {
            trace.add(new Event(step, thread, kind, operand, 0));
        }
    }

    void refusal(String guard) {
        refusalsByGuard.merge(guard, 1L, Long::sum);
    }

    /** How many system calls of {@code op} returned {@code result} ({@code op} 0: unknown operations). */
    public long count(int op, int result) {
        return syscalls[(op >= 1 && op < Abi.OP_NAMES.length ? op : Abi.OP_NAMES.length) * RESULTS + result];
    }

    public long syscalls() {
        long n = 0;
        for (long c : syscalls) {
            n += c;
        }
        return n;
    }

    /** System calls that returned anything but OK. */
    public long refusals() {
        long n = 0;
        for (int i = 0; i < syscalls.length; i++) {
            n += i % RESULTS == 0 ? 0 : syscalls[i];
        }
        return n;
    }

    /** The refusals the generated machine made, by the spec guard that refused ("Send: HasRoom"). */
    public Map<String, Long> refusalsByGuard() {
        return Collections.unmodifiableMap(refusalsByGuard);
    }

    /** Messages delivered (sends with or without an item, and fault messages). */
    public long messages() {
        return messages;
    }

    public long faults() {
        return faults;
    }

    /** Faults delivered to a pager (the rest killed their thread). */
    public long faultMessages() {
        return faultMessages;
    }

    public long kills() {
        return kills;
    }

    public long exits() {
        return exits;
    }

    public long instructions() {
        return instructions;
    }

    /** Scheduler steps: times a thread was given the CPU. */
    public long steps() {
        return steps;
    }

    public long invariantChecks() {
        return invariantChecks;
    }

    /**
     * The kept trace folded into one number, so that two runs can be compared by it.
     *
     * @throws IllegalStateException when the trace was not kept ({@code Kernel.Options.keepTrace})
     */
    public long traceHash() {
        if (trace == null) {
            throw new IllegalStateException("the trace hash is computed from the trace: boot with keepTrace");
        }
        long hash = 1125899906842597L;
        for (Event e : trace) {
            hash = 31 * (31 * (31 * (31 * (31 * hash + e.step()) + e.thread()) + e.op()) + e.operand()) + e.result();
        }
        return hash;
    }

    /** Every system call in order, or null when the trace was not kept. */
    public List<Event> trace() {
        return trace == null ? null : Collections.unmodifiableList(trace);
    }

    /** Rows "OP RESULT count" for every non-zero count, in operation order. */
    public List<String> table() {
        List<String> rows = new ArrayList<>();
        for (int op = 1; op <= Abi.OP_NAMES.length; op++) {
            for (int r = 0; r < Abi.RESULT_NAMES.length; r++) {
                long c = syscalls[op * RESULTS + r];
                if (c != 0) {
                    String name = op < Abi.OP_NAMES.length ? Abi.OP_NAMES[op] : "(unknown)";
                    rows.add(String.format("%-15s %-16s %d", name, Abi.RESULT_NAMES[r], c));
                }
            }
        }
        return rows;
    }
}
