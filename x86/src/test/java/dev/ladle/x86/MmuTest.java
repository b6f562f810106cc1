package dev.ladle.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.kernel.hw.AddressSpace.AccessResult;
import dev.ladle.kernel.hw.PageFault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The software walk, its accessed and dirty bits, SDM fault codes, and the TLB's (in)coherence. */
class MmuTest {
    private static final int VA = 0x0040_0000;
    private static final int VPN = VA >>> 12;
    private final X86Platform platform = new X86Platform(X86Platform.Config.ofMemory(4L << 20));
    private final X86AddressSpace space = platform.newAddressSpace();
    private final X86PhysicalMemory memory = platform.memory();

    @AfterEach
    void close() {
        platform.close();
    }

    @Test
    void readSetsAccessedInBothLevelsAndWriteAlsoSetsDirty() {
        space.map(VPN, 5, true);
        assertEquals(0, space.pte(VPN) & (PteField.ACCESSED.mask() | PteField.DIRTY.mask()));
        assertEquals(0, space.pde(VPN >>> 10) & PdeField.ACCESSED.mask());
        memory.writeInt(5L << 12 | 0x10, 0xCAFE);
        assertEquals(new AccessResult(0xCAFE, null), space.read32(VA + 0x10));
        assertTrue(PteField.ACCESSED.isSet(space.pte(VPN)));
        assertTrue(PdeField.ACCESSED.isSet(space.pde(VPN >>> 10)));
        assertEquals(false, PteField.DIRTY.isSet(space.pte(VPN)), "a read leaves D clear");
        assertTrue(space.write32(VA + 0x20, 77).ok());
        assertTrue(PteField.DIRTY.isSet(space.pte(VPN)), "a write through a clean TLB entry walks and sets D");
        assertEquals(77, memory.readInt(5L << 12 | 0x20));
    }

    @Test
    void faultsCarryTheSdmErrorCodeAndCr2() {
        space.map(VPN, 5, false);
        AccessResult notPresent = space.read32(VA + 0x1000 + 8);
        assertEquals(new PageFault(VA + 0x1008, PageFault.USER), notPresent.fault());
        assertEquals(
                new PageFault(VA + 0x1008, PageFault.USER | PageFault.WRITE),
                space.write32(VA + 0x1008, 1).fault());
        assertEquals(
                new PageFault(0x7000_0000, PageFault.USER),
                space.read32(0x7000_0000).fault(),
                "no page table at all: not present");
        assertEquals(
                new PageFault(VA + 4, PageFault.USER | PageFault.WRITE | PageFault.PRESENT),
                space.write32(VA + 4, 1).fault(),
                "write to a read-only page: present, write, user");
        assertEquals(0, memory.readInt(5L << 12 | 4), "a faulting write changes nothing");
        int supervisor = PteField.USER_SUPERVISOR.with(space.pte(VPN), false);
        space.writePte(VPN, supervisor);
        space.invlpg(VA);
        assertEquals(
                new PageFault(VA, PageFault.USER | PageFault.PRESENT),
                space.read32(VA).fault(),
                "user access to a supervisor page: present, user");
    }

    @Test
    void aStaleTranslationIsUsedUntilInvlpg() {
        space.map(VPN, 5, true);
        memory.writeInt(5L << 12, 111);
        memory.writeInt(6L << 12, 222);
        assertEquals(111, space.read32(VA).value());
        // a plain store to the page table, as kernel code does before INVLPG
        space.writePte(VPN, PteField.FRAME.with(space.pte(VPN), 6));
        assertEquals(111, space.read32(VA).value(), "the TLB still holds frame 5");
        space.invlpg(VA);
        assertEquals(222, space.read32(VA).value(), "after INVLPG the walk finds frame 6");
    }

