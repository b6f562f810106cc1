package dev.ladle.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.codegen.check.Differential;
import dev.ladle.codegen.check.MachineHandle;
import dev.ladle.codegen.check.TlcOracle;

/**
 * Generates a fixture spec, compiles it in-process, and checks the checking variant against TLC's evaluator
 * for 10,000 random steps. TLC keeps static per-spec state, so each subclass runs in its own JVM (surefire
 * reuseForks=false).
 */
abstract class DifferentialTestBase {
    static final int CHECKS = 10_000;

    void check(String module) throws Exception {
        Generator.Result r = Fixtures.generate(module);
        ClassLoader loader = InProcessCompiler.compile(r.files());
        String pkg = Generator.packageFor("fixture", module);
        TlcOracle oracle = new TlcOracle(Fixtures.DIR.toAbsolutePath(), module, "MC" + module);
        MachineHandle m =
                new MachineHandle(loader.loadClass(pkg + "." + module + "CheckedMachine"), oracle.constructorArgs());
        Differential.Report report = Differential.run(oracle, m, CHECKS, 20261127L);
        System.out.println(module + ": " + report);
        assertEquals(CHECKS, report.checks());
        // a walk that only ever refuses (or only applies) would not exercise both halves of the contract
        assertTrue(report.applied() > CHECKS / 10, "too few applied steps: " + report);
        assertTrue(report.refused() > 0, "no refusals: " + report);
    }
}
