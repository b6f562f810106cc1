package dev.ladle.codegen;

import org.junit.jupiter.api.Test;

class LedgerDifferentialTest extends DifferentialTestBase {
    @Test
    void generatedMachineAgreesWithTlc() throws Exception {
        check("Ledger");
    }
}
