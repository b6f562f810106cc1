package dev.ladle.codegen;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.codegen.check.Differential;
import dev.ladle.codegen.check.InProcessCompiler;
import dev.ladle.codegen.check.MachineHandle;
import dev.ladle.codegen.check.TlcOracle;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The differential check can fail: a machine generated from a subtly different Bank (a transfer of the
 * largest amount credits one unit too many) must be caught against TLC running the real Bank.
 */
class DifferentialCatchesMutantTest {
    @Test
    void aWrongSuccessorIsReportedWithStateActionAndBothResults() throws Exception {
        Generator.Result mutant = Generator.generate(Path.of("src/test/resources/specs/mutants/Bank.tla"), "mutant");
        assertTrue(mutant.ok(), mutant.errors()::toString);
        ClassLoader loader = InProcessCompiler.compile(mutant.files());
        TlcOracle oracle = new TlcOracle(Fixtures.DIR.toAbsolutePath(), "Bank", "MCBank");
        MachineHandle m =
                new MachineHandle(loader.loadClass("mutant.bank.BankCheckedMachine"), oracle.constructorArgs());
        Differential.Disagreement d =
                assertThrows(Differential.Disagreement.class, () -> Differential.run(oracle, m, 10_000, 20261127L));
        assertTrue(d.getMessage().contains("Transfer("), d.getMessage());
        assertTrue(d.getMessage().contains("balance: TLC"), d.getMessage());
    }
}
