package dev.ladle.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.codegen.check.Differential;
import dev.ladle.codegen.check.MachineHandle;
import dev.ladle.codegen.check.TlcOracle;
import dev.ladle.kernel.gen.kernel.KernelCheckedMachine;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kernel's generated machine (built from Kernel.tla at generate-sources) against TLC evaluating Kernel
 * under its bounded model MCKernelLifecycle (every action reachable but the checkpointer's, thread and process lifecycle included): 10,000 steps drawn among enabled instances (and some random ones), every
 * successor and refusal equal, every action applied in at least 1% of the steps; the checkpointer's two actions
 * (MapSnapshot, UnmapSnapshot) are {@link KernelCheckpointDifferentialTest}'s.
 */
class KernelDifferentialTest {

    /** The actions only a system with a checkpointer takes: MCKernelLifecycle has none (Checkpointers = {}). */
    static final List<String> CHECKPOINTER_ACTIONS = List.of("MapSnapshot", "UnmapSnapshot");

    /** The gaps of a run, but the checkpointer's actions (never enabled in a model without one). */
    static List<String> gapsButCheckpointer(Differential.Report report, double minShare) {
        return report.gaps(minShare).stream()
                .filter(g -> CHECKPOINTER_ACTIONS.stream().noneMatch(a -> g.startsWith("action " + a + " ")))
                .toList();
    }

    @Test
    void sendAndEveryOtherActionAgreeWithTlc() {
        Path specs = Path.of(System.getProperty("ladle.specs"), "src/main/tla")
                .toAbsolutePath()
                .normalize();
        TlcOracle oracle = new TlcOracle(specs, "MCKernelLifecycle", "MCKernelLifecycle", "Kernel");
        MachineHandle m = new MachineHandle(KernelCheckedMachine.class, oracle.constructorArgs());
        Differential.Report report = Differential.run(oracle, m, 10_000, 4242L);
        System.out.println("Kernel:\n" + report.table());
        // every action applied in at least 1% of the steps, no TLC error, every generated invariant evaluated
        assertEquals(List.of(), gapsButCheckpointer(report, 0.01), report::table);
        assertTrue(report.refused() > 500, report::table);
    }
}
