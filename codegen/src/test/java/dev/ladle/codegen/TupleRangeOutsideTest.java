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
     * A tuple with a component outside its range put in a set stops the machine, where TLC gives a set the type has
     * no value for: a disagreement the walk reports, but never the other tuple of the same packed word put in (it
     * once put {@code <<1, 0>>} in).
     */
    @Test
    void aComponentOutsideItsRangeStopsAndNeverAliasesAnotherTuple() {
        Differential.Disagreement d =
                assertThrows(Differential.Disagreement.class, () -> run(REGRESS, "TupleRangeOutside", 10));
        assertTrue(
                d.getMessage()
                        .startsWith("Java threw java.lang.IllegalStateException: a set element outside its type's"
                                + " values on Put(0, 4)"),
                d.getMessage());
    }
}
