package dev.ladle.codegen;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.codegen.check.TlcOracle;
import org.junit.jupiter.api.Test;

/** TLC's evaluator holds one spec per JVM (this class runs in a JVM of its own): a second is refused, clearly. */
class OneOraclePerJvmTest {
    @Test
    void secondSpecInOneJvmIsRefusedWithTheReason() {
        new TlcOracle(Fixtures.DIR.toAbsolutePath(), "Bank", "MCBank");
        new TlcOracle(Fixtures.DIR.toAbsolutePath(), "Bank", "MCBank");
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> new TlcOracle(Fixtures.DIR.toAbsolutePath(), "Mailbox", "MCMailbox"));
        assertTrue(e.getMessage().contains("already holds") && e.getMessage().contains("Bank.tla"), e.getMessage());
        assertTrue(e.getMessage().contains("a JVM of its own"), e.getMessage());
    }
}
