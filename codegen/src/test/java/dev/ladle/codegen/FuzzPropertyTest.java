package dev.ladle.codegen;

import dev.ladle.codegen.check.Fuzz;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Random well-typed expressions over the subset (integers at the 32-bit edges, booleans, sets, quantifiers,
 * CHOOSE, IF and CASE, LET, functions, records, sequences), each compiled in-process and evaluated by the
 * generated machine and by TLC in many states: they must agree, raising together. The generator draws its
 * decisions from the list jqwik gives it, so a failure shrinks to a short list, a small expression, and is
 * written out as a spec under target/fuzz-failures. Bounded here; {@code ladle generate --fuzz N} runs more.
 */
class FuzzPropertyTest {
    static final Path WORK = Path.of("target/fuzz");

    @Provide
    Arbitrary<List<Integer>> choices() {
        return Arbitraries.integers().between(0, 1000).list().ofMinSize(20).ofMaxSize(400);
    }

    @Property(tries = 4, shrinking = ShrinkingMode.BOUNDED, seed = "20261127")
    void generatedExpressionsAgreeWithTlc(@ForAll("choices") List<Integer> choices) throws IOException {
        List<String[]> exprs = Fuzz.batch(Fuzz.of(choices), 12);
        String name = "Fuzz" + Integer.toHexString(choices.hashCode());
        Fuzz.Outcome o = Fuzz.check(WORK, name, exprs, 600, 1L);
        if (!o.ok()) {
            Path out = Path.of("target/fuzz-failures");
            Files.createDirectories(out);
            Files.writeString(out.resolve(name + ".tla"), o.module());
            Files.writeString(out.resolve(name + ".cfg"), "INIT Init\nNEXT Next\n");
            throw new AssertionError((o.refusals().isEmpty() ? o.disagreement() : "refused: " + o.refusals())
                    + "\nspec written to " + out.resolve(name + ".tla") + ":\n" + o.module());
        }
    }
}