    @Test
    void aCr3LoadDropsNonGlobalTranslationsButKeepsGlobalOnes() {
        space.map(VPN, 5, true);
        space.map(VPN + 1, 7, true);
        space.writePte(VPN + 1, PteField.GLOBAL.with(space.pte(VPN + 1), true));
        space.invlpg(VA + 0x1000);
        memory.writeInt(5L << 12, 111);
        memory.writeInt(6L << 12, 222);
        memory.writeInt(7L << 12, 333);
        memory.writeInt(8L << 12, 444);
        assertEquals(111, space.read32(VA).value());
        assertEquals(333, space.read32(VA + 0x1000).value());
        space.writePte(VPN, PteField.FRAME.with(space.pte(VPN), 6));
        space.writePte(VPN + 1, PteField.FRAME.with(space.pte(VPN + 1), 8));
        platform.mmu().loadCr3(space.pageDirectoryFrame());
        assertEquals(222, space.read32(VA).value(), "non-global: walked again after the CR3 load");
        assertEquals(333, space.read32(VA + 0x1000).value(), "global: the stale translation survives");
        space.invlpg(VA + 0x1000);
        assertEquals(444, space.read32(VA + 0x1000).value(), "INVLPG drops global translations too");
    }

    @Test
    void aTlbHitDoesNotWalk() {
        space.map(VPN, 5, true);
        space.read32(VA);
        long walks = platform.mmu().walks();
        for (int i = 0; i < 100; i++) {
            space.read32(VA + 4 * i);
        }
        assertEquals(walks, platform.mmu().walks());
        assertTrue(platform.mmu().tlb().hits() >= 100);
    }

    @Test
    void switchingAddressSpacesReloadsCr3() {
        X86AddressSpace other = platform.newAddressSpace();
        space.map(VPN, 5, true);
        other.map(VPN, 6, true);
        memory.writeInt(5L << 12, 1);
        memory.writeInt(6L << 12, 2);
        assertEquals(1, space.read32(VA).value());
        assertEquals(2, other.read32(VA).value());
        assertEquals(other.pageDirectoryFrame(), platform.mmu().cr3());
        assertEquals(1, space.read32(VA).value());
    }

    @Test
    void fourMegabytePagesAreWalked() {
        int pde = LargePdeField.PRESENT.with(0, true);
        pde = LargePdeField.READ_WRITE.with(pde, true);
        pde = LargePdeField.USER_SUPERVISOR.with(pde, true);
        pde = LargePdeField.PAGE_SIZE.with(pde, true);
        pde = LargePdeField.PAGE.with(pde, 0); // physical 0 .. 4 MiB
        space.writePde(0x100, pde);
        memory.writeInt(0x12_3458, 99);
        assertEquals(99, space.read32((0x100 << 22) | 0x12_3458).value());
        assertTrue(space.write32((0x100 << 22) | 0x12_3458, 5).ok());
        int after = space.pde(0x100);
        assertTrue(LargePdeField.ACCESSED.isSet(after) && LargePdeField.DIRTY.isSet(after));
    }

    @Test
    void aWordAcrossTwoPagesIsReadFromBothAndAFaultOnEitherWritesNothing() {
        space.map(VPN, 5, true);
        space.map(VPN + 1, 9, true);
        memory.writeByte((5L << 12) + 0xFFE, (byte) 0xAA);
        memory.writeByte((5L << 12) + 0xFFF, (byte) 0xBB);
        memory.writeByte(9L << 12, (byte) 0xCC);
        memory.writeByte((9L << 12) + 1, (byte) 0xDD);
        assertEquals(0xDDCC_BBAA, space.read32(VA + 0xFFE).value());
        space.unmap(VPN + 1);
        AccessResult r = space.write32(VA + 0xFFE, -1);
        assertEquals(new PageFault(VA + 0x1000, PageFault.USER | PageFault.WRITE), r.fault());
        assertEquals((byte) 0xAA, memory.readByte((5L << 12) + 0xFFE), "nothing written on the mapped page");
        assertNull(space.read32(VA).fault());
    }
}
