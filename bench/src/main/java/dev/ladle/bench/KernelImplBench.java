package dev.ladle.bench;

import dev.ladle.kernel.gen.kernelimpl.KernelImplConfig;
import dev.ladle.kernel.gen.kernelimpl.KernelImplMachine;
import dev.ladle.kernel.gen.kernelimpl.Rights;
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
 * Send+receive of a 6-word message on the machine generated from KernelImpl.tla, at 16 and at 4,096 threads, beside
 * {@link HandSend} (the same checks, hand-written) at the same size. The configuration is the scale
 * target: 64 local ids per thread, 64 processes (thread t runs in process t mod 64) of 1,024 pages each, 65,536
 * frames, vectors of 4; only the number of threads differs between the two sizes. Thread t holds a send capability
 * to thread t+1 in local id 1 (a ring). {@code ladle bench kernel} forks this with a 1 GiB heap, so the 4,096-thread
 * machine (state and scratch) runs inside it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class KernelImplBench {
    static final int LOCAL_IDS = 64;
    static final int PAGES = 1024;
    static final int PROCS = 64;
    static final int FRAMES = 65536;
    static final int MAX_MSGS = 4;

    @Param({"16", "4096"})
    public int threads;

    KernelImplMachine impl;
    HandSend hand;
    int[] words = {11, 22, 33, 44, 55, 66};

    /**
     * The configuration above at {@code threads} threads; {@code freeFrameHead} is the first frame of the boot's free
     * list of frames (KernelImpl's {@code InitFreeFrameHead}).
     */
    static KernelImplConfig config(
            int threads, int localIds, int pages, int frames, int maxMsgs, int procs, int freeFrameHead) {
        return new KernelImplConfig(
                threads,
                0,
                localIds,
                1,
                -1,
                pages,
                1,
                frames,
                1,
                procs,
                0,
                freeFrameHead,
                1,
                maxMsgs,
                Math.max(localIds, pages));
    }

    /**
     * A KernelImpl machine with the ring of send capabilities, thread t in process t mod {@code procs} (each
     * process's threads chained in id order, the unused process objects on the free list), initialised.
     */
    static KernelImplMachine ring(int threads, int localIds, int pages, int frames, int maxMsgs, int procs) {
        // no page is mapped at boot: every frame is free, on the free list in increasing order
        KernelImplMachine m = new KernelImplMachine(config(threads, localIds, pages, frames, maxMsgs, procs, 1));
        for (int f = 1; f <= frames; f++) {
            m.setInitFreeFrameNext(f, f < frames ? f + 1 : 0);
        }
        for (int t = 0; t < threads; t++) {
            for (int l = 1; l <= localIds; l++) {
                m.setInitCSpaceObj(t, l, l == 1 ? (t + 1) % threads : -1);
                m.setInitCSpaceRightsContains(t, l, Rights.SEND, l == 1);
                // local ids 2.. are free: each thread's free list of slots in increasing order
                m.setInitFreeSlotNext(t, l, l >= 2 && l < localIds ? l + 1 : 0);
            }
            m.setInitFreeSlotHead(t, localIds >= 2 ? 2 : 0);
            m.setInitProc(t, t % procs);
            m.setInitThrNext(t, t + procs < threads ? t + procs : -1);
        }
        int used = Math.min(threads, procs);
        for (int q = 0; q < procs; q++) {
            m.setInitFreeProcNext(q, q >= used && q + 1 < procs ? q + 1 : -1);
            // every page is free: each process's free list of pages in increasing order
            for (int v = 1; v <= pages; v++) {
                m.setInitFreePageNext(q, v, v < pages ? v + 1 : 0);
            }
            m.setInitFreePageHead(q, pages >= 1 ? 1 : 0);
        }
        m.init();
        return m;
    }

    @Setup(Level.Trial)
    public void setUp() {
        impl = ring(threads, LOCAL_IDS, PAGES, FRAMES, MAX_MSGS, PROCS);
        if (generatedSendReceive() != KernelImplMachine.Guard.OK) {
            throw new IllegalStateException("send then receive refused");
        }
        hand = new HandSend(threads, LOCAL_IDS, MAX_MSGS);
        hand.capObj[0][0] = 1;
        hand.capRights[0][0] = HandSend.RIGHT_SEND;
        if (handWrittenSendReceive() != 0) {
            throw new IllegalStateException("hand-written send then receive refused");
        }
    }

    @Benchmark
    public KernelImplMachine.Guard generatedSendReceive() {
        KernelImplMachine.Guard g = impl.send(0, 1, words);
        impl.receive(1);
        return g;
    }

    @Benchmark
    public int handWrittenSendReceive() {
        int g = hand.send(0, 0, words);
        hand.receive(1);
        return g;
    }
}
