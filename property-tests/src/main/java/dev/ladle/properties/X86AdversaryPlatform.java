package dev.ladle.properties;

import dev.ladle.kernel.hw.AddressSpace;
import dev.ladle.kernel.hw.Cpu;
import dev.ladle.kernel.hw.ImageLoader;
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
 */
final class X86AdversaryPlatform implements AttackPlatform {
    /** Where the image's one segment starts (the islands' first page) and where its code lies in it. */
    private static final int VADDR = (Islands.BASE + 1) << 12;

    private static final int HEADERS = 52 + 32;
    private static final int TRAP = VADDR + HEADERS;

    private final X86Platform x86;
    private final List<X86AddressSpace> spaces = new ArrayList<>();
    private Program program = regs -> false;
    long traps;
    /** Created threads put at the loop before their first call. */
    long placed;

    X86AdversaryPlatform() {
        x86 = new X86Platform(X86Platform.Config.ofMemory(1L << 20));
    }

    @Override
    public void program(Program p) {
        program = p;
    }

    /** An ELF32 executable of one read-execute segment: the headers, then {@code int 0x30; jmp -4} (entry: the jmp). */
    @Override
    public byte[] image() {
        ByteBuffer b = ByteBuffer.allocate(HEADERS + 4).order(ByteOrder.LITTLE_ENDIAN);
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
        b.putInt(HEADERS + 4); // p_filesz
        b.putInt(HEADERS + 4); // p_memsz
        b.putInt(5); // PF_R | PF_X
        b.putInt(PhysicalMemory.PAGE_SIZE);
        b.put(new byte[] {(byte) 0xcd, 0x30, (byte) 0xeb, (byte) 0xfc}); // int 0x30; jmp -4
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
    public List<Map<Integer, Integer>> mappings() {
        List<Map<Integer, Integer>> out = new ArrayList<>();
        for (X86AddressSpace s : spaces) {
            Map<Integer, Integer> m = new TreeMap<>();
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
                if (regs.get(Reg.EIP) != TRAP + 2) {
                    // a created thread starts where its creator said: its first instruction jumps to the loop
                    regs.set(Reg.EIP, TRAP + 2);
                    placed++;
                }
                if (!program.next(regs)) {
                    return new Stop.Halted();
                }
                regs.set(Reg.EIP, TRAP);
                Stop s = real.run(space, regs, 1);
                traps++;
                return s;
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
