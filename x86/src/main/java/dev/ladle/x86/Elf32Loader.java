package dev.ladle.x86;

import dev.ladle.kernel.hw.AddressSpace;
import dev.ladle.kernel.hw.ImageLoader;
import dev.ladle.kernel.hw.PhysicalMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Loads ELF32 executables for IA-32 (ELFCLASS32, little endian, ET_EXEC, EM_386): reads the program headers, maps
 * every PT_LOAD segment's pages into the address space (frames from the kernel's {@link ImageLoader.PageAllocator}),
 * copies the file bytes in and leaves the rest of each segment zero. Segments may share a page (it is then writable if
 * either is) but not bytes. Everything is checked before the first frame is asked for; a malformed image is a
 * {@link ImageLoader.Malformed} naming the problem and its file offset.
 *
 * <pre>
 * ELF header (52 bytes)             program header (32 bytes, at e_phoff + i * e_phentsize)
 *  0  e_ident: 7f 'E' 'L' 'F'        0  p_type     (1 = PT_LOAD)
 *  4  EI_CLASS (1 = 32-bit)          4  p_offset   file offset of the segment's bytes
 *  5  EI_DATA (1 = little endian)    8  p_vaddr    virtual address
 *  6  EI_VERSION (1)                12  p_paddr    (ignored)
 * 16  e_type (2 = ET_EXEC)          16  p_filesz   bytes in the file
 * 18  e_machine (3 = EM_386)        20  p_memsz    bytes in memory (the rest is zero)
 * 24  e_entry                       24  p_flags    (1 = X, 2 = W, 4 = R)
 * 28  e_phoff                       28  p_align
 * 42  e_phentsize (32)
 * 44  e_phnum
 * </pre>
 */
public final class Elf32Loader implements ImageLoader {
    static final int EHDR_SIZE = 52;
    static final int PHDR_SIZE = 32;
    static final int PT_LOAD = 1;
    static final int PF_X = 1;
    static final int PF_W = 2;
    static final int SHDR_SIZE = 40;
    static final int SHT_SYMTAB = 2;
    static final int SYM_SIZE = 16;

    private final PhysicalMemory memory;

    /**
     * A loader writing into {@code memory}: the x86 platform's own, or any other {@link PhysicalMemory} (a platform
     * without a CPU, as the IPC benchmark's, loads the same images through the same checks).
     */
    public Elf32Loader(PhysicalMemory memory) {
        this.memory = memory;
    }

    private record Segment(long header, long offset, long vaddr, long fileSize, long memSize, int flags) {
        long end() {
            return vaddr + memSize;
        }
    }

    @Override
    public Result load(byte[] image, AddressSpace space, PageAllocator frames) {
        List<Segment> segments = new ArrayList<>();
        Malformed error = parse(image, segments);
        if (error != null) {
            return error;
        }
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        int entry = b.getInt(24);
        Map<Integer, Page> pages = new LinkedHashMap<>();
        for (Segment s : segments) {
            boolean writable = (s.flags & PF_W) != 0;
            for (long va = s.vaddr & ~0xFFFL; va < s.end(); va += X86PhysicalMemory.PAGE_SIZE) {
                int vpn = (int) (va >>> 12);
                Page page = pages.get(vpn);
                if (page == null) {
                    int frame = frames.allocate(vpn, writable);
                    if (frame < 0) {
                        return new Malformed(
                                s.header,
                                String.format("no frame left for page 0x%x of the segment at 0x%x", va, s.vaddr),
                                List.copyOf(pages.values()));
                    }
                    memory.clearFrame(frame);
                    page = new Page(vpn, frame, writable);
                    space.map(vpn, frame, writable);
                } else if (writable && !page.writable()) {
                    page = new Page(vpn, page.frame(), true);
                    space.map(vpn, page.frame(), true);
                }
                pages.put(vpn, page);
            }
            copy(image, s, pages);
        }
        return new Loaded(entry, List.copyOf(pages.values()));
    }

