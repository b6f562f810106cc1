package dev.ladle.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.codegen.Ir;
import dev.ladle.codegen.check.MachineHandle;
import dev.ladle.codegen.check.TlcOracle;
import dev.ladle.kernel.gen.kernel.KernelCheckedMachine;
import dev.ladle.kernel.gen.kernel.KernelMachine;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The kernel runs the plain machine (no ghost variables); TLC checks the checked one. Driven by the same
 * 10,000 random action instances, both must accept or refuse alike, with the same guard, and agree on
 * every variable the plain machine has.
 */
class PlainMatchesCheckedTest {

    @Test
    void ghostsChangeNothingButThemselves() {
        Path specs = Path.of(System.getProperty("ladle.specs"), "src/main/tla")
                .toAbsolutePath()
                .normalize();
        TlcOracle oracle = new TlcOracle(specs, "MCKernel", "MCKernel", "Kernel");
        MachineHandle plain = new MachineHandle(KernelMachine.class, oracle.constructorArgs());
        MachineHandle checked = new MachineHandle(KernelCheckedMachine.class, oracle.constructorArgs());
        oracle.loadData(plain);
        oracle.loadData(checked);
        assertTrue(
                Arrays.stream(plain.variables()).noneMatch(v -> v.matches("h[A-Z].*")), "ghosts in the plain machine");
        assertTrue(checked.variables().length > plain.variables().length, "the checked machine has the ghosts");
        Random rnd = new Random(11);
        int applied = 0;
        for (int i = 0; i < 10_000; i++) {
            if (i % 50 == 0) {
                plain.init();
                checked.init();
            }
            TlcOracle.Step step = oracle.randomStep(rnd, oracle.toTlc(checked));
            String a = plain.step(step.action(), step.javaArgs());
            String b = checked.step(step.action(), step.javaArgs());
            assertEquals(b, a, step.shown());
            applied += a.equals("OK") ? 1 : 0;
            int[] checkedWords = checked.memory();
            int[] plainWords = plain.memory();
            for (String v : plain.variables()) {
                Ir.Type t = oracle.spec().variable(v).type();
                assertEquals(
                        oracle.decode(checkedWords, oracle.layout(true).offset(v), t),
                        oracle.decode(plainWords, oracle.layout(false).offset(v), t),
                        () -> v + " after " + step.shown());
            }
        }
        assertTrue(applied > 500, "too few applied steps: " + applied);
    }
}
