package dev.ladle.codegen;

import java.nio.file.Path;
import java.util.List;

/** The independent fixture specs (written to the same rules as the kernel's, but unrelated to it). */
final class Fixtures {
    private Fixtures() {}

    static final Path DIR = Path.of("src/test/resources/specs");

    static final List<String> SPECS = List.of("BoundedQueue", "TokenRing", "TwoPhase", "Bank", "Mailbox", "Ledger");

    static Path spec(String module) {
        return DIR.resolve(module + ".tla");
    }

    /** Generates a fixture, failing with its diagnostics when it does not lower. */
    static Generator.Result generate(String module) {
        Generator.Result r = Generator.generate(spec(module), "fixture");
        if (!r.ok()) {
            throw new AssertionError(module + " does not generate:\n"
                    + String.join(
                            "\n", r.errors().stream().map(Object::toString).toList()));
        }
        return r;
    }
}
