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
 * The free-slot lookup in a table of 65,536 local ids (KernelImpl's {@code CopyCap} lands the entry in the head of
 * the receiver's free list of slots, {@code freeSlotHead[r]}; before, in its lowest free slot, {@code CHOOSE l \in
 * freeSlots[r] : TRUE}, a scan of the bitmap), with the receiver's free slots far into its table ({@code far}: local
 * ids 64,001 to 65,536, the bitmap's words 2,000 to 2,048) or at its start ({@code near}: local ids 1 to 1,536), the
 * other 64,000 slots holding capabilities at boot.
 *
 * <ul>
 *   <li>{@code generatedCopyCap}: KernelImpl's generated {@code CopyCap} (which pops the head of the receiver's free
 *       list) and the receiver's {@code Receive}, thread 0 copying its local id 2 to thread 1. The difference
 *       between far and near is what the lookup costs in the generated action.
 *   <li>{@code handNtzLookup}: the baseline, a hand-written scan of the same bitmap layout (32-bit words, bit l for
 *       local id l) by {@code Integer.numberOfTrailingZeros} of the first nonzero word, taking the slot found: what
 *       the generator emitted for the lowest free slot before the free list.
 * </ul>
 *
 * Each measured shot is 1,000 calls from the same state (restored before each shot), so every call takes the next
 * free slot. Divide a shot's time by 1,000.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 40, batchSize = FreeSlotBench.CALLS)
@Measurement(iterations = 40, batchSize = FreeSlotBench.CALLS)
@State(Scope.Thread)
public class FreeSlotBench {
    static final int CALLS = 1000;
    static final int LOCAL_IDS = 65536;
    static final int TAKEN = 64000;
    static final int THREADS = 2;

    @Param({"far", "near"})
    public String free;

    KernelImplMachine impl;
    int[] saved;
    int[] words = {1, 2, 3, 4, 5, 6};
    int[] send = {1 << Rights.SEND.ordinal()};

    /** The hand-written rows' bitmap of the same free entries. */
    FreeBitmap bitmap;

    /**
     * Thread 0 holds send and grant to thread 1 in local id 1 and send to thread 1 in local id 2 (the entry it
     * copies); thread 1's local ids 1..64,000 ({@code near}: 1,537..65,536) hold send capabilities to thread 0, the
     * others are free, on its free list in increasing order.
     */
    @Setup(Level.Trial)
    public void build() {
        int freeFrom = free.equals("far") ? TAKEN + 1 : 1;
        int freeTo = freeFrom + LOCAL_IDS - TAKEN - 1;
        impl = new KernelImplMachine(KernelImplBench.config(THREADS, LOCAL_IDS, 1, 1, 4, THREADS, 1));
        for (int l = 1; l <= LOCAL_IDS; l++) {
            boolean mine = l <= 2;
            impl.setInitCSpaceObj(0, l, mine ? 1 : -1);
            impl.setInitCSpaceRightsContains(0, l, Rights.SEND, mine);
            impl.setInitCSpaceRightsContains(0, l, Rights.GRANT, l == 1);
            impl.setInitFreeSlotNext(0, l, mine || l == LOCAL_IDS ? 0 : l + 1);
            boolean used = l < freeFrom || l > freeTo;
            impl.setInitCSpaceObj(1, l, used ? 0 : -1);
            impl.setInitCSpaceRightsContains(1, l, Rights.SEND, used);
            impl.setInitFreeSlotNext(1, l, !used && l < freeTo ? l + 1 : 0);
        }
        impl.setInitFreeSlotHead(0, 3);
        impl.setInitFreeSlotHead(1, freeFrom);
        for (int t = 0; t < THREADS; t++) {
            impl.setInitProc(t, t);
            impl.setInitThrNext(t, -1);
            impl.setInitFreeProcNext(t, -1);
            impl.setInitPages(t, 1, 0);
            impl.setInitFreePageHead(t, 1);
            impl.setInitFreePageNext(t, 1, 0);
        }
        // no page is mapped: frame 1 is free, the free list of frames is it alone
        impl.setInitFreeFrameNext(1, 0);
        impl.init();
        saved = new int[impl.stateSize()];
        impl.copyStateTo(saved);
        bitmap = new FreeBitmap(LOCAL_IDS, l -> impl.freeSlotsContains(1, l));
        int lowest = handNtzLookup();
        if (lowest != freeFrom
                || impl.freeSlotHead(1) != freeFrom
                || generatedCopyCap() != KernelImplMachine.Guard.OK) {
            throw new IllegalStateException("the lowest free slot is " + lowest + ", not " + freeFrom);
        }
    }

    /** Before each shot: the state as booted, every slot the last shot filled free again. */
    @Setup(Level.Iteration)
    public void restore() {
        impl.copyStateFrom(saved);
        bitmap.restore();
    }

    @Benchmark
    public KernelImplMachine.Guard generatedCopyCap() {
        KernelImplMachine.Guard g = impl.copyCap(0, 1, words, 2, send, impl.freeSlotHead(1));
        impl.receive(1);
        return g;
    }

    @Benchmark
    public int handNtzLookup() {
        return bitmap.takeLowestByWords("slot");
    }
}
