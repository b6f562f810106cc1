package dev.ladle.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.codegen.check.Differential;
import org.junit.jupiter.api.Test;

/** The regression spec regress/LazyApply.tla (its header says what it once got wrong) against TLC, in its own JVM. */
class LazyApplyRegressionTest extends DifferentialTestBase {
    @Test
    void agreesWithTlc() throws Exception {
        Differential.Report report = run(REGRESS, "LazyApply", 3_000);
        // TLC stops on 2 % 0 only where it is applied, and the machine raised each time (else run() reports a
        // disagreement)
        assertTrue(report.tlcErrors() > 10, report::table);
        assertTrue(report.applied() > 1_000, report::table);
        // every action applied somewhere (Apply and Nested give values where TLC's lazy application does)
        report.appliedPerAction().forEach((a, n) -> assertTrue(n > 100, report::table));
    }
}
