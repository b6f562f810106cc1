package dev.ladle.kernel.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The loadable segments of an ELF32 executable for IA-32, read from its program headers (the System V ABI's i386
 * supplement): what the boot loader needs to place an image in a page window, nothing more. Little-endian;
 * {@code e_type} EXEC, {@code e_machine} EM_386. Bytes:
 *
 * <pre>
 * ELF header   0  e_ident[16] (7f 'E' 'L' 'F', class 1 = 32-bit, data 1 = little-endian, version 1)
 *             16  e_type u16   18 e_machine u16   20 e_version u32   24 e_entry u32   28 e_phoff u32
 *             32  e_shoff u32  36 e_flags u32     40 e_ehsize u16    42 e_phentsize u16   44 e_phnum u16
 * program hdr  0  p_type u32 (1 = PT_LOAD)  4 p_offset  8 p_vaddr  12 p_paddr  16 p_filesz  20 p_memsz
 *             24  p_flags (1 X, 2 W, 4 R)   28 p_align
 * </pre>
 *
 * A malformed image is an {@link IllegalArgumentException} whose message says what is wrong; the caller adds
 * where the image was named.
 */
public record ElfImage(int entry, List<Segment> segments) {
    /** A PT_LOAD segment: {@code filesz} bytes from {@code offset} at {@code vaddr}, zero up to {@code memsz}. */
    public record Segment(long vaddr, long memsz, int offset, int filesz, int flags) {}

    private static final int PT_LOAD = 1;

    public static ElfImage parse(byte[] bytes) {
        if (bytes.length < 52) {
            throw new IllegalArgumentException("too short for an ELF header (" + bytes.length + " bytes)");
        }
        if (bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F') {
            throw new IllegalArgumentException("not an ELF file (bad magic)");
        }
        if (bytes[4] != 1) {
            throw new IllegalArgumentException("not a 32-bit ELF file (class " + bytes[4] + ")");
        }
        if (bytes[5] != 1) {
            throw new IllegalArgumentException("not little-endian (data " + bytes[5] + ")");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int type = b.getShort(16) & 0xffff;
        int machine = b.getShort(18) & 0xffff;
        if (type != 2) {
            throw new IllegalArgumentException("not an executable (e_type " + type + ", expected 2 = EXEC)");
        }
        if (machine != 3) {
            throw new IllegalArgumentException("not an IA-32 image (e_machine " + machine + ", expected 3 = EM_386)");
        }
        int entry = b.getInt(24);
        long phoff = b.getInt(28) & 0xffffffffL;
        int phentsize = b.getShort(42) & 0xffff;
        int phnum = b.getShort(44) & 0xffff;
        if (phnum == 0) {
            throw new IllegalArgumentException("no program headers");
        }
        if (phentsize < 32) {
            throw new IllegalArgumentException("program header entries of " + phentsize + " bytes (expected 32)");
        }
        if (phoff + (long) phentsize * phnum > bytes.length) {
            throw new IllegalArgumentException("program headers run past the end of the file");
        }
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int at = (int) (phoff + (long) i * phentsize);
            if (b.getInt(at) != PT_LOAD) {
                continue;
            }
            long offset = b.getInt(at + 4) & 0xffffffffL;
            long vaddr = b.getInt(at + 8) & 0xffffffffL;
            long filesz = b.getInt(at + 16) & 0xffffffffL;
            long memsz = b.getInt(at + 20) & 0xffffffffL;
            int flags = b.getInt(at + 24);
            if (filesz > memsz) {
                throw new IllegalArgumentException(
                        "segment " + i + ": file size " + filesz + " exceeds memory size " + memsz);
            }
            if (offset + filesz > bytes.length) {
                throw new IllegalArgumentException("segment " + i + " runs past the end of the file");
            }
            if (vaddr + memsz > 1L << 32) {
                throw new IllegalArgumentException("segment " + i + " runs past 4 GiB");
            }
            segments.add(new Segment(vaddr, memsz, (int) offset, (int) filesz, flags));
        }
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("no loadable segment");
        }
        return new ElfImage(entry, List.copyOf(segments));
    }
}
