package dev.ladle.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ladle.kernel.Kernel;
import dev.ladle.kernel.KernelThread;
import dev.ladle.kernel.boot.BootError;
import dev.ladle.kernel.boot.BootParser;
import dev.ladle.kernel.hw.Reg;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel's boot on the x86 target: images go through the platform's ELF32 loader, and a refused image is a boot
 * error at the image word of the boot file carrying the loader's file offset.
 */
class BootOnX86Test {
    private static final String SYS = "process p image p.elf\nthread t in p\n";
    private final X86Platform platform = new X86Platform(X86Platform.Config.ofMemory(8L << 20));

    @AfterEach
    void close() {
        platform.close();
    }

    private Kernel boot(byte[] image) throws BootError {
        return Kernel.boot(
                platform, BootParser.parse("sys.boot", SYS), name -> image, new Kernel.Options(1, 100, true, false));
    }

    private String error(byte[] image) {
        return assertThrows(BootError.class, () -> boot(image)).getMessage();
    }

    private static byte[] image(int vaddr, int entry) {
        return Elf32LoaderTest.minimal(vaddr, entry, new byte[] {0x11, 0x22, 0x33, 0x44, 0x55}, 0x1800);
    }

    @Test
    void theImageIsLoadedAndTheThreadStartsAtItsEntry() throws BootError {
        Kernel k = boot(image(0x08048ffc, 0x08048ffd));
        KernelThread t = k.thread("t");
        assertEquals(0x08048ffd, t.get(Reg.EIP));
        assertEquals(0x44332211, t.process().space().read32(0x08048ffc).value());
        assertEquals(0x55, t.process().space().read32(0x08049000).value(), "the segment crosses a page boundary");
        assertEquals(0, t.process().space().read32(0x08049004).value(), "beyond the file bytes: zero");
        assertEquals(null, k.pageTableMismatch());
    }

    @Test
    void aMalformedImageIsABootErrorWithTheLoadersOffset() {
        byte[] class64 = image(0x08048000, 0x08048000);
        class64[4] = 2;
        assertEquals(
                "sys.boot:1:17: image p.elf: malformed image at offset 4: class 2 (ELFCLASS64), expected 1"
                        + " (ELFCLASS32)",
                error(class64));
        assertEquals(
                "sys.boot:1:17: image p.elf: malformed image at offset 24: entry point 0x8050000 is not inside an"
                        + " executable segment",
                error(image(0x08048000, 0x08050000)));
        assertEquals(
                "sys.boot:1:17: image p.elf: malformed image at offset 30: truncated ELF header: the file has 30"
                        + " bytes, the header 52",
                error(Arrays.copyOf(class64, 30)));
        String user = error(image(0xbffff000, 0xbffff000));
        assertEquals(
                "sys.boot:1:17: image p.elf: malformed image at offset 60: segment 0 (program header at offset 52):"
                        + " [0xbffff000, 0xc0000800) is outside user space [0x1000, 0xc0000000)",
                user);
    }

    @Test
    void aSegmentOutsideThePageWindowIsABootError() {
        assertEquals(
                "sys.boot:1:17: image p.elf: page 0x00001000 (segment described at file offset 52) lies outside the"
                        + " page window 0x08047000..0x08087000",
                error(image(0x1000, 0x1000)));
        byte[] bigSegment = image(0x08048000, 0x08048000);
        ByteBuffer b = ByteBuffer.wrap(bigSegment).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(20 + 52, 0x40000); // memsz: runs past the window's 64 pages
        assertEquals(
                "sys.boot:1:17: image p.elf: page 0x08087000 (segment described at file offset 52) lies outside the"
                        + " page window 0x08047000..0x08087000",
                error(bigSegment));
    }
}
