package dev.ladle.codegen;

import org.junit.jupiter.api.Test;

class BoundedQueueDifferentialTest extends DifferentialTestBase {
    @Test
    void generatedMachineAgreesWithTlc() throws Exception {
        check("BoundedQueue");
    }
}
