package dev.ladle.codegen;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.codegen.check.Differential;
import org.junit.jupiter.api.Test;

/**
 * The regression spec regress/TupleRangeOutside.tla against TLC: a packed tuple with a component outside its range.
 */
class TupleRangeOutsideTest extends DifferentialTestBase {
    /**
     * A component outside its range stops the machine where TLC leaves the set as it is: a disagreement the walk
     * reports, but never the other element of the same packed word taken out (it once took {@code <<1, 0>>} out).
     */
    @Test
    void aComponentOutsideItsRangeStopsAndNeverAliasesAnotherTuple() {
        Differential.Disagreement d =
                assertThrows(Differential.Disagreement.class, () -> run(REGRESS, "TupleRangeOutside", 10));
        assertTrue(
                d.getMessage()
                        .startsWith("Java threw java.lang.IllegalStateException: a tuple component outside its type's"
                                + " values (a packed tuple would name another): 4 on Take"),
                d.getMessage());
    }
}
