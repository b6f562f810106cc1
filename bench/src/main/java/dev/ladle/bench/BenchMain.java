package dev.ladle.bench;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** {@code ladle bench codegen}: runs the JMH benchmarks in one run and prints them side by side with ratios. */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        String target = args.length == 0 ? "codegen" : args[0];
        if (target.equals("persist")) {
            PersistBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (target.equals("x86")) {
            X86BenchReport.run();
            return;
        }
        if (target.equals("ipc")) {
            ipc();
            return;
        }
        if (!target.equals("codegen")) {
            System.err.println("ladle bench: unknown benchmark '" + target + "' (known: codegen, ipc, persist, x86)");
            System.exit(2);
        }
        String specs = System.getProperty("ladle.specs", "specs/src/main/tla");
        Options opt = new OptionsBuilder()
                .include(CodegenBench.class.getName())
                .forks(1)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(2))
                .jvmArgsAppend("-Dladle.specs=" + specs, "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"))
                .build();
        Collection<RunResult> results = new Runner(opt).run();
        Map<String, double[]> ns = new HashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replaceFirst(".*\\.", "");
            ns.put(name, new double[] {
                r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()
            });
        }
        double gen = ns.get("generatedSend")[0];
        double hand = ns.get("handWrittenSend")[0];
        double tlc = ns.get("tlcEvaluatorSend")[0];
        System.out.println();
        System.out.println("Send of a 6-word message (kernel spec, MCKernel's initial state), average time per call;");
        System.out.println(
                "the generated and hand-written rows include the receiver's Receive that empties its vector:");
        System.out.printf("  %-28s %12s %10s%n", "implementation", "ns/op", "+-");
        for (String k : new String[] {"generatedSend", "handWrittenSend", "tlcEvaluatorSend"}) {
            System.out.printf("  %-28s %12.1f %10.1f%n", k, ns.get(k)[0], ns.get(k)[1]);
        }
        System.out.printf("  TLC evaluator / generated:   %10.0fx  (target >= 1000x)%n", tlc / gen);
        System.out.printf("  generated / hand-written:    %10.2fx  (target <= 1.2x)%n", gen / hand);
    }

    /** {@code ladle bench ipc}: send+receive through the trap entry beside a hand-written ring buffer. */
    static void ipc() throws RunnerException {
        Options opt = new OptionsBuilder()
                .include(IpcBench.class.getName())
                .forks(1)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(2))
                .build();
        Map<String, double[]> ns = new HashMap<>();
        for (RunResult r : new Runner(opt).run()) {
            String name = r.getParams().getBenchmark().replaceFirst(".*\\.", "");
            ns.put(name, new double[] {
                r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()
            });
        }
        double trap = ns.get("trapSendReceive")[0];
        double ring = ns.get("ringBufferSendReceive")[0];
        System.out.println();
        System.out.println("Send + receive of a 6-word message between two register files, average time per pair:");
        System.out.printf("  %-28s %12s %10s%n", "implementation", "ns/op", "+-");
        for (String k : new String[] {"trapSendReceive", "ringBufferSendReceive"}) {
            System.out.printf("  %-28s %12.1f %10.1f%n", k, ns.get(k)[0], ns.get(k)[1]);
        }
        System.out.printf("  trap entry / ring buffer:    %10.2fx  (target <= 1.5x)%n", trap / ring);
    }
}
