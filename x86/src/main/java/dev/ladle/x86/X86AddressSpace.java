package dev.ladle.x86;

import dev.ladle.kernel.hw.AddressSpace;

/**
 * An address space as IA-32 hardware sees it: a page directory frame (what CR3 holds) and page tables in
 * {@link X86PhysicalMemory}, encoded with {@link PdeField} and {@link PteField}. User pages are 4 KiB, present,
 * user-accessible, writable or not. {@link #map} and {@link #unmap} edit an entry, invalidate its translation in the
 * software TLB (INVLPG) and update the engine that mirrors this space, if any. {@link #writePte} edits an entry the
 * way a kernel store instruction would, with no invalidation, so stale translations can be observed. Every entry
 * written is kept in the platform's reverse map ({@link FrameMappings}: which entries name a frame).
 */
public final class X86AddressSpace implements AddressSpace {
    /** Lowest user address: page 0 stays unmapped so that null pointers fault. */
    public static final int USER_BASE = 0x1000;
    /** First address above user space (the top gigabyte is the kernel's on IA-32 systems). */
    public static final int USER_TOP = 0xC000_0000;

    private final X86Platform platform;
    private final X86PhysicalMemory memory;
    private final int pageDirectory;
    private Engine mirror;
    private int presentPages;
    private boolean destroyed;

    X86AddressSpace(X86Platform platform) {
        this.platform = platform;
        this.memory = platform.memory();
        this.pageDirectory = platform.tableFrames().allocate();
        memory.clearFrame(pageDirectory);
    }

    /** The frame of the page directory: this space's CR3. */
    public int pageDirectoryFrame() {
        return pageDirectory;
    }

    /** Whether {@code vpn} lies in user space. */
    public static boolean isUserPage(int vpn) {
        return vpn >= (USER_BASE >>> 12) && vpn < (USER_TOP >>> 12);
    }

    @Override
    public void map(int vpn, int frame, boolean writable) {
        checkLive();
        if (!isUserPage(vpn)) {
            throw new IllegalArgumentException(String.format("page 0x%x is outside user space", vpn));
        }
        if (frame < 0 || frame >= platform.userFrames()) {
            throw new IllegalArgumentException(
                    "frame " + frame + " is not a user frame (0.." + (platform.userFrames() - 1) + ")");
        }
        int pte = PteField.PRESENT.with(0, true);
        pte = PteField.USER_SUPERVISOR.with(pte, true);
        pte = PteField.READ_WRITE.with(pte, writable);
        pte = PteField.FRAME.with(pte, frame);
        boolean wasPresent = PteField.PRESENT.isSet(pte(vpn));
        writePte(vpn, pte);
        if (!wasPresent) {
            presentPages++;
        }
        invalidate(vpn);
    }

    @Override
    public void unmap(int vpn) {
        checkLive();
        if (vpn < 0 || vpn > 0xFFFFF) {
            throw new IllegalArgumentException(String.format("page 0x%x is outside the 4 GiB address space", vpn));
        }
        if (!PteField.PRESENT.isSet(pte(vpn))) {
            return;
        }
        writePte(vpn, 0);
        presentPages--;
        invalidate(vpn);
    }

    /**
     * Clears the D bit of {@code vpn}'s entry and invalidates it, so that the next write by user code stops the engine
     * first ({@link X86PhysicalMemory#onFirstWrite}); returns whether the page is mapped writable (a read-only or absent
     * page is left alone).
     */
    public boolean clearDirty(int vpn) {
        int pte = pte(vpn);
        if (!PteField.PRESENT.isSet(pte) || !PteField.READ_WRITE.isSet(pte)) {
            return false;
        }
        if (PteField.DIRTY.isSet(pte)) {
            writePte(vpn, PteField.DIRTY.with(pte, false));
            invalidate(vpn);
        }
        return true;
    }

