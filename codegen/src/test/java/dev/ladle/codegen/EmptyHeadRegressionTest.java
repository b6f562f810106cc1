package dev.ladle.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.codegen.check.Differential;
import org.junit.jupiter.api.Test;

/** The regression spec regress/EmptyHead.tla (its header says what it once got wrong) against TLC, in its own JVM. */
class EmptyHeadRegressionTest extends DifferentialTestBase {
    @Test
    void agreesWithTlc() throws Exception {
        Differential.Report report = run(REGRESS, "EmptyHead", 3_000);
        // TLC stops on each empty Head or out-of-domain application and the machine raised each time (else run()
        // reports a disagreement)
        assertTrue(report.tlcErrors() > 10, report::table);
        assertTrue(report.applied() > 500, report::table);
    }
}
