package dev.ladle.x86;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import dev.ladle.kernel.hw.PageFault;
import dev.ladle.kernel.hw.Reg;
import dev.ladle.kernel.hw.RegisterFile;
import dev.ladle.kernel.hw.Stop;
import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/**
 * One Unicorn engine (32-bit x86) and the address space it currently mirrors. Unicorn 2.0.1's own paging does not
 * translate instruction fetches, so the engine runs with paging off and every present user page of the bound space is
 * mapped into it with {@code uc_mem_map_ptr} onto the host memory of its frame: two pages on one frame are two aliases
 * of the same bytes, and what user code writes is in {@link X86PhysicalMemory} at once. Permissions come from the
 * entries: R/W = 1 in both levels gives read, write and execute once the page is dirty (a clean page is mapped
 * read-only until its first write sets D, see {@link #markDirty}); R/W = 0 read and execute (IA-32 without PAE has
 * no execute-disable bit); U/S = 0 in either level gives no access at all (the page is present, so touching it is a
 * protection fault, as for user code on hardware).
 *
 * <p>A run counts retired instructions with a native code hook ({@code ladle_hooks.c}) and stops at the budget
 * through {@code uc_emu_start}'s count;
 * {@code int n} is caught by an interrupt hook, invalid accesses by a memory hook that records the SDM error code.
 */
final class Engine implements AutoCloseable {
    /** A stop address no user instruction can reach (it is above user space). */
    private static final long UNTIL = 0xFFFF_FFFFL;

    /** The engine's global descriptor table (read-only, above user space). */
    private static final long GDT = 0xFFFF_E000L;
    /** A page holding the {@code iret} that drops the engine to ring 3, and the frame it pops. */
    private static final long TRAMPOLINE = 0xFFFF_F000L;

    private static final int USER_CODE = 0x1B; // GDT entry 3, RPL 3
    private static final int USER_DATA = 0x23; // GDT entry 4, RPL 3
    /** EFLAGS bits user code may hold: CF, PF, AF, ZF, SF, DF, OF, AC, ID; IF and bit 1 are always set. */
    private static final int USER_FLAGS = 0x0024_0CD5;

    private static final Reg[] REGS = Reg.values();
    private static final int[] UC_REGS = new int[REGS.length];

    static {
        for (Reg r : REGS) {
            UC_REGS[r.ordinal()] = switch (r) {
                case EAX -> Unicorn.UC_X86_REG_EAX;
                case EBX -> Unicorn.UC_X86_REG_EBX;
                case ECX -> Unicorn.UC_X86_REG_ECX;
                case EDX -> Unicorn.UC_X86_REG_EDX;
                case ESI -> Unicorn.UC_X86_REG_ESI;
                case EDI -> Unicorn.UC_X86_REG_EDI;
                case EBP -> Unicorn.UC_X86_REG_EBP;
                case ESP -> Unicorn.UC_X86_REG_ESP;
                case EIP -> Unicorn.UC_X86_REG_EIP;
                case EFLAGS -> Unicorn.UC_X86_REG_EFLAGS;
            };
        }
    }

    private final X86PhysicalMemory memory;
    private final Pointer uc;
    private static final int[] SEGMENTS = {
        Unicorn.UC_X86_REG_SS,
        Unicorn.UC_X86_REG_DS,
        Unicorn.UC_X86_REG_ES,
        Unicorn.UC_X86_REG_FS,
        Unicorn.UC_X86_REG_GS
    };
    private final Memory values = new Memory(8L * REGS.length);
    private final Memory pointers = new Memory((long) Native.POINTER_SIZE * REGS.length);
    private final Memory segmentValues = new Memory(8L * SEGMENTS.length);
    private final Memory segmentPointers = new Memory((long) Native.POINTER_SIZE * SEGMENTS.length);
    private final Pointer systemPages = HostMemory.map(2L * X86PhysicalMemory.PAGE_SIZE);

    // what is mapped: vpn -> frame and protection, sorted by vpn; -1 frame for none
    private int[] mirroredVpns = new int[16];
    private int[] mirroredFrames = new int[16];
    private int mirrored;
    private X86AddressSpace bound;
    private long lastUse;

