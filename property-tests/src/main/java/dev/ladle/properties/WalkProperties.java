package dev.ladle.properties;

import dev.ladle.codegen.Generator;
import dev.ladle.codegen.check.Differential;
import dev.ladle.codegen.check.InProcessCompiler;
import dev.ladle.codegen.check.MachineHandle;
import dev.ladle.codegen.check.TlcOracle;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Property 6, generated code against TLC: the differential walk of the kernel's own spec ({@code Kernel.tla} bounded
 * by {@code MCKernel}, generated and compiled in-process) from a random seed, through the code generator's public
 * checking entry point ({@link Differential}): every successor, refusal, TLC error and invariant compared with TLC's
 * evaluator.
 *
 * <p>TLC's evaluator holds one spec per JVM: each batch and each walk gives up the previous one first, and nothing
 * else in this module uses it in-process (the trace and state checks run TLC in child JVMs).
 */
@AddLifecycleHook(Budget.class)
public class WalkProperties {
    private static ClassLoader kernelMachine;

    @Property(tries = 2)
    void theKernelSpecsMachineAgreesWithTlcOnRandomWalks(@ForAll long seed) throws Exception {
        Path specs = SpecText.specsDir();
        synchronized (WalkProperties.class) {
            if (kernelMachine == null) {
                Generator.Result r = Generator.generate(specs.resolve("Kernel.tla"), "walk");
                if (!r.ok()) {
                    throw new AssertionError("Kernel.tla does not generate: " + r.errors());
                }
                kernelMachine = InProcessCompiler.compile(r.files());
            }
        }
        TlcOracle.release();
        TlcOracle oracle = new TlcOracle(specs, "MCKernel", "MCKernel", "Kernel");
        MachineHandle m = new MachineHandle(
                kernelMachine.loadClass(Generator.packageFor("walk", "Kernel") + ".KernelCheckedMachine"),
                oracle.constructorArgs());
        Differential.Report report = Differential.run(oracle, m, 2000, seed);
        TlcOracle.release();
        Tally.count("walk steps compared with TLC", report.steps());
        Tally.count("applied", report.applied());
        Tally.count("refused", report.refused());
    }
}
