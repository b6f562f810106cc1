package dev.ladle.codegen;

import org.junit.jupiter.api.Test;

class MailboxDifferentialTest extends DifferentialTestBase {
    @Test
    void generatedMachineAgreesWithTlc() throws Exception {
        check("Mailbox");
    }
}
