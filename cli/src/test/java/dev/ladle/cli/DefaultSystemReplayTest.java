package dev.ladle.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.kernel.Kernel;
import dev.ladle.kernel.KernelThread;
import dev.ladle.kernel.Stats;
import dev.ladle.kernel.SystemImages;
import dev.ladle.kernel.boot.BootParser;
import dev.ladle.x86.X86Platform;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replay on the x86 target: the default system run twice with one seed gives the same trace of system calls, the
 * same instruction count, the same machine state and the same registers in every thread; another seed interleaves
 * differently. Needs libunicorn2.
 */
class DefaultSystemReplayTest {
    record Run(List<Stats.Event> trace, long instructions, int[] state, List<int[]> registers) {}

    static Run run(long seed) throws Exception {
        try (X86Platform platform = new X86Platform()) {
            Kernel k = Kernel.boot(
                    platform,
                    BootParser.parse("default.boot", SystemImages.defaultBoot()),
                    SystemImages.images(null),
                    new Kernel.Options(seed, 3_000, false, true));
            k.run(1_500);
            List<int[]> regs = new ArrayList<>();
            for (KernelThread t : k.threads()) {
                regs.add(t.registers());
            }
            return new Run(
                    List.copyOf(k.stats().trace()),
                    k.stats().instructions(),
                    k.machine().copyState(),
                    regs);
        }
    }

    @Test
    void theSameSeedReplaysInstructionForInstruction() throws Exception {
        Run a = run(5);
        Run b = run(5);
        assertTrue(
                a.trace().size() > 300,
                "too short a run to say much: " + a.trace().size());
        assertEquals(a.trace(), b.trace());
        assertEquals(a.instructions(), b.instructions());
        assertArrayEquals(a.state(), b.state());
        for (int i = 0; i < a.registers().size(); i++) {
            assertArrayEquals(a.registers().get(i), b.registers().get(i), "thread " + i);
        }
        Run c = run(6);
        assertNotEquals(a.trace(), c.trace(), "another seed, another interleaving");
    }
}
