package dev.ladle.codegen;

import org.junit.jupiter.api.Test;

class TwoPhaseDifferentialTest extends DifferentialTestBase {
    @Test
    void generatedMachineAgreesWithTlc() throws Exception {
        check("TwoPhase");
    }
}
