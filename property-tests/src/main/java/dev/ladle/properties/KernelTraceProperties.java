package dev.ladle.properties;

import dev.ladle.kernel.Abi;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Property 3, online trace validation of the kernel: the generated checked machine of {@code Kernel.tla} is
 * stepped beside the kernel; every system call the kernel completes must be the spec action the ABI names,
 * enabled exactly when the kernel said OK, and must leave the spec in the kernel's abstract state. A divergence
 * names the step, the action and the differing variables.
 */
@AddLifecycleHook(Budget.class)
public class KernelTraceProperties {
    @Property(tries = 500)
    void everyKernelStepIsASpecActionYieldingTheKernelsState(@ForAll("runs") List<Syscall> calls) {
        Attack a = new Attack(calls, true);
        a.run();
        Tally.count("steps validated", a.steps);
        Tally.count("traces validated", 1);
    }

    /**
     * Regression: a message word is any 32-bit register value, but {@code Ipc.tla} typed the words {@code Nat}, so
     * a word with the top bit set (a negative Java int) broke {@code IpcTypeOK} after a successful send.
     */
    @Example
    void aWordWithTheTopBitSetIsAMessageWord() {
        int[] words = {0, Integer.MIN_VALUE, -1, 0x80000001, 7, 0};
        List<Syscall> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(new Syscall(Abi.OP_SEND, 1, words));
            calls.add(new Syscall(Abi.OP_RECEIVE, 0, words));
        }
        Attack a = new Attack(calls, true);
        a.run();
        if (a.steps != calls.size() || a.refused == a.steps) {
            throw new AssertionError("expected every call made and some sends to succeed: " + a.steps + " steps, "
                    + a.refused + " refused");
        }
    }

    /** The validator bites: a driver that reads the ABI's page numbers one page off is caught at its first map. */
    @Example
    void aMistranslatedPageNumberIsCaught() {
        Syscall map = new Syscall(Abi.OP_MAP_PAGE, 1, new int[] {0, 0, 0, 0, 0, (Islands.BASE + 1) << 8});
        Attack a = new Attack(java.util.Collections.nCopies(10, map), true);
        a.mistranslatePages = true;
        try {
            a.run();
        } catch (AssertionError e) {
            if (e.getMessage().contains("trace validation") && e.getMessage().contains("action MapPage")) {
                return;
            }
            throw e;
        }
        throw new AssertionError("a mistranslated MapPage went unnoticed");
    }

    @Provide
    Arbitrary<List<Syscall>> runs() {
        return Syscall.syscalls().list().ofMinSize(30).ofMaxSize(200);
    }
}
