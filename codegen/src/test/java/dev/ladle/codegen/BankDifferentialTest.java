package dev.ladle.codegen;

import org.junit.jupiter.api.Test;

class BankDifferentialTest extends DifferentialTestBase {
    @Test
    void generatedMachineAgreesWithTlc() throws Exception {
        check("Bank");
    }
}
