package dev.ladle.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.codegen.check.Differential;
import dev.ladle.codegen.check.InProcessCompiler;
import dev.ladle.codegen.check.MachineHandle;
import dev.ladle.codegen.check.TlcOracle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kernel's own spec (Kernel.tla, bounded by MCKernelLifecycle), generated and checked against TLC here too. */
class KernelSpecDifferentialTest {
    static final Path SPECS = Path.of(System.getProperty("ladle.specs"), "src/main/tla")
            .toAbsolutePath()
            .normalize();

    @Test
    void kernelMachineAgreesWithTlc() throws Exception {
        // The kernel specs are part of every checkout: their absence is a broken ladle.specs, not a reason to skip.
        assertTrue(Files.exists(SPECS.resolve("MCKernelLifecycle.cfg")), "no MCKernelLifecycle.cfg under " + SPECS);
        Generator.Result r = Generator.generate(SPECS.resolve("Kernel.tla"), "spec");
        assertTrue(r.ok(), () -> r.errors().toString());
        ClassLoader loader = InProcessCompiler.compile(r.files());
        TlcOracle oracle = new TlcOracle(SPECS, "MCKernelLifecycle", "MCKernelLifecycle", "Kernel");
        MachineHandle m =
                new MachineHandle(loader.loadClass("spec.kernel.KernelCheckedMachine"), oracle.constructorArgs());
        Differential.Report report = Differential.run(oracle, m, 10_000, 7L);
        System.out.println("Kernel:\n" + report.table());
        // every action applied in at least 1% of the steps but the checkpointer's, which MCKernelLifecycle has no
        // checkpointer for (Checkpointers = {}: never enabled; kernel's KernelCheckpointDifferentialTest runs them)
        List<String> checkpointer = List.of("MapSnapshot", "UnmapSnapshot");
        assertEquals(
                List.of(),
                report.gaps(0.01).stream()
                        .filter(g -> checkpointer.stream().noneMatch(a -> g.startsWith("action " + a + " ")))
                        .toList(),
                report::table);
        checkpointer.forEach(a -> assertEquals(0, report.appliedPerAction().get(a), report::table));
        assertTrue(report.refused() > 500, report::table);
    }
}