    // state of the current run, written by the hooks; the counter is native: {uint64 count; uint64 last_address}
    private final Memory counter = new Memory(16);
    private long counted;
    private long lastAddress = -1;
    private int interrupt = -1;
    private int faultType = -1;
    private long faultAddress;
    private boolean exceptionTaken;
    private long dirtied;
    private long pagedIn;

    // the hooks must stay reachable as long as the engine lives: JNA does not keep them
    private final Unicorn.InterruptHook interruptHook = (u, intno, data) -> {
        interrupt = intno;
        Unicorn.uc_emu_stop(u);
    };
    private final Unicorn.InvalidMemoryHook memoryHook = (u, type, address, size, value, data) -> {
        faultType = type;
        faultAddress = address;
        return false;
    };

    /** The entry as this engine mirrors it: the identity but in tests of a wrong mirroring. */
    private final IntUnaryOperator mirroredPte;

    Engine(X86PhysicalMemory memory, IntUnaryOperator mirroredPte) {
        Unicorn.require();
        this.memory = memory;
        this.mirroredPte = mirroredPte;
        long[] handle = new long[1];
        Unicorn.check(Unicorn.uc_open(Unicorn.UC_ARCH_X86, Unicorn.UC_MODE_32, handle), "uc_open");
        this.uc = new Pointer(handle[0]);
        for (int i = 0; i < REGS.length; i++) {
            pointers.setPointer((long) i * Native.POINTER_SIZE, values.share(8L * i));
        }
        for (int i = 0; i < SEGMENTS.length; i++) {
            segmentPointers.setPointer((long) i * Native.POINTER_SIZE, segmentValues.share(8L * i));
        }
        Unicorn.Varargs v = Unicorn.varargs();
        Unicorn.check(
                v.uc_hook_add(
                        uc,
                        new LongByReference(),
                        Unicorn.UC_HOOK_CODE,
                        Unicorn.countInstructionHook(),
                        counter,
                        1L,
                        0L),
                "uc_hook_add(UC_HOOK_CODE)");
        Unicorn.check(
                v.uc_hook_add(uc, new LongByReference(), Unicorn.UC_HOOK_INTR, interruptHook, null, 1L, 0L),
                "uc_hook_add(UC_HOOK_INTR)");
        Unicorn.check(
                v.uc_hook_add(uc, new LongByReference(), Unicorn.UC_HOOK_MEM_INVALID, memoryHook, null, 1L, 0L),
                "uc_hook_add(UC_HOOK_MEM_INVALID)");
        enterRing3();
    }