    /**
     * Arms page {@code vpn} of {@code space} so its next write stops the engine first (its D bit cleared, as {@link
     * #clearDirty}); false when {@code space} is not this target's. How persist's checkpointer pages arm a page on
     * the IA-32 target ({@code CheckpointerPages.PageArming}).
     */
    public static boolean armFirstWrite(AddressSpace space, int vpn) {
        if (space instanceof X86AddressSpace s) {
            s.clearDirty(vpn);
            return true;
        }
        return false;
    }

    /**
     * INVLPG for this space: drops the software TLB's translation of {@code virtualAddress} and brings the engine
     * mirroring this space (the CPU's cached view) in line with the entry as it now stands.
     */
    public void invlpg(int virtualAddress) {
        invalidate(virtualAddress >>> 12);
    }

    private void invalidate(int vpn) {
        platform.mmu().invlpg(vpn << 12);
        if (mirror != null) {
            mirror.pageChanged(this, vpn);
        }
    }

    @Override
    public int frameOf(int vpn) {
        int pte = pte(vpn);
        return PteField.PRESENT.isSet(pte) ? PteField.FRAME.get(pte) : -1;
    }

    @Override
    public boolean writable(int vpn) {
        int pte = pte(vpn);
        return PteField.PRESENT.isSet(pte) && PteField.READ_WRITE.isSet(pte);
    }

    /** Number of present user pages. */
    public int presentPages() {
        return presentPages;
    }

    /** The page-directory entry at {@code index} (0..1023), as stored. */
    public int pde(int index) {
        return memory.readInt(((long) pageDirectory << 12) + 4L * index);
    }

    /** The page-table entry for {@code vpn} as stored, or 0 when its page table is absent. */
    public int pte(int vpn) {
        int pde = pde(vpn >>> 10);
        if (!PdeField.PRESENT.isSet(pde)) {
            return 0;
        }
        return memory.readInt(((long) PdeField.TABLE.get(pde) << 12) + 4L * (vpn & 0x3FF));
    }

    /**
     * Stores {@code pte} as the entry for {@code vpn}, creating its page table if needed, without invalidating any
     * translation (a plain store to the table, as kernel code would do before INVLPG).
     */
    public void writePte(int vpn, int pte) {
        checkLive();
        long pdeAddress = ((long) pageDirectory << 12) + 4L * (vpn >>> 10);
        int pde = memory.readInt(pdeAddress);
        if (!PdeField.PRESENT.isSet(pde)) {
            if (pte == 0) {
                return;
            }
            int table = platform.tableFrames().allocate();
            memory.clearFrame(table);
            pde = PdeField.PRESENT.with(0, true);
            pde = PdeField.READ_WRITE.with(pde, true);
            pde = PdeField.USER_SUPERVISOR.with(pde, true);
            pde = PdeField.TABLE.with(pde, table);
            memory.writeInt(pdeAddress, pde);
        }
        long at = ((long) PdeField.TABLE.get(pde) << 12) + 4L * (vpn & 0x3FF);
        int old = memory.readInt(at);
        memory.writeInt(at, pte);
        platform.mappings().changed(this, vpn, old, pte);
    }

    /** Stores {@code pde} at directory index {@code index} with no invalidation (for large pages and tests). */
    public void writePde(int index, int pde) {
        checkLive();
        memory.writeInt(((long) pageDirectory << 12) + 4L * index, pde);
    }

    @Override
    public AccessResult read32(int virtualAddress) {
        if ((virtualAddress & 0xFFF) <= 0xFFC) {
            long pa = translate(virtualAddress, false);
            if (pa < 0) {
                return new AccessResult(0, Mmu.faultOf(pa, virtualAddress));
            }
            return new AccessResult(memory.readInt(pa), null);
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            long pa = translate(virtualAddress + i, false);
            if (pa < 0) {
                return new AccessResult(0, Mmu.faultOf(pa, virtualAddress + i));
            }
            value |= (memory.readByte(pa) & 0xFF) << (8 * i);
        }
        return new AccessResult(value, null);
    }

