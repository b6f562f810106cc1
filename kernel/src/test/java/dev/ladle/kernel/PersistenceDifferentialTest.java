package dev.ladle.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.codegen.check.Differential;
import dev.ladle.codegen.check.MachineHandle;
import dev.ladle.codegen.check.TlcOracle;
import dev.ladle.kernel.gen.persistence.PersistenceCheckedMachine;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The checkpoint, log and recovery machine generated from Persistence.tla against TLC evaluating
 * Persistence under its bounded model MCPersistence: 10,000 random steps (crashes, torn records,
 * restores and replays included), every successor and refusal equal.
 */
class PersistenceDifferentialTest {

    @Test
    void crashRestoreAndReplayAgreeWithTlc() {
        Path specs = Path.of(System.getProperty("ladle.specs"), "src/main/tla")
                .toAbsolutePath()
                .normalize();
        TlcOracle oracle = new TlcOracle(specs, "MCPersistence", "MCPersistence", "Persistence");
        MachineHandle m = new MachineHandle(PersistenceCheckedMachine.class, oracle.constructorArgs());
        Differential.Report report = Differential.run(oracle, m, 10_000, 4242L);
        System.out.println("Persistence: " + report);
        assertEquals(10_000, report.checks());
        // Most random instances are disabled by the protocol's phases (no Restore while running, no operation
        // while crashed), so fewer random steps apply here than in the kernel.
        assertTrue(report.applied() > 300, report::toString);
        assertTrue(report.refused() > 1_000, report::toString);
    }
}
