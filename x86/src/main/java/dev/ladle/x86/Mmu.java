package dev.ladle.x86;

import dev.ladle.kernel.hw.PageFault;
import dev.ladle.kernel.hw.PhysicalMemory;

/**
 * The software MMU the kernel uses to reach user memory: CR3, a {@link Tlb}, and the two-level 32-bit paging walk of
 * the Intel SDM (Vol. 3A, 4.3), with CR4.PSE = 1 (4 MiB pages honoured) and CR4.PGE = 1 (global entries survive a CR3
 * load). Accesses are made with user-mode rights, on behalf of the thread whose memory it is: both levels must have
 * U/S = 1, and R/W = 1 for a write. A successful walk sets the accessed bits it used and, on a write, the dirty bit;
 * a failed one yields the SDM's error code (P: the page was present and the rights failed; W/R: the access was a write;
 * U/S: user mode) and CR2 as a {@link PageFault} value.
 */
public final class Mmu {
    private final PhysicalMemory memory;
    private final Tlb tlb = new Tlb();
    private int cr3 = -1;
    private long walks;

    public Mmu(PhysicalMemory memory) {
        this.memory = memory;
    }

    /** MOV to CR3: the page directory is {@code pageDirectoryFrame}; non-global translations are dropped. */
    public void loadCr3(int pageDirectoryFrame) {
        cr3 = pageDirectoryFrame;
        tlb.flushNonGlobal();
    }

    /** The frame of the current page directory, or -1 before the first load. */
    public int cr3() {
        return cr3;
    }

    /** INVLPG {@code virtualAddress}. */
    public void invlpg(int virtualAddress) {
        tlb.invalidate(virtualAddress >>> 12);
    }

    public Tlb tlb() {
        return tlb;
    }

    /** Number of full page-table walks so far (TLB misses and dirty-bit updates). */
    public long walks() {
        return walks;
    }

    /**
     * Translates {@code virtualAddress} for a user-mode read or write. Returns the physical address (non-negative) or,
     * on a page fault, {@code ~errorCode} (negative); the faulting address is {@code virtualAddress} itself (CR2).
     */
    public long translate(int virtualAddress, boolean write) {
        int vpn = virtualAddress >>> 12;
        int slot = tlb.lookup(vpn);
        if (slot >= 0) {
            int f = tlb.flags(slot);
            boolean allowed = (f & Tlb.USER) != 0 && (!write || (f & Tlb.WRITABLE) != 0);
            if (allowed && (!write || (f & Tlb.DIRTY) != 0)) {
                return ((long) tlb.frame(slot) << 12) | (virtualAddress & 0xFFF);
            }
            // a write through a clean entry walks to set D; a rights failure re-walks, and the fault drops the entry
            tlb.invalidate(vpn);
        }
        return walk(virtualAddress, write);
    }

    /** A {@link #translate} result as a page fault, or null when it is an address. */
    public static PageFault faultOf(long translation, int virtualAddress) {
        return translation < 0 ? new PageFault(virtualAddress, (int) ~translation) : null;
    }

    private long walk(int virtualAddress, boolean write) {
        walks++;
        int writeBit = write ? PageFault.WRITE : 0;
        long pdeAddress = ((long) cr3 << 12) + 4L * (virtualAddress >>> 22);
        int pde = memory.readInt(pdeAddress);
        if (!PdeField.PRESENT.isSet(pde)) {
            return ~(long) (PageFault.USER | writeBit);
        }
        boolean pdeUser = PdeField.USER_SUPERVISOR.isSet(pde);
        boolean pdeWritable = PdeField.READ_WRITE.isSet(pde);
        if (PdeField.PAGE_SIZE.isSet(pde)) {
            if (!pdeUser || (write && !pdeWritable)) {
                return ~(long) (PageFault.PRESENT | PageFault.USER | writeBit);
            }
            int updated = LargePdeField.ACCESSED.with(pde, true);
            if (write) {
                updated = LargePdeField.DIRTY.with(updated, true);
            }
            if (updated != pde) {
                memory.writeInt(pdeAddress, updated);
            }
            int frame = (LargePdeField.PAGE.get(pde) << 10) | ((virtualAddress >>> 12) & 0x3FF);
            tlb.fill(
                    virtualAddress >>> 12,
                    frame,
                    Tlb.USER
                            | (pdeWritable ? Tlb.WRITABLE : 0)
                            | (LargePdeField.DIRTY.isSet(updated) ? Tlb.DIRTY : 0)
                            | (LargePdeField.GLOBAL.isSet(pde) ? Tlb.GLOBAL : 0));
            return ((long) frame << 12) | (virtualAddress & 0xFFF);
        }
        long pteAddress = ((long) PdeField.TABLE.get(pde) << 12) + 4L * ((virtualAddress >>> 12) & 0x3FF);
        int pte = memory.readInt(pteAddress);
        if (!PteField.PRESENT.isSet(pte)) {
            return ~(long) (PageFault.USER | writeBit);
        }
        boolean user = pdeUser && PteField.USER_SUPERVISOR.isSet(pte);
        boolean writable = pdeWritable && PteField.READ_WRITE.isSet(pte);
        if (!user || (write && !writable)) {
            return ~(long) (PageFault.PRESENT | PageFault.USER | writeBit);
        }
        if (!PdeField.ACCESSED.isSet(pde)) {
            memory.writeInt(pdeAddress, PdeField.ACCESSED.with(pde, true));
        }
        int updated = PteField.ACCESSED.with(pte, true);
        if (write) {
            updated = PteField.DIRTY.with(updated, true);
        }
        if (updated != pte) {
            memory.writeInt(pteAddress, updated);
        }
        int frame = PteField.FRAME.get(pte);
        tlb.fill(
                virtualAddress >>> 12,
                frame,
                Tlb.USER
                        | (writable ? Tlb.WRITABLE : 0)
                        | (PteField.DIRTY.isSet(updated) ? Tlb.DIRTY : 0)
                        | (PteField.GLOBAL.isSet(pte) ? Tlb.GLOBAL : 0));
        return ((long) frame << 12) | (virtualAddress & 0xFFF);
    }
}
