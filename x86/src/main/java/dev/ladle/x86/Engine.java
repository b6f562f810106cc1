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

/**
 * One Unicorn engine (32-bit x86) and the address space it currently mirrors. Unicorn 2.0.1's own paging does not
 * translate instruction fetches, so the engine runs with paging off and every present user page of the bound space is
 * mapped into it with {@code uc_mem_map_ptr} onto the host memory of its frame: two pages on one frame are two aliases
 * of the same bytes, and what user code writes is in {@link X86PhysicalMemory} at once. Permissions come from the
 * entries: R/W = 1 in both levels gives read, write and execute; R/W = 0 read and execute (IA-32 without PAE has no
 * execute-disable bit); U/S = 0 in either level gives no access at all (the page is present, so touching it is a
 * protection fault, as for user code on hardware).
 *
 * <p>A run counts retired instructions with a native code hook ({@code ladle_hooks.c}) and stops at the budget
 * through {@code uc_emu_start}'s count;
 * {@code int n} is caught by an interrupt hook, invalid accesses by a memory hook that records the SDM error code.
 */
final class Engine implements AutoCloseable {
    /** A stop address no user instruction can reach (it is above user space). */
    private static final long UNTIL = 0xFFFF_FFFFL;

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
    private final Memory values = new Memory(8L * REGS.length);
    private final Memory pointers = new Memory((long) Native.POINTER_SIZE * REGS.length);

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

    Engine(X86PhysicalMemory memory) {
        Unicorn.require();
        this.memory = memory;
        long[] handle = new long[1];
        Unicorn.check(Unicorn.uc_open(Unicorn.UC_ARCH_X86, Unicorn.UC_MODE_32, handle), "uc_open");
        this.uc = new Pointer(handle[0]);
        for (int i = 0; i < REGS.length; i++) {
            pointers.setPointer((long) i * Native.POINTER_SIZE, values.share(8L * i));
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

    /** The entry for {@code vpn} in the bound space changed: remap it (map = alias, unmap = remove). */
    void pageChanged(X86AddressSpace space, int vpn) {
        if (space != bound) {
            return;
        }
        int index = indexOf(vpn);
        if (index >= 0) {
            removePage(vpn);
            deleteAt(index);
        }
        int pde = space.pde(vpn >>> 10);
        int pte = space.pte(vpn);
        if (PdeField.PRESENT.isSet(pde) && PteField.PRESENT.isSet(pte)) {
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
        boolean user = PdeField.USER_SUPERVISOR.isSet(pde) && PteField.USER_SUPERVISOR.isSet(pte);
        boolean writable = PdeField.READ_WRITE.isSet(pde) && PteField.READ_WRITE.isSet(pte);
        int perms = !user
                ? Unicorn.UC_PROT_NONE
                : writable ? Unicorn.UC_PROT_ALL : Unicorn.UC_PROT_READ | Unicorn.UC_PROT_EXEC;
        int frame = PteField.FRAME.get(pte);
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
        counter.clear();
        interrupt = -1;
        faultType = -1;
        for (int i = 0; i < REGS.length; i++) {
            values.setLong(8L * i, regs.get(REGS[i]) & 0xFFFF_FFFFL);
        }
        Unicorn.check(Unicorn.uc_reg_write_batch(uc, UC_REGS, pointers, REGS.length), "uc_reg_write_batch");
        long begin = regs.get(Reg.EIP) & 0xFFFF_FFFFL;
        int err = Unicorn.uc_emu_start(uc, begin, UNTIL, 0, maxInstructions);
        counted = counter.getLong(0);
        lastAddress = counted == 0 ? -1 : counter.getLong(8);
        values.clear();
        Unicorn.check(Unicorn.uc_reg_read_batch(uc, UC_REGS, pointers, REGS.length), "uc_reg_read_batch");
        for (int i = 0; i < REGS.length; i++) {
            regs.set(REGS[i], values.getInt(8L * i));
        }
        return classify(err, regs, maxInstructions);
    }

    private Stop classify(int err, RegisterFile regs, long maxInstructions) {
        if (interrupt >= 0) {
            int opcode = codeByte(lastAddress);
            boolean software = (opcode == 0xCD && codeByte(lastAddress + 1) == interrupt)
                    || (opcode == 0xCC && interrupt == 3)
                    || (opcode == 0xCE && interrupt == 4);
            if (software) {
                return new Stop.Trap(interrupt);
            }
            regs.set(Reg.EIP, (int) lastAddress);
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
            boolean fetch = faultType == Unicorn.UC_MEM_FETCH_UNMAPPED || faultType == Unicorn.UC_MEM_FETCH_PROT;
            if (fetch) {
                regs.set(Reg.EIP, (int) faultAddress);
            } else {
                // the faulting instruction started (the code hook counted it) but did not retire: resume at it
                regs.set(Reg.EIP, (int) lastAddress);
                counted--;
            }
            return new Stop.Fault(new PageFault((int) faultAddress, code));
        }
        if (err == Unicorn.UC_ERR_INSN_INVALID) {
            int eip = regs.get(Reg.EIP);
            return new Stop.BadInstruction(eip, "invalid instruction (#UD)");
        }
        if (err != Unicorn.UC_ERR_OK) {
            return new Stop.BadInstruction(regs.get(Reg.EIP), Unicorn.uc_strerror(err) + " (uc_err " + err + ")");
        }
        if (counted >= maxInstructions) {
            counted = maxInstructions;
            return new Stop.Preempted(maxInstructions);
        }
        if (lastAddress >= 0
                && codeByte(lastAddress) == 0xF4
                && (regs.get(Reg.EIP) & 0xFFFF_FFFFL) == lastAddress + 1) {
            return new Stop.Halted();
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
    }
}