    @Override
    public AccessResult write32(int virtualAddress, int value) {
        if ((virtualAddress & 0xFFF) <= 0xFFC) {
            long pa = translate(virtualAddress, true);
            if (pa < 0) {
                return new AccessResult(0, Mmu.faultOf(pa, virtualAddress));
            }
            memory.writeInt(pa, value);
            return new AccessResult(value, null);
        }
        long[] pas = new long[4];
        for (int i = 0; i < 4; i++) {
            pas[i] = translate(virtualAddress + i, true);
            if (pas[i] < 0) {
                // like the processor, nothing is written when any byte of the access faults
                return new AccessResult(0, Mmu.faultOf(pas[i], virtualAddress + i));
            }
        }
        for (int i = 0; i < 4; i++) {
            memory.writeByte(pas[i], (byte) (value >>> (8 * i)));
        }
        return new AccessResult(value, null);
    }

    /** Reads one byte of user memory through the MMU walk. */
    public AccessResult read8(int virtualAddress) {
        long pa = translate(virtualAddress, false);
        return pa < 0
                ? new AccessResult(0, Mmu.faultOf(pa, virtualAddress))
                : new AccessResult(memory.readByte(pa) & 0xFF, null);
    }

    /** Writes one byte of user memory through the MMU walk. */
    public AccessResult write8(int virtualAddress, byte value) {
        long pa = translate(virtualAddress, true);
        if (pa < 0) {
            return new AccessResult(0, Mmu.faultOf(pa, virtualAddress));
        }
        memory.writeByte(pa, value);
        return new AccessResult(value & 0xFF, null);
    }

    private long translate(int virtualAddress, boolean write) {
        checkLive();
        Mmu mmu = platform.mmu();
        if (mmu.cr3() != pageDirectory) {
            mmu.loadCr3(pageDirectory);
        }
        return mmu.translate(virtualAddress, write);
    }

    /** Calls {@code visitor} for every present 4 KiB user page, in ascending order. */
    void forEachPresentPage(PageVisitor visitor) {
        for (int d = 0; d < 1024; d++) {
            int pde = pde(d);
            if (!PdeField.PRESENT.isSet(pde) || PdeField.PAGE_SIZE.isSet(pde)) {
                continue;
            }
            long table = (long) PdeField.TABLE.get(pde) << 12;
            for (int t = 0; t < 1024; t++) {
                int pte = memory.readInt(table + 4L * t);
                if (PteField.PRESENT.isSet(pte)) {
                    visitor.visit((d << 10) | t, pde, pte);
                }
            }
        }
    }

    @FunctionalInterface
    interface PageVisitor {
        void visit(int vpn, int pde, int pte);
    }

    Engine mirror() {
        return mirror;
    }

    void setMirror(Engine engine) {
        this.mirror = engine;
    }

    /** Releases the page directory and tables; the space must not be used afterwards. */
    void destroy() {
        if (destroyed) {
            return;
        }
        if (mirror != null) {
            mirror.unbind();
        }
        FrameMappings mappings = platform.mappings();
        forEachPresentPage((vpn, pde, pte) -> mappings.changed(this, vpn, pte, 0));
        for (int d = 0; d < 1024; d++) {
            int pde = pde(d);
            if (PdeField.PRESENT.isSet(pde) && !PdeField.PAGE_SIZE.isSet(pde)) {
                platform.tableFrames().release(PdeField.TABLE.get(pde));
            }
        }
        platform.tableFrames().release(pageDirectory);
        if (platform.mmu().cr3() == pageDirectory) {
            platform.mmu().loadCr3(-1);
        }
        destroyed = true;
    }

    private void checkLive() {
        if (destroyed) {
            throw new IllegalStateException("address space was destroyed");
        }
    }

    @Override
    public String toString() {
        return "X86AddressSpace[cr3=frame " + pageDirectory + ", " + presentPages + " pages]";
    }
}
