package dev.ladle.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.kernel.boot.BootError;
import dev.ladle.kernel.boot.BootParser;
import dev.ladle.kernel.fake.FakePlatform;
import dev.ladle.kernel.fake.TestImage;
import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.kernel.hw.Reg;
import java.io.FileNotFoundException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Booting: images land in fresh frames, registers start at the entry; bad images are errors at the image name. */
class BootTest {
    static Kernel boot(String text, Map<String, byte[]> images) throws BootError {
        return boot(text, images, 512);
    }

    static Kernel boot(String text, Map<String, byte[]> images, int physicalFrames) throws BootError {
        return Kernel.boot(
                new FakePlatform(physicalFrames),
                BootParser.parse("sys.boot", text),
                name -> {
                    byte[] b = images.get(name);
                    if (b == null) {
                        throw new FileNotFoundException("no image " + name);
                    }
                    return b;
                },
                new Kernel.Options(1, 100, true, false));
    }

    @Test
    void theImageIsLoadedAndTheThreadStartsAtItsEntry() throws BootError {
        byte[] code = {0x11, 0x22, 0x33, 0x44, 0x55};
        Kernel k = boot(
                "limits pages 8 frames 16\nprocess p image p.elf heap 1 stack 2\nthread t in p\n",
                Map.of("p.elf", TestImage.image(0x08049ffe, 0x08049fff, code, 0x10)));
        KernelThread t = k.thread("t");
        assertEquals(0x08049fff, t.get(Reg.EIP));
        assertEquals((0x08047 + 8) << 12, t.get(Reg.ESP), "the stack is at the top of the window");
        var space = t.process().space();
        assertEquals(0x2211, space.read32(0x08049ffc).value() >>> 16, "a segment that crosses a page boundary");
        assertEquals(0x554433, space.read32(0x0804a000).value());
        // image pages 3 and 4, heap 5, stack 7 and 8
        for (int v : new int[] {3, 4, 5, 7, 8}) {
            assertTrue(k.machine().pt(0, v) != Machine.NO_FRAME, "page " + v);
        }
        assertEquals(Machine.NO_FRAME, k.machine().pt(0, 1));
        assertEquals(Machine.NO_FRAME, k.machine().pt(0, 2));
        assertEquals(null, k.pageTableMismatch());
        assertEquals(PhysicalMemory.PAGE_SIZE, 4096);
    }

    static String error(String text, Map<String, byte[]> images) {
        return assertThrows(BootError.class, () -> boot(text, images)).getMessage();
    }

    @Test
    void imageErrorsNameTheImageWord() {
        String sys = "process p image p.elf\nthread t in p\n";
        assertEquals("sys.boot:1:17: image p.elf cannot be read: no image p.elf", error(sys, Map.of()));
        assertEquals(
                "sys.boot:1:17: image p.elf: malformed image at offset 3: truncated test image header (3 bytes)",
                error(sys, Map.of("p.elf", new byte[] {1, 2, 3})),
                "the loader's refusal, with its file offset, at the image word");
        String outside = error(sys, Map.of("p.elf", TestImage.image(0x1000, 0x1000, new byte[] {1}, 1)));
        assertEquals(
                "sys.boot:1:17: image p.elf: page 0x00001000 (segment described at file offset 4)"
                        + " lies outside the page window 0x08047000..0x08087000",
                outside);
        String straddles = error(sys, Map.of("p.elf", TestImage.image(0x08086000, 0x08086000, new byte[] {1}, 0x2000)));
        assertTrue(straddles.contains("page 0x08087000 (segment described at file offset 4)"), straddles);
        assertTrue(straddles.contains("outside the page window"), straddles);
    }

    @Test
    void limitsThatCannotHoldTheImagesAreErrors() {
        Map<String, byte[]> one = Map.of("p.elf", TestImage.onePage());
        assertTrue(error("limits frames 1\nprocess p image p.elf\nthread t in p\n", one)
                .contains("sys.boot:2:1: process p: the images need more frames than limits frames 1"));
        assertTrue(error("limits pages 2\nprocess p image p.elf heap 2\nthread t in p\n", one)
                .contains("sys.boot:2:28: process p: heap of 2 pages runs past the page window"));
        assertTrue(error("limits pages 3\nprocess p image p.elf heap 1 stack 1\nthread t in p\n", one)
                .contains("sys.boot:2:36: process p: the stacks of its 1 thread(s) at the top of the page window"
                        + " overlap the image or heap"));
        String small = assertThrows(
                        BootError.class,
                        () -> boot("limits frames 64\nprocess p image p.elf\nthread t in p\n", one, 64))
                .getMessage();
        assertTrue(small.contains("needs 65 physical frames; the platform gives the kernel 64"), small);
    }
}
