package dev.ladle.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.persist.log.LogFormat;
import dev.ladle.persist.log.RecordType;
import dev.ladle.persist.mem.InMemoryPhysicalMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks' hand-written writers lay out what the log would write: every record's header as {@link
 * LogFormat#putRecordHeader} writes it (CRC included) over the same head and frame, each record {@code SIZE} bytes
 * apart, the slack zeros.
 */
class FrameRecordsTest {
    @Test
    void aBatchIsTheLogsRecordsOfItsFramesBackToBack() {
        int frames = FrameRecords.BATCH + 7;
        InMemoryPhysicalMemory memory = new InMemoryPhysicalMemory(frames);
        Random r = new Random(3);
        byte[] bytes = new byte[PhysicalMemory.PAGE_SIZE];
        for (int f = 0; f < frames; f++) {
            r.nextBytes(bytes);
            memory.writeFrame(f, bytes);
        }
        ByteBuffer heads = FrameRecords.newHeads();
        ByteBuffer[] pieces = FrameRecords.newPieces();
        CRC32C crc = new CRC32C();
        for (int first = 0; first < frames; first += FrameRecords.BATCH) {
            int n = Math.min(FrameRecords.BATCH, frames - first);
            int k = FrameRecords.layOut(memory, first, n, heads, pieces, crc);
            assertEquals(2 * n + 1, k, "a head and a frame per record, and the last slack");
            ByteBuffer out = ByteBuffer.allocate(n * FrameRecords.SIZE).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < k; i++) {
                out.put(pieces[i].duplicate());
            }
            assertEquals(n * FrameRecords.SIZE, out.position(), "the batch's bytes");
            for (int i = 0; i < n; i++) {
                int f = first + i;
                ByteBuffer head = ByteBuffer.allocate(FrameRecords.HEAD).order(ByteOrder.LITTLE_ENDIAN);
                head.put((byte) 0)
                        .putInt(f)
                        .putShort((short) 0)
                        .putInt(PhysicalMemory.PAGE_SIZE)
                        .flip();
                ByteBuffer expected =
                        ByteBuffer.allocate(LogFormat.RECORD_HEADER).order(ByteOrder.LITTLE_ENDIAN);
                LogFormat.putRecordHeader(
                        expected,
                        0,
                        FrameRecords.LEN,
                        f + 1L,
                        (long) f * FrameRecords.SIZE,
                        RecordType.CHECKPOINT_OBJECT,
                        1,
                        head,
                        memory.frameMemory(f));
                int at = i * FrameRecords.SIZE;
                assertEquals(
                        expected.rewind(), out.slice(at, LogFormat.RECORD_HEADER), "frame " + f + "'s record header");
                assertEquals(
                        head.rewind(),
                        out.slice(at + LogFormat.RECORD_HEADER, FrameRecords.HEAD),
                        "frame " + f + "'s object head");
                assertEquals(
                        memory.frameMemory(f),
                        out.slice(at + LogFormat.RECORD_HEADER + FrameRecords.HEAD, PhysicalMemory.PAGE_SIZE),
                        "frame " + f + "'s bytes");
                int slack = FrameRecords.SIZE - LogFormat.RECORD_HEADER - FrameRecords.LEN;
                assertEquals(
                        ByteBuffer.allocate(slack),
                        out.slice(at + LogFormat.RECORD_HEADER + FrameRecords.LEN, slack),
                        "frame " + f + "'s slack");
            }
        }
    }
}
