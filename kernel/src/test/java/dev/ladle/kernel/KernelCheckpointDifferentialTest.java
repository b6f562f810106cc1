package dev.ladle.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.codegen.check.Differential;
import dev.ladle.codegen.check.MachineHandle;
import dev.ladle.codegen.check.TlcOracle;
import dev.ladle.kernel.gen.kernel.KernelCheckedMachine;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The machine generated from Kernel.tla against TLC under MCKernelCheckpoint, where a checkpointer exists: the kernel's map of
 * a frame's root into the checkpointer (MapSnapshot) and the checkpointer's unmap of that leaf (UnmapSnapshot),
 * every successor and refusal equal. (A class of its own: TLC's evaluator holds one spec per JVM.)
 */
class KernelCheckpointDifferentialTest {

    @Test
    void theCheckpointersActionsAgreeWithTlc() {
        Path specs = Path.of(System.getProperty("ladle.specs"), "src/main/tla")
                .toAbsolutePath()
                .normalize();
        TlcOracle oracle = new TlcOracle(specs, "MCKernelCheckpoint", "MCKernelCheckpoint", "Kernel");
        MachineHandle m = new MachineHandle(KernelCheckedMachine.class, oracle.constructorArgs());
        Differential.Report report = Differential.run(oracle, m, 5_000, 4244L);
        System.out.println("Kernel with a checkpointer:\n" + report.table());
        // no TLC error, every generated invariant evaluated; the checkpointer's actions applied in at least 5% of
        // the steps each (MCKernelCheckpoint has one local id and no free object: no capability item, no lifecycle),
        // and MapSnapshot refused for a derived page (no root; the refusal of a page with a mapping derived from it is
        // MachineSnapshotTest's)
        List<String> gaps = report.gaps(0.0);
        assertEquals(List.of(), gaps, report::table);
        for (String a : KernelDifferentialTest.CHECKPOINTER_ACTIONS) {
            assertTrue(report.appliedPerAction().get(a) >= 0.05 * report.steps(), () -> a + "\n" + report.table());
        }
        assertTrue(
                report.refusalsPerGuard().keySet().stream().anyMatch(g -> g.endsWith("MAP_SNAPSHOT_SNAPSHOT_ROOT")),
                report::table);
    }
}