    /**
     * User code runs in ring 3, as on hardware, so privileged instructions (HLT, MOV to CR0, LGDT, CLI ...) are
     * general-protection faults of the thread, not changes to an engine the next process will use. Unicorn starts in
     * ring 0 and refuses to load a ring-3 SS from there, so the engine executes one IRET from a trampoline page with a
     * ring-3 frame on its stack. The GDT holds flat 4 GiB segments: kernel code and data (DPL 0, unused) and user code
     * and data (DPL 3), accessed bits preset so the read-only table is never written.
     */
    private void enterRing3() {
        long[] descriptors = {
            0L,
            0x00CF_9B00_0000_FFFFL, // kernel code: base 0, limit 4 GiB, 32-bit, DPL 0, execute/read, accessed
            0x00CF_9300_0000_FFFFL, // kernel data: read/write, accessed
            0x00CF_FB00_0000_FFFFL, // user code: DPL 3
            0x00CF_F300_0000_FFFFL, // user data: DPL 3
        };
        for (int i = 0; i < descriptors.length; i++) {
            systemPages.setLong(8L * i, descriptors[i]);
        }
        Pointer trampoline = systemPages.share(X86PhysicalMemory.PAGE_SIZE);
        trampoline.setByte(0, (byte) 0xCF); // iret
        long frame = 0x800; // EIP, CS, EFLAGS, ESP, SS as IRET pops them
        int[] popped = {(int) TRAMPOLINE + 1, USER_CODE, 0x202, (int) TRAMPOLINE + 0x800, USER_DATA};
        for (int i = 0; i < popped.length; i++) {
            trampoline.setInt(frame + 4L * i, popped[i]);
        }
        Unicorn.check(
                Unicorn.uc_mem_map_ptr(uc, GDT, X86PhysicalMemory.PAGE_SIZE, Unicorn.UC_PROT_READ, systemPages),
                "uc_mem_map_ptr(GDT)");
        Unicorn.check(
                Unicorn.uc_mem_map_ptr(
                        uc,
                        TRAMPOLINE,
                        X86PhysicalMemory.PAGE_SIZE,
                        Unicorn.UC_PROT_READ | Unicorn.UC_PROT_EXEC,
                        trampoline),
                "uc_mem_map_ptr(trampoline)");
        // uc_x86_mmr: uint16 selector, (padding), uint64 base at 8, uint32 limit at 16, uint32 flags at 20
        Memory gdtr = new Memory(24);
        gdtr.clear();
        gdtr.setLong(8, GDT);
        gdtr.setInt(16, 8 * descriptors.length - 1);
        Unicorn.check(Unicorn.uc_reg_write(uc, Unicorn.UC_X86_REG_GDTR, gdtr), "uc_reg_write(GDTR)");
        // Unicorn's initial SS is a 16-bit segment (IRET would pop through SP): load the 32-bit kernel data first
        Unicorn.check(Unicorn.uc_reg_write(uc, Unicorn.UC_X86_REG_SS, new int[] {0x10}), "uc_reg_write(SS)");
        Unicorn.check(
                Unicorn.uc_reg_write(uc, Unicorn.UC_X86_REG_ESP, new int[] {(int) TRAMPOLINE + 0x800}),
                "uc_reg_write(ESP)");
        faultType = -1;
        int err = Unicorn.uc_emu_start(uc, TRAMPOLINE, UNTIL, 0, 1);
        if (err != Unicorn.UC_ERR_OK) {
            throw new IllegalStateException(String.format(
                    "iret to ring 3 failed: %s (uc_err %d, access type %d at 0x%x)",
                    Unicorn.uc_strerror(err), err, faultType, faultAddress));
        }
        int[] cs = new int[1];
        Unicorn.check(Unicorn.uc_reg_read(uc, Unicorn.UC_X86_REG_CS, cs), "uc_reg_read(CS)");
        if ((cs[0] & 0xFFFF) != USER_CODE) {
            throw new IllegalStateException(String.format("the engine did not enter ring 3: CS is 0x%x", cs[0]));
        }
        // no address space maps the trampoline or the descriptor table: user code must find nothing there. The
        // trampoline is not needed again; the table is read by segment loads only, opened for the engine's own
        // (resetSegments) and closed to user code, whose own segment loads then fault
        Unicorn.check(Unicorn.uc_mem_unmap(uc, TRAMPOLINE, X86PhysicalMemory.PAGE_SIZE), "uc_mem_unmap(trampoline)");
        resetSegments();
    }

    /**
     * Loads the user data segment into SS, DS, ES, FS and GS (a thread may have loaded a null selector, which reads no
     * descriptor), the descriptor table readable only meanwhile.
     */
    private void resetSegments() {
        Unicorn.check(
                Unicorn.uc_mem_protect(uc, GDT, X86PhysicalMemory.PAGE_SIZE, Unicorn.UC_PROT_READ),
                "uc_mem_protect(GDT)");
        for (int i = 0; i < SEGMENTS.length; i++) {
            segmentValues.setLong(8L * i, USER_DATA);
        }
        Unicorn.check(Unicorn.uc_reg_write_batch(uc, SEGMENTS, segmentPointers, SEGMENTS.length), "uc_reg_write_batch");
        Unicorn.check(
                Unicorn.uc_mem_protect(uc, GDT, X86PhysicalMemory.PAGE_SIZE, Unicorn.UC_PROT_NONE),
                "uc_mem_protect(GDT)");
    }

    /** Whether every data segment register still holds the user data segment. */
    private boolean segmentsAreUserData() {
        segmentValues.clear();
        Unicorn.check(Unicorn.uc_reg_read_batch(uc, SEGMENTS, segmentPointers, SEGMENTS.length), "uc_reg_read_batch");
        for (int i = 0; i < SEGMENTS.length; i++) {
            if ((segmentValues.getLong(8L * i) & 0xFFFF) != USER_DATA) {
                return false;
            }
        }
        return true;
    }

    X86AddressSpace bound() {
        return bound;
    }

    long lastUse() {
        return lastUse;
    }

