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
 * The free-page lookup in a page window of 65,536 pages (KernelImpl's {@code MapPage} lands the page in the head of
 * the free list of the receiver's address space, {@code freePageHead[x]}; before, in its lowest free page,
 * {@code CHOOSE v \in freePages[x] : TRUE}, a scan of the bitmap), with the receiver's free pages far into its window
 * ({@code far}: pages 64,001 to 65,536, the bitmap's words 2,000 to 2,048) or at its start ({@code near}: pages 1 to
 * 1,536), the other 64,000 pages mapped at boot.
 *
 * <ul>
 *   <li>{@code generatedMapPage}: KernelImpl's generated {@code MapPage} (which pops the head of the receiver's free
 *       list of pages) and the receiver's {@code Receive}, thread 0 mapping its page 1 to thread 1. The difference
 *       between far and near is what the lookup costs in the generated action.
 *   <li>{@code handNtzLookup}: the baseline, a hand-written scan of the same bitmap layout (32-bit words, bit v for
 *       page v) by {@code Integer.numberOfTrailingZeros} of the first nonzero word, taking the page found: what the
 *       generator emitted for the lowest free page before the free list.
 * </ul>
 *
 * Each measured shot is 1,000 calls from the same state (restored before each shot), so every call takes the next
 * free page. Divide a shot's time by 1,000.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 40, batchSize = FreePageBench.CALLS)
@Measurement(iterations = 40, batchSize = FreePageBench.CALLS)
@State(Scope.Thread)
public class FreePageBench {
    static final int CALLS = 1000;
    static final int PAGES = 65536;
    static final int TAKEN = 64000;
    static final int FRAMES = TAKEN + 1;
    static final int THREADS = 2;
    static final int LOCAL_IDS = 2;

    @Param({"far", "near"})
    public String free;

    KernelImplMachine impl;
    int[] saved;
    int[] words = {1, 2, 3, 4, 5, 6};

    /** The hand-written row's bitmap of the same free pages. */
    FreeBitmap bitmap;

    /**
     * Thread t in process t; thread 0 holds send and grant to thread 1 in local id 1 and maps frame 1 at its page 1 (the
     * page it maps on), its other pages free; process 1's pages 1..64,000 ({@code near}: 1,537..65,536) map frames
     * 2..64,001, the others are free, on its free list of pages in increasing order. Every frame is mapped.
     */
    @Setup(Level.Trial)
    public void build() {
        int freeFrom = free.equals("far") ? TAKEN + 1 : 1;
        int freeTo = freeFrom + PAGES - TAKEN - 1;
        impl = new KernelImplMachine(KernelImplBench.config(THREADS, LOCAL_IDS, PAGES, FRAMES, 4, THREADS, 0));
        for (int t = 0; t < THREADS; t++) {
            for (int l = 1; l <= LOCAL_IDS; l++) {
                boolean mine = t == 0 && l == 1;
                impl.setInitCSpaceObj(t, l, mine ? 1 : -1);
                impl.setInitCSpaceRightsContains(t, l, Rights.SEND, mine);
                impl.setInitCSpaceRightsContains(t, l, Rights.GRANT, mine);
                impl.setInitFreeSlotNext(t, l, !mine && l < LOCAL_IDS ? l + 1 : 0);
            }
            impl.setInitFreeSlotHead(t, t == 0 ? 2 : 1);
            impl.setInitProc(t, t);
            impl.setInitThrNext(t, -1);
            impl.setInitFreeProcNext(t, -1);
        }
        int f = 2;
        for (int v = 1; v <= PAGES; v++) {
            impl.setInitPages(0, v, v == 1 ? 1 : 0);
            impl.setInitFreePageNext(0, v, v > 1 && v < PAGES ? v + 1 : 0);
            boolean mapped = v < freeFrom || v > freeTo;
            impl.setInitPages(1, v, mapped ? f++ : 0);
            impl.setInitFreePageNext(1, v, !mapped && v < freeTo ? v + 1 : 0);
        }
        impl.setInitFreePageHead(0, 2);
        impl.setInitFreePageHead(1, freeFrom);
        for (int g = 1; g <= FRAMES; g++) {
            impl.setInitFreeFrameNext(g, 0);
        }
        impl.init();
        saved = new int[impl.stateSize()];
        impl.copyStateTo(saved);
        bitmap = new FreeBitmap(PAGES, v -> impl.freePagesContains(1, v));
        int lowest = handNtzLookup();
        if (lowest != freeFrom
                || impl.freePageHead(1) != freeFrom
                || generatedMapPage() != KernelImplMachine.Guard.OK) {
            throw new IllegalStateException("the lowest free page is " + lowest + ", not " + freeFrom);
        }
    }

    /** Before each shot: the state as booted, every page the last shot filled free again. */
    @Setup(Level.Iteration)
    public void restore() {
        impl.copyStateFrom(saved);
        bitmap.restore();
    }

    @Benchmark
    public KernelImplMachine.Guard generatedMapPage() {
        KernelImplMachine.Guard g = impl.mapPage(0, 1, words, 1, impl.freePageHead(1));
        impl.receive(1);
        return g;
    }

    @Benchmark
    public int handNtzLookup() {
        return bitmap.takeLowestByWords("page");
    }
}
