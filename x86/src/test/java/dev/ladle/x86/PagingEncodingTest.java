package dev.ladle.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The PDE and PTE layouts bit by bit against the Intel SDM (Vol. 3A, Tables 4-4, 4-5, 4-6). */
class PagingEncodingTest {
    private final X86Platform platform = new X86Platform(X86Platform.Config.ofMemory(4L << 20));

    @AfterEach
    void close() {
        platform.close();
    }

    /** The SDM's masks, written out as literals (not derived), so a wrong (bit, width) pair is caught. */
    @Test
    void pteFieldsSitWhereTheSdmPutsThem() {
        Map<PteField, Integer> sdm = Map.ofEntries(
                Map.entry(PteField.PRESENT, 0x0000_0001),
                Map.entry(PteField.READ_WRITE, 0x0000_0002),
                Map.entry(PteField.USER_SUPERVISOR, 0x0000_0004),
                Map.entry(PteField.WRITE_THROUGH, 0x0000_0008),
                Map.entry(PteField.CACHE_DISABLE, 0x0000_0010),
                Map.entry(PteField.ACCESSED, 0x0000_0020),
                Map.entry(PteField.DIRTY, 0x0000_0040),
                Map.entry(PteField.PAT, 0x0000_0080),
                Map.entry(PteField.GLOBAL, 0x0000_0100),
                Map.entry(PteField.AVAILABLE, 0x0000_0E00),
                Map.entry(PteField.FRAME, 0xFFFF_F000));
        assertEquals(PteField.values().length, sdm.size());
        for (PteField f : PteField.values()) {
            assertEquals(sdm.get(f), f.mask(), f.name());
        }
        assertTiles(PteField.values(), 0xFFFF_FFFF);
    }

    @Test
    void pdeFieldsSitWhereTheSdmPutsThem() {
        Map<PdeField, Integer> sdm = Map.of(
                PdeField.PRESENT, 0x0000_0001,
                PdeField.READ_WRITE, 0x0000_0002,
                PdeField.USER_SUPERVISOR, 0x0000_0004,
                PdeField.WRITE_THROUGH, 0x0000_0008,
                PdeField.CACHE_DISABLE, 0x0000_0010,
                PdeField.ACCESSED, 0x0000_0020,
                PdeField.PAGE_SIZE, 0x0000_0080,
                PdeField.AVAILABLE, 0x0000_0E00,
                PdeField.TABLE, 0xFFFF_F000);
        assertEquals(PdeField.values().length, sdm.size());
        for (PdeField f : PdeField.values()) {
            assertEquals(sdm.get(f), f.mask(), f.name());
        }
        // bits 6 and 8 are ignored in a PDE that references a page table
        assertTiles(PdeField.values(), ~(0x40 | 0x100));
    }

    @Test
    void largePdeFieldsSitWhereTheSdmPutsThem() {
        assertEquals(0x0000_0040, LargePdeField.DIRTY.mask());
        assertEquals(0x0000_0080, LargePdeField.PAGE_SIZE.mask());
        assertEquals(0x0000_0100, LargePdeField.GLOBAL.mask());
        assertEquals(0x0000_1000, LargePdeField.PAT.mask());
        assertEquals(0x001F_E000, LargePdeField.HIGH_ADDRESS.mask());
        assertEquals(0x0020_0000, LargePdeField.RESERVED.mask());
        assertEquals(0xFFC0_0000, LargePdeField.PAGE.mask());
        assertTiles(LargePdeField.values(), 0xFFFF_FFFF);
    }

    /** The fields do not overlap and together cover exactly {@code covered}. */
    private static void assertTiles(BitField[] fields, int covered) {
        int seen = 0;
        for (BitField f : fields) {
            assertEquals(0, seen & f.mask(), f.sdmName() + " overlaps another field");
            seen |= f.mask();
        }
        assertEquals(covered, seen);
    }

    @Test
    void everyFieldReadsBackWhatWasWrittenAndTouchesOnlyItsBits() {
        for (BitField[] fields : new BitField[][] {PteField.values(), PdeField.values(), LargePdeField.values()}) {
            for (BitField f : fields) {
                int ones = (int) ((1L << f.width()) - 1);
                assertEquals(f.mask(), f.with(0, ones), f.sdmName());
                assertEquals(~f.mask(), f.with(-1, 0), f.sdmName());
                assertEquals(ones, f.get(-1), f.sdmName());
                int value = 0x5A5A5A5A & ones;
                assertEquals(value, f.get(f.with(0x12345678, value)), f.sdmName());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> PteField.AVAILABLE.with(0, 8));
        assertThrows(IllegalArgumentException.class, () -> PteField.PRESENT.with(0, 2));
    }

    @Test
    void mapWritesSdmEntriesLittleEndianIntoTheTables() {
        X86AddressSpace space = platform.newAddressSpace();
        int vpn = (0x0804_8000 >>> 12);
        space.map(vpn, 0x123, true);
        space.map(vpn + 1, 0x0AB, false);
        int pde = space.pde(vpn >>> 10);
        int table = pde >>> 12;
        assertEquals(0x7, pde & 0xFFF, "PDE: present, writable, user; no PWT, PCD, A, PS");
        assertEquals(0x0012_3007, space.pte(vpn), "PTE: frame 0x123, P | R/W | U/S");
        assertEquals(0x000A_B005, space.pte(vpn + 1), "PTE: frame 0xAB, P | U/S, read-only");
        long pteAddress = ((long) table << 12) + 4L * (vpn & 0x3FF);
        X86PhysicalMemory m = platform.memory();
        assertEquals(0x07, m.readByte(pteAddress) & 0xFF);
        assertEquals(0x30, m.readByte(pteAddress + 1) & 0xFF);
        assertEquals(0x12, m.readByte(pteAddress + 2) & 0xFF);
        assertEquals(0x00, m.readByte(pteAddress + 3) & 0xFF);
        long pdeAddress = ((long) space.pageDirectoryFrame() << 12) + 4L * (vpn >>> 10);
        assertEquals(pde, m.readInt(pdeAddress));
        assertEquals(0x123, space.frameOf(vpn));
        space.unmap(vpn);
        assertEquals(0, space.pte(vpn));
        assertEquals(-1, space.frameOf(vpn));
        assertEquals(0x0AB, space.frameOf(vpn + 1));
    }

    @Test
    void pageTablesLiveAboveTheUserFramesAndAreReturnedOnDestroy() {
        int before = platform.tableFramesInUse();
        X86AddressSpace space = platform.newAddressSpace();
        space.map(0x1000, 1, true);
        space.map(0x80000, 2, true);
        assertEquals(before + 3, platform.tableFramesInUse(), "one directory and two tables");
        assertEquals(true, space.pageDirectoryFrame() >= platform.userFrames());
        assertEquals(true, (space.pde(0x1000 >>> 10) >>> 12) >= platform.userFrames());
        platform.destroy(space);
        assertEquals(before, platform.tableFramesInUse());
        assertThrows(
                IllegalArgumentException.class,
                () -> platform.newAddressSpace().map(0x10, platform.userFrames(), true),
                "a page-table frame is not a user frame");
        assertThrows(
                IllegalArgumentException.class,
                () -> platform.newAddressSpace().map(0, 1, true),
                "page 0 is not user space");
        assertThrows(
                IllegalArgumentException.class,
                () -> platform.newAddressSpace().map(0xC0000, 1, true),
                "the top gigabyte is not user space");
    }
}
