package dev.ladle.persist.log;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The bytes of a log file. All integers are little-endian.
 *
 * <pre>
 * offset 0      file header (one 4 KiB block, written once when the file is created)
 *                 0  8  magic "LADLELOG"
 *                 8  4  format version
 *                12  4  record alignment (bytes)
 *                16  8  file size (bytes)
 *                24  8  data area offset
 *                32  4  largest record (header + payload, bytes)
 *                36  4  CRC32C of bytes 0..35 (bytes 0..39 are laid out alike in every version, so a log of
 *                       another version is told by its number, never by a failing CRC)
 *                40  4  length of the system digest (0..32 bytes; 0: none given)
 *                44 32  system digest: opaque bytes the log's creator gave ({@code Options.withSystemDigest}),
 *                       naming the system whose log this is; zeros past its length
 *                76  4  CRC32C of bytes 40..75
 * offset 4096   superblock A  (layout in {@link Superblock})
 * offset 8192   superblock B
 * offset 12288  data area, used circularly: a record at log position p (a byte count since the log was
 *               created, never reset) lives at data offset + p mod capacity
 *
 * record (aligned to 32 bytes; the slack after the payload is zero and not covered by the CRC)
 *                 0  4  CRC32C of bytes 4..31 and the payload
 *                 4  4  payload length
 *                 8  8  LSN (0 for a padding record, which takes no LSN)
 *                16  8  log position of this record (catches a record left over from the previous lap)
 *                24  2  type ({@link RecordType})
 *                26  2  flags (0)
 *                28  4  epoch: the writer's incarnation, raised on every open for writing, so a record a
 *                       crashed earlier incarnation left beyond the torn end is never taken as a continuation
 *                32     payload
 * </pre>
 *
 * A record never straddles the end of the data area: when the next record does not fit before the end, the
 * writer fills the rest with one explicit padding record and the record goes to the start of the area.
 */
public final class LogFormat {
    private LogFormat() {}

    /** Version 1: the first format (file header, superblocks A/B, 32-byte aligned records with CRC32C). */
    public static final int VERSION_1 = 1;

    /** Version 2: the file header holds the system digest its creator gave (bytes 40..79). */
    public static final int VERSION_2 = 2;

    /**
     * Version 3: a checkpoint's index records (its frames' places), an end record that lists them, and superblocks
     * that name the sealed checkpoint's end record, so a lazy recovery reads neither the frames nor their records.
     */
    public static final int VERSION_3 = 3;

    /**
     * Version 4: the end record also says where the checkpoint's deferred objects lie (page tables: the objects that
     * depend on frames only), and their records are stepped over with the frames', so a lazy recovery reads them on
     * first use rather than before the first instruction.
     */
    public static final int VERSION_4 = 4;

    /** The format this code writes and reads. */
    public static final int CURRENT_VERSION = VERSION_4;

    public static final byte[] FILE_MAGIC = "LADLELOG".getBytes(StandardCharsets.US_ASCII);
    public static final int BLOCK = 4096;
    public static final long SUPERBLOCK_A = BLOCK;
    public static final long SUPERBLOCK_B = 2L * BLOCK;
    public static final long DATA_OFFSET = 3L * BLOCK;
    /** The bytes every version's file header starts with: magic, version, geometry and their CRC. */
    public static final int FILE_HEADER_PREFIX = 40;

    public static final int FILE_HEADER_BYTES = 80;
    /** The longest system digest the file header holds (a SHA-256). */
    public static final int MAX_SYSTEM_DIGEST = 32;

    public static final int ALIGN = 32;
    public static final int RECORD_HEADER = 32;
    public static final long DEFAULT_FILE_SIZE = 64L << 20;
    /** The smallest file: the three header blocks and four blocks of data. */
    public static final long MIN_FILE_SIZE = DATA_OFFSET + 4L * BLOCK;

    /** Bytes a record with {@code payload} bytes takes in the data area. */
    public static int recordSize(int payload) {
        return align(RECORD_HEADER + payload);
    }

    public static int align(int n) {
        return (n + ALIGN - 1) & -ALIGN;
    }

    /** The largest record a file of this size accepts: a quarter of the data area, capped at 16 MiB. */
    public static int maxRecord(long fileSize) {
        long cap = (fileSize - DATA_OFFSET) / 4;
        return (int) Math.min(16L << 20, cap & -ALIGN);
    }

    public static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The file header for a new file of {@code fileSize} bytes, with no system digest. */
    public static ByteBuffer fileHeader(long fileSize) {
        return fileHeader(fileSize, new byte[0]);
    }

    /** The file header for a new file of {@code fileSize} bytes naming its system by {@code systemDigest}. */
    public static ByteBuffer fileHeader(long fileSize, byte[] systemDigest) {
        if (systemDigest.length > MAX_SYSTEM_DIGEST) {
            throw new IllegalArgumentException(
                    "a system digest holds at most " + MAX_SYSTEM_DIGEST + " bytes, not " + systemDigest.length);
        }
        ByteBuffer b = le(BLOCK);
        b.put(FILE_MAGIC);
        b.putInt(CURRENT_VERSION);
        b.putInt(ALIGN);
        b.putLong(fileSize);
        b.putLong(DATA_OFFSET);
        b.putInt(maxRecord(fileSize));
        b.putInt(crc(b.array(), 0, 36));
        b.putInt(systemDigest.length);
        b.put(systemDigest);
        b.putInt(76, crc(b.array(), 40, 36));
        b.clear();
        return b;
    }

    /** Lower-case hexadecimal of {@code bytes} (how a system digest is shown). */
    public static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }

    public static int crc(byte[] a, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(a, off, len);
        return (int) c.getValue();
    }

    /**
     * Writes a record header into {@code h} (32 bytes from its position) and returns the CRC it stored, computed
     * over the header's bytes 4..31 and {@code payload} (its remaining bytes, not consumed).
     */
    public static void putRecordHeader(
            ByteBuffer h, int at, int length, long lsn, long position, int type, int epoch, ByteBuffer payload) {
        putRecordHeader(h, at, length, lsn, position, type, epoch, payload, null);
    }

    /**
     * As {@link #putRecordHeader(ByteBuffer, int, int, long, long, int, int, ByteBuffer)} for a payload in two
     * parts, {@code payload} then {@code rest} (null: none), each read where it lies.
     */
    public static void putRecordHeader(
            ByteBuffer h,
            int at,
            int length,
            long lsn,
            long position,
            int type,
            int epoch,
            ByteBuffer payload,
            ByteBuffer rest) {
        putRecordFields(h, at, length, lsn, position, type, epoch);
        CRC32C c = new CRC32C();
        ByteBuffer hv = h.duplicate();
        hv.limit(at + RECORD_HEADER).position(at + 4);
        c.update(hv);
        c.update(payload.duplicate());
        if (rest != null) {
            c.update(rest.duplicate());
        }
        h.putInt(at, (int) c.getValue());
    }

    /** Writes bytes 4..31 of a record header into {@code h} at {@code at} (the CRC at bytes 0..3 is left alone). */
    public static void putRecordFields(ByteBuffer h, int at, int length, long lsn, long position, int type, int epoch) {
        h.putInt(at + 4, length);
        h.putLong(at + 8, lsn);
        h.putLong(at + 16, position);
        h.putShort(at + 24, (short) type);
        h.putShort(at + 26, (short) 0);
        h.putInt(at + 28, epoch);
    }
}