    /**
     * Looks {@code name} up in the image's {@code SHT_SYMTAB} section (section header table at {@code e_shoff},
     * {@code e_shnum} entries of {@code e_shentsize} = 40 bytes; a symbol is 16 bytes: {@code st_name} into the
     * string table its section's {@code sh_link} names, {@code st_value}). Every offset is checked against the file:
     * a damaged or absent table finds nothing.
     */
    @Override
    public OptionalInt symbol(byte[] image, String name) {
        if (image.length < EHDR_SIZE) {
            return OptionalInt.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        long shoff = Integer.toUnsignedLong(b.getInt(32));
        int shentsize = Short.toUnsignedInt(b.getShort(46));
        int shnum = Short.toUnsignedInt(b.getShort(48));
        if (shoff == 0 || shentsize != SHDR_SIZE || shoff + (long) shnum * SHDR_SIZE > image.length) {
            return OptionalInt.empty();
        }
        byte[] wanted = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < shnum; i++) {
            int sh = (int) (shoff + (long) i * SHDR_SIZE);
            if (b.getInt(sh + 4) != SHT_SYMTAB) {
                continue;
            }
            long off = Integer.toUnsignedLong(b.getInt(sh + 16));
            long size = Integer.toUnsignedLong(b.getInt(sh + 20));
            int link = b.getInt(sh + 24);
            if (off + size > image.length || link < 0 || link >= shnum) {
                continue;
            }
            int str = (int) (shoff + (long) link * SHDR_SIZE);
            long strOff = Integer.toUnsignedLong(b.getInt(str + 16));
            long strSize = Integer.toUnsignedLong(b.getInt(str + 20));
            if (strOff + strSize > image.length) {
                continue;
            }
            for (long sym = off; sym + SYM_SIZE <= off + size; sym += SYM_SIZE) {
                long at = Integer.toUnsignedLong(b.getInt((int) sym));
                if (at + wanted.length >= strSize) {
                    continue;
                }
                int p = (int) (strOff + at);
                boolean same = image[p + wanted.length] == 0;
                for (int k = 0; k < wanted.length && same; k++) {
                    same = image[p + k] == wanted[k];
                }
                if (same && b.getShort((int) sym + 14) != 0) { // st_shndx != SHN_UNDEF
                    return OptionalInt.of(b.getInt((int) sym + 4));
                }
            }
        }
        return OptionalInt.empty();
    }

    private void copy(byte[] image, Segment s, Map<Integer, Page> pages) {
        long done = 0;
        while (done < s.fileSize) {
            long va = s.vaddr + done;
            int inPage = (int) (va & 0xFFF);
            int chunk = (int) Math.min(X86PhysicalMemory.PAGE_SIZE - inPage, s.fileSize - done);
            int frame = pages.get((int) (va >>> 12)).frame();
            long at = ((long) frame << 12) + inPage;
            int from = (int) (s.offset + done);
            if (memory instanceof X86PhysicalMemory x86) {
                x86.write(at, image, from, chunk);
            } else {
                for (int k = 0; k < chunk; k++) {
                    memory.writeByte(at + k, image[from + k]);
                }
            }
            done += chunk;
        }
    }

