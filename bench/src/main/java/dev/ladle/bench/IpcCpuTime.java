package dev.ladle.bench;

import dev.ladle.kernel.boot.BootError;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * {@link IpcBench}'s four rows in thread CPU time per send + receive: the rows alternated in rounds of two million
 * pairs, medians of the rounds after a warm-up. Steadier than JMH's wall clock on a machine shared with other jobs
 * (a descheduled thread uses no CPU time), so it is the figure the ratios are read from. Each row runs on its own
 * {@link IpcBench} (its own kernel and register files), so no row sees another's state. Two rows of
 * {@link KernelImplBench} at 16 threads sit between them: the generated Send and Receive alone (no registers, no
 * peek) and {@link HandSend}, the same checks written by hand: the spec's guards on the copy, without the ABI.
 */
final class IpcCpuTime {
    static final String[] ROWS = {
        "trapSendReceive",
        "machineSendReceive",
        "handTrapSendReceive",
        "generatedSendReceive",
        "handWrittenSendReceive",
        "ringBufferSendReceive"
    };

    private IpcCpuTime() {}

    /** Medians in ns per pair, in {@link #ROWS} order. */
    static double[] measure(int rounds, int pairs) throws BootError {
        IpcBench[] rows = new IpcBench[ROWS.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new IpcBench();
            rows[i].setUp();
        }
        KernelImplBench machine = new KernelImplBench();
        machine.threads = 16;
        machine.setUp();
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        double[][] ns = new double[rows.length][rounds];
        int sink = 0;
        for (int r = -3; r < rounds; r++) {
            for (int i = 0; i < rows.length; i++) {
                sink += loop(i, rows[i], machine, pairs / 4); // settle after the previous row
                long t0 = cpu.getCurrentThreadCpuTime();
                sink += loop(i, rows[i], machine, pairs);
                long t1 = cpu.getCurrentThreadCpuTime();
                if (r >= 0) {
                    ns[i][r] = (t1 - t0) / (double) pairs;
                }
            }
        }
        if (sink == 42) {
            System.out.print("");
        }
        double[] medians = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            Arrays.sort(ns[i]);
            medians[i] = ns[i][rounds / 2];
        }
        return medians;
    }

    /** One loop per row, each calling its benchmark method directly (no shared, megamorphic call site). */
    private static int loop(int row, IpcBench b, KernelImplBench m, int pairs) {
        int sink = 0;
        switch (row) {
            case 0 -> {
                for (int k = 0; k < pairs; k++) {
                    sink += b.trapSendReceive();
                }
            }
            case 1 -> {
                for (int k = 0; k < pairs; k++) {
                    sink += b.machineSendReceive();
                }
            }
            case 2 -> {
                for (int k = 0; k < pairs; k++) {
                    sink += b.handTrapSendReceive();
                }
            }
            case 3 -> {
                for (int k = 0; k < pairs; k++) {
                    sink += m.generatedSendReceive().ordinal();
                }
            }
            case 4 -> {
                for (int k = 0; k < pairs; k++) {
                    sink += m.handWrittenSendReceive();
                }
            }
            default -> {
                for (int k = 0; k < pairs; k++) {
                    sink += b.ringBufferSendReceive();
                }
            }
        }
        return sink;
    }

    static void print(int rounds, int pairs) throws BootError {
        double[] ns = measure(rounds, pairs);
        double ring = ns[ROWS.length - 1];
        System.out.println();
        System.out.printf(
                "In thread CPU time per pair (medians of %d alternating rounds of %,d), ns and / ring buffer:%n",
                rounds, pairs);
        for (int i = 0; i < ROWS.length; i++) {
            System.out.printf("  %-28s %12.1f %9.2fx%n", ROWS[i], ns[i], ns[i] / ring);
        }
        System.out.printf("  trap entry / hand-written:   %10.2fx%n", ns[0] / ns[2]);
        System.out.printf("  trap entry around the machine: %8.1f ns%n", ns[0] - ns[1]);
    }

    /** {@code java -cp ladle-bench.jar dev.ladle.bench.IpcCpuTime [rounds [pairs]]}: this table alone. */
    public static void main(String[] args) throws BootError {
        print(
                args.length > 0 ? Integer.parseInt(args[0]) : 11,
                args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000);
    }
}
