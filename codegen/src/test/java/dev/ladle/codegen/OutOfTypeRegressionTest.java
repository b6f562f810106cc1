package dev.ladle.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.codegen.check.Differential;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The regression spec regress/OutOfType.tla (its header says what it covers) against TLC, in its own JVM: sets built
 * in scratch with elements outside the type of the set they are combined or compared with.
 */
class OutOfTypeRegressionTest extends DifferentialTestBase {
    @Test
    void agreesWithTlc() throws Exception {
        Differential.Report report = run(REGRESS, "OutOfType", 6_000);
        assertEquals(List.of(), report.gaps(0.01), report::table);
        assertTrue(report.distinctStates() > 300, report::table);
    }
}
