package dev.ladle.bench;

import dev.ladle.persist.log.LogFormat;
import dev.ladle.persist.log.TransactionLog;
import dev.ladle.persist.mem.InMemoryPhysicalMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.zip.CRC32C;

/**
 * The best a writer of the log's format can do on one process, in wall time: {@code ladle bench persist}'s row
 * "the format's best". Every frame's record as the log lays it out (the 32-byte record header with its CRC32C over the
 * header and the payload, the object head, the frame's 4 KiB from its own direct memory, the slack to 32 bytes), the
 * way a checkpoint's frames are: this thread lays out the heads and computes the CRCs of a batch of 4 MiB (the log's
 * batch) while a second thread hands the batch before to the file in gathering writes, three batches in flight; a
 * third thread forces what is written whenever {@link TransactionLog#FORCE_BEHIND} bytes are written and not forced
 * (as the log's forcer does with records nobody waits for), and one force at the end. No object graph, no dependency
 * order, no copy-on-write, no lock: what the format itself costs beside the raw overwrite of the same bytes, and what
 * a checkpoint costs beyond it.
 */
final class FormatWriter {
    private static final int BATCH = FrameRecords.BATCH;
    private static final int IN_FLIGHT = 3;

    private FormatWriter() {}

    /** One batch: the heads (and slack) of its records, the pieces of its gathering write, where it goes. */
    private static final class Batch {
        final ByteBuffer heads = FrameRecords.newHeads();
        final ByteBuffer[] pieces = FrameRecords.newPieces();
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
        try (FileChannel ch = StreamCpu.preallocated(file, fileSize)) {
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
        Object forcing = new Object();
        long[] written = {0, 0}; // bytes written, bytes forced (guarded by forcing)
        boolean[] done = {false};
        Thread forcer = new Thread(
                () -> {
                    try {
                        while (true) {
                            long upTo;
                            synchronized (forcing) {
                                while (!done[0] && written[0] - written[1] < TransactionLog.FORCE_BEHIND) {
                                    forcing.wait();
                                }
                                if (done[0]) {
                                    return;
                                }
                                upTo = written[0];
                            }
                            ch.force(false);
                            synchronized (forcing) {
                                written[1] = upTo;
                            }
                        }
                    } catch (IOException e) {
                        failed[0] = e;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "format-forcer");
        forcer.setDaemon(true);
        Thread writer = new Thread(
                () -> {
                    try {
                        while (true) {
                            Batch b = full.take();
                            if (b == END) {
                                synchronized (forcing) {
                                    done[0] = true;
                                    forcing.notifyAll();
                                }
                                forcer.join();
                                ch.force(false);
                                return;
                            }
                            ch.position(b.at);
                            long n = 0;
                            int i = 0;
                            while (i < b.count) {
                                n += ch.write(b.pieces, i, Math.min(b.count - i, 512));
                                while (i < b.count && !b.pieces[i].hasRemaining()) {
                                    i++;
                                }
                            }
                            synchronized (forcing) {
                                written[0] += n;
                                forcing.notifyAll();
                            }
                            free.put(b);
                        }
                    } catch (IOException e) {
                        failed[0] = e;
                        synchronized (forcing) {
                            done[0] = true;
                            forcing.notifyAll();
                        }
                        free.add(END); // the producer stops waiting
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "format-writer");
        forcer.start();
        writer.start();
        CRC32C crc = new CRC32C();
        long at = LogFormat.DATA_OFFSET;
        for (int first = 0; first < frames; first += BATCH) {
            Batch b = free.take();
            if (b == END) {
                break;
            }
            int k = FrameRecords.layOut(memory, first, Math.min(BATCH, frames - first), b.heads, b.pieces, crc);
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
