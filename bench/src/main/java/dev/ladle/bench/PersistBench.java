package dev.ladle.bench;

import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.persist.Checkpointer;
import dev.ladle.persist.Operation;
import dev.ladle.persist.Persistence;
import dev.ladle.persist.ProtocolTrace;
import dev.ladle.persist.Recovery;
import dev.ladle.persist.log.RecordType;
import dev.ladle.persist.log.TransactionLog;
import dev.ladle.persist.mem.InMemoryPhysicalMemory;
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

    /**
     * The parts {@code --only} selects: the checkpoint streaming rows with the raw disk rows they are compared with, or
     * the group-commit rows alone (with the raw fsync each is measured beside).
     */
    public static final List<String> PARTS = List.of("streaming", "group-commit");

    /** Arguments: {@code [--only PART] [FOLDER]}; the folder (default: the temporary folder) holds the files. */
    public static void main(String[] args) throws Exception {
        String only = null;
        String folder = System.getProperty("java.io.tmpdir");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--only") && i + 1 < args.length) {
                only = args[++i];
                if (!PARTS.contains(only)) {
                    System.err.println("ladle bench persist: --only takes one of " + String.join(", ", PARTS)
                            + ", not '" + only + "'");
                    System.exit(2);
                }
            } else {
                folder = args[i];
            }
        }
        Path dir = Files.createTempDirectory(Path.of(folder), "ladle-persist-bench");
        try {
            if (only == null || only.equals("streaming")) {
                run(dir, only != null);
            } else {
                groupCommitOnly(dir);
            }
        } finally {
            try (var w = Files.walk(dir)) {
                for (Path p : w.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        print();
    }

    /** The group-commit rows alone, after the same warm-up as a full run: a quick way to compare two builds. */
    private static void groupCommitOnly(Path dir) throws Exception {
        System.err.println("ladle bench persist --only group-commit: measuring in " + dir);
        warmUp(dir.resolve("warm.log"));
        groupCommit(dir.resolve("gc.log"), 1024);
        groupCommit(dir.resolve("gc.log"), 16);
    }

    private static void run(Path dir, boolean streamingOnly) throws Exception {
        System.err.println("ladle bench persist: measuring in " + dir);
        double loadBefore = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage();
        // ---- the raw disk
        Path raw = dir.resolve("raw");
        long rawSize = 128L << 20;
        double rawWrite = rawWriteMBs(raw, rawSize);
        row("raw sequential write + force (128 MiB)", f1(rawWrite) + " MB/s", "", "");
        if (!streamingOnly) {
            double[] fsync = fsyncRate(dir.resolve("fsync"), 2_000_000_000L);
            double rawRead = rawReadMBs(raw);
            row(
                    "raw fsync rate (4 KiB appended + force, preallocated)",
                    f0(fsync[0]) + " /s (" + f2(fsync[1]) + " ms each; p50 " + us(fsync[2]) + ", p99 " + us(fsync[3])
                            + ")",
                    "",
                    "");
            row("raw sequential read (128 MiB, page cache as for recovery)", f1(rawRead) + " MB/s", "", "");
        }
        Files.delete(raw);

        warmUp(dir.resolve("warm.log"));

        // ---- checkpoint streaming: 64 MiB of written memory, STREAM_PAIRS checkpoints (STREAM_WARM uncounted first),
        // each
        // beside the raw disk doing what the log does: the same 64 MiB overwritten in 1 MiB writes in a file
        // preallocated as the log file is (written out in zeros and forced before the clock starts, so its pages are
        // allocated and in the page cache), then one force. Beside it, the write of the 128 MiB of the raw row into
        // a new file, the baseline before (a new file's blocks are allocated by the force: about half as fast here).
        SimWorld w = filledWorld(16, 1024, 1.0);
        Path ck = dir.resolve("ck.log");
        var os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        double[] stream = new double[STREAM_PAIRS];
        double[] rawBeside = new double[STREAM_PAIRS];
        double[] newFileBeside = new double[STREAM_PAIRS];
        double[] pairRatio = new double[STREAM_PAIRS];
        long ckCpu = 0;
        long rawCpu = 0;
        long streamBytes = (long) w.frames() * PhysicalMemory.PAGE_SIZE;
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        long jitMs = 0;
        long[] forces = new long[STREAM_PAIRS];
        double[] formatBest = new double[STREAM_PAIRS];
        double[] formatRatio = new double[STREAM_PAIRS];
        double[] ckToFormat = new double[STREAM_PAIRS];
        double[] rawFrames = new double[STREAM_PAIRS];
        double[] framesRatio = new double[STREAM_PAIRS];
        for (int i = -STREAM_WARM; i < STREAM_PAIRS; i++) {
            Files.deleteIfExists(ck);
            double nf = rawWriteMBs(raw, rawSize);
            Files.delete(raw);
            long[] cpu = new long[1];
            double rw = rawOverwriteMBs(raw, 160L << 20, streamBytes, os, cpu);
            Files.delete(raw);
            double fb = streamBytes / MB / (FormatWriter.measureNanos(raw, 160L << 20, w.memory(), w.frames()) / 1e9);
            double rf = rawOverwriteOfFramesMBs(raw, 160L << 20, w.memory(), w.frames());
            Files.delete(raw);
            try (Persistence p = Persistence.start(
                    ck, opts(160L << 20), w, Persistence.Mode.CHECKPOINT, Integer.MAX_VALUE, ProtocolTrace.NONE)) {
                oneOperation(p, w); // a checkpoint begins only when something was recorded since the sealed one
                long j2 = jit.getTotalCompilationTime();
                long c2 = os.getProcessCpuTime();
                long f2 = p.log().flushes();
                Checkpointer.Result r = p.checkpointNow(false);
                long c3 = os.getProcessCpuTime();
                long f3 = p.log().flushes();
                long j3 = jit.getTotalCompilationTime();
                if (i >= 0) {
                    stream[i] = r.framesWritten()
                            * (double) PhysicalMemory.PAGE_SIZE
                            / MB
                            / ((r.totalNanos() - r.pauseNanos()) / 1e9);
                    rawBeside[i] = rw;
                    newFileBeside[i] = nf;
                    pairRatio[i] = stream[i] / rw;
                    ckCpu += c3 - c2;
                    jitMs += j3 - j2;
                    rawCpu += cpu[0];
                    forces[i] = f3 - f2;
                    formatBest[i] = fb;
                    formatRatio[i] = fb / rw;
                    ckToFormat[i] = stream[i] / fb;
                    rawFrames[i] = rf;
                    framesRatio[i] = stream[i] / rf;
                }
            }
        }
        double[] newFileRatio = new double[STREAM_PAIRS];
        for (int i = 0; i < STREAM_PAIRS; i++) {
            newFileRatio[i] = stream[i] / newFileBeside[i];
        }
        Arrays.sort(stream);
        Arrays.sort(rawBeside);
        Arrays.sort(newFileBeside);
        Arrays.sort(pairRatio);
        Arrays.sort(newFileRatio);
        Arrays.sort(forces);
        Arrays.sort(formatBest);
        Arrays.sort(formatRatio);
        Arrays.sort(ckToFormat);
        Arrays.sort(rawFrames);
        Arrays.sort(framesRatio);
        double streamMBs = stream[STREAM_PAIRS / 2];
        double rawMBs = rawBeside[STREAM_PAIRS / 2];
        row(
                "checkpoint streaming, 64 MiB written memory (median of " + STREAM_PAIRS + ")",
                f1(streamMBs) + " MB/s (" + f1(stream[0]) + " to " + f1(stream[STREAM_PAIRS - 1]) + ")",
                f1(rawMBs) + " MB/s raw overwrite + force of 64 MiB, preallocated as the log (median, interleaved)",
                f2(streamMBs / rawMBs) + " (pairs " + f2(pairRatio[0]) + " to " + f2(pairRatio[STREAM_PAIRS - 1])
                        + "; target >= 0.9)");
        row(
                "  the same against the write + force of 128 MiB into a new file (the baseline before)",
                f1(streamMBs) + " MB/s",
                f1(newFileBeside[STREAM_PAIRS / 2]) + " MB/s (median, interleaved)",
                f2(streamMBs / newFileBeside[STREAM_PAIRS / 2]) + " (pairs " + f2(newFileRatio[0]) + " to "
                        + f2(newFileRatio[STREAM_PAIRS - 1]) + ")");
        double rfMBs = rawFrames[STREAM_PAIRS / 2];
        row(
                "  the same against the raw overwrite of the frames' own 64 MiB (the pages it reads, no format)",
                f1(streamMBs) + " MB/s",
                f1(rfMBs) + " MB/s: gathering writes of 256 frames from their memory, one force (median, interleaved)",
                f2(streamMBs / rfMBs) + " (pairs " + f2(framesRatio[0]) + " to " + f2(framesRatio[STREAM_PAIRS - 1])
                        + "; target >= 0.9)");
        double fbMBs = formatBest[STREAM_PAIRS / 2];
        row(
                "  the format's best: the same records, heads + CRC32C on one thread, writes on another,"
                        + " forced as the log forces them",
                f1(fbMBs) + " MB/s (" + f1(formatBest[0]) + " to " + f1(formatBest[STREAM_PAIRS - 1]) + ")",
                f1(rawMBs) + " MB/s raw overwrite (median, interleaved)",
                f2(fbMBs / rawMBs) + " (pairs " + f2(formatRatio[0]) + " to " + f2(formatRatio[STREAM_PAIRS - 1])
                        + ")");
        row(
                "  checkpoint streaming / the format's best",
                f1(streamMBs) + " MB/s",
                f1(fbMBs) + " MB/s (median, interleaved)",
                f2(streamMBs / fbMBs) + " (pairs " + f2(ckToFormat[0]) + " to " + f2(ckToFormat[STREAM_PAIRS - 1])
                        + ")");
        row(
                "checkpoint streaming by process CPU, per MiB written",
                f3(ckCpu / 1e6 / STREAM_PAIRS / 64) + " ms CPU (JIT compiling " + f1((double) jitMs / STREAM_PAIRS)
                        + " ms per checkpoint; log forces per checkpoint " + forces[0] + " to "
                        + forces[STREAM_PAIRS - 1] + ", the seal's superblock force besides)",
                f3(rawCpu / 1e6 / STREAM_PAIRS / 64) + " ms CPU raw overwrite + force",
                f2((double) rawCpu / ckCpu) + " (CPU time only)");
        // ---- the same by thread CPU, beside a hand-written loop writing the same records (StreamCpu)
        StreamCpu.Result sc = StreamCpu.measure(dir, 16, 1024, STREAM_PAIRS);
        row(
                "streaming CPU per MiB: checkpointer + log's threads (median of " + STREAM_PAIRS + ")",
                f3(sc.checkpointMsPerMiB()) + " ms (checkpointer " + f3(sc.checkpointerMsPerMiB()) + ", log "
                        + f3(sc.logThreadsMsPerMiB()) + ")",
                f3(sc.handMsPerMiB()) + " ms hand-written loop: CRC32C + gathering write + force of the same records",
                f2(sc.ratio()) + "x (rounds " + f2(sc.lowRatio()) + " to " + f2(sc.highRatio()) + ")");
        if (streamingOnly) {
            Files.delete(ck);
            loadRow(loadBefore);
            return;
        }

        // ---- recovery of that checkpoint, full and lazy; baseline: the same file read raw just before
        long[] fullR = recoverMedian(ck, 16, 1024, false, RECOVERY_PAIRS);
        double ckRead = fullR[3] / 1e3;
        long fullNanos = fullR[0];
        double recMBs = fullR[1] / MB / (fullNanos / 1e9);
        row(
                "recovery, full restore of 64 MiB (median of " + RECOVERY_PAIRS + ")",
                f1(recMBs) + " MB/s (" + ms(fullNanos) + ")",
                f1(ckRead) + " MB/s raw read of the same bytes (median, interleaved)",
                f2(recMBs / ckRead) + " (target >= 0.7)");
        double freshRead = fullR[4] / 1e3;
        row(
                "  the same against a raw read of the same bytes into fresh memory (1 MiB slabs, as frames are)",
                f1(recMBs) + " MB/s",
                f1(freshRead) + " MB/s raw read into newly allocated direct memory (median, interleaved)",
                f2(recMBs / freshRead) + " (target >= 0.7)");
        double recCpuMBs = fullR[1] / MB / (fullR[2] / 1e9);
        row(
                "recovery, the same by CPU time (recovering and read-ahead threads)",
                f1(recCpuMBs) + " MB/s (" + ms(fullR[2]) + " CPU)",
                f1(ckRead) + " MB/s raw read of the same bytes",
                f2(recCpuMBs / ckRead) + " (CPU time only)");
        long firstNanos = recoverMedian(ck, 16, 1024, true, RECOVERY_PAIRS)[0];
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
        long bigFull = recoverMedian(bigLog, 16, 16384, false, 3)[0];
        long bigFirst = recoverMedian(bigLog, 16, 16384, true, 3)[0];
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
        groupCommit(dir.resolve("gc.log"), 1024);
        groupCommit(dir.resolve("gc.log"), 16);

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
        loadRow(loadBefore);
    }

    private static void loadRow(double loadBefore) {
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
                oneOperation(p, w);
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

    private static final int RECOVERY_PAIRS = 7;

    /**
     * Recovery pairs run first and not counted, as {@link #STREAM_WARM} for the streaming: the scan's loop, the
     * restore of frames and the dependency order are compiled over the first recoveries of 64 MiB (in a probe of 60
     * recoveries in one JVM the median was a third above that of 600). The raw read's loop is compiled within its
     * first read. Measured steady.
     */
    private static final int RECOVERY_WARM = 6;

    /** Checkpoints streamed, each beside a raw write, for the streaming row. */
    private static final int STREAM_PAIRS = 7;

    /**
     * Pairs streamed first and not counted: the JIT compiler compiles the checkpoint's code (the graph, the order, the
     * appends, the flusher's writes) over the first ten or so checkpoints of 64 MiB, 30 to 80 ms of C2 per checkpoint
     * until then, on the same two cores; the raw loop's code is compiled within its first write. Measured steady.
     */
    private static final int STREAM_WARM = 8;

    /**
     * Recoveries of {@code log} interleaved with raw reads of the bytes they scan, {@code pairs} pairs after
     * {@link #RECOVERY_WARM} pairs that are not counted (they warm the page cache for both, and the code): the median wall ns, bytes scanned,
     * median CPU ns of the recovering thread and the log reader's read-ahead threads, and the median raw read (kB/s).
     * Both read the file through the page cache, which holds it (written just before, read by the first pair), so
     * neither pays for the disk; each starts after a full collection, so a recovery does not pay for the garbage of the
     * one before.
     */
    private static long[] recoverMedian(Path log, int processes, int pages, boolean lazy, int pairs) throws Exception {
        long[] wall = new long[pairs];
        long[] cpu = new long[pairs];
        double[] read = new double[pairs];
        double[] fresh = new double[pairs];
        long bytes = 0;
        for (int i = -RECOVERY_WARM; i < pairs; i++) {
            System.gc();
            double raw =
                    bytes == 0 ? rawReadMBs(log) : rawReadMBs(log, dev.ladle.persist.log.LogFormat.DATA_OFFSET, bytes);
            System.gc();
            double rawFresh =
                    bytes == 0 ? 0 : rawReadIntoFreshMBs(log, dev.ladle.persist.log.LogFormat.DATA_OFFSET, bytes);
            SimWorld w = new SimWorld(processes, 2, pages);
            System.gc(); // each recovery starts on an empty young generation, as in a freshly started JVM
            try (Recovery rec = Recovery.open(log, w, ProtocolTrace.NONE)) {
                long c0 = recoveryCpu();
                long t0 = System.nanoTime();
                Recovery.Result r = rec.run(lazy);
                long t = System.nanoTime() - t0;
                long c = recoveryCpu() - c0;
                bytes = r.bytesScanned();
                if (i >= 0) {
                    wall[i] = t;
                    cpu[i] = c;
                    read[i] = raw;
                    fresh[i] = rawFresh;
                }
            }
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        Arrays.sort(read);
        Arrays.sort(fresh);
        int m = pairs / 2;
        return new long[] {wall[m], bytes, cpu[m], Math.round(read[m] * 1e3), Math.round(fresh[m] * 1e3)};
    }

    /** CPU ns so far of this thread and of the log reader's read-ahead threads (which read while a scan checks). */
    private static long recoveryCpu() {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long n = mx.getCurrentThreadCpuTime();
        for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && t.getThreadName().equals("log-read-ahead")) {
                n += Math.max(0, mx.getThreadCpuTime(t.getThreadId()));
            }
        }
        return n;
    }

    private static TransactionLog.Options opts(long size) {
        return TransactionLog.Options.defaults().withFileSize(size);
    }

    /** A world of {@code processes} x 2 threads with {@code pages} pages each, a share of its frames written. */
    /** One operation recorded and applied under the world's lock (a send of thread 0), as the kernel makes one. */
    private static void oneOperation(Persistence p, SimWorld w) throws Exception {
        synchronized (w.lock()) {
            Operation op = w.decide(0, SimWorld.SEND, w.argsFor(new Random(1), SimWorld.SEND));
            p.operation(op);
            w.apply(op);
        }
    }

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

    /**
     * MB/s of overwriting the first {@code bytes} of a file of {@code size} bytes created and written out in zeros
     * and forced first, as {@code TransactionLog.create} does with a log (not timed), in 1 MiB writes from a direct
     * buffer, then one force; {@code cpu[0]} gets the process CPU ns of the timed part.
     */
    private static double rawOverwriteMBs(
            Path file, long size, long bytes, com.sun.management.OperatingSystemMXBean os, long[] cpu)
            throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
        new Random(2).ints(b.capacity() / 4).forEach(x -> b.putInt(x));
        try (FileChannel ch = StreamCpu.preallocated(file, size)) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            for (long at = 0; at < bytes; at += b.capacity()) {
                b.clear();
                while (b.hasRemaining()) {
                    ch.write(b, dev.ladle.persist.log.LogFormat.DATA_OFFSET + at + b.position());
                }
            }
            ch.force(false);
            long t = System.nanoTime() - t0;
            cpu[0] = os.getProcessCpuTime() - c0;
            return bytes / MB / (t / 1e9);
        }
    }

    /**
     * MB/s of overwriting a file preallocated as {@link #rawOverwriteMBs} does with the {@code frames} frames of {@code
     * memory} themselves (each from its own direct memory, 256 to a gathering write, no format), then one force: the
     * raw write of exactly the memory a checkpoint of them reads.
     */
    private static double rawOverwriteOfFramesMBs(Path file, long size, InMemoryPhysicalMemory memory, int frames)
            throws IOException {
        try (FileChannel ch = StreamCpu.preallocated(file, size)) {
            ByteBuffer[] pieces = new ByteBuffer[256];
            long t0 = System.nanoTime();
            ch.position(dev.ladle.persist.log.LogFormat.DATA_OFFSET);
            for (int f = 0; f < frames; f += pieces.length) {
                int n = Math.min(pieces.length, frames - f);
                long left = 0;
                for (int k = 0; k < n; k++) {
                    pieces[k] = memory.frameView(f + k);
                    left += pieces[k].remaining();
                }
                while (left > 0) {
                    left -= ch.write(pieces, 0, n);
                }
            }
            ch.force(false);
            long t = System.nanoTime() - t0;
            return (long) frames * PhysicalMemory.PAGE_SIZE / MB / (t / 1e9);
        }
    }

    /**
     * Reads {@code len} bytes of {@code file} from {@code from} into newly allocated direct memory, 1 MiB slabs as the
     * in-memory platform allocates frames (allocation included, as a restore allocates its frames): MB/s.
     */
    private static double rawReadIntoFreshMBs(Path file, long from, long len) throws IOException {
        List<ByteBuffer> slabs = new ArrayList<>();
        long n = 0;
        long t0 = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (n < len) {
                ByteBuffer slab = ByteBuffer.allocateDirect((int) Math.min(1 << 20, len - n));
                slabs.add(slab);
                int r = 0;
                while (slab.hasRemaining() && (r = ch.read(slab, from + n)) > 0) {
                    n += r;
                }
                if (r < 0) {
                    break;
                }
            }
        }
        double mbs = n / MB / ((System.nanoTime() - t0) / 1e9);
        slabs.clear();
        return mbs;
    }

    private static double rawReadMBs(Path file) throws IOException {
        return rawReadMBs(file, 0, Long.MAX_VALUE);
    }

    /** Reads {@code len} bytes of {@code file} from {@code from} (or up to its end) in 1 MiB reads: MB/s. */
    private static double rawReadMBs(Path file, long from, long len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1 << 20);
        long n = 0;
        long t0 = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            int r;
            while (n < len && (r = ch.read(b.clear().limit((int) Math.min(b.capacity(), len - n)), from + n)) > 0) {
                n += r;
            }
        }
        return n / MB / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * fsyncs per second, ms per fsync (mean), and the median and 99th percentile of one fsync in ms, the way a log
     * uses them: successive 4 KiB blocks of a preallocated file, each written and forced, for {@code nanos}.
     */
    private static double[] fsyncRate(Path file, long nanos) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4096);
        long size = 16L << 20;
        int n = 0;
        long[] each = new long[1 << 16];
        long t0;
        try (FileChannel ch = FileChannel.open(
                file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            for (long at = 0; at < size; at += b.capacity()) {
                ch.write(b.clear(), at);
            }
            ch.force(true);
            t0 = System.nanoTime();
            while (System.nanoTime() - t0 < nanos && n < each.length) {
                long s0 = System.nanoTime();
                b.clear().putInt(0, n);
                ch.write(b, (n * 4096L) % size);
                ch.force(false);
                each[n++] = System.nanoTime() - s0;
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        Files.delete(file);
        long[] sorted = Arrays.copyOf(each, n);
        Arrays.sort(sorted);
        return new double[] {n / s, s * 1000 / n, sorted[n / 2] / 1e6, sorted[(int) (n * 0.99)] / 1e6};
    }

    /**
     * Durable operations per second and the latency to acknowledgement, with {@code window} operations in flight per
     * thread (each thread appends until its window is full; an acknowledgement frees a place). Beside it, in the same
     * conditions just before, the raw fsync of the same file system. Each operation's latency is also counted in
     * flushes: the flush that made it durable (the log's flush listener says which LSNs each flush covered) minus the
     * flushes completed when its append began; the group-commit rule makes that at most 2 (GroupCommitTest).
     */
    private static void groupCommit(Path file, int window) throws Exception {
        double[] fsync = fsyncRate(file.resolveSibling("fsync-" + window), 1_500_000_000L);
        int threads = 4;
        int payload = 64;
        int cap = 2_000_000;
        long[] start = new long[cap];
        long[] lsnOf = new long[cap];
        long[] acked = new long[cap];
        int[] flushesBefore = new int[cap];
        AtomicLong done = new AtomicLong();
        AtomicLong idx = new AtomicLong();
        long[] flushEnd = new long[1 << 20];
        long[] flushLast = new long[1 << 20];
        java.util.concurrent.atomic.AtomicInteger flushCount = new java.util.concurrent.atomic.AtomicInteger();
        long flushes;
        double secs;
        TransactionLog.ForceTimeline timeline;
        try (TransactionLog log = TransactionLog.create(file, opts(256L << 20))) {
            log.onFlushed((first, last) -> {
                int k = flushCount.get();
                if (k < flushEnd.length) {
                    flushEnd[k] = System.nanoTime();
                    flushLast[k] = last;
                }
                flushCount.set(k + 1); // the flusher is the only writer
            });
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
                            int i = (int) Math.min(idx.getAndIncrement(), cap);
                            int before = flushCount.get();
                            long s0 = System.nanoTime();
                            TransactionLog.Appended a = log.append(RecordType.OPERATION, p);
                            if (i < cap) {
                                start[i] = s0;
                                lsnOf[i] = a.lsn();
                                flushesBefore[i] = before;
                            }
                            a.durable().thenRun(() -> {
                                if (i < cap) {
                                    acked[i] = System.nanoTime();
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
            timeline = log.forceTimeline();
        }
        Files.delete(file);
        int n = (int) Math.min(idx.get(), cap);
        int nf = Math.min(flushCount.get(), flushEnd.length);
        long[] toAck = new long[n];
        long[] toDurable = new long[n];
        long[] waited = new long[n];
        int measured = 0;
        for (int i = 0; i < n; i++) {
            int k = Arrays.binarySearch(flushLast, 0, nf, lsnOf[i]);
            k = k >= 0 ? k : -k - 1; // the first flush whose last LSN is at or after this one
            if (k >= nf || acked[i] == 0) {
                continue;
            }
            toAck[measured] = acked[i] - start[i];
            toDurable[measured] = flushEnd[k] - start[i];
            waited[measured] = k + 1 - flushesBefore[i];
            measured++;
        }
        toAck = Arrays.copyOf(toAck, measured);
        toDurable = Arrays.copyOf(toDurable, measured);
        waited = Arrays.copyOf(waited, measured);
        Arrays.sort(toAck);
        Arrays.sort(toDurable);
        Arrays.sort(waited);
        double ackP50 = pct(toAck, 0.5) / 1e6;
        double ackP99 = pct(toAck, 0.99) / 1e6;
        long within2 = Arrays.stream(waited).filter(w -> w <= 2).count();
        double ops = done.get() / secs;
        row(
                "durable ops/s, group commit (4 threads x " + window + " in flight)",
                f0(ops) + " ops/s (" + f0(done.get() / (double) flushes) + " per force)",
                f0(fsync[0]) + " fsync/s",
                f1(ops / fsync[0]) + "x (target >= 100,000 ops/s)");
        // Little's law: ops/s = ops in flight / latency, and each operation waits for at least one force: with the raw
        // fsync rate of this run, no group commit of this many in flight does better than this on this disk
        int inFlight = threads * window;
        double ceiling = inFlight * fsync[0];
        row(
                "  ceiling: " + inFlight + " in flight / raw fsync time (Little's law)",
                f0(ceiling) + " ops/s (" + inFlight + " x " + f0(fsync[0]) + " fsync/s)",
                "target 100,000 ops/s " + (ceiling >= 100_000 ? "reachable" : "out of reach") + " on this disk",
                f2(ops / ceiling) + " of the ceiling reached");
        double forcing = timeline.forceNanos() / 1e9 / secs;
        double idle = timeline.idleWithWorkNanos() / 1e9 / secs;
        row(
                "  forcer: disk forcing / idle while work waits",
                f1(100 * forcing) + " % / " + f1(100 * idle) + " % of the run ("
                        + us(timeline.idleWithWorkNanos() / 1e6 / Math.max(1, timeline.forcesAfterWork()))
                        + " per gap)",
                us(timeline.forceNanos() / 1e6 / Math.max(1, flushes)) + " per force (mean), " + flushes + " forces",
                timeline.forcesAfterWork() + " forces owed at the previous one's return");
        row(
                "latency to acknowledgement p50 / p99 (" + window + " in flight)",
                us(ackP50) + " / " + us(ackP99),
                "raw fsync p50 " + us(fsync[2]) + ", p99 " + us(fsync[3]) + " (just before)",
                f2(ackP99 / fsync[3]) + " fsyncs at p99 (" + f2(ackP99 / fsync[2]) + " p50 fsyncs; target <= 2)");
        row(
                "  to durable p50 / p99, in flushes p50 / p99 / max",
                us(pct(toDurable, 0.5) / 1e6) + " / " + us(pct(toDurable, 0.99) / 1e6) + "; " + pct(waited, 0.5) + " / "
                        + pct(waited, 0.99) + " / " + waited[measured - 1] + " flushes",
                f2(secs * 1e3 / flushes) + " ms per flush (mean)",
                f2(100.0 * within2 / measured) + " % within 2 flushes (rule: 2)");
    }

    private static long pct(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))];
    }

    private static String us(double ms) {
        return f0(ms * 1e3) + " us";
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
