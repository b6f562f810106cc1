package dev.ladle.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.codegen.check.Differential;
import org.junit.jupiter.api.Test;

/** The regression spec regress/Overflow.tla (its header says what it once got wrong) against TLC, in its own JVM. */
class OverflowRegressionTest extends DifferentialTestBase {
    @Test
    void agreesWithTlc() throws Exception {
        Differential.Report report = run(REGRESS, "Overflow", 3_000);
        // TLC stops on every overflow and the machine raised each time (else run() reports a disagreement)
        assertTrue(report.tlcErrors() > 10, report::table);
        assertTrue(report.applied() > 1_000, report::table);
    }
}
