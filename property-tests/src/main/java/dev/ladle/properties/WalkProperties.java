package dev.ladle.properties;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Property 6, generated code against TLC: the differential walk of the kernel's own spec ({@code Kernel.tla} bounded
 * by {@code MCKernel}, generated and compiled in-process) from a random seed, through the code generator's public
 * checking entry point ({@code Differential}): every successor, refusal, TLC error and invariant compared with TLC's
 * evaluator. Each walk runs in a JVM of its own ({@link GeneratorChild}): TLC's evaluator holds one spec per JVM.
 */
@AddLifecycleHook(Budget.class)
public class WalkProperties {
    @Property(tries = 1)
    void theKernelSpecsMachineAgreesWithTlcOnRandomWalks(@ForAll long seed) throws Exception {
        GeneratorChild.run(List.of("walk", SpecText.specsDir().toString(), "1000", Long.toString(seed)))
                .forEach(Tally::count);
    }
}
