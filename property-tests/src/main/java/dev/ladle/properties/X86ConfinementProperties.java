package dev.ladle.properties;

import dev.ladle.kernel.Abi;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Property 4, confinement under attack, on the IA-32 target: the attacks of {@link ConfinementProperties} (random and
 * forged system calls, thread and process creation and deletion among them) with the checks of {@link Attack}, made by
 * real {@code int 0x30} instructions under Unicorn ({@link X86AdversaryPlatform}).
 */
@AddLifecycleHook(Budget.class)
public class X86ConfinementProperties {
    /**
     * Each call is made by a real {@code int 0x30} in the thread's own address space
     * under Unicorn ({@link X86AdversaryPlatform}), the page tables compared are the real two-level ones, and thread
     * and process creation and deletion allocate and free real page tables.
     */
    @Property(tries = 40)
    void noThreadLeavesItsIslandOnTheX86Target(@ForAll("attacks") List<Syscall> calls) {
        try (X86AdversaryPlatform x86 = new X86AdversaryPlatform()) {
            Attack a = new Attack(calls, false, Islands.BOOT, x86);
            a.run();
            if (x86.traps != a.steps) {
                throw new AssertionError(a.steps + " calls, but the CPU trapped " + x86.traps + " times");
            }
            Tally.count("adversarial syscalls on x86", a.steps);
            Tally.count("refused", a.refused);
            Tally.count("threads and processes created or deleted", a.lifecycle);
            Tally.count("created threads put at the trap loop", x86.placed);
        }
    }

    /** The check bites on this target too: a capability bridging two islands at boot is caught at once. */
    @Example
    void aBridgeBetweenIslandsIsCaught() {
        try (X86AdversaryPlatform x86 = new X86AdversaryPlatform()) {
            new Attack(
                    List.of(new Syscall(Abi.OP_YIELD, 0, new int[6])),
                    false,
                    Islands.BOOT + "cap b1 3 -> a0 send\n",
                    x86);
        } catch (AssertionError e) {
            if (e.getMessage().contains("b1's local id 3 names a0 of another island")) {
                return;
            }
            throw e;
        }
        throw new AssertionError("a capability from island b to island a went unnoticed on x86");
    }

    @Provide
    Arbitrary<List<Syscall>> attacks() {
        return Syscall.syscalls().list().ofMinSize(30).ofMaxSize(200);
    }
}
