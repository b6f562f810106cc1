package dev.ladle.persist.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One of the two superblocks. The writer alternates between A and B, each write carrying a generation one higher
 * than the last; a reader takes the valid one with the higher generation, so a torn superblock write leaves the
 * other, older one in charge.
 *
 * <pre>
 *  0  8  magic "LDLSUPER"
 *  8  4  format version
 * 12  4  slot (0 = A, 1 = B)
 * 16  8  generation
 * 24  8  epoch of the writer that wrote it
 * 32  8  tail position: the oldest record recovery may need; space before it may be reused
 * 40  8  LSN of the first record at or after the tail
 * 48  8  head position: the end of the durable log when this superblock was written (scanning goes beyond it)
 * 56  8  LSN of the last record before the head
 * 64  8  LSN of the last sealed checkpoint's begin record (0: none)
 * 72  8  log position of that record
 * 80  8  LSN of that checkpoint's end record (0: not named; a recovery then scans for it)
 * 88  8  log position of that record (-1: not named)
 * 96  4  CRC32C of bytes 0..95
 * </pre>
 */
public record Superblock(
        int slot,
        long generation,
        long epoch,
        long tailPos,
        long tailLsn,
        long headPos,
        long headLsn,
        long checkpointLsn,
        long checkpointPos,
        long endLsn,
        long endPos) {

    public static final byte[] MAGIC = "LDLSUPER".getBytes(StandardCharsets.US_ASCII);
    public static final int BYTES = 100;

    public static long offset(int slot) {
        return slot == 0 ? LogFormat.SUPERBLOCK_A : LogFormat.SUPERBLOCK_B;
    }

    public boolean hasCheckpoint() {
        return checkpointLsn != 0;
    }

    /** Whether this superblock names where its checkpoint's end record lies. */
    public boolean namesEnd() {
        return hasCheckpoint() && endLsn > checkpointLsn && endPos > checkpointPos;
    }

    public ByteBuffer encode() {
        ByteBuffer b = LogFormat.le(BYTES);
        b.put(MAGIC);
        b.putInt(LogFormat.CURRENT_VERSION);
        b.putInt(slot);
        b.putLong(generation);
        b.putLong(epoch);
        b.putLong(tailPos);
        b.putLong(tailLsn);
        b.putLong(headPos);
        b.putLong(headLsn);
        b.putLong(checkpointLsn);
        b.putLong(checkpointPos);
        b.putLong(endLsn);
        b.putLong(endPos);
        b.putInt(LogFormat.crc(b.array(), 0, BYTES - 4));
        b.flip();
        return b;
    }

    /** What a reader found in one superblock slot. */
    public record Status(int slot, Superblock superblock, String problem) {
        public boolean valid() {
            return superblock != null;
        }
    }

    /** Decodes the bytes read from {@code slot}; {@code read} may be shorter than {@link #BYTES} (a cut file). */
    public static Status decode(int slot, byte[] bytes, int read) {
        String name = slot == 0 ? "A" : "B";
        if (read < BYTES) {
            return new Status(slot, null, "superblock " + name + " is cut short (" + Math.max(read, 0) + " bytes)");
        }
        boolean zero = true;
        for (int i = 0; i < BYTES; i++) {
            zero &= bytes[i] == 0;
        }
        if (zero) {
            return new Status(slot, null, "superblock " + name + " was never written");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        if (!Arrays.equals(Arrays.copyOf(bytes, 8), MAGIC)) {
            return new Status(slot, null, "superblock " + name + " has no superblock magic");
        }
        int crc = b.getInt(BYTES - 4);
        if (crc != LogFormat.crc(bytes, 0, BYTES - 4)) {
            return new Status(slot, null, "superblock " + name + " fails its CRC (torn or damaged write)");
        }
        int version = b.getInt(8);
        if (version != LogFormat.CURRENT_VERSION) {
            return new Status(slot, null, "superblock " + name + " has format version " + version);
        }
        int s = b.getInt(12);
        if (s != slot) {
            return new Status(slot, null, "superblock " + name + " says it belongs in slot " + s);
        }
        Superblock sb = new Superblock(
                s,
                b.getLong(16),
                b.getLong(24),
                b.getLong(32),
                b.getLong(40),
                b.getLong(48),
                b.getLong(56),
                b.getLong(64),
                b.getLong(72),
                b.getLong(80),
                b.getLong(88));
        if (sb.tailPos < 0
                || sb.headPos < sb.tailPos
                || sb.tailPos % LogFormat.ALIGN != 0
                || sb.checkpointPos < 0
                || sb.tailLsn < 1) {
            return new Status(slot, null, "superblock " + name + " holds inconsistent positions");
        }
        return new Status(slot, sb, null);
    }
}
