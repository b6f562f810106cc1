package dev.ladle.x86;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhysicalMemoryTest {
    @Test
    void oneGibibyteIsOneRegionOfFramesUsableToTheLastByte() {
        try (X86PhysicalMemory m = new X86PhysicalMemory(1L << 30)) {
            assertEquals(262_144, m.frames());
            long last = (1L << 30) - 4;
            assertEquals(0, m.readInt(last), "fresh memory reads zero");
            m.writeInt(last, 0x11223344);
            assertEquals(0x44, m.readByte(last), "little endian");
            assertEquals(0x11, m.readByte(last + 3));
            assertEquals(0, m.hostAddress(262_143) % 4096);
            assertEquals(m.hostAddress(0) + (262_143L << 12), m.hostAddress(262_143), "one contiguous region");
            assertThrows(IndexOutOfBoundsException.class, () -> m.readInt(last + 2));
            assertThrows(IndexOutOfBoundsException.class, () -> m.hostAddress(262_144));
        }
    }

    @Test
    void framesAreCopiedAndClearedWhole() {
        try (X86PhysicalMemory m = new X86PhysicalMemory(1L << 20)) {
            byte[] page = new byte[4096];
            for (int i = 0; i < page.length; i++) {
                page[i] = (byte) (i * 7);
            }
            m.write(3L << 12, page, 0, page.length);
            m.copyFrame(3, 9);
            byte[] copy = new byte[4096];
            m.read(9L << 12, copy, 0, copy.length);
            assertArrayEquals(page, copy);
            m.clearFrame(3);
            m.read(3L << 12, copy, 0, copy.length);
            assertArrayEquals(new byte[4096], copy);
            assertEquals(page[5], m.readByte((9L << 12) + 5), "the copy is untouched");
        }
    }

    @Test
    void hostWritesAreReportedOncePerFrame() {
        try (X86PhysicalMemory m = new X86PhysicalMemory(1L << 20)) {
            m.writeInt(5L << 12, 1);
            m.writeInt((5L << 12) + 8, 2);
            m.writeByte(7L << 12, (byte) 1);
            assertTrue(m.hostWritten(5) && m.hostWritten(7) && !m.hostWritten(6));
            List<Integer> frames = new ArrayList<>();
            m.drainHostWrites(frames::add);
            assertEquals(List.of(5, 7), frames);
            assertFalse(m.hasHostWrites());
            assertFalse(m.hostWritten(5));
        }
    }

    @Test
    void aClosedMemoryRefusesAccessInsteadOfCrashing() {
        X86PhysicalMemory m = new X86PhysicalMemory(1L << 20);
        m.close();
        assertThrows(IllegalStateException.class, () -> m.readInt(0));
        assertThrows(IllegalArgumentException.class, () -> new X86PhysicalMemory(4095));
    }
}
