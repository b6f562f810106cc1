package dev.ladle.properties;

import dev.ladle.persist.sim.SimWorld;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/**
 * One step of a {@link Workload}: a memory write by user code ({@link #STORE}: page, offset, value) or a system call
 * of persist's in-memory world ({@link SimWorld#SEND}, {@link SimWorld#RECV}, {@link SimWorld#GRANT},
 * {@link SimWorld#THREAD_DELETE}, {@link SimWorld#THREAD_CREATE}) with its arguments as {@link SimWorld#argsFor}
 * draws them (the workload's world: {@link Workload#THREADS} threads, {@link Workload#PAGES} pages each). {@code thread} is a thread slot; the step is made by the first live thread from it on (slots wrap), so
 * every step applies whatever threads an earlier step deleted. {@link #random} and {@link #steps} draw the same mix:
 * a third memory writes, the rest system calls, one in eight of them creating or deleting a thread.
 */
record WorkloadStep(int thread, int code, int[] args) {
    /** Not a system call: user code writes {@code args[2]} at byte {@code args[1]} of the thread's page {@code args[0]}. */
    static final int STORE = 0;
    /** The capability slots of a thread of {@link SimWorld}. */
    static final int CAPS = 4;

    /** The step {@link Workload#step()} draws from {@code r}, drawing exactly as the workload did before it had steps. */
    static WorkloadStep random(Random r, SimWorld world) {
        int t = r.nextInt(world.threads());
        if (r.nextInt(3) == 0) {
            return new WorkloadStep(t, STORE, new int[] {r.nextInt(Workload.PAGES), r.nextInt(4096), r.nextInt()});
        }
        int code = r.nextInt(8) == 0 ? SimWorld.THREAD_DELETE + r.nextInt(2) : 1 + r.nextInt(3);
        return new WorkloadStep(t, code, world.argsFor(r, code));
    }

    /** {@code n} steps drawn from {@code seed}: the steps {@link Workload#step()} of a workload of that seed makes. */
    static List<WorkloadStep> drawn(long seed, int n) {
        Random r = new Random(seed);
        SimWorld world = Workload.newWorld();
        List<WorkloadStep> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(random(r, world));
        }
        return out;
    }

    /**
     * Lists of {@code min} to {@code max} steps in the mix of {@link #random} (sizes distributed as jqwik draws an
     * {@code @IntRange} int), which jqwik shrinks by removing steps and simplifying the rest.
     */
    static Arbitrary<List<WorkloadStep>> steps(int min, int max) {
        return step().list().ofMinSize(min).ofMaxSize(max).withSizeDistribution(RandomDistribution.biased());
    }

    /** One step: memory writes 24 in 72, sends, receives and grants 14 each, thread deletions and creations 3 each. */
    static Arbitrary<WorkloadStep> step() {
        Arbitrary<Integer> thread = Arbitraries.integers().between(0, Workload.THREADS - 1);
        Arbitrary<Integer> word = Arbitraries.integers();
        Arbitrary<WorkloadStep> store = Combinators.combine(
                        thread,
                        Arbitraries.integers().between(0, Workload.PAGES - 1),
                        Arbitraries.integers().between(0, 4095),
                        word)
                .as((t, p, o, v) -> new WorkloadStep(t, STORE, new int[] {p, o, v}));
        Arbitrary<Integer> frame = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(-1)),
                Tuple.of(1, Arbitraries.integers().between(0, Workload.PAGES - 1)));
        Arbitrary<WorkloadStep> send = Combinators.combine(
                        thread,
                        Arbitraries.integers().between(0, 1),
                        word.list().ofSize(6),
                        frame)
                .as((t, s, w, f) -> new WorkloadStep(
                        t, SimWorld.SEND, new int[] {s, w.get(0), w.get(1), w.get(2), w.get(3), w.get(4), w.get(5), f
                        }));
        Arbitrary<WorkloadStep> recv = thread.map(t -> new WorkloadStep(t, SimWorld.RECV, new int[0]));
        Arbitrary<WorkloadStep> grant = Combinators.combine(
                        thread,
                        Arbitraries.integers().between(2, 3),
                        Arbitraries.integers().between(0, Workload.THREADS - 1))
                .as((t, s, u) -> new WorkloadStep(t, SimWorld.GRANT, new int[] {s, u}));
        Arbitrary<WorkloadStep> delete = Combinators.combine(
                        thread, Arbitraries.integers().between(0, CAPS - 1))
                .as((t, s) -> new WorkloadStep(t, SimWorld.THREAD_DELETE, new int[] {s}));
        Arbitrary<WorkloadStep> create = thread.map(t -> new WorkloadStep(t, SimWorld.THREAD_CREATE, new int[0]));
        return Arbitraries.frequencyOf(
                Tuple.of(24, store),
                Tuple.of(14, send),
                Tuple.of(14, recv),
                Tuple.of(14, grant),
                Tuple.of(3, delete),
                Tuple.of(3, create));
    }

    /** The step as one line of words (thread, code, arguments), which {@link #parse} reads back. */
    String line() {
        StringBuilder b = new StringBuilder().append(thread).append(' ').append(code);
        for (int a : args) {
            b.append(' ').append(a);
        }
        return b.toString();
    }

    /** The step {@link #line} wrote. */
    static WorkloadStep parse(String line) {
        String[] w = line.trim().split(" ");
        int[] args = new int[w.length - 2];
        for (int i = 0; i < args.length; i++) {
            args[i] = Integer.parseInt(w[i + 2]);
        }
        return new WorkloadStep(Integer.parseInt(w[0]), Integer.parseInt(w[1]), args);
    }

    @Override
    public String toString() {
        String t = "t" + thread;
        return switch (code) {
            case STORE -> "STORE(" + t + ", page " + args[0] + ", byte " + args[1] + ", " + args[2] + ")";
            case SimWorld.SEND ->
                "SEND(" + t + ", slot " + args[0] + ", " + Arrays.toString(Arrays.copyOfRange(args, 1, 7))
                        + (args[7] < 0 ? "" : ", frame of page " + args[7]) + ")";
            case SimWorld.RECV -> "RECV(" + t + ")";
            case SimWorld.GRANT -> "GRANT(" + t + ", slot " + args[0] + ", thread " + args[1] + ")";
            case SimWorld.THREAD_DELETE -> "THREAD_DELETE(" + t + ", slot " + args[0] + ")";
            case SimWorld.THREAD_CREATE -> "THREAD_CREATE(" + t + ")";
            default -> "op" + code + "(" + t + ", " + Arrays.toString(args) + ")";
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorkloadStep s && s.thread == thread && s.code == code && Arrays.equals(s.args, args);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * thread + code) + Arrays.hashCode(args);
    }
}