    /** Mirrors {@code space}: drops what the engine mapped for the previous space and maps every present page. */
    void bind(X86AddressSpace space) {
        if (bound == space) {
            return;
        }
        unbind();
        if (space.mirror() != null) {
            space.mirror().unbind();
        }
        bound = space;
        space.setMirror(this);
        space.forEachPresentPage((vpn, pde, pte) -> mapPage(vpn, pde, pte));
    }

    /** Removes every mirrored page; the engine then mirrors nothing. */
    void unbind() {
        for (int i = mirrored - 1; i >= 0; i--) {
            removePage(mirroredVpns[i]);
        }
        mirrored = 0;
        if (bound != null) {
            bound.setMirror(null);
            bound = null;
        }
    }

    /**
     * The entry for {@code vpn} in the bound space changed: remap it (map = alias, unmap = remove); an entry that names
     * the frame already mirrored there only has its rights changed ({@code uc_mem_protect}: a cleared D bit re-armed).
     */
    void pageChanged(X86AddressSpace space, int vpn) {
        if (space != bound) {
            return;
        }
        int index = indexOf(vpn);
        int pde = space.pde(vpn >>> 10);
        int pte = space.pte(vpn);
        boolean present = PdeField.PRESENT.isSet(pde) && PteField.PRESENT.isSet(pte);
        if (index >= 0 && present && mirroredFrames[index] == PteField.FRAME.get(pte)) {
            // the same frame, other bits (D cleared to re-arm the first-write stop, R/W): only the rights change
            Unicorn.check(
                    Unicorn.uc_mem_protect(
                            uc,
                            (long) vpn << 12,
                            X86PhysicalMemory.PAGE_SIZE,
                            permissions(pde, mirroredPte.applyAsInt(pte))),
                    String.format("uc_mem_protect(page 0x%x)", vpn));
            return;
        }
        if (index >= 0) {
            removePage(vpn);
            deleteAt(index);
        }
        if (present) {
            mapPage(vpn, pde, pte);
        }
    }

    /** Drops the translated code of every mirrored page whose frame the host wrote since the last run. */
    void dropCodeOfHostWrittenFrames() {
        for (int i = 0; i < mirrored; i++) {
            if (memory.hostWritten(mirroredFrames[i])) {
                removeCache(mirroredVpns[i]);
            }
        }
    }

    private void mapPage(int vpn, int pde, int pte) {
        int frame = PteField.FRAME.get(pte);
        if (memory.waits(frame)) {
            return; // mapped when user code first touches it (pageInAbsent): the frame waits for its contents
        }
        int perms = permissions(pde, mirroredPte.applyAsInt(pte));
        Unicorn.check(
                Unicorn.uc_mem_map_ptr(
                        uc,
                        (long) vpn << 12,
                        X86PhysicalMemory.PAGE_SIZE,
                        perms,
                        new Pointer(memory.hostAddress(frame))),
                String.format("uc_mem_map_ptr(page 0x%x -> frame %d)", vpn, frame));
        insert(vpn, frame);
    }

    /**
     * User code touched page {@code vpn}, which the engine does not mirror: if the bound space's entries say it is
     * present, its frame waited for its contents when the space was mapped ({@link X86PhysicalMemory#awaitContents}).
     * Pages the frame in (throwing what its contents' function throws), maps the page and returns true; false for
     * a page that is not present (a real page fault).
     */
    private boolean pageInAbsent(int vpn) {
        if (bound == null || indexOf(vpn) >= 0) {
            return false;
        }
        int pde = bound.pde(vpn >>> 10);
        if (!PdeField.PRESENT.isSet(pde)) {
            return false;
        }
        int pte = bound.pte(vpn);
        if (!PteField.PRESENT.isSet(pte)) {
            return false;
        }
        int frame = PteField.FRAME.get(pte);
        if (memory.pageIn(frame)) {
            pagedIn++;
        }
        mapPage(vpn, pde, pte);
        return indexOf(vpn) >= 0;
    }

    /** Frames this engine paged in because user code touched them first. */
    long pagedIn() {
        return pagedIn;
    }

