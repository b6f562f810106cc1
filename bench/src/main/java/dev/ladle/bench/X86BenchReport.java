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

/** {@code ladle bench x86}: runs {@link X86Bench} in one JMH run and prints each figure beside its baseline. */
final class X86BenchReport {
    private X86BenchReport() {}

    static void run() throws RunnerException {
        Options opt = new OptionsBuilder()
                .include(X86Bench.class.getName())
                .forks(1)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(1))
                .build();
        Collection<RunResult> results = new Runner(opt).run();
        Map<String, double[]> ns = new HashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replaceFirst(".*\\.", "");
            ns.put(name, new double[] {
                r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()
            });
        }
        System.out.println();
        System.out.println("x86 target, average time per operation:");
        System.out.printf("  %-22s %12s %10s  %s%n", "operation", "ns/op", "+-", "what");
        String[][] rows = {
            {"physicalRead", "baseline: a 32-bit read of physical memory"},
            {"tlbHit", "kernel read of user memory, TLB hit"},
            {"fullWalk", "kernel read of user memory, INVLPG then a two-level walk"},
            {"javaRegisterHandoff", "baseline: six words from one register file to another in Java"},
            {"minimalTrap", "int 0x30 round trip through Unicorn, 2 instructions"},
            {"trapRoundTrip", "int 0x30 round trip of trap_loop (C), registers in and out"},
        };
        for (String[] row : rows) {
            double[] v = ns.get(row[0]);
            System.out.printf("  %-22s %12.1f %10.1f  %s%n", row[0], v[0], v[1], row[1]);
        }
        System.out.printf(
                "  TLB hit / physical read:          %8.1fx%n", ns.get("tlbHit")[0] / ns.get("physicalRead")[0]);
        System.out.printf("  full walk / TLB hit:              %8.1fx%n", ns.get("fullWalk")[0] / ns.get("tlbHit")[0]);
        System.out.printf(
                "  minimal trap / Java handoff:      %8.0fx%n",
                ns.get("minimalTrap")[0] / ns.get("javaRegisterHandoff")[0]);
        System.out.printf(
                "  trap_loop round trip / Java handoff: %5.0fx%n",
                ns.get("trapRoundTrip")[0] / ns.get("javaRegisterHandoff")[0]);
    }
}
