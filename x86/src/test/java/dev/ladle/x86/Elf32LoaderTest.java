package dev.ladle.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.kernel.hw.ImageLoader;
import dev.ladle.kernel.hw.ImageLoader.Loaded;
import dev.ladle.kernel.hw.ImageLoader.Malformed;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Elf32LoaderTest {
    private final X86Platform platform = new X86Platform(X86Platform.Config.ofMemory(8L << 20));
    private final X86PhysicalMemory memory = platform.memory();
    private int nextFrame;

    @AfterEach
    void close() {
        platform.close();
    }

    private ImageLoader.Result load(byte[] image) {
        return platform.imageLoader().load(image, platform.newAddressSpace(), (vpn, w) -> nextFrame++);
    }

    private static ByteBuffer le(byte[] image) {
        return ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void loadsEverySegmentWithItsBytesAndZeroesTheRest() {
        byte[] image = Programs.image("spin");
        X86AddressSpace space = platform.newAddressSpace();
        Loaded loaded =
                assertInstanceOf(Loaded.class, platform.imageLoader().load(image, space, (vpn, w) -> nextFrame++));
        ByteBuffer b = le(image);
        assertEquals(b.getInt(24), loaded.entry());
        int phoff = b.getInt(28);
        int checkedBytes = 0;
        int bssBytes = 0;
        for (int i = 0; i < Short.toUnsignedInt(b.getShort(44)); i++) {
            int h = phoff + 32 * i;
            if (b.getInt(h) != 1) {
                continue;
            }
            int offset = b.getInt(h + 4);
            int vaddr = b.getInt(h + 8);
            int fileSize = b.getInt(h + 16);
            int memSize = b.getInt(h + 20);
            boolean writable = (b.getInt(h + 24) & 2) != 0;
            for (int k = 0; k < memSize; k++) {
                int va = vaddr + k;
                int frame = space.frameOf(va >>> 12);
                assertTrue(frame >= 0, () -> String.format("0x%x is mapped", va));
                byte expected = k < fileSize ? image[offset + k] : 0;
                assertEquals(expected, memory.readByte(((long) frame << 12) | (va & 0xFFF)));
                if (k < fileSize) {
                    checkedBytes++;
                } else {
                    bssBytes++;
                }
                if (writable) {
                    assertTrue(PteField.READ_WRITE.isSet(space.pte(va >>> 12)));
                }
            }
        }
        assertTrue(checkedBytes > 100 && bssBytes >= 1024, "spin has code and a 1 KiB table in .bss");
        assertEquals(space.presentPages(), loaded.pages().size());
        for (ImageLoader.Page p : loaded.pages()) {
            assertEquals(p.frame(), space.frameOf(p.vpn()));
            assertEquals(p.writable(), PteField.READ_WRITE.isSet(space.pte(p.vpn())));
        }
        assertEquals(loaded.pages().size(), nextFrame, "one frame per page, shared pages once");
    }

    private static Malformed malformed(ImageLoader.Result r) {
        return assertInstanceOf(Malformed.class, r);
    }

    private void assertMalformed(byte[] image, long offset, String phrase) {
        Malformed m = malformed(load(image));
        assertEquals(offset, m.offset(), m.toString());
        assertTrue(m.what().contains(phrase), m.what());
        assertEquals(0, m.pages().size());
    }

    private static int firstLoad(ByteBuffer b) {
        int phoff = b.getInt(28);
        for (int i = 0; ; i++) {
            if (b.getInt(phoff + 32 * i) == 1) {
                return phoff + 32 * i;
            }
        }
    }

    private static int secondLoad(ByteBuffer b) {
        int first = firstLoad(b);
        for (int h = first + 32; ; h += 32) {
            if (b.getInt(h) == 1) {
                return h;
            }
        }
    }

    @Test
    void malformedImagesNameTheProblemAndItsOffset() {
        byte[] good = Programs.image("spin");
        assertMalformed(Arrays.copyOf(good, 30), 30, "truncated ELF header");
        byte[] magic = good.clone();
        magic[1] = 'X';
        assertMalformed(magic, 0, "bad magic");
        byte[] class64 = good.clone();
        class64[4] = 2;
        assertMalformed(class64, 4, "ELFCLASS64");
        byte[] bigEndian = good.clone();
        bigEndian[5] = 2;
        assertMalformed(bigEndian, 5, "little endian");
        byte[] relocatable = good.clone();
        le(relocatable).putShort(16, (short) 1);
        assertMalformed(relocatable, 16, "ET_EXEC");
        byte[] amd64 = good.clone();
        le(amd64).putShort(18, (short) 62);
        assertMalformed(amd64, 18, "x86-64");
        int phoff = le(good).getInt(28);
        assertMalformed(Arrays.copyOf(good, phoff + 40), phoff, "truncated program headers");
        byte[] phent = good.clone();
        le(phent).putShort(42, (short) 40);
        assertMalformed(phent, 42, "program header size 40");

        int h = firstLoad(le(good));
        byte[] low = good.clone();
        le(low).putInt(h + 8, 0x10);
        assertMalformed(low, h + 8, "outside user space");
        byte[] high = good.clone();
        le(high).putInt(h + 8, 0xBFFF_F000);
        le(high).putInt(h + 20, 0x2000);
        le(high).putInt(h + 16, 0);
        assertMalformed(high, h + 8, "outside user space");
        byte[] fileBigger = good.clone();
        le(fileBigger).putInt(h + 16, le(good).getInt(h + 20) + 1);
        assertMalformed(fileBigger, h + 16, "exceeds memory size");
        byte[] pastEnd = good.clone();
        le(pastEnd).putInt(h + 4, good.length - 2);
        le(pastEnd).putInt(h + 16, 8);
        assertMalformed(pastEnd, h + 4, "past the end of the file");

        int h2 = secondLoad(le(good));
        byte[] overlap = good.clone();
        le(overlap).putInt(h2 + 8, le(good).getInt(h + 8) + 4);
        assertMalformed(overlap, h2 + 8, "overlaps the segment at");
        byte[] entry = good.clone();
        le(entry).putInt(24, 0x7000_0000);
        assertMalformed(entry, 24, "entry point 0x70000000");
        byte[] noLoad = good.clone();
        for (int i = 0; i < Short.toUnsignedInt(le(good).getShort(44)); i++) {
            le(noLoad).putInt(phoff + 32 * i, 4); // PT_NOTE
        }
        assertMalformed(noLoad, phoff, "no loadable");
        assertEquals(0, nextFrame, "nothing was allocated for any malformed image");
    }

    @Test
    void runningOutOfFramesIsReportedWithThePagesAlreadyMapped() {
        int[] left = {2};
        ImageLoader.Result r = platform.imageLoader()
                .load(
                        Programs.image("faults"),
                        platform.newAddressSpace(),
                        (vpn, w) -> left[0]-- > 0 ? nextFrame++ : -1);
        Malformed m = malformed(r);
        assertTrue(m.what().startsWith("no frame left for page"), m.what());
        assertEquals(2, m.pages().size());
    }

    /** Random corruption of a good image never throws: every outcome is a load or a named refusal. */
    @Test
    void corruptedImagesAreLoadedOrRefusedNeverThrown() {
        byte[] good = Programs.image("faults");
        Random random = new Random(11);
        int refused = 0;
        for (int trial = 0; trial < 2000; trial++) {
            byte[] image = good.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                // bias towards the headers, where the loader looks
                int at = random.nextInt(4) == 0
                        ? random.nextInt(image.length)
                        : random.nextInt(Math.min(image.length, 256));
                image[at] = (byte) random.nextInt(256);
            }
            if (random.nextInt(8) == 0) {
                image = Arrays.copyOf(image, random.nextInt(image.length));
            }
            int[] budget = {64};
            X86AddressSpace space = platform.newAddressSpace();
            ImageLoader.Result r =
                    platform.imageLoader().load(image, space, (vpn, w) -> budget[0]-- > 0 ? 1 + (budget[0] & 7) : -1);
            if (r instanceof Malformed m) {
                refused++;
                assertTrue(m.offset() >= 0 && m.offset() <= Math.max(image.length, 0xFFFF_FFFFL), m.toString());
                assertTrue(!m.what().isBlank());
            }
            platform.destroy(space);
        }
        assertTrue(refused > 200, "most corruptions of the headers are refused: " + refused);
    }

    /** The symbol table names functions (where a boot description starts a second thread); nothing else is found. */
    @Test
    void symbolsAreReadFromTheSymbolTableAndCorruptionFindsNothingWithoutThrowing() {
        byte[] good = Programs.image("twothreads");
        ImageLoader loader = platform.imageLoader();
        int second = loader.symbol(good, "second").getAsInt();
        int main = loader.symbol(good, "main").getAsInt();
        assertTrue(second >>> 12 == 0x08048 && main >>> 12 == 0x08048 && second != main, second + " " + main);
        assertTrue(loader.symbol(good, "secon").isEmpty(), "a prefix is not a name");
        assertTrue(loader.symbol(good, "nothing").isEmpty());
        assertTrue(
                loader.symbol(minimal(0x08048000, 0x08048000, new byte[] {1}, 1), "main")
                        .isEmpty(),
                "no table");
        Random random = new Random(12);
        for (int trial = 0; trial < 2000; trial++) {
            byte[] image = good.clone();
            for (int f = 0; f < 1 + random.nextInt(4); f++) {
                // the section headers, the symbol and string tables sit in the file's second half
                image[image.length / 2 + random.nextInt(image.length - image.length / 2)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(8) == 0) {
                image = Arrays.copyOf(image, random.nextInt(image.length));
            }
            loader.symbol(image, "second"); // found or not, never thrown
        }
    }

    /** The smallest executable: one PT_LOAD segment (R, W, X) of {@code code} at {@code vaddr}, bytes at 0x100. */
    static byte[] minimal(int vaddr, int entry, byte[] code, int memsz) {
        ByteBuffer b = ByteBuffer.allocate(0x100 + code.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 1, 1, 1, 0});
        b.position(16);
        b.putShort((short) 2)
                .putShort((short) 3)
                .putInt(1)
                .putInt(entry)
                .putInt(52)
                .putInt(0)
                .putInt(0);
        b.putShort((short) 52).putShort((short) 32).putShort((short) 1);
        b.putShort((short) 0).putShort((short) 0).putShort((short) 0);
        b.position(52);
        b.putInt(1)
                .putInt(0x100)
                .putInt(vaddr)
                .putInt(vaddr)
                .putInt(code.length)
                .putInt(memsz);
        b.putInt(7).putInt(0x1000);
        b.position(0x100);
        b.put(code);
        return b.array();
    }

    private static byte[] minimal() {
        return minimal(0x08049000, 0x08049004, new byte[] {1, 2, 3, 4, 5}, 0x2000);
    }

    private static byte[] minimalWith(int offset, int value, int size) {
        byte[] b = minimal();
        switch (size) {
            case 1 -> b[offset] = (byte) value;
            case 2 -> le(b).putShort(offset, (short) value);
            default -> le(b).putInt(offset, value);
        }
        return b;
    }

    @Test
    void theSmallestImageLoadsItsSegmentAndZeroesItsTail() {
        X86AddressSpace space = platform.newAddressSpace();
        Loaded loaded =
                assertInstanceOf(Loaded.class, platform.imageLoader().load(minimal(), space, (vpn, w) -> nextFrame++));
        assertEquals(0x08049004, loaded.entry());
        assertEquals(2, loaded.pages().size(), "memsz 0x2000 from a page boundary is two pages");
        assertEquals(0x08049, loaded.pages().get(0).vpn());
        assertEquals(0x0804a, loaded.pages().get(1).vpn());
        int frame = space.frameOf(0x08049);
        for (int k = 0; k < 5; k++) {
            assertEquals(k + 1, memory.readByte(((long) frame << 12) + k));
        }
        assertEquals(0, memory.readByte(((long) frame << 12) + 5));
        assertEquals(0, memory.readByte(((long) space.frameOf(0x0804a) << 12) + 0xfff));
    }

    /** Each way the smallest image can be malformed, with the offset the refusal names. */
    @Test
    void theSmallestImageMalformedInEachHeaderField() {
        assertMalformed(new byte[10], 10, "truncated ELF header");
        assertMalformed(minimalWith(0, 0x7e, 1), 0, "bad magic");
        assertMalformed(minimalWith(4, 2, 1), 4, "ELFCLASS32");
        assertMalformed(minimalWith(5, 2, 1), 5, "little endian");
        assertMalformed(minimalWith(6, 0, 1), 6, "ELF version 0");
        assertMalformed(minimalWith(16, 3, 2), 16, "ET_EXEC");
        assertMalformed(minimalWith(18, 62, 2), 18, "EM_386");
        assertMalformed(minimalWith(44, 0, 2), 44, "no program headers");
        assertMalformed(minimalWith(44, 400, 2), 52, "truncated program headers: 400 headers");
        assertMalformed(minimalWith(42, 16, 2), 42, "program header size 16");
        assertMalformed(minimalWith(52, 4, 4), 52, "no loadable");
        assertMalformed(minimalWith(52 + 16, 0x3000, 4), 52 + 16, "exceeds memory size");
        assertMalformed(minimalWith(52 + 4, 0x7000, 4), 52 + 4, "past the end of the file");
        assertMalformed(minimalWith(52 + 8, 0xfffff000, 4), 52 + 8, "outside user space");
        assertMalformed(Arrays.copyOf(minimal(), 0x102), 52 + 4, "past the end of the file");
        assertMalformed(minimalWith(24, 0x0804b000, 4), 24, "entry point 0x804b000");
        assertEquals(0, nextFrame, "nothing was allocated for any malformed image");
    }
}
