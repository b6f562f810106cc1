package dev.ladle.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.codegen.check.Differential;
import dev.ladle.codegen.check.MachineHandle;
import dev.ladle.codegen.check.TlcOracle;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The differential check on any spec, for trying a new one:
 * {@code mvn -pl codegen test -Dtest=AnySpecDifferentialTest -Dladle.dir=DIR -Dladle.spec=Spec -Dladle.model=MCSpec}.
 * Skipped unless ladle.dir is given.
 */
class AnySpecDifferentialTest {
    @Test
    void specAgreesWithTlc() throws Exception {
        String dir = System.getProperty("ladle.dir");
        Assumptions.assumeTrue(dir != null, "set -Dladle.dir, -Dladle.spec and -Dladle.model");
        String spec = System.getProperty("ladle.spec");
        String model = System.getProperty("ladle.model", "MC" + spec);
        Path specs = Path.of(dir).toAbsolutePath();
        Generator.Result r = Generator.generate(specs.resolve(spec + ".tla"), "any");
        assertTrue(r.ok(), () -> r.errors().toString());
        ClassLoader loader = InProcessCompiler.compile(r.files());
        TlcOracle oracle = new TlcOracle(specs, model, model, spec);
        String cls = Generator.packageFor("any", spec) + "." + spec + "CheckedMachine";
        MachineHandle m = new MachineHandle(loader.loadClass(cls), oracle.constructorArgs());
        Differential.Report report = Differential.run(oracle, m, 10_000, 99L);
        System.out.println(spec + ": " + report);
        assertEquals(10_000, report.checks());
    }
}
