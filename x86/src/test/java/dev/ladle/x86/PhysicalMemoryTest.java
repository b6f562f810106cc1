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

    /**
     * Frames waiting for their contents are paged in on their first access from the host side, each asked once; a
     * frame written whole is not asked; a frame whose contents cannot be given stays waiting and fails every touch,
     * and the memory names the frame whose page-in threw what (no other exception).
     */
    @Test
    void waitingFramesArePagedInOnFirstTouchAndNeverReadAsZerosWhenLost() {
        try (X86PhysicalMemory m = new X86PhysicalMemory(1L << 20)) {
            for (int f = 0; f < 8; f++) {
                m.writeInt((long) f << 12, 0x5A5A5A5A); // what a boot left there: never to be seen after
            }
            List<Integer> asked = new ArrayList<>();
            m.awaitContents(6, f -> {
                asked.add(f);
                if (f == 4) {
                    throw new IllegalStateException("frame 4: its record is not intact");
                }
                if (f == 2) {
                    return null; // not held: zeros
                }
                byte[] page = new byte[4096];
                java.util.Arrays.fill(page, (byte) (f + 1));
                return page;
            });
            assertEquals(6, m.waitingFrames());
            assertEquals(List.of(), asked, "nothing is asked until touched");
            assertEquals(0x01010101, m.readInt(0), "frame 0's contents");
            assertEquals(0x02020202, m.frameView(1).getInt(0), "a view of a frame pages it in");
            assertEquals(0, m.readInt(2L << 12), "a frame the source does not hold reads zeros");
            m.writeByte((3L << 12) + 5, (byte) 9);
            assertEquals(0x04040404, m.readInt(3L << 12), "a write of part of a frame pages it in first");
            assertEquals(9, m.readByte((3L << 12) + 5));
            m.write(5L << 12, new byte[4096], 0, 4096);
            assertEquals(0, m.readInt(5L << 12));
            assertEquals(List.of(0, 1, 2, 3), asked, "each asked once, a frame written whole never");
            assertEquals(0x5A5A5A5A, m.readInt(6L << 12), "frames beyond those that wait keep their bytes");
            for (int i = 0; i < 2; i++) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.readInt(4L << 12));
                assertEquals("frame 4: its record is not intact", e.getMessage());
                assertTrue(m.waits(4), "a frame that could not be paged in still waits");
                // what the kernel asks of an exception that escaped a step: which frame's page-in threw it
                assertEquals(4, m.frameNotPagedIn(e));
                assertEquals(4, m.frameNotPagedIn(new RuntimeException("wrapped", e)), "through its causes");
                assertEquals(-1, m.frameNotPagedIn(new IllegalStateException("frame 4: its record is not intact")));
            }
            assertThrows(IllegalStateException.class, m::pageInAll);
            assertEquals(1, m.waitingFrames());
            assertEquals(4, m.pagedIn(), "frames 0 to 3: frame 5 was written whole, frame 4 is lost");
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
