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
 * The generated KernelImpl machine (linked derivation lists, message rings, free bitmaps, the revoke, unmap and
 * delete walks, processes, thread and process creation and deletion) against TLC evaluating KernelImpl under
 * MCKernelImplLifecycle: every successor and every refusal equal, every action applied, the walk steps included
 * (but the checkpointer's, which MCKernelImplLifecycle has none for); MapSnapshot and UnmapSnapshot are
 * {@link KernelImplCheckpointDifferentialTest}'s.
 */
class KernelImplDifferentialTest {

    @Test
    void everyActionAgreesWithTlcAndIsApplied() {
        Path specs = Path.of(System.getProperty("ladle.specs"), "src/main/tla")
                .toAbsolutePath()
                .normalize();
        TlcOracle oracle = new TlcOracle(specs, "MCKernelImplLifecycle", "MCKernelImplLifecycle", "KernelImpl");
        MachineHandle m = new MachineHandle(KernelImplCheckedMachine.class, oracle.constructorArgs());
        Differential.Report report = Differential.run(oracle, m, 20_000, 4243L);
        System.out.println("KernelImpl:\n" + report.table());
        // no TLC error, every invariant checker evaluated, every action applied in at least 0.5% of the steps and
        // 1% of the applied ones (the table's share), the walks' steps (revoke, unmap, delete) included
        assertEquals(List.of(), KernelDifferentialTest.gapsButCheckpointer(report, 0.005), report::table);
        report.appliedPerAction().entrySet().stream()
                .filter(e -> !KernelDifferentialTest.CHECKPOINTER_ACTIONS.contains(e.getKey()))
                .forEach(e -> assertTrue(
                        e.getValue() >= 0.01 * report.applied(),
                        () -> e.getKey() + " below 1% of the applied steps\n" + report.table()));
        assertTrue(report.refused() > 500, report::table);
    }
}
