package dev.ladle.bench;

import dev.ladle.codegen.Layout;
import dev.ladle.codegen.check.MachineHandle;
import dev.ladle.codegen.check.TlcOracle;
import dev.ladle.kernel.gen.kernel.KernelConfig;
import dev.ladle.kernel.gen.kernel.KernelMachine;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tlc2.tool.TLCState;
import tlc2.value.impl.IntValue;
import tlc2.value.impl.TupleValue;
import tlc2.value.impl.Value;

/**
 * The kernel's Send of a 6-word message three ways, from the same initial state of the bounded model
 * MCKernel (thread a sends to its local id 1, which names b): the generated machine, TLC's evaluator on the
 * Send action of Kernel.tla, and {@link HandSend}. The Java variants follow each send by the receiver's
 * Receive, so every send is accepted and the state reached is only ever read and written through the
 * machine's actions (the named API); TLC evaluates Send alone.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class CodegenBench {
    KernelMachine generated;
    HandSend hand;
    TlcOracle oracle;
    TlcOracle.Step tlcSend;
    TLCState init;
    int t;
    int d;
    int r;
    int[] words = {11, 22, 33, 44, 55, 66};

    @Setup(Level.Trial)
    public void setUp() {
        Path specs = Path.of(System.getProperty("ladle.specs", "specs/src/main/tla"))
                .toAbsolutePath()
                .normalize();
        oracle = new TlcOracle(specs, "MCKernel", "MCKernel", "Kernel");
        Layout.Bound mc = oracle.layout(false);
        KernelConfig config = KernelConfig.builder()
                .nThreads(mc.value("nThreads"))
                .loThreads(mc.value("loThreads"))
                .nLocalIds(mc.value("nLocalIds"))
                .loLocalIds(mc.value("loLocalIds"))
                .NoObj(mc.value("NoObj"))
                .MaxMsgs(mc.value("MaxMsgs"))
                .MaxSlot(mc.value("MaxSlot"))
                .nVPages(mc.value("nVPages"))
                .loVPages(mc.value("loVPages"))
                .nFrames(mc.value("nFrames"))
                .loFrames(mc.value("loFrames"))
                .nProcs(mc.value("nProcs"))
                .loProcs(mc.value("loProcs"))
                .MaxGen(mc.value("MaxGen"))
                .build();
        generated = new KernelMachine(config);
        // MCKernel's boot tables (InitCSpace, Confined, InitPages) as TLC evaluates them
        oracle.loadData(new MachineHandle(generated));
        generated.init();
        t = oracle.id("Threads", 0);
        d = oracle.id("LocalIds", 0);
        r = generated.cspaceObj(t, d);
        Value[] zeros = new Value[6];
        java.util.Arrays.fill(zeros, IntValue.gen(0));
        tlcSend = oracle.stepWith(
                "Send", oracle.element("Threads", 0), oracle.element("LocalIds", 0), new TupleValue(zeros));
        init = oracle.initStates().get(0);
        if (oracle.successors(tlcSend, init).size() != 1) {
            throw new IllegalStateException("Send(a, 1, w) is not enabled in MCKernel's initial state");
        }
        if (generatedSend() != KernelMachine.Guard.OK || generated.inboxLength(r) != 0) {
            throw new IllegalStateException("generated send then receive does not round-trip in the initial state");
        }
        hand = new HandSend(config.nThreads(), config.nLocalIds(), config.MaxMsgs());
        hand.capObj[0][0] = r - config.loThreads();
        hand.capRights[0][0] = HandSend.RIGHT_SEND;
        if (handWrittenSend() != 0) {
            throw new IllegalStateException("hand-written send then receive refused");
        }
    }

    @Benchmark
    public KernelMachine.Guard generatedSend() {
        KernelMachine.Guard g = generated.send(t, d, words);
        generated.receive(r);
        return g;
    }

    @Benchmark
    public int handWrittenSend() {
        int g = hand.send(0, 0, words);
        hand.receive(hand.capObj[0][0]);
        return g;
    }

    @Benchmark
    public Object tlcEvaluatorSend() {
        return oracle.successors(tlcSend, init);
    }
}
