package dev.ladle.bench;

import dev.ladle.kernel.gen.kernelimpl.KernelImplMachine;
import dev.ladle.kernel.gen.kernelimpl.Rights;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The free-frame lookup at 65,536 frames (KernelImpl's {@code CopyPage} takes the head of its free list of frames,
 * {@code freeFrameHead}; before, the lowest free frame, {@code CHOOSE f \in free : TRUE}, a scan of the bitmap),
 * with the free frames far into the bitmap ({@code far}: frames 64,001 to 65,536, the bitmap's words 2,000 to
 * 2,048) or at its start ({@code near}: frames 1 to 1,536), the other 64,000 frames mapped at boot.
 *
 * <ul>
 *   <li>{@code generatedCopyPage}: KernelImpl's generated {@code CopyPage} (which pops the head of the free list) and
 *       the receiver's {@code Receive}, thread 0 copying its page 1 to thread 1. The difference between far and
 *       near is what the lookup costs in the generated action: nothing, now that it is a list's head.
 *   <li>{@code handNtzLookup}: the baseline, a hand-written scan of the same bitmap layout (32-bit words, bit f
 *       for frame f) by {@code Integer.numberOfTrailingZeros} of the first nonzero word, taking the frame found.
 *   <li>{@code handBitLoopLookup}: the loop the generator emitted for that CHOOSE before it scanned by words (a
 *       test of bit after bit from bit 0), written out by hand, taking the frame found.
 * </ul>
 *
 * Each measured shot is 1,000 calls from the same state (restored before each shot), so every call takes the next
 * free frame: far, the 1,000 lookups stay in the bitmap's last 49 words. Divide a shot's time by 1,000.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 40, batchSize = FreeFrameBench.CALLS)
@Measurement(iterations = 40, batchSize = FreeFrameBench.CALLS)
@State(Scope.Thread)
public class FreeFrameBench {
    static final int CALLS = 1000;
    static final int FRAMES = 65536;
    static final int TAKEN = 64000;
    static final int THREADS = 64;
    static final int PAGES = 1024;

    @Param({"far", "near"})
    public String free;

    KernelImplMachine impl;
    int[] saved;
    int[] words = {1, 2, 3, 4, 5, 6};

    /** The hand-written rows' bitmap of the same free entries. */
    FreeBitmap bitmap;

    /**
     * Thread t in process t, holding send and grant to thread t+1 in local id 1; frames 1..64,000 ({@code near}:
     * 1,537..65,536) mapped in page order over every process's pages except process 1's pages 1..1,000, where the
     * copies land.
     */
    @Setup(Level.Trial)
    public void build() {
        int first = free.equals("far") ? 1 : FRAMES - TAKEN + 1;
        // the free frames (far: 64,001..65,536, near: 1..1,536), on KernelImpl's free list in increasing order
        int freeFrom = free.equals("far") ? TAKEN + 1 : 1;
        int freeTo = freeFrom + FRAMES - TAKEN - 1;
        impl = new KernelImplMachine(KernelImplBench.config(THREADS, 4, PAGES, FRAMES, 4, THREADS, freeFrom));
        for (int g = 1; g <= FRAMES; g++) {
            impl.setInitFreeFrameNext(g, g >= freeFrom && g < freeTo ? g + 1 : 0);
        }
        for (int t = 0; t < THREADS; t++) {
            for (int l = 1; l <= 4; l++) {
                impl.setInitCSpaceObj(t, l, l == 1 ? (t + 1) % THREADS : -1);
                impl.setInitCSpaceRightsContains(t, l, Rights.SEND, l == 1);
                impl.setInitCSpaceRightsContains(t, l, Rights.GRANT, l == 1);
                impl.setInitFreeSlotNext(t, l, l >= 2 && l < 4 ? l + 1 : 0);
            }
            impl.setInitFreeSlotHead(t, 2);
            impl.setInitProc(t, t);
            impl.setInitThrNext(t, -1);
            impl.setInitFreeProcNext(t, -1);
        }
        int f = first;
        boolean[][] mapped = new boolean[THREADS][PAGES + 1];
        for (int p = 0; p < THREADS && f < first + TAKEN; p++) {
            for (int v = 1; v <= PAGES && f < first + TAKEN; v++) {
                if (p != 1 || v > CALLS) {
                    impl.setInitPages(p, v, f++);
                    mapped[p][v] = true;
                }
            }
        }
        // each process's unmapped pages on its free list of pages, in increasing order
        for (int p = 0; p < THREADS; p++) {
            int head = 0;
            for (int v = PAGES; v >= 1; v--) {
                impl.setInitFreePageNext(p, v, mapped[p][v] ? 0 : head);
                head = mapped[p][v] ? head : v;
            }
            impl.setInitFreePageHead(p, head);
        }
        impl.init();
        saved = new int[impl.stateSize()];
        impl.copyStateTo(saved);
        bitmap = new FreeBitmap(FRAMES, impl::freeContains);
        int lowest = handNtzLookup();
        int expected = free.equals("far") ? TAKEN + 1 : 1;
        if (lowest != expected || generatedCopyPage() != KernelImplMachine.Guard.OK) {
            throw new IllegalStateException("the lowest free frame is " + lowest + ", not " + expected);
        }
    }

    /** Before each shot: the state as booted, every frame the last shot took free again. */
    @Setup(Level.Iteration)
    public void restore() {
        impl.copyStateFrom(saved);
        bitmap.restore();
    }

    @Benchmark
    public KernelImplMachine.Guard generatedCopyPage() {
        KernelImplMachine.Guard g = impl.copyPage(0, 1, words, 1, impl.freeFrameHead(), impl.freePageHead(1));
        impl.receive(1);
        return g;
    }

    @Benchmark
    public int handNtzLookup() {
        return bitmap.takeLowestByWords("frame");
    }

    @Benchmark
    public int handBitLoopLookup() {
        return bitmap.takeLowestByBits("frame");
    }
}
