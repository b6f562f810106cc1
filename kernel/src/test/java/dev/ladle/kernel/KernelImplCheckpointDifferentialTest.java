package dev.ladle.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.codegen.check.Differential;
import dev.ladle.codegen.check.MachineHandle;
import dev.ladle.codegen.check.TlcOracle;
import dev.ladle.kernel.gen.kernelimpl.KernelImplCheckedMachine;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The machine generated from KernelImpl.tla against TLC under MCKernelImplCheckpoint, where a checkpointer exists: the kernel's map of
 * a frame's root into the checkpointer (MapSnapshot) and the checkpointer's unmap of that leaf (UnmapSnapshot),
 * every successor and refusal equal. (A class of its own: TLC's evaluator holds one spec per JVM.)
 */
class KernelImplCheckpointDifferentialTest {

    @Test
    void theCheckpointersActionsAgreeWithTlc() {
        Path specs = Path.of(System.getProperty("ladle.specs"), "src/main/tla")
                .toAbsolutePath()
                .normalize();
        TlcOracle oracle = new TlcOracle(specs, "MCKernelImplCheckpoint", "MCKernelImplCheckpoint", "KernelImpl");
        MachineHandle m = new MachineHandle(KernelImplCheckedMachine.class, oracle.constructorArgs());
        Differential.Report report = Differential.run(oracle, m, 5_000, 4245L);
        System.out.println("KernelImpl with a checkpointer:\n" + report.table());
        // no TLC error, every invariant checker evaluated; MapSnapshot and UnmapSnapshot applied in at least 5% of
        // the steps each, and refused for a derived page (no root; the refusal of a page with a mapping derived from it
        // is
        // MachineSnapshotTest's)
        assertEquals(List.of(), report.gaps(0.0), report::table);
        for (String a : KernelDifferentialTest.CHECKPOINTER_ACTIONS) {
            assertTrue(report.appliedPerAction().get(a) >= 0.05 * report.steps(), () -> a + "\n" + report.table());
        }
        assertTrue(
                report.refusalsPerGuard().keySet().stream().anyMatch(g -> g.endsWith("MAP_SNAPSHOT_SNAPSHOT_ROOT")),
                report::table);
    }
}