    /** Checks the whole image and collects its PT_LOAD segments; null when it is well formed. */
    static Malformed parse(byte[] image, List<Segment> segments) {
        if (image.length < EHDR_SIZE) {
            return malformed(
                    image.length, "truncated ELF header: the file has " + image.length + " bytes, the header 52");
        }
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0x464C457F) {
            return malformed(
                    0,
                    String.format(
                            "bad magic %02x %02x %02x %02x, expected 7f 45 4c 46 (\\x7fELF)",
                            image[0], image[1], image[2], image[3]));
        }
        if (image[4] != 1) {
            return malformed(
                    4, "class " + image[4] + (image[4] == 2 ? " (ELFCLASS64)" : "") + ", expected 1 (ELFCLASS32)");
        }
        if (image[5] != 1) {
            return malformed(5, "data encoding " + image[5] + ", expected 1 (little endian)");
        }
        if (image[6] != 1) {
            return malformed(6, "ELF version " + image[6] + ", expected 1");
        }
        int type = Short.toUnsignedInt(b.getShort(16));
        if (type != 2) {
            return malformed(16, "type " + type + ", expected 2 (ET_EXEC: a static executable)");
        }
        int machine = Short.toUnsignedInt(b.getShort(18));
        if (machine != 3) {
            return malformed(18, "machine " + machine + (machine == 62 ? " (x86-64)" : "") + ", expected 3 (EM_386)");
        }
        long entry = Integer.toUnsignedLong(b.getInt(24));
        long phoff = Integer.toUnsignedLong(b.getInt(28));
        int phentsize = Short.toUnsignedInt(b.getShort(42));
        int phnum = Short.toUnsignedInt(b.getShort(44));
        if (phnum == 0) {
            return malformed(44, "no program headers (e_phnum is 0)");
        }
        if (phentsize != PHDR_SIZE) {
            return malformed(42, "program header size " + phentsize + ", expected 32");
        }
        long tableEnd = phoff + (long) phnum * PHDR_SIZE;
        if (tableEnd > image.length) {
            return malformed(
                    Math.min(phoff, image.length),
                    String.format(
                            "truncated program headers: %d headers at offset %d end at %d, past the end of"
                                    + " the file (%d bytes)",
                            phnum, phoff, tableEnd, image.length));
        }
        for (int i = 0; i < phnum; i++) {
            int h = (int) (phoff + (long) i * PHDR_SIZE);
            if (b.getInt(h) != PT_LOAD) {
                continue;
            }
            Segment s = new Segment(
                    h,
                    Integer.toUnsignedLong(b.getInt(h + 4)),
                    Integer.toUnsignedLong(b.getInt(h + 8)),
                    Integer.toUnsignedLong(b.getInt(h + 16)),
                    Integer.toUnsignedLong(b.getInt(h + 20)),
                    b.getInt(h + 24));
            String name = "segment " + i + " (program header at offset " + h + ")";
            if (s.fileSize > s.memSize) {
                return malformed(
                        h + 16, String.format("%s: file size %d exceeds memory size %d", name, s.fileSize, s.memSize));
            }
            if (s.offset + s.fileSize > image.length) {
                return malformed(
                        h + 4,
                        String.format(
                                "%s: its bytes [%d, %d) run past the end of the file" + " (%d bytes)",
                                name, s.offset, s.offset + s.fileSize, image.length));
            }
            if (s.memSize == 0) {
                continue;
            }
            if (s.vaddr < X86AddressSpace.USER_BASE || s.end() > Integer.toUnsignedLong(X86AddressSpace.USER_TOP)) {
                return malformed(
                        h + 8,
                        String.format(
                                "%s: [0x%x, 0x%x) is outside user space [0x%x, 0x%x)",
                                name, s.vaddr, s.end(), X86AddressSpace.USER_BASE, X86AddressSpace.USER_TOP));
            }
            for (Segment other : segments) {
                if (s.vaddr < other.end() && other.vaddr < s.end()) {
                    return malformed(
                            h + 8,
                            String.format(
                                    "%s: [0x%x, 0x%x) overlaps the segment at [0x%x, 0x%x)"
                                            + " (program header at offset %d)",
                                    name, s.vaddr, s.end(), other.vaddr, other.end(), other.header));
                }
            }
            segments.add(s);
        }
        if (segments.isEmpty()) {
            return malformed(phoff, "no loadable (PT_LOAD) segment");
        }
        for (Segment s : segments) {
            if ((s.flags & PF_X) != 0 && entry >= s.vaddr && entry < s.end()) {
                return null;
            }
        }
        return malformed(24, String.format("entry point 0x%x is not inside an executable segment", entry));
    }

    private static Malformed malformed(long offset, String what) {
        return new Malformed(offset, what, List.of());
    }
}
