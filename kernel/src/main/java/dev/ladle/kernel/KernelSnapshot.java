package dev.ladle.kernel;

import dev.ladle.kernel.hw.Reg;
import java.util.Arrays;
import java.util.BitSet;

/**
 * What a snapshot of the kernel holds besides the generated machine's words: per thread object its scheduling state
 * and registers, per process object the pages it holds read-only (the spec has no write right; the page tables do).
 * One encoding, used by every checkpointer of the kernel; {@link #restore} puts it back.
 *
 * <pre>
 * per thread object (0 .. limits threads - 1), {@link #THREAD_RECORD} words:
 *   [0]                        scheduling state ordinal + 1 (0: a free thread object)
 *   [1]                        the page a FAULTED thread waits for
 *   [2]                        1 when it waits for the write right on that page (it wrote to a read-only page)
 *   [{@link #REGISTERS} ..]    its registers in {@link Reg} order (zeros for a free object)
 * per process object (0 .. limits threads - 1), {@link #readOnlyWords} words:
 *   bit v % 32 of word v / 32  spec page v is mapped read-only (zeros for a free object)
 * </pre>
 */
public final class KernelSnapshot {
    private KernelSnapshot() {}

    /** Where a thread record's registers start. */
    public static final int REGISTERS = 3;

    /** Words per thread object. */
    public static final int THREAD_RECORD = REGISTERS + Reg.COUNT;

    /** Words of a process object's read-only bitmap (bits 0 .. pages; bit 0, no page, is never set). */
    public static int readOnlyWords(int pages) {
        return pages / 32 + 1;
    }

    /** Words {@link #write} writes for {@code kernel}. */
    public static int size(Kernel kernel) {
        int objects = kernel.limits().threads();
        return objects * (THREAD_RECORD + readOnlyWords(kernel.limits().pages()));
    }

    /** Where thread object {@code id}'s record starts, in an encoding that starts at {@code at}. */
    public static int threadAt(int at, int id) {
        return at + id * THREAD_RECORD;
    }

    /** Thread object {@code id}'s registers (in {@link Reg} order) in an encoding that starts at {@code at}. */
    public static int[] registers(int[] words, int at, int id) {
        int from = threadAt(at, id) + REGISTERS;
        return Arrays.copyOfRange(words, from, from + Reg.COUNT);
    }

    /** Writes {@code kernel}'s part into {@code into} from {@code at}; returns where it ends. */
    public static int write(Kernel kernel, int[] into, int at) {
        int objects = kernel.limits().threads();
        int pages = kernel.limits().pages();
        for (int id = 0; id < objects; id++) {
            KernelThread t = kernel.thread(id);
            Arrays.fill(into, at, at + THREAD_RECORD, 0);
            if (t != null) {
                into[at] = t.state().ordinal() + 1;
                into[at + 1] = t.faultPage();
                into[at + 2] = t.faultWrite() ? 1 : 0;
                t.get(Reg.EAX, Reg.COUNT, into, at + REGISTERS);
            }
            at += THREAD_RECORD;
        }
        int perProcess = readOnlyWords(pages);
        for (int q = 0; q < objects; q++) {
            Process p = kernel.processObject(q);
            Arrays.fill(into, at, at + perProcess, 0);
            for (int v = 1; p != null && v <= pages; v++) {
                if (p.readOnly(v)) {
                    into[at + v / 32] |= 1 << (v % 32);
                }
            }
            at += perProcess;
        }
        return at;
    }

    /**
     * Recovery: puts {@code machineWords} and the part {@link #write} wrote (at {@code at} of {@code words}) back into
     * {@code kernel}, booted from the same description (see {@link Kernel#restore}). Without {@code registers} every
     * thread's registers are left zero, for a caller that restores them from records of their own.
     */
    public static void restore(Kernel kernel, int[] machineWords, int[] words, int at, boolean registers) {
        restore(kernel, machineWords, null, words, at, registers);
    }

    /**
     * The same for a kernel whose machine runs {@code Kernel.tla}'s checked machine in lockstep: {@code specWords}
     * are that machine's words ({@code Machine.copySpecState}, ghost variables included) recorded with
     * {@code machineWords}.
     */
    public static void restore(
            Kernel kernel, int[] machineWords, int[] specWords, int[] words, int at, boolean registers) {
        int objects = kernel.limits().threads();
        int pages = kernel.limits().pages();
        int[][] regs = new int[objects][];
        KernelThread.State[] states = new KernelThread.State[objects];
        int[] faultPages = new int[objects];
        boolean[] faultWrites = new boolean[objects];
        for (int i = 0; i < objects; i++) {
            int s = words[at];
            states[i] = s == 0 ? null : KernelThread.State.values()[s - 1];
            faultPages[i] = words[at + 1];
            faultWrites[i] = words[at + 2] != 0;
            regs[i] = registers
                    ? Arrays.copyOfRange(words, at + REGISTERS, at + REGISTERS + Reg.COUNT)
                    : new int[Reg.COUNT];
            at += THREAD_RECORD;
        }
        BitSet[] readOnly = new BitSet[objects];
        int perProcess = readOnlyWords(pages);
        for (int q = 0; q < objects; q++) {
            readOnly[q] = new BitSet();
            for (int v = 1; v <= pages; v++) {
                readOnly[q].set(v, (words[at + v / 32] & (1 << (v % 32))) != 0);
            }
            at += perProcess;
        }
        kernel.restore(machineWords, specWords, regs, states, faultPages, faultWrites, readOnly);
    }
}
