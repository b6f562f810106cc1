package dev.ladle.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.codegen.check.Differential;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The regression spec regress/SharedArithmetic.tla (its header says what it checks) against TLC, in its own JVM,
 * and that the generated code does share the operators' arithmetic it is about.
 */
class SharedArithmeticRegressionTest extends DifferentialTestBase {
    @Test
    void agreesWithTlc() throws Exception {
        Differential.Report report = run(REGRESS, "SharedArithmetic", 3_000);
        // TLC stops on Mix's division by zero and Grow's overflow, and the machine raised each time (else run()
        // reports a disagreement); every other gap fails
        assertTrue(report.tlcErrors() > 10, report::table);
        assertEquals(
                List.of(),
                report.gaps(0.01).stream()
                        .filter(g -> !g.endsWith(" TLC errors"))
                        .toList(),
                report::table);
        assertTrue(report.refused() > 10, report::table);
    }

    @Test
    void computesEachOperatorOnce() throws Exception {
        Generator.Result r = Generator.generate(REGRESS.resolve("SharedArithmetic.tla"), "fixture");
        assertTrue(r.ok(), () -> r.errors().toString());
        String machine = r.files().stream()
                .filter(f -> f.typeSpec().name().equals("SharedArithmeticMachine"))
                .findFirst()
                .orElseThrow()
                .toString();
        for (String action : List.of("put", "turn", "mix", "grow")) {
            String body = machine.substring(machine.indexOf("public Guard " + action + "("));
            body = body.substring(0, body.indexOf("\n  }\n"));
            String local = action.equals("mix") ? "modk" : action.equals("grow") ? "scale" : "slot";
            assertEquals(1, count(body, "final int " + local + " = "), body);
            // the arithmetic appears once, in the local's definition (Turn's IF arm and quantifier body come
            // before the unconditional use and compute it themselves)
            String op = action.equals("grow") ? "multiplyExact(" : "tlaMod(";
            assertEquals(action.equals("turn") ? 1 + 2 : 1, count(body, op), body);
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }
}
