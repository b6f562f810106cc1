package dev.ladle.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.kernel.hw.Reg;
import dev.ladle.kernel.hw.Stop;
import java.lang.management.ManagementFactory;
import java.util.BitSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DirtyFramesTest {
    private static final int CODE = 0x0100_0000;
    private static final int TRACKED = 16;

    // mov dword [0x50000000], 0xdeadbeef ; int 0x30
    private static final int[] WRITE = {0xC7, 0x05, 0x00, 0x00, 0x00, 0x50, 0xEF, 0xBE, 0xAD, 0xDE, 0xCD, 0x30};
    // mov dword [0x50000000], 0x11111111 ; mov dword [0x50000004], 0x22222222 ; int 0x30
    private static final int[] WRITE_TWICE = {
        0xC7, 0x05, 0x00, 0x00, 0x00, 0x50, 0x11, 0x11, 0x11, 0x11, //
        0xC7, 0x05, 0x04, 0x00, 0x00, 0x50, 0x22, 0x22, 0x22, 0x22, //
        0xCD, 0x30
    };
    // mov dword [0x50000000], 1 ; mov dword [0x51000000], 2 ; int 0x30
    private static final int[] WRITE_TWO_PAGES = {
        0xC7, 0x05, 0x00, 0x00, 0x00, 0x50, 0x01, 0x00, 0x00, 0x00, //
        0xC7, 0x05, 0x00, 0x00, 0x00, 0x51, 0x02, 0x00, 0x00, 0x00, //
        0xCD, 0x30
    };

    private final X86Platform platform = new X86Platform(X86Platform.Config.ofMemory(16L << 20));

    @AfterEach
    void close() {
        platform.close();
    }

    /** A space running {@code code} from frame {@code codeFrame} at {@link #CODE} (read-only), EIP there. */
    private X86Registers code(X86AddressSpace space, int codeFrame, int... code) {
        platform.memory().clearFrame(codeFrame);
        for (int i = 0; i < code.length; i++) {
            platform.memory().writeByte(((long) codeFrame << 12) + i, (byte) code[i]);
        }
        space.map(CODE >>> 12, codeFrame, false);
        X86Registers regs = new X86Registers();
        regs.set(Reg.EIP, CODE);
        return regs;
    }

    private void run(X86AddressSpace space, X86Registers regs) {
        regs.set(Reg.EIP, CODE);
        assertEquals(new Stop.Trap(0x30), platform.cpu().run(space, regs, 100));
    }

    private static BitSet of(int... frames) {
        BitSet b = new BitSet();
        for (int f : frames) {
            b.set(f);
        }
        return b;
    }

    @Test
    void everySetStartsWithEveryFrame() {
        DirtyFrames dirty = new DirtyFrames(platform, TRACKED);
        DirtyFrames.DrainedSet ck = dirty.newSet();
        BitSet all = new BitSet();
        all.set(0, TRACKED);
        assertEquals(all, ck.drain(), "nothing is known of the frames before the tracker: every one is dirty");
        assertEquals(new BitSet(), ck.drain());
        assertEquals(all, dirty.newSet().drain(), "a set made later starts full as well");
    }

    @Test
    void framesPutBackAreInThatSetOnlyAndDrainedAgain() {
        DirtyFrames dirty = new DirtyFrames(platform, TRACKED);
        DirtyFrames.DrainedSet ck = dirty.newSet();
        DirtyFrames.DrainedSet rec = dirty.newSet();
        ck.drain();
        BitSet drained = rec.drain();
        rec.remark(of(3, 5, TRACKED + 2)); // a frame outside the tracked ones is ignored
        assertEquals(of(3, 5), rec.drain(), "the frames put back are drained again");
        assertEquals(new BitSet(), ck.drain(), "the other set is not touched");
        assertEquals(TRACKED, drained.cardinality());
    }

    @Test
    void aWriteByARealInstructionMarksTheFrameInBothSets() {
        X86AddressSpace space = platform.newAddressSpace();
        X86Registers regs = code(space, 1, WRITE);
        space.map(0x50000, 7, true);
        DirtyFrames dirty = new DirtyFrames(platform, TRACKED);
        DirtyFrames.DrainedSet ck = dirty.newSet();
        DirtyFrames.DrainedSet rec = dirty.newSet();
        ck.drain();
        rec.drain();
        run(space, regs);
        assertTrue(ck.contains(7) && rec.contains(7));
        assertEquals(of(7), rec.drain(), "only the frame the store wrote");
        assertEquals(of(7), ck.drain(), "the other set is independent: it still held the frame");
    }

    @Test
    void aKernelWriteMarksTheFrameInBothSets() {
        DirtyFrames dirty = new DirtyFrames(platform, TRACKED);
        DirtyFrames.DrainedSet ck = dirty.newSet();
        DirtyFrames.DrainedSet rec = dirty.newSet();
        ck.drain();
        rec.drain();
        platform.memory().copyFrame(3, 9); // a copy item's target
        platform.memory().writeInt((5L << 12) + 8, 42);
        platform.memory().clearFrame(11);
        platform.memory().write(12L << 12, new byte[8], 0, 8);
        assertEquals(of(5, 9, 11, 12), ck.drain());
        assertEquals(of(5, 9, 11, 12), rec.drain());
        platform.memory().copyFrame(3, 9);
        assertEquals(of(9), rec.drain(), "a frame drained is marked again by its next write");
        platform.memory().writeInt((long) (TRACKED + 2) << 12, 1);
        assertEquals(of(9), ck.drain(), "an untracked frame is in no set");
    }

    @Test
    void aDrainRearmsExactlyWhatItReturned() {
        X86AddressSpace space = platform.newAddressSpace();
        X86Registers regs = code(space, 1, WRITE_TWO_PAGES);
        space.map(0x50000, 7, true);
        space.map(0x51000, TRACKED + 4, true); // a frame outside the tracked ones: never drained, never re-armed
        space.map(0x52000, 8, true); // writable, never written
        DirtyFrames dirty = new DirtyFrames(platform, TRACKED);
        DirtyFrames.DrainedSet ck = dirty.newSet();
        DirtyFrames.DrainedSet rec = dirty.newSet();
        ck.drain();
        rec.drain();
        run(space, regs);
        assertTrue(PteField.DIRTY.isSet(space.pte(0x50000)) && PteField.DIRTY.isSet(space.pte(0x51000)));
        long before = dirty.rearmed();
        assertEquals(of(7), rec.drain());
        assertEquals(1, dirty.rearmed() - before, "one entry names the frame returned");
        assertFalse(PteField.DIRTY.isSet(space.pte(0x50000)), "the frame returned is armed again");
        assertTrue(PteField.DIRTY.isSet(space.pte(0x51000)), "a frame not returned keeps its D bit");
        // caught again: the next store stops the engine and marks the frame, though the other set held it all along
        run(space, regs);
        assertEquals(of(7), rec.drain());
        assertEquals(of(7), ck.drain());
        assertEquals(new BitSet(), rec.drain());
    }

    @Test
    void aFrameWrittenTwiceBetweenDrainsIsReportedOnce() {
        X86AddressSpace space = platform.newAddressSpace();
        X86Registers regs = code(space, 1, WRITE_TWICE);
        space.map(0x50000, 7, true);
        DirtyFrames dirty = new DirtyFrames(platform, TRACKED);
        DirtyFrames.DrainedSet rec = dirty.newSet();
        rec.drain();
        int[] stops = {0};
        platform.memory().onFirstWrite(f -> stops[0]++);
        try {
            run(space, regs);
            run(space, regs);
            platform.memory().writeInt(7L << 12, 3); // and once by the kernel
            assertEquals(1, stops[0], "four stores by user code, one stop: the page is dirty after the first");
            assertEquals(of(7), rec.drain());
            assertEquals(new BitSet(), rec.drain(), "not again without a new write");
            run(space, regs);
            assertEquals(2, stops[0], "re-armed by the drain");
            assertEquals(of(7), rec.drain());
        } finally {
            platform.memory().onFirstWrite(null);
        }
    }

    @Test
    void aFrameMappedInTwoSpacesIsCaughtThroughEitherMappingAfterADrain() {
        X86AddressSpace a = platform.newAddressSpace();
        X86AddressSpace b = platform.newAddressSpace();
        X86Registers ra = code(a, 1, WRITE);
        X86Registers rb = code(b, 2, WRITE);
        a.map(0x50000, 7, true);
        b.map(0x50000, 7, true);
        assertEquals(2, platform.mappingsOf(7));
        DirtyFrames dirty = new DirtyFrames(platform, TRACKED);
        DirtyFrames.DrainedSet ck = dirty.newSet();
        DirtyFrames.DrainedSet rec = dirty.newSet();
        run(a, ra);
        run(b, rb);
        assertTrue(PteField.DIRTY.isSet(a.pte(0x50000)) && PteField.DIRTY.isSet(b.pte(0x50000)));
        ck.drain();
        rec.drain();
        assertFalse(PteField.DIRTY.isSet(a.pte(0x50000)) || PteField.DIRTY.isSet(b.pte(0x50000)), "both re-armed");
        run(b, rb); // through the mapping that was not the last to run
        assertEquals(of(7), rec.drain());
        run(a, ra);
        assertEquals(of(7), rec.drain());
        assertEquals(of(7), ck.drain());
        run(a, ra);
        run(b, rb);
        assertEquals(of(7), ck.drain());
    }

    /**
     * {@code armWrites} (a checkpoint's frames armed when it is taken) clears the D bit of every writable entry naming
     * a frame given, in every space, through a frame's own mappings or, for many frames, the whole reverse map, and
     * leaves the others.
     */
    @Test
    void armWritesClearsTheDirtyBitOfEveryEntryNamingTheFramesGiven() {
        X86AddressSpace a = platform.newAddressSpace();
        X86AddressSpace b = platform.newAddressSpace();
        X86Registers ra = code(a, 1, WRITE_TWO_PAGES);
        X86Registers rb = code(b, 2, WRITE);
        a.map(0x50000, 7, true);
        a.map(0x51000, 9, true);
        b.map(0x50000, 7, true);
        run(a, ra);
        run(b, rb);
        assertTrue(PteField.DIRTY.isSet(a.pte(0x50000)) && PteField.DIRTY.isSet(b.pte(0x50000)));
        assertTrue(PteField.DIRTY.isSet(a.pte(0x51000)));
        assertEquals(2, platform.armWrites(of(7)), "both entries naming frame 7");
        assertFalse(PteField.DIRTY.isSet(a.pte(0x50000)) || PteField.DIRTY.isSet(b.pte(0x50000)));
        assertTrue(PteField.DIRTY.isSet(a.pte(0x51000)), "a frame not given keeps its D bit");
        run(a, ra);
        BitSet all = new BitSet();
        all.set(0, TRACKED);
        assertEquals(2, platform.armWrites(all), "through the whole map: frame 7 in a, frame 9");
        assertFalse(PteField.DIRTY.isSet(a.pte(0x50000)) || PteField.DIRTY.isSet(a.pte(0x51000)));
        assertEquals(0, platform.armWrites(all), "nothing written since");
    }

    @Test
    void theReverseMapFollowsMapUnmapRemapAndDestroy() {
        X86AddressSpace a = platform.newAddressSpace();
        X86AddressSpace b = platform.newAddressSpace();
        a.map(0x50000, 7, true);
        a.map(0x50001, 7, false);
        b.map(0x60000, 7, true);
        assertEquals(3, platform.mappingsOf(7));
        a.map(0x50000, 8, true); // the entry now names another frame (a grant moves a mapping this way)
        assertEquals(2, platform.mappingsOf(7));
        assertEquals(1, platform.mappingsOf(8));
        a.clearDirty(0x50000);
        a.unmap(0x50001);
        assertEquals(1, platform.mappingsOf(7));
        platform.destroy(b);
        assertEquals(0, platform.mappingsOf(7), "a destroyed space names no frame");
        assertEquals(1, platform.mappingsOf(8));
        DirtyFrames dirty = new DirtyFrames(platform, TRACKED);
        dirty.newSet().drain(); // touches only live entries
        assertThrows(IllegalStateException.class, () -> new DirtyFrames(platform, TRACKED), "one tracker per memory");
    }

    @Test
    void noCopyOfAnyFrameIsKept() {
        // 256 MiB of memory, every frame tracked in two sets and drained: a baseline copy per set would be 512 MiB
        try (X86Platform big = new X86Platform(X86Platform.Config.ofMemory(256L << 20))) {
            int frames = big.userFrames();
            long before = heapAfterGc();
            DirtyFrames dirty = new DirtyFrames(big, frames);
            DirtyFrames.DrainedSet ck = dirty.newSet();
            DirtyFrames.DrainedSet rec = dirty.newSet();
            for (int f = 0; f < frames; f += 97) {
                big.memory().writeInt((long) f << 12, f);
            }
            assertEquals(frames, ck.drain().cardinality());
            assertEquals(frames, rec.drain().cardinality());
            long grown = heapAfterGc() - before;
            assertTrue(grown < (8L << 20), "the tracker holds " + grown + " bytes of heap for " + frames + " frames");
            java.lang.ref.Reference.reachabilityFence(dirty);
            java.lang.ref.Reference.reachabilityFence(ck);
            java.lang.ref.Reference.reachabilityFence(rec);
        }
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
