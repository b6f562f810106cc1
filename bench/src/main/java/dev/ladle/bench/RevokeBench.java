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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Revoke and unmap as the kernel runs them ({@link Machine#revoke}, {@link Machine#unmap}: KernelImpl's
 * {@code Revoke}, {@code RevokeStep} until no descendant is left, {@code RevokeDone}, and the same for pages), against
 * the number of descendants removed and the size of the system.
 *
 * <p>Thread 0 holds the root: a capability in its local id 1 and the page 1 of its process. Before every
 * invocation (not timed) it maps both to other threads, round-robin over the threads its local ids 2..64 name with
 * send and grant, until the root has {@code descendants} children; each receiver takes the message at once, so
 * vectors never fill. The timed call removes them all. With 0 descendants the walk starts and ends at once: that
 * row is the fixed cost (and the timer's), measured in the same run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class RevokeBench {
    static final int LOCAL_IDS = 64;
    static final int PAGES = 32;
    static final int VECTOR = 4;

    @Param({"16", "4096"})
    public int threads;

    @Param({"0", "1", "4", "16", "64", "256"})
    public int descendants;

    Machine machine;
    int receivers;
    final int[] words = {1, 2, 3, 4, 5, 6};

    @Setup(Level.Trial)
    public void boot() {
        receivers = Math.min(threads - 1, LOCAL_IDS - 1);
        int needed = (descendants + receivers - 1) / receivers;
        if (needed > PAGES || needed >= LOCAL_IDS) {
            throw new IllegalStateException(descendants + " descendants do not fit " + receivers + " receivers");
        }
        int[][][] caps = new int[threads][LOCAL_IDS][];
        caps[0][0] = new int[] {1, Machine.SEND | Machine.GRANT};
        for (int r = 1; r <= receivers; r++) {
            caps[0][r] = new int[] {r, Machine.SEND | Machine.GRANT};
        }
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

    @Setup(Level.Invocation)
    public void derive(BenchmarkParams params) {
        boolean pages = params.getBenchmark().endsWith(".unmap");
        for (int i = 0; i < descendants; i++) {
            int r = 1 + i % receivers;
            if (pages) {
                expect(machine.mapPage(0, 1 + r, words, 1), "MapPage");
            } else {
                expect(machine.mapCap(0, 1 + r, words, 1, Machine.SEND), "MapCap");
            }
            expect(machine.receive(r), "Receive");
        }
    }

    private void expect(Machine.Guard g, String what) {
        if (g != Machine.Guard.OK) {
            throw new IllegalStateException(what + " refused: " + machine.lastRefusal());
        }
    }

    @Benchmark
    public Machine.Guard revoke() {
        return machine.revoke(0, 1);
    }

    @Benchmark
    public Machine.Guard unmap() {
        return machine.unmap(0, 1);
    }
}
