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
 * Property 4, confinement under attack: adversarial threads on a system of islands of authority issue random and
 * forged system calls through the kernel's scheduler and trap entry (guessed and stale local ids, missing rights,
 * pages they do not hold, random operation codes and item descriptors). No thread ever gains authority outside
 * its island, no refused call changes anything, the kernel never throws and every invariant holds. See
 * {@link Attack} for the checks.
 */
@AddLifecycleHook(Budget.class)
public class ConfinementProperties {
    @Property(tries = 1000)
    @Budget.LongTries(value = 50_000, counter = "adversarial syscalls", atLeast = 1_000_000)
    void noThreadLeavesItsIslandAndNoRefusalChangesAnything(@ForAll("attacks") List<Syscall> calls) {
        Attack a = new Attack(calls, false);
        a.run();
        Tally.count("adversarial syscalls", a.steps);
        Tally.count("refused", a.refused);
        Tally.count("threads and processes created or deleted", a.lifecycle);
    }

    /** The check bites: a boot description with one capability bridging two islands is caught at once. */
    @Example
    void aBridgeBetweenIslandsIsCaught() {
        String bridged = Islands.BOOT + "cap b1 3 -> a0 send\n";
        try {
            new Attack(List.of(new Syscall(Abi.OP_YIELD, 0, new int[6])), false, bridged);
        } catch (AssertionError e) {
            if (e.getMessage().contains("b1's local id 3 names a0 of another island")) {
                return;
            }
            throw e;
        }
        throw new AssertionError("a capability from island b to island a went unnoticed");
    }

    @Provide
    Arbitrary<List<Syscall>> attacks() {
        return Syscall.syscalls().list().ofMinSize(30).ofMaxSize(200);
    }
}
