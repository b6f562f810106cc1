package dev.ladle.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.codegen.check.Differential;
import dev.ladle.codegen.check.MachineHandle;
import dev.ladle.codegen.check.TlcOracle;
import dev.ladle.kernel.gen.persistence.PersistenceCheckedMachine;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checkpoint, log and recovery machine generated from Persistence.tla against TLC evaluating
 * Persistence under its bounded model MCPersistence: 10,000 steps drawn among enabled instances (crashes, torn records,
 * restores and replays included), every successor and refusal equal, every action applied in 1% of the steps.
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
        System.out.println("Persistence:\n" + report.table());
        // every action applied in at least 1% of the steps, no TLC error, every generated invariant evaluated
        assertEquals(List.of(), report.gaps(0.01), report::table);
        assertTrue(report.refused() > 500, report::table);
    }
}
