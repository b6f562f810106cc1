package dev.ladle.properties;

import dev.ladle.codegen.Generator;
import dev.ladle.codegen.check.Differential;
import dev.ladle.codegen.check.Fuzz;
import dev.ladle.codegen.check.InProcessCompiler;
import dev.ladle.codegen.check.MachineHandle;
import dev.ladle.codegen.check.TlcOracle;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The code generator's checks against TLC's evaluator in a JVM of their own (TLC keeps static state per spec, and
 * its operator overrides do not survive other specs loaded in the same JVM), through codegen's public entry points:
 * {@code fuzz DIR NAME C1 C2 ...} checks one batch of random expressions drawn from the choices,
 * {@code walk SPECS C1 C2 ...} walks Kernel.tla's generated machine beside TLC, one step a choice
 * ({@code Differential.run} with choices). The child prints its figures as
 * {@code figure NAME VALUE} lines and a failure as {@code failure TEXT}; the parent ({@link #run}) collects them.
 */
public final class GeneratorChild {
    private GeneratorChild() {}

    public static void main(String[] args) throws Exception {
        try {
            if (args[0].equals("fuzz")) {
                fuzz(Path.of(args[1]), args[2], args);
            } else {
                List<Integer> choices = new ArrayList<>();
                for (int i = 2; i < args.length; i++) {
                    choices.add(Integer.parseInt(args[i]));
                }
                walk(Path.of(args[1]), choices);
            }
        } catch (AssertionError | RuntimeException e) {
            System.out.println("failure " + String.valueOf(e.getMessage()).replace('\n', ' '));
        }
        System.out.flush();
        System.exit(0); // TLC leaves non-daemon threads behind
    }

    private static void fuzz(Path work, String name, String[] args) {
        List<Integer> choices = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            choices.add(Integer.parseInt(args[i]));
        }
        List<String[]> exprs = Fuzz.batch(Fuzz.of(choices), 12);
        Fuzz.Outcome o = Fuzz.check(work, name, exprs, 600, 1L);
        if (!o.ok()) {
            System.out.println("failure " + (o.disagreement() != null ? o.disagreement() : "refused: " + o.refusals())
                    + " (the batch: " + work.resolve(name + ".tla") + ")");
            return;
        }
        long evaluations = o.report().tlcErrors();
        for (int k = 1; k <= exprs.size(); k++) {
            evaluations += o.report().appliedPerAction().getOrDefault("E" + k, 0);
        }
        System.out.println("figure fuzzed expressions " + exprs.size());
        System.out.println("figure refused with a location " + o.refusals().size());
        System.out.println("figure evaluations compared with TLC " + evaluations);
    }

    private static void walk(Path specs, List<Integer> choices) throws Exception {
        Generator.Result r = Generator.generate(specs.resolve("Kernel.tla"), "walk");
        if (!r.ok()) {
            System.out.println("failure Kernel.tla does not generate: " + r.errors());
            return;
        }
        ClassLoader loader = InProcessCompiler.compile(r.files());
        TlcOracle oracle = new TlcOracle(specs, "MCKernel", "MCKernel", "Kernel");
        MachineHandle m = new MachineHandle(
                loader.loadClass(Generator.packageFor("walk", "Kernel") + ".KernelCheckedMachine"),
                oracle.constructorArgs());
        Differential.Report report = Differential.run(oracle, m, choices);
        System.out.println("figure walk steps compared with TLC " + report.steps());
        System.out.println("figure applied " + report.applied());
        System.out.println("figure refused " + report.refused());
        System.out.println("figure distinct states " + report.distinctStates());
    }

    /** The figures of a child run; throws AssertionError with the child's failure. */
    static Map<String, Long> run(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        String tmp = System.getProperty("java.io.tmpdir");
        Files.createDirectories(Path.of(tmp));
        cmd.add("-Djava.io.tmpdir=" + tmp);
        cmd.add(GeneratorChild.class.getName());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Map<String, Long> figures = new LinkedHashMap<>();
        String failure = null;
        List<String> other = new ArrayList<>();
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("figure ")) {
                    int sp = line.lastIndexOf(' ');
                    figures.put(line.substring(7, sp), Long.parseLong(line.substring(sp + 1)));
                } else if (line.startsWith("failure ")) {
                    failure = line.substring(8);
                } else if (other.size() < 20) {
                    other.add(line);
                }
            }
        }
        int rc = p.waitFor();
        if (failure != null) {
            throw new AssertionError(failure);
        }
        if (rc != 0 || figures.isEmpty()) {
            throw new AssertionError("the checking JVM ended with " + rc + " and no figures: " + other);
        }
        return figures;
    }
}
