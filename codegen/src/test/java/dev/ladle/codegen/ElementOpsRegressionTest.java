package dev.ladle.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.palantir.javapoet.JavaFile;
import dev.ladle.codegen.check.Differential;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The regression spec regress/ElementOps.tla (its header says what it covers) against TLC, in its own JVM:
 * {@code S \ {x}} and {@code S \cup {x}} done as one bit cleared or set in place.
 */
class ElementOpsRegressionTest extends DifferentialTestBase {
    @Test
    void agreesWithTlc() throws Exception {
        Differential.Report report = run(REGRESS, "ElementOps", 6_000);
        assertEquals(List.of(), report.gaps(0.01), report::table);
        assertTrue(report.distinctStates() > 300, report::table);
    }

    /** The lowering the spec is there for: no copy of the whole set, one bit cleared or set. */
    @Test
    void anElementTakenOutOrPutInChangesOneBitInPlace() {
        Generator.Result r = Generator.generate(REGRESS.resolve("ElementOps.tla"), "fixture");
        assertTrue(r.ok(), () -> r.errors().toString());
        for (String machineName : new String[] {"ElementOpsMachine", "ElementOpsCheckedMachine"}) {
            String machine = r.files().stream()
                    .filter(f -> f.typeSpec().name().equals(machineName))
                    .findFirst()
                    .map(JavaFile::toString)
                    .orElseThrow();
            // each action and the set it updates: no copy lands in that set (old' = s copies s elsewhere)
            String[][] updates = {
                {"take", "s"},
                {"put", "s"},
                {"swap", "s"},
                {"back", "s"},
                {"dropLow", "s"},
                {"give", "f"},
                {"kill", "live"},
                {"revive", "live"}
            };
            for (String[] u : updates) {
                String action = u[0];
                int at = machine.indexOf("public Guard " + action + "(");
                assertTrue(at >= 0, action);
                String body = machine.substring(at, machine.indexOf("\n  }\n", at));
                assertFalse(
                        body.lines()
                                .anyMatch(l -> l.contains("arraycopy")
                                        && (l.contains(", m, st.off_" + u[1] + ",")
                                                || l.contains(", m, " + u[1] + "At"))),
                        () -> action + " copies the whole set into " + u[1] + ":\n" + body);
                assertTrue(
                        body.contains("|= 1 << (") || body.contains("&= ~(1 << ("),
                        () -> action + " changes no bit in place:\n" + body);
            }
        }
    }
}
