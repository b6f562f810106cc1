package dev.ladle.kernel.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.kernel.fake.TestElf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The ELF32 program-header reader on a good image and on each way an image can be malformed. */
class ElfImageTest {
    static byte[] good() {
        return TestElf.image(0x08049000, 0x08049004, new byte[] {1, 2, 3, 4, 5}, 0x2000);
    }

    @Test
    void readsTheLoadableSegment() {
        ElfImage e = ElfImage.parse(good());
        assertEquals(0x08049004, e.entry());
        assertEquals(1, e.segments().size());
        ElfImage.Segment s = e.segments().get(0);
        assertEquals(0x08049000L, s.vaddr());
        assertEquals(5, s.filesz());
        assertEquals(0x2000L, s.memsz());
    }

    static String error(byte[] image) {
        return assertThrows(IllegalArgumentException.class, () -> ElfImage.parse(image))
                .getMessage();
    }

    static byte[] with(int offset, int value, int size) {
        byte[] b = good();
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (size == 1) {
            buf.put(offset, (byte) value);
        } else if (size == 2) {
            buf.putShort(offset, (short) value);
        } else {
            buf.putInt(offset, value);
        }
        return b;
    }

    @Test
    void malformedImages() {
        assertTrue(error(new byte[10]).contains("too short"));
        assertTrue(error(with(0, 0x7e, 1)).contains("bad magic"));
        assertTrue(error(with(4, 2, 1)).contains("not a 32-bit"));
        assertTrue(error(with(5, 2, 1)).contains("not little-endian"));
        assertTrue(error(with(16, 3, 2)).contains("not an executable"));
        assertTrue(error(with(18, 62, 2)).contains("not an IA-32 image"));
        assertTrue(error(with(44, 0, 2)).contains("no program headers"));
        assertTrue(error(with(44, 400, 2)).contains("program headers run past the end"));
        assertTrue(error(with(52, 4, 4)).contains("no loadable segment"));
        assertTrue(error(with(52 + 16, 0x3000, 4)).contains("exceeds memory size"));
        assertTrue(error(with(52 + 4, 0x7000, 4)).contains("runs past the end of the file"));
        assertTrue(error(with(52 + 8, 0xfffff000, 4)).contains("past 4 GiB"));
        assertTrue(error(Arrays.copyOf(good(), 0x102)).contains("runs past the end of the file"));
    }
}
