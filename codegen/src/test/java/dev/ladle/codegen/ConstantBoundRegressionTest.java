package dev.ladle.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.codegen.check.Differential;
import org.junit.jupiter.api.Test;

/** The regression spec regress/ConstantBound.tla (its header says what it once got wrong) against TLC, in its own JVM. */
class ConstantBoundRegressionTest extends DifferentialTestBase {
    @Test
    void agreesWithTlc() throws Exception {
        Differential.Report report = run(REGRESS, "ConstantBound", 3_000);
        // TLC stops on Bad and Overflowing each time and the machine raised too (else run() reports a disagreement);
        // it once could not even be built
        assertTrue(report.tlcErrors() > 10, report::table);
        assertTrue(report.applied() > 250, report::table);
        // every action applied somewhere (Bad and Overflowing only raise)
        assertTrue(report.appliedPerAction().get("Fine") > 100, report::table);
        assertTrue(report.appliedPerAction().get("Count") > 100, report::table);
    }
}