    /**
     * The engine's rights on a page: none unless U/S = 1 in both levels; read and execute; write only once the
     * page is dirty. A writable clean page is mapped read-only so that its first write stops the engine, which
     * then sets D (and A) in the entry, as the processor does, and lets the write go on ({@link #markDirty}).
     */
    private static int permissions(int pde, int pte) {
        boolean user = PdeField.USER_SUPERVISOR.isSet(pde) && PteField.USER_SUPERVISOR.isSet(pte);
        boolean writable = PdeField.READ_WRITE.isSet(pde) && PteField.READ_WRITE.isSet(pte);
        if (!user) {
            return Unicorn.UC_PROT_NONE;
        }
        return writable && PteField.DIRTY.isSet(pte)
                ? Unicorn.UC_PROT_ALL
                : Unicorn.UC_PROT_READ | Unicorn.UC_PROT_EXEC;
    }

    /**
     * A write hit a page mapped read-only: if its entries allow the write (a clean writable page), set A and D as
     * the processor would, open the page for writing and return true; otherwise it is a real protection fault.
     */
    private boolean markDirty(int vpn) {
        int pde = bound.pde(vpn >>> 10);
        int pte = bound.pte(vpn);
        boolean allowed = PdeField.PRESENT.isSet(pde)
                && PteField.PRESENT.isSet(pte)
                && PdeField.USER_SUPERVISOR.isSet(pde)
                && PteField.USER_SUPERVISOR.isSet(pte)
                && PdeField.READ_WRITE.isSet(pde)
                && PteField.READ_WRITE.isSet(pte);
        if (!allowed || PteField.DIRTY.isSet(pte)) {
            return false;
        }
        // before the write lands: a checkpoint's copy-on-write copies the frame here
        memory.firstWrite(PteField.FRAME.get(pte));
        if (!PdeField.ACCESSED.isSet(pde)) {
            bound.writePde(vpn >>> 10, PdeField.ACCESSED.with(pde, true));
        }
        bound.writePte(vpn, PteField.DIRTY.with(PteField.ACCESSED.with(pte, true), true));
        Unicorn.check(
                Unicorn.uc_mem_protect(uc, (long) vpn << 12, X86PhysicalMemory.PAGE_SIZE, Unicorn.UC_PROT_ALL),
                String.format("uc_mem_protect(page 0x%x)", vpn));
        dirtied++;
        return true;
    }

    /** Pages this engine marked dirty on a first write. */
    long dirtied() {
        return dirtied;
    }

    private void removePage(int vpn) {
        removeCache(vpn);
        Unicorn.check(
                Unicorn.uc_mem_unmap(uc, (long) vpn << 12, X86PhysicalMemory.PAGE_SIZE),
                String.format("uc_mem_unmap(page 0x%x)", vpn));
    }

    private void removeCache(int vpn) {
        long begin = (long) vpn << 12;
        Unicorn.check(
                Unicorn.varargs()
                        .uc_ctl(uc, Unicorn.UC_CTL_TB_REMOVE_CACHE_WRITE, begin, begin + X86PhysicalMemory.PAGE_SIZE),
                "uc_ctl(UC_CTL_TB_REMOVE_CACHE)");
    }

    private int indexOf(int vpn) {
        return Arrays.binarySearch(mirroredVpns, 0, mirrored, vpn);
    }

    private void insert(int vpn, int frame) {
        int at = -indexOf(vpn) - 1;
        if (mirrored == mirroredVpns.length) {
            mirroredVpns = Arrays.copyOf(mirroredVpns, mirrored * 2);
            mirroredFrames = Arrays.copyOf(mirroredFrames, mirrored * 2);
        }
        System.arraycopy(mirroredVpns, at, mirroredVpns, at + 1, mirrored - at);
        System.arraycopy(mirroredFrames, at, mirroredFrames, at + 1, mirrored - at);
        mirroredVpns[at] = vpn;
        mirroredFrames[at] = frame;
        mirrored++;
    }

    private void deleteAt(int index) {
        System.arraycopy(mirroredVpns, index + 1, mirroredVpns, index, mirrored - index - 1);
        System.arraycopy(mirroredFrames, index + 1, mirroredFrames, index, mirrored - index - 1);
        mirrored--;
    }

    /**
     * Whether the last run raised a CPU exception (#GP, #DE, ...). Unicorn hands exceptions to the interrupt hook
     * instead of delivering them, so QEMU never clears its record of the one in progress, and the next contributory
     * exception in this engine would become a double fault, the one after a triple fault (a CPU reset). Such an
     * engine is closed and replaced.
     */
    boolean exceptionTaken() {
        return exceptionTaken;
    }

