package dev.ladle.properties;

import dev.ladle.persist.Persistence;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Example;

/**
 * {@code persist-kernel-x86} recovers one in {@link KernelPersistenceTraceProperties#LAZILY_EVERY} of the crash images
 * it can compare lazily as well (its frames waiting in the IA-32 target's memory, paged in on first touch) and
 * requires the lazy recovery to equal the eager one of the same image after both ran the same steps: the check bites. A lazy recovery that pages one frame in as zeros (the first
 * frame asked for whose contents are not zeros) is reported by the property's run, naming a frame's byte, while the
 * faithful lazy recovery of the same run passes with frames waiting and user code paging them in.
 */
class X86LazyRecoveryTest {
    /** Crash images between steps, besides the one at the end of the run. */
    private static final List<Integer> MORE_CRASHES = List.of(12, 24);

    @Example
    void aLazyRecoveryPagingAFrameInAsZerosIsCaught() throws Exception {
        for (Persistence.Mode mode : List.of(Persistence.Mode.CHECKPOINT, Persistence.Mode.HYBRID)) {
            KernelPersistenceTraceProperties.Run faithful = run(mode, KernelWorld.Replay.FAITHFUL);
            Map<String, Long> f = faithful.figures();
            if (faithful.divergence() != null || faithful.recoveredDiffers() != null) {
                throw new AssertionError(
                        mode + ", the faithful run: " + faithful.divergence() + ", " + faithful.recoveredDiffers());
            }
            // the images between steps and the one at the end, one in LAZILY_EVERY of them (the first included)
            long compared = f.getOrDefault("crash images recovered lazily as well, equal to the eager recovery", 0L);
            long could = f.getOrDefault("crash images that could be recovered lazily as well", 0L);
            if (could != 1 + MORE_CRASHES.size()
                    || compared
                            != (could + KernelPersistenceTraceProperties.LAZILY_EVERY - 1)
                                    / KernelPersistenceTraceProperties.LAZILY_EVERY
                    || f.getOrDefault("frames waiting when a lazy recovery resumed", 0L) == 0
                    || f.getOrDefault("of those, paged in by the steps after it", 0L) == 0) {
                throw new AssertionError(mode + ": the lazy recoveries compared, frames waiting and paged in: " + f);
            }
            KernelPersistenceTraceProperties.Run broken = run(mode, KernelWorld.Replay.PAGE_IN_ZEROS);
            String d = broken.recoveredDiffers();
            if (d == null || !d.matches("(?s).*the lazy recovery is not the eager one's: .*frame \\d+ byte 0x.*")) {
                throw new AssertionError(mode + ", a frame paged in as zeros went unnoticed: " + d);
            }
        }
    }

    /**
     * The writers' system in {@code mode}, a checkpoint every four steps, crashed between steps and at its end once
     * everything logged is durable; its images recovered eagerly and lazily as {@code replay} says.
     */
    private static KernelPersistenceTraceProperties.Run run(Persistence.Mode mode, KernelWorld.Replay replay)
            throws Exception {
        X86KernelPersistenceProperties.Workload w = X86KernelPersistenceProperties.writers(4, 36);
        try (X86Threads t = w.boot()) {
            return KernelPersistenceTraceProperties.run(
                    t,
                    mode,
                    4,
                    0,
                    w.steps(),
                    MORE_CRASHES,
                    List.of(),
                    new KernelPersistenceTraceProperties.Driver(true, true, false, replay));
        }
    }
}
