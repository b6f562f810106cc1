package dev.ladle.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.codegen.check.Differential;
import org.junit.jupiter.api.Test;

/** The regression spec regress/NegativeMod.tla (its header says what it once got wrong) against TLC, in its own JVM. */
class NegativeModRegressionTest extends DifferentialTestBase {
    @Test
    void agreesWithTlc() throws Exception {
        Differential.Report report = run(REGRESS, "NegativeMod", 500);
        assertTrue(report.appliedPerAction().getOrDefault("Count", 0) > 100, report::table);
    }
}
