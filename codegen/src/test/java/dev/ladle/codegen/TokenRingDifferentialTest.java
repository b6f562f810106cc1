package dev.ladle.codegen;

import org.junit.jupiter.api.Test;

class TokenRingDifferentialTest extends DifferentialTestBase {
    @Test
    void generatedMachineAgreesWithTlc() throws Exception {
        check("TokenRing");
    }
}
