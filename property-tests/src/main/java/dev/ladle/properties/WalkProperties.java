package dev.ladle.properties;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Property 6, generated code against TLC: the differential walk of the kernel's own spec ({@code Kernel.tla} bounded
 * by {@code MCKernel}, generated and compiled in-process) through the code generator's public checking entry point
 * ({@code Differential}): every successor, refusal, TLC error and invariant compared with TLC's evaluator. Each walk
 * runs in a JVM of its own ({@link GeneratorChild}): TLC's evaluator holds one spec per JVM.
 *
 * <p>The walk is a generated list of {@value #STEPS} choices, one a step: step k draws its decisions (a restart, which
 * enabled action, the instance's arguments) from the k-th choice, and the walk ends with the list. A failure names
 * the step, the state and the action; jqwik shrinks the list (dropping choices and simplifying them towards 0) to a
 * shorter walk that still diverges, and the sample printed is the choices, which the seed printed replays. Shrinking
 * is bounded (jqwik's {@link ShrinkingMode#BOUNDED}: 10 seconds by default): each shrink step is one more child JVM,
 * which generates, compiles and loads the spec into TLC before it walks (a few seconds), so an unbounded shrink of
 * {@value #STEPS} choices would take hours. Within the bound a failure gets a shrink step or two (the first halves
 * the walk when the divergence lies in its first half; a broken variant diverging at step 314 of 1000 came back as a
 * walk of 500 choices diverging at the same step).
 */
@AddLifecycleHook(Budget.class)
public class WalkProperties {
    /** The steps of a walk: its choices. */
    static final int STEPS = 1000;

    @Property(tries = 1, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void theKernelSpecsMachineAgreesWithTlcOnRandomWalks(@ForAll("walks") List<Integer> choices) throws Exception {
        List<String> args = new ArrayList<>(List.of("walk", SpecText.specsDir().toString()));
        choices.forEach(c -> args.add(Integer.toString(c)));
        GeneratorChild.run(args).forEach(Tally::count);
    }

    /**
     * Walks of {@value #STEPS} choices as generated (the bounded run's cost), which a failure shrinks to fewer and
     * simpler ones.
     */
    @Provide
    Arbitrary<List<Integer>> walks() {
        return Arbitraries.integers().list().ofMinSize(1).ofMaxSize(STEPS).withSizeDistribution(LONGEST);
    }

    /** Sizes as generated: always the longest. */
    private static final RandomDistribution LONGEST = new RandomDistribution() {
        @Override
        public RandomNumericGenerator createGenerator(int genSize, BigInteger min, BigInteger max, BigInteger center) {
            return random -> max;
        }

        @Override
        public String toString() {
            return "longest";
        }
    };
}
