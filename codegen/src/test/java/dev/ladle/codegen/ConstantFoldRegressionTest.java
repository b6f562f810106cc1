package dev.ladle.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.codegen.check.Differential;
import org.junit.jupiter.api.Test;

/**
 * The regression spec regress/ConstantFold.tla against TLC, in its own JVM: the generator folds constant
 * subexpressions, and keeps the overflow and the division by zero between literals, where TLC stops, in the code.
 */
class ConstantFoldRegressionTest extends DifferentialTestBase {
    @Test
    void agreesWithTlc() throws Exception {
        Differential.Report report = run(REGRESS, "ConstantFold", 3_000);
        // Overflow and DivZero are enabled at x = 2 and x = -2, where TLC stops and the machine must raise
        assertTrue(report.tlcErrors() > 10, report::table);
        for (String a : java.util.List.of("Up", "Down", "Flip")) {
            assertTrue(report.appliedPerAction().getOrDefault(a, 0) > 100, report::table);
        }
    }
}
