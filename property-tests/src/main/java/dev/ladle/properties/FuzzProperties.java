package dev.ladle.properties;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Property 6, generated code against TLC, through the code generator's public checking entry point (its own
 * {@code FuzzPropertyTest} stays in codegen): random well-typed expressions ({@code Fuzz}, driven by the list jqwik
 * gives it, so a failure shrinks to a small expression) compiled in-process and evaluated by the generated machine
 * and by TLC's evaluator in many states, errors included. {@link WalkProperties} walks the kernel's spec. Bounded
 * to two batches here: codegen's own tests run the fuzz and a 10,000-step walk of the kernel spec in {@code mvn
 * test} too; {@code ladle test --long} runs fifty times as many.
 *
 * <p>TLC's evaluator holds one spec per JVM: each batch runs in a JVM of its own ({@link GeneratorChild}).
 */
@AddLifecycleHook(Budget.class)
public class FuzzProperties {
    @Provide
    Arbitrary<List<Integer>> choices() {
        return Arbitraries.integers().between(0, 1000).list().ofMinSize(20).ofMaxSize(400);
    }

    @Property(tries = 2, shrinking = ShrinkingMode.BOUNDED)
    void generatedExpressionsAgreeWithTlc(@ForAll("choices") List<Integer> choices) throws Exception {
        Path work = Files.createTempDirectory("ladle-fuzz");
        String name = "Fuzz" + Integer.toHexString(choices.hashCode());
        List<String> args = new java.util.ArrayList<>(List.of("fuzz", work.toString(), name));
        choices.forEach(c -> args.add(Integer.toString(c)));
        GeneratorChild.run(args).forEach(Tally::count);
        RecoveryProperties.deleteAll(work);
    }
}
