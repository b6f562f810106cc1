package dev.ladle.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ladle.kernel.boot.BootError;
import dev.ladle.kernel.boot.BootParser;
import dev.ladle.kernel.fake.FakePlatform;
import dev.ladle.kernel.fake.TestImage;
import dev.ladle.kernel.hw.Reg;
import dev.ladle.kernel.hw.RegisterFile;
import java.io.FileNotFoundException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A kernel booted on the fake platform, with helpers to make system calls through the trap entry. */
final class Rig {
    final FakePlatform platform;
    final Kernel kernel;

    Rig(String boot) {
        this(boot, Kernel.Options.defaults());
    }

    Rig(String boot, Kernel.Options options) {
        this(boot, options, new FakePlatform(512));
    }

    Rig(String boot, Kernel.Options options, FakePlatform platform) {
        this.platform = platform;
        try {
            kernel = Kernel.boot(
                    platform,
                    BootParser.parse("test.boot", boot),
                    name -> {
                        if (name.equals("one.elf")) {
                            return TestImage.onePage();
                        }
                        throw new FileNotFoundException(name);
                    },
                    new Kernel.Options(options.seed(), options.quantum(), true, options.keepTrace()));
        } catch (BootError e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** A register file of its own, as a test's "CPU". */
    static final class Regs implements RegisterFile {
        final int[] r = new int[Reg.values().length];

        @Override
        public int get(Reg reg) {
            return r[reg.ordinal()];
        }

        @Override
        public void set(Reg reg, int value) {
            r[reg.ordinal()] = value;
        }

        int eax() {
            return get(Reg.EAX);
        }

        int result() {
            return get(Reg.EAX) & 0xff;
        }

        int[] words() {
            return new int[] {get(Reg.EBX), get(Reg.ECX), get(Reg.EDX), get(Reg.ESI), get(Reg.EDI), get(Reg.EBP)};
        }
    }

    static Regs regs(int op, int operand, int... words) {
        Regs r = new Regs();
        r.set(Reg.EAX, op | operand << 8);
        Reg[] order = {Reg.EBX, Reg.ECX, Reg.EDX, Reg.ESI, Reg.EDI, Reg.EBP};
        for (int i = 0; i < words.length; i++) {
            r.set(order[i], words[i]);
        }
        r.set(Reg.ESP, 0x0bad0000);
        r.set(Reg.EIP, 0x08048123);
        return r;
    }

    KernelThread t(String name) {
        return kernel.thread(name);
    }

    /** Makes the call, checks every invariant and the page tables after it, and returns the registers. */
    Regs call(String thread, int op, int operand, int... words) {
        Regs r = regs(op, operand, words);
        kernel.trap(t(thread), r);
        kernel.checkInvariants();
        return r;
    }

    /** Makes a call that must succeed. */
    Regs ok(String thread, int op, int operand, int... words) {
        Regs r = call(thread, op, operand, words);
        assertEquals(
                Abi.OK,
                r.result(),
                () -> thread + " " + Abi.opName(op) + " " + operand + ": " + Abi.resultName(r.result()));
        return r;
    }

    /**
     * Makes a call that must be refused with {@code code}, and checks that it changed nothing: the machine's state
     * words, every page table, and every register but EAX.
     */
    void refused(int code, String thread, int op, int operand, int... words) {
        int[] before = kernel.machine().copyState();
        List<Map<Integer, Integer>> pages = pages();
        Regs r = regs(op, operand, words);
        int[] regsBefore = r.r.clone();
        int result = kernel.trap(t(thread), r);
        assertEquals(Abi.resultName(code), Abi.resultName(result), thread + " " + Abi.opName(op) + " " + operand);
        assertEquals(code, r.eax(), "EAX holds the result code alone");
        assertArrayEquals(before, kernel.machine().copyState(), "a refused call changed the machine's state");
        assertEquals(pages, pages(), "a refused call changed a page table");
        int[] regsAfter = r.r.clone();
        regsAfter[Reg.EAX.ordinal()] = regsBefore[Reg.EAX.ordinal()];
        assertArrayEquals(regsBefore, regsAfter, "a refused call changed a register other than EAX");
        assertNull(kernel.pageTableMismatch());
    }

    List<Map<Integer, Integer>> pages() {
        List<Map<Integer, Integer>> out = new ArrayList<>();
        for (Process p : kernel.processes()) {
            out.add(((FakePlatform.Space) p.space()).mappings());
        }
        return out;
    }

    /** Virtual page number of spec page v. */
    int vpn(int v) {
        return kernel.vpn(v);
    }

    static String words(int[] w) {
        return Arrays.toString(w);
    }
}