    /** Number of pages mapped into the engine. */
    int mirroredPages() {
        return mirrored;
    }

    /** Instructions retired by the last {@link #run}. */
    long lastInstructionCount() {
        return counted;
    }

    /**
     * Runs the bound space's code from the registers in {@code regs} for at most {@code maxInstructions}, stores the
     * registers back and says why it stopped.
     */
    Stop run(RegisterFile regs, long maxInstructions, long useStamp) {
        if (maxInstructions <= 0) {
            throw new IllegalArgumentException("instruction budget must be positive: " + maxInstructions);
        }
        lastUse = useStamp;
        exceptionTaken = false;
        long budget = maxInstructions;
        long earlier = 0;
        int err;
        while (true) {
            counter.clear();
            interrupt = -1;
            faultType = -1;
            for (int i = 0; i < REGS.length; i++) {
                values.setLong(8L * i, regs.get(REGS[i]) & 0xFFFF_FFFFL);
            }
            values.setLong(8L * Reg.EFLAGS.ordinal(), (regs.get(Reg.EFLAGS) & USER_FLAGS) | 0x202);
            Unicorn.check(Unicorn.uc_reg_write_batch(uc, UC_REGS, pointers, REGS.length), "uc_reg_write_batch");
            long begin = regs.get(Reg.EIP) & 0xFFFF_FFFFL;
            err = Unicorn.uc_emu_start(uc, begin, UNTIL, 0, budget);
            counted = counter.getLong(0);
            lastAddress = counted == 0 ? -1 : counter.getLong(8);
            values.clear();
            Unicorn.check(Unicorn.uc_reg_read_batch(uc, UC_REGS, pointers, REGS.length), "uc_reg_read_batch");
            for (int i = 0; i < REGS.length; i++) {
                regs.set(REGS[i], values.getInt(8L * i));
            }
            // segment registers are engine state, not thread state: reset them so no thread sees another's
            if (!segmentsAreUserData()) {
                resetSegments();
            }
            if (interrupt < 0
                    && faultType == Unicorn.UC_MEM_WRITE_PROT
                    && lastAddress >= 0
                    && markDirty((int) (faultAddress >>> 12))) {
                // the write starts again and retires in the next segment: count it there
                earlier += counted - 1;
                budget -= counted - 1;
                regs.set(Reg.EIP, (int) lastAddress);
                continue;
            }
            if (interrupt < 0 && unmapped(faultType) && (fetch(faultType) || lastAddress >= 0)) {
                int vpn = (int) (faultAddress >>> 12);
                if (pageInAbsent(vpn)) {
                    // a present page whose frame waited for its contents: paged in and mapped now, so the access
                    // starts again as if nothing had happened (the kernel sees no fault). A data access's instruction
                    // started (the code hook counted it) but did not retire: resume at it. A fetch fault leaves EIP at
                    // the block Unicorn could not translate: everything before it retired, nothing from it ran
                    long retired = fetch(faultType) ? counted : counted - 1;
                    earlier += retired;
                    budget -= retired;
                    if (!fetch(faultType)) {
                        regs.set(Reg.EIP, (int) lastAddress);
                    }
                    if (budget > 0) {
                        continue;
                    }
                    // the budget ran out exactly at the page: the slice is over, as if it had stopped there
                    faultType = -1;
                    err = Unicorn.UC_ERR_OK;
                    counted = earlier;
                    break;
                }
            }
            counted += earlier;
            break;
        }
        return classify(err, regs, maxInstructions);
    }

    private static boolean unmapped(int type) {
        return type == Unicorn.UC_MEM_READ_UNMAPPED
                || type == Unicorn.UC_MEM_WRITE_UNMAPPED
                || type == Unicorn.UC_MEM_FETCH_UNMAPPED;
    }

    private static boolean fetch(int type) {
        return type == Unicorn.UC_MEM_FETCH_UNMAPPED;
    }

