package dev.ladle.bench;

import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.persist.Checkpointer;
import dev.ladle.persist.Operation;
import dev.ladle.persist.Persistence;
import dev.ladle.persist.ProtocolTrace;
import dev.ladle.persist.Recovery;
import dev.ladle.persist.log.RecordType;
import dev.ladle.persist.log.TransactionLog;
import dev.ladle.persist.model.DependencyOrder;
import dev.ladle.persist.model.KernelObject;
import dev.ladle.persist.model.ObjectRef;
import dev.ladle.persist.sim.SimWorld;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ladle bench persist}: one run, one table. The raw disk is measured first by the benchmark itself, on the
 * same file system (a folder beside the log files), and every persistence figure is printed beside it as a ratio.
 * Files are kept modest and deleted at the end. The system made durable is the in-memory stand-in world
 * ({@link SimWorld}) until the kernel is connected.
 */
public final class PersistBench {
    private PersistBench() {}

    private static final double MB = 1 << 20;
    private static final List<String[]> rows = new ArrayList<>();

    private static void row(String what, String value, String baseline, String ratio) {
        rows.add(new String[] {what, value, baseline, ratio});
        System.err.printf("  %-52s %s%n", what, value);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory(
                Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir")), "ladle-persist-bench");
        try {
            run(dir);
        } finally {
            try (var w = Files.walk(dir)) {
                for (Path p : w.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        print();
    }

    private static void run(Path dir) throws Exception {
        System.err.println("ladle bench persist: measuring in " + dir);
        double loadBefore = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage();
        // ---- the raw disk
        Path raw = dir.resolve("raw");
        long rawSize = 128L << 20;
        double rawWrite = rawWriteMBs(raw, rawSize);
        double[] fsync = fsyncRate(dir.resolve("fsync"));
        double rawRead = rawReadMBs(raw);
        Files.delete(raw);
        row("raw sequential write + force (128 MiB)", f1(rawWrite) + " MB/s", "", "");
        row(
                "raw fsync rate (4 KiB appended + force, preallocated)",
                f0(fsync[0]) + " /s (" + f2(fsync[1]) + " ms each)",
                "",
                "");
        row("raw sequential read (128 MiB, page cache as for recovery)", f1(rawRead) + " MB/s", "", "");

        warmUp(dir.resolve("warm.log"));

        // ---- checkpoint streaming: 64 MiB of written memory
        SimWorld w = filledWorld(16, 1024, 1.0);
        Path ck = dir.resolve("ck.log");
        long ckBytes;
        double streamMBs;
        try (Persistence p = Persistence.start(
                ck, opts(160L << 20), w, Persistence.Mode.CHECKPOINT, Integer.MAX_VALUE, ProtocolTrace.NONE)) {
            Checkpointer.Result r = p.checkpointNow(false);
            ckBytes = r.bytes();
            streamMBs = r.framesWritten()
                    * (double) PhysicalMemory.PAGE_SIZE
                    / MB
                    / ((r.totalNanos() - r.pauseNanos()) / 1e9);
        }
        row(
                "checkpoint streaming, 64 MiB written memory",
                f1(streamMBs) + " MB/s",
                f1(rawWrite) + " MB/s",
                f2(streamMBs / rawWrite) + " (target >= 0.9)");

        // ---- recovery of that checkpoint, full and lazy; baseline: the same file read raw just before
        long[] fullR = recoverBest(ck, 16, 1024, false);
        double ckRead = fullR[3] / 1e3;
        long fullNanos = fullR[0];
        double recMBs = fullR[1] / MB / (fullNanos / 1e9);
        row(
                "recovery, full restore of 64 MiB (best of 3)",
                f1(recMBs) + " MB/s (" + ms(fullNanos) + ")",
                f1(ckRead) + " MB/s raw read of the same log (best of 3, each before a recovery)",
                f2(recMBs / ckRead) + " (target >= 0.7)");
        double recCpuMBs = fullR[1] / MB / (fullR[2] / 1e9);
        row(
                "recovery, the same by the recovering thread's CPU time",
                f1(recCpuMBs) + " MB/s (" + ms(fullR[2]) + " CPU)",
                f1(ckRead) + " MB/s raw read of the same log",
                f2(recCpuMBs / ckRead) + " (wall time waits for a CPU)");
        long firstNanos = recoverBest(ck, 16, 1024, true)[0];
        row(
                "time to first instruction, 64 MiB (lazy)",
                ms(firstNanos),
                ms(fullNanos) + " full restore",
                f2((double) firstNanos / fullNanos));
        Files.delete(ck);

        // ---- 1 GiB of memory, 64 MiB of it written: lazy first instruction vs full
        SimWorld big = filledWorld(16, 16384, 1.0 / 16);
        Path bigLog = dir.resolve("big.log");
        try (Persistence p = Persistence.start(
                bigLog, opts(160L << 20), big, Persistence.Mode.CHECKPOINT, Integer.MAX_VALUE, ProtocolTrace.NONE)) {
            // start took the full checkpoint
        }
        long bigFull = recoverBest(bigLog, 16, 16384, false)[0];
        long bigFirst = recoverBest(bigLog, 16, 16384, true)[0];
        row(
                "time to first instruction, 1 GiB (64 MiB written; lazy)",
                ms(bigFirst),
                ms(bigFull) + " full restore",
                f2((double) bigFirst / bigFull));
        Files.delete(bigLog);

        // ---- stop-the-world pause per GiB
        Path pl = dir.resolve("pause.log");
        for (int pages : new int[] {1024, 4096, 16384}) {
            SimWorld pw = filledWorld(16, pages, 1.0 / 64);
            long best = Long.MAX_VALUE;
            long[] all = new long[7];
            try (TransactionLog log = TransactionLog.create(pl, opts(64L << 20))) {
                Checkpointer c = new Checkpointer(log, pw, ProtocolTrace.NONE);
                for (int i = 0; i < all.length; i++) {
                    all[i] = c.stopTheWorldOnly();
                }
            }
            Files.delete(pl);
            Arrays.sort(all);
            long median = all[all.length / 2];
            double gib = pw.memoryBytes() / (double) (1L << 30);
            row(
                    "stop-the-world pause, " + (pw.memoryBytes() >> 20) + " MiB memory",
                    f3(median / 1e6) + " ms (" + f3(median / 1e6 / gib) + " ms per GiB)",
                    "",
                    "target <= 1 ms per GiB");
        }

        // ---- group commit: durable operations per second, latency to acknowledgement
        groupCommit(dir.resolve("gc.log"), fsync[1], 1024);
        groupCommit(dir.resolve("gc.log"), fsync[1], 16);

        // ---- per-process checkpoint: the dependency closure against the whole system
        SimWorld sys = new SimWorld(8, 2, 512);
        List<KernelObject> objs = sys.objects(sys.state());
        List<ObjectRef> roots = sys.processObjects(0);
        int closure = DependencyOrder.closure(objs, roots).size();
        row(
                "per-process checkpoint: closure of process 0 of 8 (all it owns)",
                closure + " objects",
                objs.size() + " objects in the system",
                f2((double) closure / objs.size()));

        // ---- checkpoint vs oplog vs hybrid, same workload
        for (Persistence.Mode m : Persistence.Mode.values()) {
            modes(dir.resolve("mode-" + m + ".log"), m);
        }
        double loadAfter = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage();
        row(
                "machine load average (1 min), at start / at end",
                f2(loadBefore) + " / " + f2(loadAfter),
                Runtime.getRuntime().availableProcessors() + " CPUs",
                "");
    }

    /** The same code paths on 16 MiB, three times, so the figures below are of compiled code. */
    private static void warmUp(Path log) throws Exception {
        for (int round = 0; round < 3; round++) {
            SimWorld w = filledWorld(4, 1024, 1.0);
            try (Persistence p = Persistence.start(
                    log, opts(48L << 20), w, Persistence.Mode.CHECKPOINT, Integer.MAX_VALUE, ProtocolTrace.NONE)) {
                p.checkpointNow(false);
            }
            for (boolean lazy : new boolean[] {false, true}) {
                try (Recovery rec = Recovery.open(log, new SimWorld(4, 2, 1024), ProtocolTrace.NONE)) {
                    rec.run(lazy);
                }
            }
            Files.delete(log);
        }
    }

    /**
     * Best of three recoveries (the page cache holds the log in every one, as it held the raw file): wall ns, bytes,
     * CPU ns, and the best of three raw reads of the same file, each just before a recovery (in kB/s), so baseline and
     * recovery are measured in the same conditions.
     */
    private static long[] recoverBest(Path log, int processes, int pages, boolean lazy) throws Exception {
        long best = Long.MAX_VALUE;
        long bestCpu = Long.MAX_VALUE;
        long bytes = 0;
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        double bestRead = 0;
        for (int i = 0; i < 3; i++) {
            bestRead = Math.max(bestRead, rawReadMBs(log));
            SimWorld w = new SimWorld(processes, 2, pages);
            try (Recovery rec = Recovery.open(log, w, ProtocolTrace.NONE)) {
                long c0 = mx.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                Recovery.Result r = rec.run(lazy);
                best = Math.min(best, System.nanoTime() - t0);
                bestCpu = Math.min(bestCpu, mx.getCurrentThreadCpuTime() - c0);
                bytes = r.bytesScanned();
            }
        }
        return new long[] {best, bytes, bestCpu, Math.round(bestRead * 1e3)};
    }

    private static TransactionLog.Options opts(long size) {
        return TransactionLog.Options.defaults().withFileSize(size);
    }

    /** A world of {@code processes} x 2 threads with {@code pages} pages each, a share of its frames written. */
    private static SimWorld filledWorld(int processes, int pages, double share) {
        SimWorld w = new SimWorld(processes, 2, pages);
        Random r = new Random(1);
        byte[] f = new byte[PhysicalMemory.PAGE_SIZE];
        int n = (int) (w.frames() * share);
        for (int i = 0; i < n; i++) {
            r.nextBytes(f);
            w.memory().installFrame(i, f);
        }
        return w;
    }

    private static double rawWriteMBs(Path file, long size) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
        new Random(2).ints(b.capacity() / 4).forEach(x -> b.putInt(x));
        long t0 = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long at = 0; at < size; at += b.capacity()) {
                b.clear();
                while (b.hasRemaining()) {
                    ch.write(b, at + b.position());
                }
            }
            ch.force(false);
        }
        return size / MB / ((System.nanoTime() - t0) / 1e9);
    }

    private static double rawReadMBs(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1 << 20);
        long n = 0;
        long t0 = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            int r;
            while ((r = ch.read(b.clear(), n)) > 0) {
                n += r;
            }
        }
        return n / MB / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * fsyncs per second and ms per fsync, the way a log uses them: successive 4 KiB blocks of a preallocated file,
     * each written and forced, for about 2 seconds.
     */
    private static double[] fsyncRate(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4096);
        long size = 16L << 20;
        int n = 0;
        long t0;
        try (FileChannel ch = FileChannel.open(
                file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            for (long at = 0; at < size; at += b.capacity()) {
                ch.write(b.clear(), at);
            }
            ch.force(true);
            t0 = System.nanoTime();
            while (System.nanoTime() - t0 < 2_000_000_000L) {
                b.clear().putInt(0, n);
                ch.write(b, (n * 4096L) % size);
                ch.force(false);
                n++;
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        Files.delete(file);
        return new double[] {n / s, s * 1000 / n};
    }

    private static void groupCommit(Path file, double fsyncMs, int window) throws Exception {
        int threads = 4;
        int payload = 64;
        long[] lat = new long[4_000_000];
        AtomicLong done = new AtomicLong();
        AtomicLong idx = new AtomicLong();
        long flushes;
        double secs;
        try (TransactionLog log = TransactionLog.create(file, opts(256L << 20))) {
            long limit = (log.capacity() - log.reserve()) / 2;
            long t0 = System.nanoTime();
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread th = new Thread(() -> {
                    Semaphore outstanding = new Semaphore(window);
                    byte[] p = new byte[payload];
                    try {
                        while (System.nanoTime() - t0 < 3_000_000_000L && log.usedBytes() < limit) {
                            outstanding.acquire();
                            long start = System.nanoTime();
                            CompletableFuture<Long> f =
                                    log.append(RecordType.OPERATION, p).durable();
                            f.thenRun(() -> {
                                long i = idx.getAndIncrement();
                                if (i < lat.length) {
                                    lat[(int) i] = System.nanoTime() - start;
                                }
                                done.incrementAndGet();
                                outstanding.release();
                            });
                        }
                        outstanding.acquire(window);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                ts.add(th);
                th.start();
            }
            for (Thread th : ts) {
                th.join();
            }
            secs = (System.nanoTime() - t0) / 1e9;
            flushes = log.flushes();
        }
        Files.delete(file);
        int n = (int) Math.min(idx.get(), lat.length);
        long[] l = Arrays.copyOf(lat, n);
        Arrays.sort(l);
        double p50 = l[n / 2] / 1e6;
        double p99 = l[(int) (n * 0.99)] / 1e6;
        double ops = done.get() / secs;
        row(
                "durable ops/s, group commit (4 threads x " + window + " in flight)",
                f0(ops) + " ops/s (" + f0(done.get() / (double) flushes) + " per force)",
                f0(1000 / fsyncMs) + " fsync/s",
                f1(ops / (1000 / fsyncMs)) + "x (target >= 100,000 ops/s)");
        row(
                "latency to acknowledgement p50 / p99 (" + window + " in flight)",
                f2(p50) + " / " + f2(p99) + " ms",
                f2(fsyncMs) + " ms per fsync",
                f2(p99 / fsyncMs) + " fsyncs at p99 (target <= 2)");
    }

    private static void modes(Path file, Persistence.Mode mode) throws Exception {
        SimWorld w = new SimWorld(8, 2, 512);
        Random r = new Random(11);
        int ops = 30_000;
        List<CompletableFuture<Long>> acks = new ArrayList<>(ops);
        long startPos;
        long endPos;
        long t0;
        double secs;
        try (Persistence p = Persistence.start(file, opts(64L << 20), w, mode, 3000, ProtocolTrace.NONE)) {
            startPos = p.log().nextPos();
            t0 = System.nanoTime();
            for (int i = 0; i < ops; i++) {
                int t = r.nextInt(w.threads());
                w.store(t, r.nextInt(512), r.nextInt(4096), i);
                int code = 1 + r.nextInt(3);
                p.admit();
                synchronized (w.lock()) {
                    Operation op = w.decide(t, code, w.argsFor(r, code));
                    acks.add(p.operation(op).durable());
                    w.apply(op);
                }
            }
            if (mode == Persistence.Mode.CHECKPOINT) {
                p.awaitCheckpoint();
                p.checkpointNow(true);
            }
            for (CompletableFuture<Long> a : acks) {
                a.get();
            }
            secs = (System.nanoTime() - t0) / 1e9;
            p.awaitCheckpoint();
            endPos = p.log().nextPos();
        }
        SimWorld back = new SimWorld(8, 2, 512);
        long r0 = System.nanoTime();
        Recovery.Result res;
        try (Recovery rec = Recovery.open(file, back, ProtocolTrace.NONE)) {
            res = rec.run(false);
        }
        long recNanos = System.nanoTime() - r0;
        Files.delete(file);
        row(
                "mode " + mode.name().toLowerCase() + ": 30,000 syscalls + stores, 16 MiB",
                f0(ops / secs) + " ops/s, " + f0((endPos - startPos) / (double) ops) + " log bytes/op",
                "recovery " + ms(recNanos) + ", " + res.recordsReplayed() + " records replayed",
                "");
    }

    private static void print() {
        System.out.println();
        System.out.println("Persistence (ladle bench persist), beside the raw disk of the same file system:");
        System.out.printf("| %-58s | %-40s | %-32s | %-30s |%n", "measure", "value", "baseline", "ratio");
        System.out.printf("|%s|%s|%s|%s|%n", "-".repeat(60), "-".repeat(42), "-".repeat(34), "-".repeat(32));
        for (String[] r : rows) {
            System.out.printf("| %-58s | %-40s | %-32s | %-30s |%n", r[0], r[1], r[2], r[3]);
        }
    }

    private static String ms(long nanos) {
        return f2(nanos / 1e6) + " ms";
    }

    private static String f0(double d) {
        return String.format("%,.0f", d);
    }

    private static String f1(double d) {
        return String.format("%,.1f", d);
    }

    private static String f2(double d) {
        return String.format("%.2f", d);
    }

    private static String f3(double d) {
        return String.format("%.3f", d);
    }
}
