package dev.ladle.bench;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** {@code ladle bench codegen}: runs the JMH benchmarks in one run and prints them side by side with ratios. */
public final class BenchMain {
    private BenchMain() {}

    /**
     * A benchmark's rows by method name; a row a benchmark did not produce (it threw: JMH printed the exception and
     * went on) is named, not a NullPointerException.
     */
    private static final class Rows extends HashMap<String, double[]> {
        @Override
        public double[] get(Object name) {
            double[] row = super.get(name);
            if (row == null) {
                throw new MissingRow(String.valueOf(name));
            }
            return row;
        }
    }

    private static final class MissingRow extends RuntimeException {
        MissingRow(String name) {
            super(name);
        }
    }

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (MissingRow m) {
            System.err.println("ladle bench: the benchmark " + m.getMessage()
                    + " gave no result: it failed (JMH's output above shows its exception)");
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        String target = args.length == 0 ? "codegen" : args[0];
        if (target.equals("persist")) {
            PersistBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (target.equals("x86")) {
            X86BenchReport.run();
            return;
        }
        if (target.equals("ipc")) {
            ipc();
            return;
        }
        if (target.equals("kernel")) {
            kernel();
            return;
        }
        if (target.equals("revoke")) {
            revoke();
            return;
        }
        if (!target.equals("codegen")) {
            System.err.println("ladle bench: unknown benchmark '" + target
                    + "' (known: codegen, ipc, kernel, persist, revoke, x86)");
            System.exit(2);
        }
        String specs = System.getProperty("ladle.specs", "specs/src/main/tla");
        Options opt = new OptionsBuilder()
                .include(CodegenBench.class.getName())
                .forks(1)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(2))
                .jvmArgsAppend("-Dladle.specs=" + specs, "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"))
                .build();
        Collection<RunResult> results = new Runner(opt).run();
        Map<String, double[]> ns = new Rows();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replaceFirst(".*\\.", "");
            ns.put(name, new double[] {
                r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()
            });
        }
        double gen = ns.get("generatedSend")[0];
        double hand = ns.get("handWrittenSend")[0];
        double tlc = ns.get("tlcEvaluatorSend")[0];
        System.out.println();
        System.out.println("Send of a 6-word message (kernel spec, MCKernel's initial state), average time per call;");
        System.out.println(
                "the generated and hand-written rows include the receiver's Receive that empties its vector:");
        System.out.printf("  %-28s %12s %10s%n", "implementation", "ns/op", "+-");
        for (String k : new String[] {"generatedSend", "handWrittenSend", "tlcEvaluatorSend"}) {
            System.out.printf("  %-28s %12.1f %10.1f%n", k, ns.get(k)[0], ns.get(k)[1]);
        }
        System.out.printf("  TLC evaluator / generated:   %10.0fx  (target >= 1000x)%n", tlc / gen);
        System.out.printf("  generated / hand-written:    %10.2fx  (target <= 1.2x)%n", gen / hand);
    }

    /** {@code ladle bench ipc}: send+receive through the trap entry beside a hand-written ring buffer. */
    static void ipc() throws RunnerException, dev.ladle.kernel.boot.BootError {
        Options opt = new OptionsBuilder()
                .include(IpcBench.class.getName())
                .forks(1)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(2))
                .build();
        Map<String, double[]> ns = new Rows();
        for (RunResult r : new Runner(opt).run()) {
            String name = r.getParams().getBenchmark().replaceFirst(".*\\.", "");
            ns.put(name, new double[] {
                r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()
            });
        }
        double trap = ns.get("trapSendReceive")[0];
        double ring = ns.get("ringBufferSendReceive")[0];
        double machine = ns.get("machineSendReceive")[0];
        double hand = ns.get("handTrapSendReceive")[0];
        System.out.println();
        System.out.println("Send + receive of a 6-word message between two register files, average time per pair:");
        System.out.printf("  %-28s %12s %10s%n", "implementation", "ns/op", "+-");
        for (String k :
                new String[] {"trapSendReceive", "machineSendReceive", "handTrapSendReceive", "ringBufferSendReceive"
                }) {
            System.out.printf("  %-28s %12.1f %10.1f%n", k, ns.get(k)[0], ns.get(k)[1]);
        }
        System.out.printf("  trap entry / ring buffer:    %10.2fx  (target <= 1.5x)%n", trap / ring);
        System.out.printf(
                "  generated actions / ring:    %10.2fx  (the machine's Send and Receive alone)%n", machine / ring);
        System.out.printf(
                "  hand-written trap / ring:    %10.2fx  (the spec's guards and the ABI's work, by hand)%n",
                hand / ring);
        System.out.printf("  trap entry / hand-written:   %10.2fx%n", trap / hand);
        System.out.printf(
                "  trap entry around them:      %10.1f ns (decode, local-id lookup, registers, statistics)%n",
                trap - machine);
        IpcCpuTime.print(11, 2_000_000);
    }

    /**
     * {@code ladle bench kernel}: the scale table of the machine generated from KernelImpl.tla, one JMH run. State
     * memory per unit (from the generated state size at configurations that differ in one dimension); the heap a
     * machine at the target configuration (4,096 threads x 64 local ids, 64 processes x 1,024 pages, 65,536 frames)
     * takes, state and scratch, measured; send+receive at 16 and 4,096 threads of that configuration beside a
     * hand-written version making the same checks (in forks with a 1 GiB heap); revoke and unmap of 1, 10 and 100
     * descendants at 16 and 4,096 threads ({@link RevokeBench}, the 0 row its fixed cost).
     */
    static void kernel() throws RunnerException {
        int t = 64;
        int k = 64;
        int p = 16;
        int f = 64;
        int m = 4;
        int q = 16;
        long base = words(t, k, p, f, m, q);
        BenchTable table = new BenchTable("KernelImpl at scale (ladle bench kernel), baselines from the same run:");
        double perThread = 4.0
                * (words(2 * t, k, p, f, m, q)
                        - base
                        - (words(t, 2 * k, p, f, m, q) - base)
                        - (words(t, k, p, f, 2 * m, q) - base))
                / t;
        double perLocalId = 4.0 * (words(t, 2 * k, p, f, m, q) - base) / (t * k);
        double perPage = 4.0 * (words(t, k, 2 * p, f, m, q) - base) / (q * p);
        double perSlot = 4.0 * (words(t, k, p, f, 2 * m, q) - base) / (t * m);
        double perFrame = 4.0 * (words(t, k, p, 2 * f, m, q) - base) / f;
        double perProcess = 4.0 * (words(t, k, p, f, m, 2 * q) - base - (words(t, k, 2 * p, f, m, q) - base)) / q;
        System.out.println("KernelImpl state memory (bytes, from the generated layout):");
        System.out.printf("  per thread (beside its table and ring):    %8.1f%n", perThread);
        System.out.printf("  per (thread x local id):                   %8.1f%n", perLocalId);
        System.out.printf("  per page (process x page):                 %8.1f%n", perPage);
        System.out.printf("  per message slot (thread x slot):          %8.1f%n", perSlot);
        System.out.printf("  per frame:                                 %8.1f%n", perFrame);
        System.out.printf("  per process (beside its pages):            %8.1f%n", perProcess);
        table.row("state per thread (beside its table and ring)", bytes(perThread), "", "");
        table.row("state per (thread x local id)", bytes(perLocalId), "", "");
        table.row("state per page (process x page)", bytes(perPage), "", "");
        table.row("state per message slot (thread x slot)", bytes(perSlot), "", "");
        table.row("state per frame", bytes(perFrame), "", "");
        table.row("state per process (beside its pages)", bytes(perProcess), "", "");
        int bt = 4096;
        int bk = KernelImplBench.LOCAL_IDS;
        int bp = KernelImplBench.PAGES;
        int bf = KernelImplBench.FRAMES;
        int bm = KernelImplBench.MAX_MSGS;
        int bq = KernelImplBench.PROCS;
        long big = words(bt, bk, bp, bf, bm, bq);
        long heap = heapOf(bt, bk, bp, bf, bm, bq);
        System.out.printf(
                "  %,d threads x %d local ids, %d processes x %,d pages, %,d frames, vectors of %d:%n",
                bt, bk, bq, bp, bf, bm);
        System.out.printf(
                "    state %,d bytes; heap taken by the machine (state, scratch, objects) %,d bytes = %.1f MiB"
                        + " (target: fits in 1 GiB)%n",
                4 * big, heap, heap / 1048576.0);
        table.row(
                String.format(
                        "heap of the machine at %,d threads x %d ids, %d x %,d pages, %,d frames", bt, bk, bq, bp, bf),
                String.format("%.1f MiB (state %.1f MiB)", heap / 1048576.0, 4 * big / 1048576.0),
                "1 GiB",
                String.format("%.3f (<= 1)", heap / (1024.0 * 1048576.0)));
        Options opt = new OptionsBuilder()
                .include(KernelImplBench.class.getName())
                .include(RevokeBench.class.getName())
                .param("descendants", "0", "1", "10", "100")
                .jvmArgsAppend("-Xmx1g")
                .forks(1)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(1))
                .build();
        Map<String, double[]> ns = new Rows();
        for (RunResult r : new Runner(opt).run()) {
            String d = r.getParams().getParam("descendants");
            String name = r.getParams().getBenchmark().replaceFirst(".*\\.", "") + "@"
                    + r.getParams().getParam("threads") + (d == null ? "" : "/" + d);
            ns.put(name, new double[] {
                r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()
            });
        }
        System.out.println();
        System.out.println("Send + receive of a 6-word message, average time per pair (forks with -Xmx1g):");
        System.out.printf("  %-36s %12s %10s%n", "implementation@threads", "ns/op", "+-");
        for (String key : new String[] {
            "generatedSendReceive@16",
            "generatedSendReceive@4096",
            "handWrittenSendReceive@16",
            "handWrittenSendReceive@4096"
        }) {
            System.out.printf("  %-36s %12.1f %10.1f%n", key, ns.get(key)[0], ns.get(key)[1]);
        }
        double g16 = ns.get("generatedSendReceive@16")[0];
        double g4k = ns.get("generatedSendReceive@4096")[0];
        double h16 = ns.get("handWrittenSendReceive@16")[0];
        double h4k = ns.get("handWrittenSendReceive@4096")[0];
        System.out.printf("  generated 4,096 / 16 threads:        %8.2fx  (target <= 1.2x)%n", g4k / g16);
        System.out.printf("  generated / hand-written (16):       %8.2fx  (target <= 1.3x)%n", g16 / h16);
        System.out.printf("  generated / hand-written (4,096):    %8.2fx  (target <= 1.3x)%n", g4k / h4k);
        table.row("send+receive at 4,096 threads (JMH)", ns(g4k), ns(g16) + " at 16 threads", x(g4k / g16, "<= 1.2x"));
        table.row(
                "send+receive, generated, 16 threads (JMH)",
                ns(g16),
                ns(h16) + " hand-written",
                x(g16 / h16, "<= 1.3x"));
        table.row(
                "send+receive, generated, 4,096 threads (JMH)",
                ns(g4k),
                ns(h4k) + " hand-written",
                x(g4k / h4k, "<= 1.3x"));
        System.out.println();
        System.out.println("Revoke and unmap (the kernel's walk, run to completion), average time per call, ns:");
        System.out.printf(
                "  %-8s %11s %12s %12s %12s %12s %10s%n",
                "", "descendants", "16 threads", "4,096 thr.", "ns/desc@16", "ns/desc@4096", "4096/16");
        for (String op : new String[] {"revoke", "unmap"}) {
            double zero16 = ns.get(op + "@16/0")[0];
            double zero4k = ns.get(op + "@4096/0")[0];
            for (int d : new int[] {0, 1, 10, 100}) {
                double a = ns.get(op + "@16/" + d)[0];
                double b = ns.get(op + "@4096/" + d)[0];
                System.out.printf(
                        "  %-8s %11d %12.1f %12.1f %12s %12s %9.2fx%n",
                        op,
                        d,
                        a,
                        b,
                        d == 0 ? "(fixed)" : String.format("%.1f", (a - zero16) / d),
                        d == 0 ? "(fixed)" : String.format("%.1f", (b - zero4k) / d),
                        b / a);
                if (d > 0) {
                    table.row(
                            String.format("%s of %d descendant%s, 4,096 threads (JMH)", op, d, d == 1 ? "" : "s"),
                            String.format("%s (%.1f ns per descendant)", ns(b), (b - zero4k) / d),
                            ns(a) + " at 16 threads",
                            x(b / a, "flat in threads; per descendant constant"));
                }
            }
        }
        System.out.println("  (target: proportional to the descendants removed, not to the system's size)");
        sendReceiveCpu(table);
        freeFrame(table);
        freeSlot(table);
        freePage(table);
        table.print(System.out);
    }

    private static String bytes(double b) {
        return String.format("%.1f bytes", b);
    }

    private static String ns(double v) {
        return String.format("%,.1f ns", v);
    }

    private static String x(double ratio, String target) {
        return String.format("%.2fx (%s)", ratio, target);
    }

    /**
     * The free-frame lookup at 65,536 frames ({@link FreeFrameBench}): the generated CopyPage+Receive with the
     * free frames far into the bitmap and near its start (the difference is the lookup), beside a hand-written
     * {@code numberOfTrailingZeros} scan (the baseline) and the bit-by-bit loop the generator emitted before, far
     * and near, in one JMH run.
     */
    static void freeFrame(BenchTable table) throws RunnerException {
        Options opt = new OptionsBuilder()
                .include(FreeFrameBench.class.getName())
                .jvmArgsAppend("-Xmx1g")
                .forks(1)
                .build();
        Map<String, double[]> us = new Rows();
        for (RunResult r : new Runner(opt).run()) {
            String name = r.getParams().getBenchmark().replaceFirst(".*\\.", "") + "@"
                    + r.getParams().getParam("free");
            // a shot is FreeFrameBench.CALLS calls: ns per call; the median shot and the fastest, since a shot the
            // scheduler interrupted on a loaded machine moves the mean by more than the lookup costs
            var st = r.getPrimaryResult().getStatistics();
            us.put(name, new double[] {
                st.getPercentile(50) * 1000.0 / FreeFrameBench.CALLS, st.getMin() * 1000.0 / FreeFrameBench.CALLS
            });
        }
        System.out.println();
        System.out.println("Free-frame lookup at 65,536 frames (free frames: far = from 64,001, near = from 1),"
                + " ns per call, median (fastest) of 40 shots of 1,000 calls:");
        System.out.printf("  %-34s %12s %10s %12s %10s %12s%n", "", "far", "(min)", "near", "(min)", "far - near");
        String[] rows = {"generatedCopyPage", "handNtzLookup", "handBitLoopLookup"};
        String[] labels = {
            "generated CopyPage + Receive", "hand-written ntz scan (baseline)", "bit-by-bit loop (before)"
        };
        double[] diff = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            double[] far = us.get(rows[i] + "@far");
            double[] near = us.get(rows[i] + "@near");
            diff[i] = far[0] - near[0];
            System.out.printf(
                    "  %-34s %12.1f %10.1f %12.1f %10.1f %12.1f%n",
                    labels[i], far[0], far[1], near[0], near[1], diff[i]);
        }
        // far - near: the cost of the 2,000 words between the two starts, what a lookup far into the bitmap adds
        System.out.printf(
                "  generated / ntz baseline (far - near):  %8.2fx  (after: the head of a free list)%n",
                diff[0] / diff[1]);
        System.out.printf(
                "  bit-by-bit / ntz baseline (far - near): %8.2fx  (before: the lowering the generator replaced)%n",
                diff[2] / diff[1]);
        System.out.printf("  bit-by-bit / generated (far - near):    %8.2fx  (before / after)%n", diff[2] / diff[0]);
        table.row(
                "free-frame lookup 64,000 frames in (generated CopyPage, far - near)",
                ns(diff[0]) + " (a free list's head: no scan)",
                ns(diff[1]) + " hand-written ntz scan of 2,000 words",
                x(diff[0] / diff[1], "O(1): far - near within noise of 0, see docs/specs.md"));
    }

    /**
     * The free-slot lookup in a table of 65,536 local ids ({@link FreeSlotBench}): the generated CopyCap+Receive with
     * the receiver's free slots far into its bitmap and near its start (the difference is the lookup), beside a
     * hand-written {@code numberOfTrailingZeros} scan of the same bitmap (the baseline, and what the lowest free slot
     * cost before the free list), far and near, in one JMH run.
     */
    static void freeSlot(BenchTable table) throws RunnerException {
        Options opt = new OptionsBuilder()
                .include(FreeSlotBench.class.getName())
                .jvmArgsAppend("-Xmx1g")
                .forks(1)
                .build();
        Map<String, double[]> us = new Rows();
        for (RunResult r : new Runner(opt).run()) {
            String name = r.getParams().getBenchmark().replaceFirst(".*\\.", "") + "@"
                    + r.getParams().getParam("free");
            var st = r.getPrimaryResult().getStatistics();
            us.put(name, new double[] {
                st.getPercentile(50) * 1000.0 / FreeSlotBench.CALLS, st.getMin() * 1000.0 / FreeSlotBench.CALLS
            });
        }
        System.out.println();
        System.out.println("Free-slot lookup in a table of 65,536 local ids (free slots: far = from 64,001, near = from"
                + " 1), ns per call, median (fastest) of 40 shots of 1,000 calls:");
        System.out.printf("  %-34s %12s %10s %12s %10s %12s%n", "", "far", "(min)", "near", "(min)", "far - near");
        String[] rows = {"generatedCopyCap", "handNtzLookup"};
        String[] labels = {"generated CopyCap + Receive", "hand-written ntz scan (baseline)"};
        double[] diff = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            double[] far = us.get(rows[i] + "@far");
            double[] near = us.get(rows[i] + "@near");
            diff[i] = far[0] - near[0];
            System.out.printf(
                    "  %-34s %12.1f %10.1f %12.1f %10.1f %12.1f%n",
                    labels[i], far[0], far[1], near[0], near[1], diff[i]);
        }
        System.out.printf(
                "  generated / ntz baseline (far - near):  %8.2fx  (after: the head of a free list)%n",
                diff[0] / diff[1]);
        table.row(
                "free-slot lookup 64,000 slots in (generated CopyCap, far - near)",
                ns(diff[0]) + " (a free list's head: no scan)",
                ns(diff[1]) + " hand-written ntz scan of 2,000 words",
                x(diff[0] / diff[1], "O(1): far - near within noise of 0, see docs/specs.md"));
    }

    /**
     * The free-page lookup in a window of 65,536 pages ({@link FreePageBench}): the generated MapPage+Receive with the
     * receiver's free pages far into its bitmap and near its start (the difference is the lookup), beside a
     * hand-written {@code numberOfTrailingZeros} scan of the same bitmap (the baseline, and what the lowest free page
     * cost before the free list), far and near, in one JMH run.
     */
    static void freePage(BenchTable table) throws RunnerException {
        Options opt = new OptionsBuilder()
                .include(FreePageBench.class.getName())
                .jvmArgsAppend("-Xmx1g")
                .forks(1)
                .build();
        Map<String, double[]> us = new Rows();
        for (RunResult r : new Runner(opt).run()) {
            String name = r.getParams().getBenchmark().replaceFirst(".*\\.", "") + "@"
                    + r.getParams().getParam("free");
            var st = r.getPrimaryResult().getStatistics();
            us.put(name, new double[] {
                st.getPercentile(50) * 1000.0 / FreePageBench.CALLS, st.getMin() * 1000.0 / FreePageBench.CALLS
            });
        }
        System.out.println();
        System.out.println("Free-page lookup in a window of 65,536 pages (free pages: far = from 64,001, near = from"
                + " 1), ns per call, median (fastest) of 40 shots of 1,000 calls:");
        System.out.printf("  %-34s %12s %10s %12s %10s %12s%n", "", "far", "(min)", "near", "(min)", "far - near");
        String[] rows = {"generatedMapPage", "handNtzLookup"};
        String[] labels = {"generated MapPage + Receive", "hand-written ntz scan (baseline)"};
        double[] diff = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            double[] far = us.get(rows[i] + "@far");
            double[] near = us.get(rows[i] + "@near");
            diff[i] = far[0] - near[0];
            System.out.printf(
                    "  %-34s %12.1f %10.1f %12.1f %10.1f %12.1f%n",
                    labels[i], far[0], far[1], near[0], near[1], diff[i]);
        }
        System.out.printf(
                "  generated / ntz baseline (far - near):  %8.2fx  (after: the head of a free list)%n",
                diff[0] / diff[1]);
        table.row(
                "free-page lookup 64,000 pages in (generated MapPage, far - near)",
                ns(diff[0]) + " (a free list's head: no scan)",
                ns(diff[1]) + " hand-written ntz scan of 2,000 words",
                x(diff[0] / diff[1], "O(1): far - near within noise of 0, see docs/specs.md"));
    }

    /**
     * Send+receive in thread CPU time per pair, generated and hand-written at 16 and at 4,096 threads alternated in
     * rounds of two million pairs (each round runs all four, so a change of the machine's load between rounds moves
     * them alike), medians of 11 rounds after a warm-up: steadier than JMH's wall clock on a machine shared with
     * other jobs, since a descheduled thread uses no CPU time. The ratios are also taken round by round, and their
     * spread (lowest to highest) printed beside their median: the noise the figure carries.
     */
    static void sendReceiveCpu(BenchTable table) {
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        int rounds = 11;
        int n = 2_000_000;
        System.out.println();
        System.out.printf(
                "Send + receive in thread CPU time per pair (medians of %d rounds of 2M, the four rows alternated),"
                        + " ns:%n",
                rounds);
        int[] sizes = {16, 4096};
        KernelImplBench[] b = new KernelImplBench[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            b[i] = new KernelImplBench();
            b[i].threads = sizes[i];
            b[i].setUp();
        }
        double[][] g = new double[sizes.length][rounds];
        double[][] h = new double[sizes.length][rounds];
        for (int r = -2; r < rounds; r++) {
            for (int i = 0; i < sizes.length; i++) {
                long t0 = cpu.getCurrentThreadCpuTime();
                for (int k = 0; k < n; k++) {
                    b[i].generatedSendReceive();
                }
                long t1 = cpu.getCurrentThreadCpuTime();
                for (int k = 0; k < n; k++) {
                    b[i].handWrittenSendReceive();
                }
                long t2 = cpu.getCurrentThreadCpuTime();
                if (r >= 0) {
                    g[i][r] = (t1 - t0) / (double) n;
                    h[i][r] = (t2 - t1) / (double) n;
                }
            }
        }
        double[] scale = new double[rounds];
        double[][] gh = new double[sizes.length][rounds];
        for (int r = 0; r < rounds; r++) {
            scale[r] = g[1][r] / g[0][r];
            for (int i = 0; i < sizes.length; i++) {
                gh[i][r] = g[i][r] / h[i][r];
            }
        }
        for (int i = 0; i < sizes.length; i++) {
            System.out.printf(
                    "  %,6d threads: generated %6.1f, hand-written %6.1f, generated / hand-written %5.2fx"
                            + " (rounds %.2f to %.2f)  (target <= 1.3x)%n",
                    sizes[i], median(g[i]), median(h[i]), median(gh[i]), min(gh[i]), max(gh[i]));
        }
        System.out.printf(
                "  generated 4,096 / 16 threads: %5.2fx (rounds %.2f to %.2f)  (target <= 1.2x)%n",
                median(scale), min(scale), max(scale));
        for (int i = 0; i < sizes.length; i++) {
            table.row(
                    String.format("send+receive, generated, %,d threads (thread CPU time)", sizes[i]),
                    ns(median(g[i])),
                    ns(median(h[i])) + " hand-written",
                    String.format("%.2fx, rounds %.2f to %.2f (<= 1.3x)", median(gh[i]), min(gh[i]), max(gh[i])));
        }
        table.row(
                "send+receive at 4,096 threads (thread CPU time)",
                ns(median(g[1])),
                ns(median(g[0])) + " at 16 threads",
                String.format("%.2fx, rounds %.2f to %.2f (<= 1.2x)", median(scale), min(scale), max(scale)));
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double min(double[] xs) {
        return java.util.Arrays.stream(xs).min().orElseThrow();
    }

    private static double max(double[] xs) {
        return java.util.Arrays.stream(xs).max().orElseThrow();
    }

    /** The heap a machine of this configuration takes once built and initialised (its state and scratch). */
    private static long heapOf(int threads, int localIds, int pages, int frames, int maxMsgs, int procs) {
        long before = usedAfterGc();
        Object machine = KernelImplBench.ring(threads, localIds, pages, frames, maxMsgs, procs);
        long after = usedAfterGc();
        java.lang.ref.Reference.reachabilityFence(machine);
        return after - before;
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /**
     * {@code ladle bench revoke}: revoke and unmap as the kernel runs them, by number of descendants removed (0, 1,
     * 4, ..., 256) at 16 and 4,096 threads. The 0 row is the fixed cost measured in the same run; the slope is
     * (time - time at 0) / descendants, and the last column compares 4,096 threads with 16.
     */
    static void revoke() throws RunnerException {
        Options opt = new OptionsBuilder()
                .include(RevokeBench.class.getName())
                .forks(1)
                .warmupIterations(2)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(3)
                .measurementTime(TimeValue.seconds(1))
                .build();
        Map<String, double[]> ns = new Rows();
        java.util.TreeSet<Integer> counts = new java.util.TreeSet<>();
        for (RunResult r : new Runner(opt).run()) {
            String name = r.getParams().getBenchmark().replaceFirst(".*\\.", "");
            int d = Integer.parseInt(r.getParams().getParam("descendants"));
            counts.add(d);
            ns.put(name + "@" + r.getParams().getParam("threads") + "/" + d, new double[] {
                r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()
            });
        }
        for (String op : new String[] {"revoke", "unmap"}) {
            System.out.println();
            System.out.println(op + " (the kernel's walk, run to completion), average time per call:");
            System.out.printf(
                    "  %11s %14s %12s %14s %12s %12s %12s %10s%n",
                    "descendants", "16 threads", "+-", "4,096 thr.", "+-", "ns/desc@16", "ns/desc@4096", "4096/16");
            double[] zero16 = ns.get(op + "@16/0");
            double[] zero4k = ns.get(op + "@4096/0");
            for (int d : counts) {
                double[] a = ns.get(op + "@16/" + d);
                double[] b = ns.get(op + "@4096/" + d);
                System.out.printf(
                        "  %11d %14.1f %12.1f %14.1f %12.1f %12s %12s %9.1fx%n",
                        d,
                        a[0],
                        a[1],
                        b[0],
                        b[1],
                        d == 0 ? "(fixed)" : String.format("%.1f", (a[0] - zero16[0]) / d),
                        d == 0 ? "(fixed)" : String.format("%.1f", (b[0] - zero4k[0]) / d),
                        b[0] / a[0]);
            }
        }
        System.out.println("  (target: proportional to the descendants removed, not to the system's size: the"
                + " slope flat across rows, 4,096 / 16 near 1)");
    }

    private static long words(int threads, int localIds, int pages, int frames, int maxMsgs, int procs) {
        return new dev.ladle.kernel.gen.kernelimpl.KernelImplMachine(
                        KernelImplBench.config(threads, localIds, pages, frames, maxMsgs, procs, 1))
                .stateSize();
    }
}
