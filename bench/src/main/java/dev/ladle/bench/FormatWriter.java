package dev.ladle.bench;

import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.persist.log.LogFormat;
import dev.ladle.persist.log.RecordType;
import dev.ladle.persist.mem.InMemoryPhysicalMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.zip.CRC32C;

/**
 * The best a writer of the log's format can do on one process, in wall time: {@code ladle bench persist}'s row
 * "the format's best". Every frame's record as the log lays it out (the 32-byte record header with its CRC32C over the
 * header and the payload, the object head, the frame's 4 KiB from its own direct memory, the slack to 32 bytes), the
 * way a checkpoint's frames are: this thread lays out the heads and computes the CRCs of a batch of 4 MiB (the log's
 * batch) while a second thread hands the batch before to the file in gathering writes, three batches in flight; one
 * force at the end. No object graph, no dependency order, no copy-on-write, no lock: what the format itself costs
 * beside the raw overwrite of the same bytes, and what a checkpoint costs beyond it.
 */
final class FormatWriter {
    private static final int HEAD = 1 + 4 + 2 + 4; // kind, id, no dependencies, length
    private static final int LEN = HEAD + PhysicalMemory.PAGE_SIZE;
    private static final int SIZE = LogFormat.recordSize(LEN);
    private static final int BATCH = (4 << 20) / SIZE;
    private static final int SLOT = 64;
    private static final int IN_FLIGHT = 3;

    private FormatWriter() {}

    /** One batch: the heads (and slack) of its records, the pieces of its gathering write, where it goes. */
    private static final class Batch {
        final ByteBuffer heads = ByteBuffer.allocateDirect(SLOT * (BATCH + 1)).order(ByteOrder.LITTLE_ENDIAN);
        final ByteBuffer[] pieces = new ByteBuffer[2 * BATCH + 1];
        int count;
        long at;
    }

    private static final Batch END = new Batch();

    /**
     * Writes {@code frames} frames of {@code memory} as records into {@code file}, a new file of {@code fileSize}
     * bytes written out in zeros and forced before the clock starts (as the log file is), then deletes it; the wall
     * nanoseconds from the first head to the force's return.
     */
    static long measureNanos(Path file, long fileSize, InMemoryPhysicalMemory memory, int frames) throws Exception {
        try (FileChannel ch = FileChannel.open(
                file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            for (long at = 0; at < fileSize; at += zeros.capacity()) {
                zeros.clear();
                while (zeros.hasRemaining()) {
                    ch.write(zeros, at + zeros.position());
                }
            }
            ch.force(true);
            long t0 = System.nanoTime();
            write(ch, memory, frames);
            return System.nanoTime() - t0;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The pipelined write: returns the bytes written. */
    private static long write(FileChannel ch, InMemoryPhysicalMemory memory, int frames) throws Exception {
        BlockingQueue<Batch> free = new ArrayBlockingQueue<>(IN_FLIGHT);
        BlockingQueue<Batch> full = new ArrayBlockingQueue<>(IN_FLIGHT + 1);
        for (int i = 0; i < IN_FLIGHT; i++) {
            free.add(new Batch());
        }
        IOException[] failed = new IOException[1];
        Thread writer = new Thread(
                () -> {
                    try {
                        while (true) {
                            Batch b = full.take();
                            if (b == END) {
                                ch.force(false);
                                return;
                            }
                            ch.position(b.at);
                            int i = 0;
                            while (i < b.count) {
                                ch.write(b.pieces, i, Math.min(b.count - i, 512));
                                while (i < b.count && !b.pieces[i].hasRemaining()) {
                                    i++;
                                }
                            }
                            free.put(b);
                        }
                    } catch (IOException e) {
                        failed[0] = e;
                        free.add(END); // the producer stops waiting
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "format-writer");
        writer.start();
        CRC32C crc = new CRC32C();
        long pos = 0;
        long at = LogFormat.DATA_OFFSET;
        int slack = SIZE - LogFormat.RECORD_HEADER - LEN;
        for (int first = 0; first < frames; first += BATCH) {
            Batch b = free.take();
            if (b == END) {
                break;
            }
            ByteBuffer heads = b.heads;
            int n = Math.min(BATCH, frames - first);
            int k = 0;
            for (int i = 0; i < n; i++) {
                int f = first + i;
                int s = i * SLOT;
                int lead = i == 0 ? 0 : slack; // the previous record's slack goes out with this head
                int h = s + lead;
                heads.putInt(h + 4, LEN)
                        .putLong(h + 8, f + 1L)
                        .putLong(h + 16, pos)
                        .putShort(h + 24, (short) RecordType.CHECKPOINT_OBJECT)
                        .putShort(h + 26, (short) 0)
                        .putInt(h + 28, 1);
                int o = h + LogFormat.RECORD_HEADER;
                heads.put(o, (byte) 0)
                        .putInt(o + 1, f)
                        .putShort(o + 5, (short) 0)
                        .putInt(o + 7, 4096);
                ByteBuffer frame = memory.frameMemory(f);
                crc.reset();
                crc.update(heads.slice(h + 4, LogFormat.RECORD_HEADER - 4 + HEAD));
                crc.update(frame.duplicate());
                heads.putInt(h, (int) crc.getValue());
                b.pieces[k++] = heads.slice(s, lead + LogFormat.RECORD_HEADER + HEAD);
                b.pieces[k++] = frame;
                pos += SIZE;
            }
            b.pieces[k++] = heads.slice(n * SLOT, slack); // the last record's slack (zeros)
            b.count = k;
            b.at = at;
            for (int i = 0; i < k; i++) {
                at += b.pieces[i].remaining();
            }
            full.put(b);
        }
        full.put(END);
        writer.join();
        if (failed[0] != null) {
            throw failed[0];
        }
        return at - LogFormat.DATA_OFFSET;
    }
}
