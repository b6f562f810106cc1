package dev.ladle.properties;

import dev.ladle.kernel.hw.AddressSpace;
import dev.ladle.kernel.hw.Cpu;
import dev.ladle.kernel.hw.ImageLoader;
import dev.ladle.kernel.hw.PageFault;
import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.kernel.hw.Reg;
import dev.ladle.kernel.hw.RegisterFile;
import dev.ladle.kernel.hw.Stop;
import dev.ladle.x86.X86AddressSpace;
import dev.ladle.x86.X86Platform;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The IA-32 target ({@link X86Platform}: Unicorn, real two-level page tables, the ELF32 loader) with an adversary on
 * its CPU: every process runs {@link #image()}, an ELF32 executable whose code is {@code int 0x30} followed by a jump
 * back to it. Each time the scheduler puts a thread on the CPU, the {@link Program} fills its registers with the
 * system call it makes, and the CPU runs the one instruction {@code int 0x30} in the thread's address space, so the
 * trap goes through the real target: the user-mode {@code int}, the trap frame, the registers read back. A thread
 * sits at the jump between its calls, so a call leaves every register as it was but those the kernel sets. A created
 * thread starts wherever its creator said; its first instruction is taken to be a jump to the loop.
 *
 * <p>A memory access ({@link Access}) is one of four instructions after the loop, each followed by a jump back to it:
 * {@code mov eax, [ebx]}, {@code mov [ebx], ecx}, {@code mov al, [ebx]}, {@code mov [ebx], cl}. The CPU runs the
 * instruction and its jump (a budget of two instructions): it completes and the thread is back at the loop, or it
 * faults and the thread stays at it, to run it again if its pager maps the page.
 */
final class X86AdversaryPlatform implements AttackPlatform {
    /** Where the image's one segment starts (the islands' first page) and where its code lies in it. */
    private static final int VADDR = (Islands.BASE + 1) << 12;

    private static final int HEADERS = 52 + 32;
    private static final int TRAP = VADDR + HEADERS;
    private static final int LOOP = TRAP + 2;
    /** The code: the trap, the loop's jump, and each access (in {@link Access.Kind}'s order) and a jump back. */
    private static final byte[] CODE = {
        (byte) 0xcd, 0x30, (byte) 0xeb, (byte) 0xfc, // int 0x30; jmp -4
        (byte) 0x8a, 0x03, (byte) 0xeb, (byte) 0xfa, // READ8: mov al, [ebx]; jmp loop
        (byte) 0x8b, 0x03, (byte) 0xeb, (byte) 0xf6, // READ32: mov eax, [ebx]; jmp loop
        (byte) 0x88, 0x0b, (byte) 0xeb, (byte) 0xf2, // WRITE8: mov [ebx], cl; jmp loop
        (byte) 0x89, 0x0b, (byte) 0xeb, (byte) 0xee, // WRITE32: mov [ebx], ecx; jmp loop
    };

    private final X86Platform x86;
    private final List<X86AddressSpace> spaces = new ArrayList<>();
    private Program program = regs -> null;
    private Stop lastStop;
    long traps;
    /** Memory accesses run. */
    long accesses;
    /** Created threads put at the loop before their first call. */
    long placed;

    X86AdversaryPlatform() {
        this(java.util.function.IntUnaryOperator.identity());
    }

    /** A target whose engines mirror every page-table entry as {@code mirroredPte} makes it (a broken variant). */
    X86AdversaryPlatform(java.util.function.IntUnaryOperator mirroredPte) {
        x86 = new X86Platform(X86Platform.Config.ofMemory(1L << 20), mirroredPte);
    }

    @Override
    public boolean runsAccesses() {
        return true;
    }

    @Override
    public Stop lastStop() {
        return lastStop;
    }

    @Override
    public int trapInstruction() {
        return TRAP;
    }

    @Override
    public int instructionOf(Access.Kind kind) {
        return LOOP + 2 + 4 * kind.ordinal();
    }

    /** A call runs its {@code int 0x30} (a budget of one instruction); an access its {@code mov} and the jump after. */
    @Override
    public byte[] instructionBytes(int instruction) {
        int from = instruction - TRAP;
        int length = instruction == TRAP ? 2 : 4;
        if (from < 0 || from + length > CODE.length) {
            throw new IllegalArgumentException(String.format("no instruction of the image at 0x%08x", instruction));
        }
        return java.util.Arrays.copyOfRange(CODE, from, from + length);
    }

    /**
     * The SDM's two-level walk for a user-mode access (no large pages: the kernel maps none): not present in the
     * directory or the table is a fault with P = 0; a write where R/W is clear in either level, or any access where
     * U/S is clear in either, a fault with P = 1; the error code's U bit is set, W as the access.
     */
    @Override
    public Expected expect(AddressSpace space, int address, boolean write) {
        X86AddressSpace s = (X86AddressSpace) space;
        int vpn = address >>> 12;
        int code = PageFault.USER | (write ? PageFault.WRITE : 0);
        int pde = s.pde(vpn >>> 10);
        if ((pde & 1) == 0) {
            return new Expected(-1, new PageFault(address, code), "no page table");
        }
        if ((pde & 0x80) != 0) {
            throw new AssertionError(String.format("a large page at 0x%08x: the kernel maps none", address));
        }
        int pte = s.pte(vpn);
        if ((pte & 1) == 0) {
            return new Expected(-1, new PageFault(address, code), "page not present");
        }
        boolean user = (pde & pte & 4) != 0;
        boolean writable = (pde & pte & 2) != 0;
        if (!user || (write && !writable)) {
            return new Expected(
                    -1,
                    new PageFault(address, code | PageFault.PRESENT),
                    user ? "a write to a read-only page" : "a supervisor page");
        }
        return new Expected(((long) (pte >>> 12) << 12) | (address & 0xfff), null, "mapped");
    }

    @Override
    public byte[] userMemory() {
        byte[] all = new byte[x86.userFrames() * PhysicalMemory.PAGE_SIZE];
        x86.memory().read(0, all, 0, all.length);
        return all;
    }

    @Override
    public void program(Program p) {
        program = p;
    }

    /** An ELF32 executable of one read-execute segment: the headers, then {@link #CODE} (entry: the loop's jmp). */
    @Override
    public byte[] image() {
        ByteBuffer b = ByteBuffer.allocate(HEADERS + CODE.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        b.putShort((short) 2); // ET_EXEC
        b.putShort((short) 3); // EM_386
        b.putInt(1);
        b.putInt(TRAP + 2); // e_entry: the jump back to the trap
        b.putInt(52); // e_phoff
        b.putInt(0); // e_shoff
        b.putInt(0); // e_flags
        b.putShort((short) 52);
        b.putShort((short) 32);
        b.putShort((short) 1);
        b.putShort((short) 40);
        b.putShort((short) 0);
        b.putShort((short) 0);
        b.putInt(1); // PT_LOAD
        b.putInt(0); // p_offset
        b.putInt(VADDR);
        b.putInt(VADDR);
        b.putInt(HEADERS + CODE.length); // p_filesz
        b.putInt(HEADERS + CODE.length); // p_memsz
        b.putInt(5); // PF_R | PF_X
        b.putInt(PhysicalMemory.PAGE_SIZE);
        b.put(CODE);
        return b.array();
    }

    @Override
    public PhysicalMemory memory() {
        return x86.memory();
    }

    @Override
    public int userFrames() {
        return x86.userFrames();
    }

    @Override
    public AddressSpace newAddressSpace() {
        X86AddressSpace s = x86.newAddressSpace();
        spaces.add(s);
        return s;
    }

    @Override
    public void destroy(AddressSpace space) {
        spaces.remove(space);
        x86.destroy(space);
    }

    @Override
    public ImageLoader imageLoader() {
        return x86.imageLoader();
    }

    /** Read off the page tables themselves: every present PTE of every present page directory entry. */
    @Override
    public List<Map<Integer, Integer>> mappings(dev.ladle.kernel.hw.AddressSpace except) {
        List<Map<Integer, Integer>> out = new ArrayList<>();
        for (X86AddressSpace s : spaces) {
            Map<Integer, Integer> m = new TreeMap<>();
            if (s == except) {
                out.add(m);
                continue;
            }
            for (int d = 0; d < 1024; d++) {
                if ((s.pde(d) & 1) == 0) {
                    continue;
                }
                for (int vpn = d << 10; vpn < (d + 1) << 10; vpn++) {
                    if (X86AddressSpace.isUserPage(vpn) && s.frameOf(vpn) >= 0) {
                        m.put(vpn, s.frameOf(vpn));
                    }
                }
            }
            out.add(m);
        }
        return out;
    }

    @Override
    public Cpu cpu() {
        Cpu real = x86.cpu();
        return new Cpu() {
            @Override
            public Stop run(AddressSpace space, RegisterFile regs, long maxInstructions) {
                int eip = regs.get(Reg.EIP);
                if (eip != LOOP
                        && (eip < instructionOf(Access.Kind.READ8) || eip > instructionOf(Access.Kind.WRITE32))) {
                    // a created thread starts where its creator said: its first instruction jumps to the loop
                    regs.set(Reg.EIP, LOOP);
                    placed++;
                }
                Move m = program.next(regs);
                if (m == null) {
                    lastStop = new Stop.Halted();
                    return lastStop;
                }
                if (m instanceof Access a) {
                    // the access and the jump after it (a thread faulted there runs it again: its EIP is there)
                    regs.set(Reg.EIP, instructionOf(a.kind()));
                    lastStop = real.run(space, regs, 2);
                    accesses++;
                    return lastStop;
                }
                regs.set(Reg.EIP, TRAP);
                lastStop = real.run(space, regs, 1);
                traps++;
                return lastStop;
            }

            @Override
            public long lastInstructionCount() {
                return real.lastInstructionCount();
            }
        };
    }

    @Override
    public void close() {
        x86.close();
    }
}
