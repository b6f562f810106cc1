package dev.ladle.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A checker stopped from outside (its JVM killed, out of memory, its time limit) gives no verdict on
 * the model, and {@code ladle mutate} never counts or records it as a kill.
 */
class UnfinishedCheckTest {
    private static final ModelRef MODEL =
            ModelRef.tlc("MCX", java.nio.file.Path.of("MCX.tla"), java.nio.file.Path.of("MCX.cfg"));

    @Test
    void aJvmKilledBySignalIsNamedAndTheOwnExitCodesOfTlcAreNot() {
        assertTrue(TlcRunner.signalName(137).startsWith("SIGKILL"));
        assertEquals("SIGTERM", TlcRunner.signalName(143));
        for (int own : new int[] {0, 1, 11, 12, 13, 150, 151, 152, 153, 255}) {
            assertNull(TlcRunner.signalName(own), "exit code " + own);
        }
    }

    @Test
    void killedOutOfMemoryAndTimedOutAreUnfinishedAndAnEvaluationErrorIsNot() {
        assertTrue(ModelResult.error(MODEL, ModelResult.JVM_KILLED + " by SIGKILL (exit code 137): x", Duration.ZERO)
                .unfinished());
        assertTrue(ModelResult.error(MODEL, "TLC ran out of memory (give it more with --tlc-heap)", Duration.ZERO)
                .unfinished());
        assertTrue(ModelResult.error(MODEL, ModelResult.TIMED_OUT + " after 600 s", Duration.ZERO)
                .unfinished());
        assertFalse(
                ModelResult.error(MODEL, "TLC could not evaluate the spec at KernelImpl.tla:489:19: ...", Duration.ZERO)
                        .unfinished());
        assertFalse(ModelResult.error(MODEL, "the TLC JVM stopped (exit code 1): it printed nothing", Duration.ZERO)
                .unfinished());
    }

    @Test
    void aKillRecordedForAJvmKilledBySignalIsNotTakenOnResume() {
        assertTrue(MutationRun.stoppedOutsideTheSpec(
                "in MCKernelImplLifecycleCaps: the TLC JVM stopped (exit code 137): Computing initial states..."));
        assertTrue(MutationRun.stoppedOutsideTheSpec("in MCKernel: TLC ran out of memory after 10 distinct states"));
        assertFalse(MutationRun.stoppedOutsideTheSpec("in MCKernel: the TLC JVM stopped (exit code 1): Error"));
        assertFalse(MutationRun.stoppedOutsideTheSpec(
                "in MCKernelImplLifecycleTwoPages: TLC could not evaluate the spec at KernelImpl.tla:489:19"));
    }
}
