package dev.ladle.properties;

import dev.ladle.codegen.check.Fuzz;
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
 * {@code FuzzPropertyTest} stays in codegen): random well-typed expressions ({@link Fuzz}, driven by the list jqwik
 * gives it, so a failure shrinks to a small expression) compiled in-process and evaluated by the generated machine
 * and by TLC's evaluator in many states, errors included. {@link WalkProperties} walks the kernel's spec.
 *
 * <p>TLC's evaluator holds one spec per JVM: each batch gives up the previous one first ({@link Fuzz#check}), as the
 * walk does, and nothing else in this module uses it in-process (the trace and state checks run TLC in child JVMs).
 */
@AddLifecycleHook(Budget.class)
public class FuzzProperties {
    @Provide
    Arbitrary<List<Integer>> choices() {
        return Arbitraries.integers().between(0, 1000).list().ofMinSize(20).ofMaxSize(400);
    }

    @Property(tries = 4, shrinking = ShrinkingMode.BOUNDED)
    void generatedExpressionsAgreeWithTlc(@ForAll("choices") List<Integer> choices) throws Exception {
        List<String[]> exprs = Fuzz.batch(Fuzz.of(choices), 12);
        Path work = Files.createTempDirectory("ladle-fuzz");
        String name = "Fuzz" + Integer.toHexString(choices.hashCode());
        Fuzz.Outcome o = Fuzz.check(work, name, exprs, 600, 1L);
        if (!o.ok()) {
            throw new AssertionError((o.disagreement() != null ? o.disagreement() : "refused: " + o.refusals())
                    + "\nthe batch: " + work.resolve(name + ".tla"));
        }
        long evaluations = o.report().tlcErrors();
        for (int k = 1; k <= exprs.size(); k++) {
            evaluations += o.report().appliedPerAction().getOrDefault("E" + k, 0);
        }
        Tally.count("fuzzed expressions", exprs.size());
        Tally.count("refused with a location", o.refusals().size());
        Tally.count("evaluations compared with TLC", evaluations);
        RecoveryProperties.deleteAll(work);
    }
}
