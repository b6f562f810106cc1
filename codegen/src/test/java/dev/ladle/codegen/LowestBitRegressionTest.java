package dev.ladle.codegen;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.palantir.javapoet.JavaFile;
import dev.ladle.codegen.check.Differential;
import org.junit.jupiter.api.Test;

/**
 * The regression spec regress/LowestBit.tla (its header says what it covers) against TLC, in its own JVM: the
 * lowest element of a set kept as a bitmap and every walk over one, at the 32-bit word boundaries of sets of 63,
 * 64, 65 and 130 elements, the empty set included.
 */
class LowestBitRegressionTest extends DifferentialTestBase {
    @Test
    void agreesWithTlc() throws Exception {
        Differential.Report report = run(REGRESS, "LowestBit", 6_000);
        // every action of the spec ran, the lowest-element CHOOSEs included (NonEmptyA applies Min to a nonempty a)
        report.appliedPerAction().forEach((a, n) -> assertTrue(n > 0, () -> a + " never applied\n" + report.table()));
        // CHOOSE over an empty set (DropLow, Low, Min, MinGe, LowUnused of a full set, FirstAbove with no witness)
        // stopped TLC, and the machine raised each time (else run() reports a disagreement)
        assertTrue(report.tlcErrors() > 50, report::table);
        assertTrue(report.distinctStates() > 500, report::table);
    }

    /** The lowering the spec is there for: CHOOSE of the lowest element by words, and no walk bit after bit. */
    @Test
    void lowestElementIsFoundByWordsAndNoWalkTestsBitAfterBit() {
        Generator.Result r = Generator.generate(REGRESS.resolve("LowestBit.tla"), "fixture");
        assertTrue(r.ok(), () -> r.errors().toString());
        String machine = r.files().stream()
                .filter(f -> f.typeSpec().name().equals("LowestBitMachine"))
                .findFirst()
                .map(JavaFile::toString)
                .orElseThrow();
        for (String action : new String[] {"lowA", "minB", "minGeC", "lowUnusedD", "dropLowD", "nonEmptyA"}) {
            int at = machine.indexOf("public Guard " + action + "(");
            assertTrue(at >= 0, action);
            String body = machine.substring(at, machine.indexOf("\n  }\n", at));
            assertTrue(body.contains("lowestBit("), () -> action + " does not take the lowest bit by words:\n" + body);
        }
        // NonEmptyA's guard a # {} finds the lowest bit once, and its Min(a) reads it instead of scanning again
        int at = machine.indexOf("public Guard nonEmptyA(");
        String body = machine.substring(at, machine.indexOf("\n  }\n", at));
        assertTrue(body.split("lowestBit\\(", -1).length == 2, () -> "one scan of a:\n" + body);
        assertFalse(body.contains("noBits("), () -> "the emptiness test scans a again:\n" + body);
        assertTrue(machine.contains("Integer.numberOfTrailingZeros("), "walks go a word at a time");
        assertFalse(machine.contains(" & 31)) & 1) == 0)"), () -> "a walk tests bit after bit:\n" + machine);
        assertFalse(machine.contains(" & 31)) & 1) != 0)"), () -> "a walk tests bit after bit:\n" + machine);
    }
}
