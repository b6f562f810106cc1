package dev.ladle.kernel;

import java.util.Random;

/**
 * The deterministic scheduler: which runnable thread goes next and for how many instructions, both drawn from one
 * seeded generator ({@link Random}'s algorithm is fixed by its specification, so a seed means the same choices on
 * every JVM). Given the same seed, the same system and a CPU that counts instructions exactly, a run replays
 * instruction for instruction.
 */
public final class Scheduler {
    private final Random random;
    private final int quantum;

    /** @param quantum the longest slice in instructions; each slice is 1..quantum, drawn from the seed */
    public Scheduler(long seed, int quantum) {
        if (quantum < 1) {
            throw new IllegalArgumentException("quantum must be at least 1 instruction");
        }
        this.random = new Random(seed);
        this.quantum = quantum;
    }

    /** Which of {@code runnable} threads (in thread order) runs next. */
    public int pick(int runnable) {
        return runnable == 1 ? 0 : random.nextInt(runnable);
    }

    /** The next slice's instruction budget. */
    public long slice() {
        return 1 + random.nextInt(quantum);
    }
}
