package dev.ladle.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ladle.codegen.check.Differential;
import dev.ladle.codegen.check.MachineHandle;
import dev.ladle.codegen.check.TlcOracle;
import dev.ladle.kernel.gen.kernelimpl.KernelImplCheckedMachine;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tlc2.tool.TLCState;

/**
 * The generated KernelImpl machine against TLC evaluating KernelImpl under MCKernelImpl's configuration:
 * random walks in which every successor and every refusal must equal TLC's, and every action, the revoke
 * and unmap walks included, must be applied (not only refused) many times.
 */
class KernelImplDifferentialTest {

    private static final int STEPS = 60_000;

    @Test
    void everyActionAgreesWithTlcAndIsApplied() {
        Path specs = Path.of(System.getProperty("ladle.specs", "../specs/src/main/tla"))
                .toAbsolutePath()
                .normalize();
        TlcOracle oracle = new TlcOracle(specs, "MCKernelImpl", "MCKernelImpl", "KernelImpl");
        MachineHandle m = new MachineHandle(KernelImplCheckedMachine.class, oracle.constructorArgs());
        Differential.Report report = Differential.run(oracle, m, 10_000, 4242L);
        System.out.println("KernelImpl: " + report);
        assertEquals(10_000, report.checks());

        // The same comparison, counted per action: a walk that only exercised refusals would prove little.
        Map<String, int[]> perAction = new TreeMap<>();
        for (String a : m.actions()) {
            perAction.put(a, new int[2]);
        }
        String[] vars = m.variables();
        Random rnd = new Random(77L);
        m.init();
        int depth = 0;
        int refusedInARow = 0;
        for (int i = 0; i < STEPS; i++) {
            // restart from Init now and then, and when the walk is stuck (every thread waiting)
            if (depth > 40 || refusedInARow > 60 || rnd.nextInt(200) == 0) {
                m.init();
                depth = 0;
                refusedInARow = 0;
            }
            TLCState s = oracle.toTlc(m);
            TlcOracle.Step step = oracle.randomStep(rnd, s);
            List<TLCState> next;
            try {
                next = oracle.successors(step, s);
            } catch (RuntimeException e) {
                throw new AssertionError("TLC cannot evaluate " + step.shown() + " in\n" + s, e);
            }
            int[] before = m.memory().clone();
            String result = m.step(step.action(), step.javaArgs());
            int[] counts = perAction.get(step.name());
            if (result.equals("OK")) {
                assertEquals(
                        1, next.size(), () -> step.shown() + ": Java applied it, TLC gives " + next + " from\n" + s);
                String diff = oracle.diff(next.get(0), oracle.toTlc(m), vars);
                if (!diff.isEmpty()) {
                    fail(step.shown() + ": successors differ from\n" + s + diff);
                }
                counts[0]++;
                depth++;
                refusedInARow = 0;
            } else {
                assertTrue(next.isEmpty(), () -> step.shown() + ": Java refused (" + result + "), TLC applies it");
                assertTrue(Arrays.equals(before, m.memory()), () -> step.shown() + ": refused but changed the state");
                counts[1]++;
                refusedInARow++;
            }
        }
        StringBuilder table = new StringBuilder(String.format("%-12s %8s %8s%n", "action", "applied", "refused"));
        perAction.forEach((a, c) -> table.append(String.format("%-12s %8d %8d%n", a, c[0], c[1])));
        System.out.print(table);
        perAction.forEach((a, c) -> assertTrue(c[0] >= 10, () -> a + " applied only " + c[0] + " times\n" + table));
    }
}
