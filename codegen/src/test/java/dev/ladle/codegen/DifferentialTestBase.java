package dev.ladle.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.codegen.check.Differential;
import dev.ladle.codegen.check.InProcessCompiler;
import dev.ladle.codegen.check.MachineHandle;
import dev.ladle.codegen.check.TlcOracle;
import java.util.List;

/**
 * Generates a fixture spec, compiles it in-process, and checks the checking variant against TLC's evaluator
 * for 10,000 random steps. TLC keeps static per-spec state, so each subclass runs in its own JVM (surefire
 * reuseForks=false).
 */
abstract class DifferentialTestBase {
    static final int CHECKS = 10_000;
    static final java.nio.file.Path REGRESS = Fixtures.DIR.resolve("regress");

    void check(String module) throws Exception {
        Differential.Report report = run(Fixtures.DIR, module, CHECKS);
        assertEquals(List.of(), report.gaps(0.01), report::table);
        // a walk that only ever refuses (or only applies) would not exercise both halves of the contract
        assertTrue(report.refused() > 0, report::table);
    }

    /** Generates dir/module.tla, compiles it in-process and walks it against TLC under dir/MCmodule.cfg. */
    static Differential.Report run(java.nio.file.Path dir, String module, int steps) throws Exception {
        Generator.Result r = Generator.generate(dir.resolve(module + ".tla"), "fixture");
        assertTrue(r.ok(), () -> r.errors().toString());
        ClassLoader loader = InProcessCompiler.compile(r.files());
        String pkg = Generator.packageFor("fixture", module);
        TlcOracle oracle = new TlcOracle(dir.toAbsolutePath(), module, "MC" + module);
        MachineHandle m =
                new MachineHandle(loader.loadClass(pkg + "." + module + "CheckedMachine"), oracle.constructorArgs());
        Differential.Report report = Differential.run(oracle, m, steps, 20261127L);
        System.out.println(module + ":\n" + report.table());
        return report;
    }
}
