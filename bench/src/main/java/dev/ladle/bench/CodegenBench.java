package dev.ladle.bench;

import dev.ladle.codegen.Ir;
import dev.ladle.codegen.check.MachineHandle;
import dev.ladle.codegen.check.TlcOracle;
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
 * Send action of Kernel.tla, and {@link HandSend}. The Java variants empty the receiver's vector after each
 * send (one store) so every send is accepted.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class CodegenBench {
    KernelMachine generated;
    int[] mem;
    int receiverLength;
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
        int[] ctor = oracle.constructorArgs();
        MachineHandle h = new MachineHandle(KernelMachine.class, ctor);
        oracle.loadData(h);
        h.init();
        generated = (KernelMachine) h.machine();
        mem = generated.state.mem;
        t = oracle.id("Threads", 0);
        d = oracle.id("LocalIds", 0);
        Value[] zeros = new Value[6];
        java.util.Arrays.fill(zeros, IntValue.gen(0));
        tlcSend = oracle.stepWith(
                "Send", oracle.element("Threads", 0), oracle.element("LocalIds", 0), new TupleValue(zeros));
        init = oracle.initStates().get(0);
        if (oracle.successors(tlcSend, init).size() != 1) {
            throw new IllegalStateException("Send(a, 1, w) is not enabled in MCKernel's initial state");
        }
        if (generated.send(t, d, words) != KernelMachine.Guard.OK) {
            throw new IllegalStateException("generated send refused in the initial state");
        }
        // the receiver is whatever a's local id 1 names; its vector's length word is where send wrote
        Ir.Variable inbox = oracle.spec().variable("inbox");
        int stride = oracle.size(((Ir.FunT) inbox.type()).range());
        r = -1;
        for (int i = 0; i < ctor[0]; i++) {
            if (mem[generated.state.off_inbox + i * stride] == 1) {
                r = i;
            }
        }
        receiverLength = generated.state.off_inbox + r * stride;
        mem[receiverLength] = 0;
        int threads = ctor[0];
        hand = new HandSend(threads, 2, generated.state.MaxMsgs);
        hand.capObj[0][0] = r;
        hand.capRights[0][0] = HandSend.RIGHT_SEND;
    }

    @Benchmark
    public KernelMachine.Guard generatedSend() {
        KernelMachine.Guard g = generated.send(t, d, words);
        mem[receiverLength] = 0;
        return g;
    }

    @Benchmark
    public int handWrittenSend() {
        int g = hand.send(0, 0, words);
        hand.len[r] = 0;
        return g;
    }

    @Benchmark
    public Object tlcEvaluatorSend() {
        return oracle.successors(tlcSend, init);
    }
}
