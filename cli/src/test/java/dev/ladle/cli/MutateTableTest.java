package dev.ladle.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.checker.MutationRun.Outcome;
import org.junit.jupiter.api.Test;

/** A row of {@code ladle mutate}'s table: the score is killed over the mutants that count. */
class MutateTableTest {
    private static int[] counts(Outcome... outcomes) {
        int[] c = new int[Outcome.values().length];
        for (Outcome o : outcomes) {
            c[o.ordinal()]++;
        }
        return c;
    }

    @Test
    void aModuleWhoseMutantsAreAllEquivalentHasNoScore() {
        String row = MutateCommand.row("Persistence", counts(Outcome.EQUIVALENT));
        assertTrue(row.trim().endsWith("-"), row);
        assertTrue(!row.contains("0.0%"), "not a score of 0%: " + row);
    }

    @Test
    void theScoreLeavesEquivalentMutantsOut() {
        String row = MutateCommand.row(
                "Kernel",
                counts(Outcome.KILLED, Outcome.ERROR, Outcome.SURVIVED, Outcome.TIMED_OUT, Outcome.EQUIVALENT));
        assertTrue(row.trim().endsWith("50.0%"), row);
    }

    @Test
    void aMutantTlcStoppedOnIsUnfinishedAndCountsAgainstTheScore() {
        String row = MutateCommand.row("KernelImpl", counts(Outcome.KILLED, Outcome.STOPPED, Outcome.TIMED_OUT));
        assertTrue(row.trim().endsWith("33.3%"), row);
        assertTrue(row.matches("(?s).*\\s2\\s+33\\.3%\\s*"), "two unfinished: " + row);
    }
}
