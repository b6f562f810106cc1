package dev.ladle.bench;

import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.persist.Checkpointer;
import dev.ladle.persist.ProtocolTrace;
import dev.ladle.persist.log.LogFormat;
import dev.ladle.persist.log.TransactionLog;
import dev.ladle.persist.mem.InMemoryPhysicalMemory;
import dev.ladle.persist.sim.SimWorld;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32C;

/**
 * The CPU a checkpoint costs per MiB streamed, beside a hand-written loop that writes the same records in the same
 * run: {@code ladle bench persist}'s row "streaming CPU per MiB, checkpoint / hand-written loop".
 *
 * <p>The checkpoint is a full checkpoint of a world of 64 MiB of written frames ({@link Checkpointer#checkpoint}
 * on this thread, into a log on the same file system); its CPU is the thread CPU time of this thread (the
 * checkpointer), the log's flusher, forcer and acknowledger, read from the {@link ThreadMXBean} (the JIT compiler and the
 * collector are not counted, nor are they in the baseline). The baseline, on this thread: each frame's record as the
 * log lays it out (the 32-byte record header with its CRC32C over the header and the payload, the object head, the
 * frame's 4 KiB from its own direct memory, the slack to 32 bytes), handed to a preallocated file by gathering
 * writes of 4 MiB (the log's batch) and one force at the end. The two alternate, {@code rounds} of each after one of
 * each not counted; the figures are medians, and the ratio is taken round by round.
 *
 * <p>{@link #main} runs it alone in a loop (a profile: {@code java -XX:StartFlightRecording=... -cp
 * ladle-bench.jar dev.ladle.bench.StreamCpu DIR ROUNDS}).
 */
final class StreamCpu {
    private StreamCpu() {}

    /** Median ms of CPU per MiB of frames: the checkpoint, the hand-written loop, and the median ratio of a round. */
    record Result(
            double checkpointMsPerMiB,
            double handMsPerMiB,
            double ratio,
            double lowRatio,
            double highRatio,
            double checkpointerMsPerMiB,
            double logThreadsMsPerMiB) {}

    private static final double MIB = 1 << 20;

    static Result measure(Path dir, int processes, int pages, int rounds) throws Exception {
        SimWorld w = filledWorld(processes, pages);
        Path logFile = dir.resolve("stream-cpu.log");
        Path handFile = dir.resolve("stream-cpu.hand");
        long logSize = 2L * w.memoryBytes() + (32L << 20);
        double[] ck = new double[rounds];
        double[] hand = new double[rounds];
        double[] ratio = new double[rounds];
        double[] own = new double[rounds];
        double[] logs = new double[rounds];
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (TransactionLog log = TransactionLog.create(
                        logFile, TransactionLog.Options.defaults().withFileSize(logSize));
                FileChannel hf = preallocated(handFile, logSize)) {
            Checkpointer c = new Checkpointer(log, w, ProtocolTrace.NONE);
            Hand h = new Hand(w.memory(), w.frames());
            for (int i = -1; i < rounds; i++) {
                long l0 = logThreadsCpu(mx, log);
                long c0 = mx.getCurrentThreadCpuTime();
                Checkpointer.Result r = c.checkpoint(false);
                long c1 = mx.getCurrentThreadCpuTime();
                long l1 = logThreadsCpu(mx, log);
                long h0 = mx.getCurrentThreadCpuTime();
                h.write(hf);
                long h1 = mx.getCurrentThreadCpuTime();
                if (i >= 0) {
                    double mib = r.framesWritten() * (double) PhysicalMemory.PAGE_SIZE / MIB;
                    own[i] = (c1 - c0) / 1e6 / mib;
                    logs[i] = (l1 - l0) / 1e6 / mib;
                    ck[i] = own[i] + logs[i];
                    hand[i] = (h1 - h0) / 1e6 / mib;
                    ratio[i] = ck[i] / hand[i];
                }
            }
        } finally {
            Files.deleteIfExists(logFile);
            Files.deleteIfExists(handFile);
        }
        Arrays.sort(ck);
        Arrays.sort(hand);
        Arrays.sort(ratio);
        Arrays.sort(own);
        Arrays.sort(logs);
        int m = rounds / 2;
        return new Result(ck[m], hand[m], ratio[m], ratio[0], ratio[rounds - 1], own[m], logs[m]);
    }

