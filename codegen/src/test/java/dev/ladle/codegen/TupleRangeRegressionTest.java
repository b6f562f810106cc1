package dev.ladle.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.codegen.check.Differential;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The regression spec regress/TupleRange.tla (its header says what it covers) against TLC: tuples of integers packed
 * into one word. {@link TupleRangeOutsideTest} has a component outside its range (each spec needs a JVM of its own).
 */
class TupleRangeRegressionTest extends DifferentialTestBase {
    @Test
    void agreesWithTlc() throws Exception {
        Differential.Report report = run(REGRESS, "TupleRange", 3_000);
        assertEquals(List.of(), report.gaps(0.01), report::table);
        assertTrue(report.distinctStates() > 10, report::table);
    }
}
