package dev.ladle.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.codegen.check.Differential;
import dev.ladle.codegen.check.MachineHandle;
import dev.ladle.codegen.check.TlcOracle;
import dev.ladle.kernel.gen.kernel.KernelCheckedMachine;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The kernel's generated machine (built from Kernel.tla at generate-sources) against TLC evaluating Kernel
 * under its bounded model MCKernel: 10,000 random steps, every successor and refusal equal.
 */
class KernelDifferentialTest {

    @Test
    void sendAndEveryOtherActionAgreeWithTlc() {
        Path specs = Path.of(System.getProperty("ladle.specs"), "src/main/tla")
                .toAbsolutePath()
                .normalize();
        TlcOracle oracle = new TlcOracle(specs, "MCKernel", "MCKernel", "Kernel");
        MachineHandle m = new MachineHandle(KernelCheckedMachine.class, oracle.constructorArgs());
        Differential.Report report = Differential.run(oracle, m, 10_000, 4242L);
        System.out.println("Kernel: " + report);
        assertEquals(10_000, report.checks());
        assertTrue(report.applied() > 1_000, report::toString);
        assertTrue(report.refused() > 1_000, report::toString);
    }
}