    /** CPU ns so far of {@code log}'s flusher, forcer and acknowledger threads. */
    private static long logThreadsCpu(ThreadMXBean mx, TransactionLog log) {
        String name = " " + log.file().getFileName();
        long n = 0;
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null
                    && t.getThreadName().endsWith(name)
                    && (t.getThreadName().startsWith("log-flusher")
                            || t.getThreadName().startsWith("log-forcer")
                            || t.getThreadName().startsWith("log-acknowledger"))) {
                n += Math.max(0, mx.getThreadCpuTime(t.getThreadId()));
            }
        }
        return n;
    }

    /**
     * A new file of {@code size} bytes written out in zeros and forced, as {@code TransactionLog.create} makes a log
     * file, open for reading and writing: what the benchmarks overwrite, its blocks allocated and in the page cache.
     */
    static FileChannel preallocated(Path file, long size) throws IOException {
        FileChannel ch = FileChannel.open(
                file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        for (long at = 0; at < size; at += zeros.capacity()) {
            zeros.clear();
            while (zeros.hasRemaining()) {
                ch.write(zeros, at + zeros.position());
            }
        }
        ch.force(true);
        return ch;
    }

    /**
     * The hand-written loop: every frame's record (header, object head, the frame's memory, slack) in the log's
     * layout, CRC32C over header and payload, gathering writes of up to 4 MiB from a preallocated position, one
     * force.
     */
    private static final class Hand {
        private static final int BATCH = FrameRecords.BATCH;

        private final InMemoryPhysicalMemory memory;
        private final int frames;
        /** Per record of a batch: the slack of the record before (zeros), then this record's header and head. */
        private final ByteBuffer heads;

        private final ByteBuffer[] pieces = FrameRecords.newPieces();
        private final CRC32C crc = new CRC32C();

        Hand(InMemoryPhysicalMemory memory, int frames) {
            this.memory = memory;
            this.frames = frames;
            this.heads = FrameRecords.newHeads();
        }

        void write(FileChannel ch) throws IOException {
            long at = LogFormat.DATA_OFFSET;
            for (int first = 0; first < frames; first += BATCH) {
                int n = Math.min(BATCH, frames - first);
                int k = FrameRecords.layOut(memory, first, n, heads, pieces, crc);
                long want = 0;
                for (int i = 0; i < k; i++) {
                    want += pieces[i].remaining();
                }
                ch.position(at);
                long done = 0;
                int i = 0;
                while (done < want) {
                    done += ch.write(pieces, i, Math.min(k - i, 512));
                    while (i < k && !pieces[i].hasRemaining()) {
                        i++;
                    }
                }
                at += want;
            }
            ch.force(false);
        }
    }

    private static SimWorld filledWorld(int processes, int pages) {
        SimWorld w = new SimWorld(processes, 2, pages);
        Random r = new Random(1);
        byte[] f = new byte[PhysicalMemory.PAGE_SIZE];
        for (int i = 0; i < w.frames(); i++) {
            r.nextBytes(f);
            w.memory().installFrame(i, f);
        }
        return w;
    }

    /** Runs {@code args[1]} rounds (default 20) in {@code args[0]} and prints the figures. */
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory(Path.of(args.length > 0 ? args[0] : "."), "stream-cpu");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        try {
            Result r = measure(dir, 16, 1024, rounds);
            System.out.printf(
                    "checkpoint %.3f ms CPU per MiB (checkpointer %.3f, log's threads %.3f), hand-written %.3f ms: %.2fx"
                            + " (rounds %.2f to %.2f)%n",
                    r.checkpointMsPerMiB(),
                    r.checkpointerMsPerMiB(),
                    r.logThreadsMsPerMiB(),
                    r.handMsPerMiB(),
                    r.ratio(),
                    r.lowRatio(),
                    r.highRatio());
        } finally {
            Files.deleteIfExists(dir);
        }
    }
}
