package dev.ladle.bench;

import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.persist.log.LogFormat;
import dev.ladle.persist.log.RecordType;
import dev.ladle.persist.mem.InMemoryPhysicalMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * A checkpoint's frame records as the log lays them out, for the benchmarks' hand-written writers ({@link StreamCpu}'s
 * loop, {@link FormatWriter}): per frame the 32-byte record header with its CRC32C over the header and the payload,
 * the object head, the frame's 4 KiB from its own direct memory, the slack to 32 bytes. A batch is 4 MiB, the log's.
 */
final class FrameRecords {
    static final int HEAD = 1 + 4 + 2 + 4; // kind, id, no dependencies, length
    static final int LEN = HEAD + PhysicalMemory.PAGE_SIZE;
    static final int SIZE = LogFormat.recordSize(LEN);
    static final int BATCH = (4 << 20) / SIZE;
    /** Room per record in a batch's heads: the slack of the record before, the header, the head. */
    static final int SLOT = 64;

    private static final int SLACK = SIZE - LogFormat.RECORD_HEADER - LEN;

    private FrameRecords() {}

    /** The heads of one batch (one slot per record and one for the last record's slack). */
    static ByteBuffer newHeads() {
        return ByteBuffer.allocateDirect(SLOT * (BATCH + 1)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The pieces of one batch's gathering write. */
    static ByteBuffer[] newPieces() {
        return new ByteBuffer[2 * BATCH + 1];
    }

    /**
     * Lays out the records of frames {@code first} to {@code first + n - 1} (record {@code f} at stream offset
     * {@code f * SIZE}, LSN {@code f + 1}) in {@code heads} and {@code pieces}, in the order they go to the file: each
     * head after the slack of the record before, each frame by reference, the last record's slack. Returns the number
     * of pieces.
     */
    static int layOut(
            InMemoryPhysicalMemory memory, int first, int n, ByteBuffer heads, ByteBuffer[] pieces, CRC32C crc) {
        int k = 0;
        for (int i = 0; i < n; i++) {
            int f = first + i;
            int s = i * SLOT;
            int lead = i == 0 ? 0 : SLACK; // the previous record's slack goes out with this head
            int h = s + lead;
            heads.putInt(h + 4, LEN)
                    .putLong(h + 8, f + 1L)
                    .putLong(h + 16, (long) f * SIZE)
                    .putShort(h + 24, (short) RecordType.CHECKPOINT_OBJECT)
                    .putShort(h + 26, (short) 0)
                    .putInt(h + 28, 1);
            int o = h + LogFormat.RECORD_HEADER;
            heads.put(o, (byte) 0).putInt(o + 1, f).putShort(o + 5, (short) 0).putInt(o + 7, 4096);
            ByteBuffer frame = memory.frameMemory(f);
            crc.reset();
            crc.update(heads.slice(h + 4, LogFormat.RECORD_HEADER - 4 + HEAD));
            crc.update(frame.duplicate());
            heads.putInt(h, (int) crc.getValue());
            pieces[k++] = heads.slice(s, lead + LogFormat.RECORD_HEADER + HEAD);
            pieces[k++] = frame;
        }
        pieces[k++] = heads.slice(n * SLOT, SLACK); // the last record's slack (zeros)
        return k;
    }
}
