package dev.ladle.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ladle.codegen.check.Differential;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The regression spec regress/IfExcept.tla (its header says what it once got wrong) against TLC, in its own JVM. */
class IfExceptRegressionTest extends DifferentialTestBase {
    @Test
    void agreesWithTlc() throws Exception {
        Differential.Report report = run(REGRESS, "IfExcept", 4_000);
        assertEquals(List.of(), report.gaps(0.01), report::table);
    }
}
