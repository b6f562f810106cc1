package dev.ladle.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.codegen.check.InProcessCompiler;
import dev.ladle.codegen.check.MachineHandle;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture generates, compiles in-process with -Werror, and its machine starts in a state that satisfies
 * TypeOK; both variants exist and only the checked one has the ghost variables.
 */
class CompileTest {
    static List<String> fixtures() {
        return Fixtures.SPECS;
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void generatesCompilesAndStartsWellTyped(String module) throws Exception {
        Generator.Result r = Fixtures.generate(module);
        for (var f : r.files()) {
            assertTrue(
                    f.toString().startsWith("// Generated from the TLA+ module " + module),
                    f.typeSpec().name());
        }
        ClassLoader loader = InProcessCompiler.compile(r.files());
        String pkg = Generator.packageFor("fixture", module);
        int[] args = new int[constructorArity(r)];
        java.util.Arrays.fill(args, 3);
        for (String variant : List.of("Machine", "CheckedMachine")) {
            MachineHandle m = new MachineHandle(loader.loadClass(pkg + "." + module + variant), args);
            m.init();
            assertTrue(m.typeOK(), module + variant + " starts outside TypeOK");
            long ghosts = java.util.Arrays.stream(m.variables())
                    .filter(Lower::isGhost)
                    .count();
            assertEquals(
                    variant.equals("Machine")
                            ? 0
                            : r.spec().variables().stream()
                                    .filter(Ir.Variable::ghost)
                                    .count(),
                    ghosts,
                    module + variant);
        }
    }

    private static int constructorArity(Generator.Result r) {
        int n = 0;
        for (Ir.Constant c : r.spec().constants()) {
            n += switch (c.kind()) {
                case MODEL_SET -> 2;
                case INT -> 1;
                default -> 0;
            };
        }
        return n;
    }
}