    private Stop classify(int err, RegisterFile regs, long maxInstructions) {
        if (interrupt >= 0) {
            int opcode = codeByte(lastAddress);
            if (interrupt == 13 && opcode == 0xF4) {
                // HLT is privileged: in ring 3 it is a #GP; the thread asked to stop, so say so
                exceptionTaken = true;
                regs.set(Reg.EIP, (int) lastAddress + 1);
                return new Stop.Halted();
            }
            boolean software = (opcode == 0xCD && codeByte(lastAddress + 1) == interrupt)
                    || (opcode == 0xCC && interrupt == 3)
                    || (opcode == 0xCE && interrupt == 4);
            if (software) {
                return new Stop.Trap(interrupt);
            }
            regs.set(Reg.EIP, (int) lastAddress);
            exceptionTaken = true;
            return new Stop.BadInstruction((int) lastAddress, exceptionName(interrupt));
        }
        if (faultType >= 0) {
            int code = PageFault.USER;
            switch (faultType) {
                case Unicorn.UC_MEM_WRITE_UNMAPPED -> code |= PageFault.WRITE;
                case Unicorn.UC_MEM_WRITE_PROT -> code |= PageFault.WRITE | PageFault.PRESENT;
                case Unicorn.UC_MEM_READ_PROT, Unicorn.UC_MEM_FETCH_PROT -> code |= PageFault.PRESENT;
                default -> {}
            }
            if (faultAddress >= GDT && faultAddress < GDT + X86PhysicalMemory.PAGE_SIZE) {
                // the engine's descriptor table is in no address space: to user code the page is not present
                code &= ~PageFault.PRESENT;
            }
            boolean fetch = faultType == Unicorn.UC_MEM_FETCH_UNMAPPED || faultType == Unicorn.UC_MEM_FETCH_PROT;
            if (!fetch) {
                // the faulting instruction started (the code hook counted it) but did not retire: resume at it
                regs.set(Reg.EIP, (int) lastAddress);
                counted--;
            }
            // a fetch fault leaves EIP where Unicorn puts it: at the start of the block it could not translate,
            // which may lie before the instruction that needs the page; everything before EIP retired, nothing
            // from EIP on ran, so resuming there after the pager maps the page is exact
            return new Stop.Fault(new PageFault((int) faultAddress, code));
        }
        if (err == Unicorn.UC_ERR_INSN_INVALID) {
            int eip = regs.get(Reg.EIP);
            return new Stop.BadInstruction(eip, "invalid instruction (#UD)");
        }
        if (err != Unicorn.UC_ERR_OK) {
            exceptionTaken = true; // an engine in a state we did not foresee is not handed to another thread
            return new Stop.BadInstruction(regs.get(Reg.EIP), Unicorn.uc_strerror(err) + " (uc_err " + err + ")");
        }
        if (counted >= maxInstructions) {
            counted = maxInstructions;
            return new Stop.Preempted(maxInstructions);
        }
        return new Stop.BadInstruction(
                regs.get(Reg.EIP), "the engine stopped without a trap, fault or exhausted budget");
    }

    /** A byte of the bound space's code, read through its page tables (no accessed bit set), or -1. */
    private int codeByte(long address) {
        if (bound == null || address < 0 || address > 0xFFFF_FFFFL) {
            return -1;
        }
        int frame = bound.frameOf((int) (address >>> 12));
        return frame < 0 ? -1 : memory.readByte(((long) frame << 12) | (address & 0xFFF)) & 0xFF;
    }

    private static String exceptionName(int vector) {
        String name = switch (vector) {
            case 0 -> "#DE divide error";
            case 1 -> "#DB debug";
            case 3 -> "#BP breakpoint";
            case 4 -> "#OF overflow";
            case 5 -> "#BR bound range exceeded";
            case 6 -> "#UD invalid opcode";
            case 7 -> "#NM device not available";
            case 8 -> "#DF double fault";
            case 10 -> "#TS invalid TSS";
            case 11 -> "#NP segment not present";
            case 12 -> "#SS stack-segment fault";
            case 13 -> "#GP general protection";
            case 14 -> "#PF page fault";
            case 16 -> "#MF floating-point error";
            case 17 -> "#AC alignment check";
            case 19 -> "#XM SIMD floating-point";
            default -> "interrupt";
        };
        return "CPU exception " + name + " (vector " + vector + ")";
    }

    @Override
    public void close() {
        unbind();
        Unicorn.uc_close(uc);
        HostMemory.unmap(systemPages, 2L * X86PhysicalMemory.PAGE_SIZE);
    }
}
