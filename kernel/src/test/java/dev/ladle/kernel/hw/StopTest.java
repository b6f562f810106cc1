package dev.ladle.kernel.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The encoding of a stop in a logged scheduler step's record. */
class StopTest {
    private static final List<Stop> EVERY_KIND = List.of(
            new Stop.Trap(0x30),
            new Stop.Fault(new PageFault(0x0804_9000, PageFault.USER | PageFault.WRITE)),
            new Stop.BadInstruction(0x0804_8054, "bad instruction (replayed)"),
            new Stop.Preempted(0xffff_fff0L),
            new Stop.Halted());

    @Test
    void everyStopComesBackFromItsCodeAndArguments() {
        for (Stop s : EVERY_KIND) {
            assertEquals(s, Stop.decode(s.code(), s.args()), s.toString());
        }
    }

    /** The codes are the log format's: each kind its own, as logs written before hold them. */
    @Test
    void theCodesAreTheLogFormats() {
        assertEquals(List.of(1, 2, 3, 4, 5), EVERY_KIND.stream().map(Stop::code).toList());
        Set<Integer> codes = EVERY_KIND.stream().map(Stop::code).collect(Collectors.toSet());
        assertEquals(EVERY_KIND.size(), codes.size());
    }

    @Test
    void anUnknownCodeOrAWrongNumberOfArgumentsIsRefused() {
        IllegalArgumentException unknown =
                assertThrows(IllegalArgumentException.class, () -> Stop.decode(6, new int[0]));
        assertTrue(unknown.getMessage().contains("unknown step code 6"), unknown.getMessage());
        IllegalArgumentException arity =
                assertThrows(IllegalArgumentException.class, () -> Stop.decode(Stop.FAULT, new int[] {1}));
        assertTrue(arity.getMessage().contains("takes 2 arguments, not 1"), arity.getMessage());
    }
}
