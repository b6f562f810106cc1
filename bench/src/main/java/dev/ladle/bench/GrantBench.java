package dev.ladle.bench;

import dev.ladle.kernel.Machine;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Grants as the kernel runs them, against the size of the system: a capability (or a page) granted from thread 0
 * to thread 2, received, granted back and received again, at 16 and 4,096 threads. A grant updates the free-slot
 * (free-page) bitmaps of both threads ({@code ReturnAndTake}) and unlinks and relinks the derivation list
 * ({@code ReplaceNext}, {@code ReplacePrev}): each is an {@code IF} of {@code EXCEPT}s, so its cost should not grow
 * with the number of threads. The baseline, in the same run, is the same round trip with plain sends.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class GrantBench {
    static final int LOCAL_IDS = 64;
    static final int PAGES = 32;
    static final int VECTOR = 4;

    @Param({"16", "4096"})
    public int threads;

    Machine machine;
    final int[] words = {1, 2, 3, 4, 5, 6};

    @Setup(Level.Trial)
    public void boot() {
        int[][][] caps = new int[threads][LOCAL_IDS][];
        // local ids count from 1 (caps[t][0] is local id 1); pages too (pages[p][0] is page 1)
        // thread 0: local id 1 holds the capability that travels, local id 2 names thread 2
        caps[0][0] = new int[] {1, Machine.SEND | Machine.GRANT};
        caps[0][1] = new int[] {2, Machine.SEND | Machine.GRANT};
        // thread 2: local id 1 names thread 0; the capability lands in its local id 2, the page in its page 1
        caps[2][0] = new int[] {0, Machine.SEND | Machine.GRANT};
        int[] procs = new int[threads];
        for (int t = 0; t < threads; t++) {
            procs[t] = t;
        }
        int[][] pages = new int[threads][PAGES];
        pages[0][0] = 1;
        machine = new Machine(
                new Machine.Sizes(threads, LOCAL_IDS, PAGES, 4, VECTOR),
                false,
                caps,
                procs,
                pages,
                new boolean[threads]);
    }

    private void expect(Machine.Guard g, String what) {
        if (g != Machine.Guard.OK) {
            throw new IllegalStateException(what + " refused: " + machine.lastRefusal());
        }
    }

    /** Two grants of one capability (there and back) and their receives. */
    @Benchmark
    public void grantCap() {
        expect(machine.grantCap(0, 2, words, 1), "GrantCap");
        expect(machine.receive(2), "Receive");
        expect(machine.grantCap(2, 1, words, 2), "GrantCap back");
        expect(machine.receive(0), "Receive back");
    }

    /** Two grants of one page (there and back) and their receives. */
    @Benchmark
    public void grantPage() {
        expect(machine.grantPage(0, 2, words, 1), "GrantPage");
        expect(machine.receive(2), "Receive");
        expect(machine.grantPage(2, 1, words, 1), "GrantPage back");
        expect(machine.receive(0), "Receive back");
    }

    /** The baseline: the same round trip with two plain sends. */
    @Benchmark
    public void sendBack() {
        expect(machine.send(0, 2, words), "Send");
        expect(machine.receive(2), "Receive");
        expect(machine.send(2, 1, words), "Send back");
        expect(machine.receive(0), "Receive back");
    }
}
