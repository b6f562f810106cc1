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
 * Send+receive of a 6-word message on the machine generated from KernelImpl.tla, at 16 and at 4,096 threads
 * (64 local ids each, a ring: thread i holds a send capability to thread i+1 in local id 1), beside
 * {@link HandSend} at the same size.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class KernelImplBench {
    static final int LOCAL_IDS = 64;
    static final int PAGES = 16;
    static final int MAX_MSGS = 4;

    @Param({"16", "4096"})
    public int threads;

    KernelImplMachine impl;
    HandSend hand;
    int[] words = {11, 22, 33, 44, 55, 66};

    /** A KernelImpl machine with the ring of send capabilities, initialised. */
    static KernelImplMachine ring(int threads, int localIds, int pages, int frames, int maxMsgs) {
        KernelImplMachine m = new KernelImplMachine(new KernelImplConfig(
                threads, 0, localIds, 1, -1, pages, 1, frames, 1, threads, 0, 1, maxMsgs, Math.max(localIds, pages)));
        for (int t = 0; t < threads; t++) {
            for (int l = 1; l <= localIds; l++) {
                m.setInitCSpaceObj(t, l, l == 1 ? (t + 1) % threads : -1);
                m.setInitCSpaceRightsContains(t, l, Rights.SEND, l == 1);
            }
            m.setInitProc(t, t);
            m.setInitThrNext(t, -1); // one thread per process: its list is that thread alone
        }
        m.init();
        return m;
    }

    @Setup(Level.Trial)
    public void setUp() {
        impl = ring(threads, LOCAL_IDS, PAGES, 64, MAX_MSGS);
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
