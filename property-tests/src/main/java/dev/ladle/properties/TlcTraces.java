package dev.ladle.properties;

import dev.ladle.checker.CheckOptions;
import dev.ladle.checker.CheckRun;
import dev.ladle.checker.Checker;
import dev.ladle.checker.ModelResult;
import dev.ladle.checker.TraceStep;
import dev.ladle.checker.Verdict;
import dev.ladle.codegen.Ir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Trace validation in batches by TLC: recorded runs of an implementation, as states and actions of a spec, are
 * written as one trace spec per batch (a module that extends the spec, so TLC starts once per batch) and checked by
 * TLC to be behaviours of the spec.
 *
 * <p>The trace spec has the spec's variables and three of its own: {@code trK} (which trace), {@code trL} (how many
 * of its steps are taken) and {@code trDiff}. Its initial states are the recorded first states; its next-state
 * relation takes the recorded step {@code trL + 1}: for a step the implementation applied, the spec's action with
 * the recorded arguments, after which {@code trDiff} holds the variables whose value differs from the recorded
 * one; for a step it refused, the action must not be enabled and nothing changes. At the end of a trace it
 * stutters. So TLC reports:
 *
 * <ul>
 *   <li>a <em>deadlock</em> where the spec cannot take the recorded step (the action disabled, or a refusal the
 *       spec would have taken);
 *   <li>a violation of {@code TrConsistent} ({@code trDiff = {}}) where the action yields another state, naming
 *       the differing variables;
 *   <li>otherwise every trace was taken to its end. That it cannot pass vacuously is checked on TLC's own count:
 *       the distinct states must be exactly one per recorded state of every trace.
 * </ul>
 *
 * The action dispatch, the variable list and the constants are read from the spec ({@link SpecText}), so actions
 * and variables added to the spec are validated without a change here.
 */
final class TlcTraces {
    /** One step: the spec action with its arguments (TLA+ text), applied or refused, and the variables it set. */
    record Step(String action, List<String> args, boolean applied, Map<String, String> changed) {
        String shown() {
            return action + "(" + String.join(", ", args) + ")" + (applied ? "" : " refused");
        }
    }

    /** One run: its first state (every variable) and its steps. */
    record Trace(Map<String, String> initial, List<Step> steps) {}

    /** What TLC said about a batch; {@code divergence} is null when every trace is a behaviour of the spec. */
    record Outcome(int traces, long steps, long distinct, String divergence, String module) {}

    private TlcTraces() {}

    /**
     * Writes the batch as {@code name.tla} and {@code name.cfg} in {@code work} beside copies of the spec's modules
     * and checks it with TLC.
     */
    static Outcome check(SpecText spec, Map<String, String> data, List<Trace> traces, String name, Path work) {
        if (traces.isEmpty()) {
            throw new IllegalArgumentException("an empty batch validates nothing");
        }
        String module = module(spec, data, traces, name);
        try {
            Files.createDirectories(work);
            try (Stream<Path> specs = Files.list(spec.file.getParent())) {
                for (Path f : specs.filter(p -> p.toString().endsWith(".tla")).toList()) {
                    Files.copy(f, work.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.writeString(work.resolve(name + ".tla"), module);
            Files.writeString(work.resolve(name + ".cfg"), config(spec, data));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CheckRun run = Checker.check(
                work, CheckOptions.defaults().withoutManifest().withWorkers(1).withNames(List.of(name)));
        long steps = traces.stream().mapToLong(t -> t.steps().size()).sum();
        if (!run.parseErrors().isEmpty()) {
            return new Outcome(
                    traces.size(),
                    steps,
                    0,
                    "the trace spec does not parse: "
                            + run.parseErrors().stream().limit(3).toList(),
                    module);
        }
        ModelResult r = run.result(name).orElseThrow();
        long expected = steps + traces.size();
        String divergence = null;
        if (r.verdict() == Verdict.DEADLOCK) {
            Located at = locate(r, traces);
            divergence = at.where() + ", action " + at.step().action() + ": "
                    + (at.step().applied()
                            ? "the implementation applied " + at.step().shown()
                                    + " but the spec does not enable it in the recorded state"
                            : "the implementation refused " + at.step().shown() + " but the spec enables it");
        } else if (r.verdict() == Verdict.VIOLATED) {
            Located at = locate(r, traces);
            String diff = last(r).vars().get("trDiff");
            divergence = at.where() + ", action " + at.step().action() + ": "
                    + at.step().shown() + " yields a state that differs from the recorded one in " + diff;
        } else if (r.verdict() != Verdict.HOLDS) {
            divergence = "TLC: " + r.verdict().id() + " " + r.error();
        } else if (r.distinct() != expected) {
            divergence = "TLC found " + r.distinct() + " distinct states where the batch records " + expected
                    + ": the trace spec did not take every recorded step";
        }
        return new Outcome(traces.size(), steps, r.distinct(), divergence, module);
    }

    private record Located(String where, Step step) {}

    private static TraceStep last(ModelResult r) {
        return r.trace().get(r.trace().size() - 1);
    }

    /** The trace and step TLC stopped at: step {@code trL + 1} after a deadlock, {@code trL} after a violation. */
    private static Located locate(ModelResult r, List<Trace> traces) {
        TraceStep s = last(r);
        int k = Integer.parseInt(s.vars().get("trK").strip());
        int l = Integer.parseInt(s.vars().get("trL").strip());
        int step = r.verdict() == Verdict.DEADLOCK ? l + 1 : l;
        Trace t = traces.get(k - 1);
        if (step < 1 || step > t.steps().size()) {
            throw new IllegalStateException("TLC stopped at step " + step + " of trace " + k + ", which has "
                    + t.steps().size() + " steps: " + r.verdict() + " " + r.violated());
        }
        return new Located("trace " + k + ", step " + step, t.steps().get(step - 1));
    }

    private static String config(SpecText spec, Map<String, String> data) {
        return constantsConfig(spec) + "INIT TrStart\nNEXT TrNext\nINVARIANT TrConsistent\nCHECK_DEADLOCK TRUE\n";
    }

    /** The cfg's CONSTANTS section: every constant of the spec from its {@code Tr} definition. */
    static String constantsConfig(SpecText spec) {
        StringBuilder b = new StringBuilder("CONSTANTS\n");
        for (String c : spec.constants()) {
            b.append("    ").append(c).append(" <- Tr").append(c).append('\n');
        }
        return b.toString();
    }

    /**
     * A {@code TrC == value} definition per constant C of the spec: sets and integers from the machine's config, data
     * tables from the state words ({@code data}), and a set only Next quantifies over as empty.
     */
    static String constantDefinitions(SpecText spec, Map<String, String> data) {
        StringBuilder b = new StringBuilder();
        for (String c : spec.constants()) {
            String v = spec.constantValue(c);
            if (v == null) {
                v = data.get(c);
            }
            if (v == null) {
                Ir.Constant k = spec.ir.constants().stream()
                        .filter(x -> x.name().equals(c))
                        .findFirst()
                        .orElse(null);
                if (k != null && k.kind() == Ir.ConstKind.DOMAIN) {
                    v = "{}"; // a set only Next quantifies over: the trace names its values itself
                } else {
                    throw new IllegalArgumentException(
                            "constant " + c + " of " + spec.module() + " has no value in the machine's config");
                }
            }
            b.append("Tr").append(c).append(" == ").append(v).append('\n');
        }
        return b.toString();
    }

    static String module(SpecText spec, Map<String, String> data, List<Trace> traces, String name) {
        List<String> vars = spec.variables();
        String all = "<<" + String.join(", ", vars) + ">>";
        StringBuilder b = new StringBuilder();
        b.append("---- MODULE ").append(name).append(" ----\n");
        b.append("(* Generated: ")
                .append(traces.size())
                .append(" recorded runs checked as behaviours of ")
                .append(spec.module())
                .append(". *)\n");
        b.append("EXTENDS ").append(spec.module()).append(", TLC, Sequences, Integers\n\n");
        b.append("VARIABLES trK, trL, trDiff\n\n");
        b.append(SpecText.FUNCTION_DEFINITION).append("\n\n");
        b.append(constantDefinitions(spec, data));
        b.append("\nTrInit == <<\n");
        for (int k = 0; k < traces.size(); k++) {
            b.append(k == 0 ? "    " : "  , ")
                    .append(record(traces.get(k).initial()))
                    .append('\n');
        }
        b.append(">>\n\nTrSteps == <<\n");
        for (int k = 0; k < traces.size(); k++) {
            b.append(k == 0 ? "    <<" : "  , <<");
            List<Step> steps = traces.get(k).steps();
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                b.append(i == 0 ? "" : ",\n      ")
                        .append("[a |-> \"")
                        .append(s.action())
                        .append("\", p |-> <<")
                        .append(String.join(", ", s.args()))
                        .append(">>, ok |-> ")
                        .append(s.applied() ? "TRUE" : "FALSE")
                        .append(", v |-> ")
                        .append(changed(s.changed()))
                        .append(']');
            }
            b.append(">>\n");
        }
        b.append(">>\n\n");
        b.append("TrStart ==\n    /\\ trK \\in 1..Len(TrInit)\n    /\\ trL = 0\n    /\\ trDiff = {}\n");
        for (String v : vars) {
            b.append("    /\\ ").append(v).append(" = TrInit[trK].").append(v).append('\n');
        }
        b.append("\n\\* The recorded action with the recorded arguments (every action of ")
                .append(spec.module())
                .append(").\nTrDo(s) ==\n");
        for (Ir.Action a : spec.ir.actions()) {
            List<String> ps = new ArrayList<>();
            for (int i = 1; i <= a.params().size(); i++) {
                ps.add("s.p[" + i + "]");
            }
            b.append("    \\/ s.a = \"")
                    .append(a.name())
                    .append("\" /\\ ")
                    .append(a.name())
                    .append(ps.isEmpty() ? "" : "(" + String.join(", ", ps) + ")")
                    .append('\n');
        }
        b.append(
                "\n\\* The variables whose new value is not the recorded one (c: the recorded changes).\nTrDiff(c) ==\n");
        for (int i = 0; i < vars.size(); i++) {
            String v = vars.get(i);
            b.append(i == 0 ? "    " : "    \\cup ")
                    .append("(IF ")
                    .append(v)
                    .append("' = (IF \"")
                    .append(v)
                    .append("\" \\in DOMAIN c THEN c[\"")
                    .append(v)
                    .append("\"] ELSE ")
                    .append(v)
                    .append(") THEN {} ELSE {\"")
                    .append(v)
                    .append("\"})\n");
        }
        b.append("\nTrNext ==\n");
        b.append("    \\/ /\\ trDiff = {}\n");
        b.append("       /\\ trL < Len(TrSteps[trK])\n");
        b.append("       /\\ LET s == TrSteps[trK][trL + 1] IN\n");
        b.append("            IF s.ok THEN TrDo(s) /\\ trDiff' = TrDiff(s.v)\n");
        b.append("            ELSE ~ENABLED TrDo(s) /\\ UNCHANGED ").append(all).append(" /\\ trDiff' = TrDiff(s.v)\n");
        b.append("       /\\ trL' = trL + 1\n");
        b.append("       /\\ trK' = trK\n");
        b.append("    \\/ /\\ trL = Len(TrSteps[trK])\n");
        b.append("       /\\ UNCHANGED <<").append(String.join(", ", vars)).append(", trK, trL, trDiff>>\n\n");
        b.append("TrConsistent == trDiff = {}\n");
        b.append("====\n");
        return b.toString();
    }

    private static String record(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> e.getKey() + " |-> " + e.getValue())
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String changed(Map<String, String> values) {
        if (values.isEmpty()) {
            return "<<>>";
        }
        return values.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\" :> " + e.getValue())
                .collect(Collectors.joining(" @@ ", "(", ")"));
    }

    /** The variables whose text differs between two states (a step's changes). */
    static Map<String, String> changes(Map<String, String> before, Map<String, String> after) {
        Map<String, String> out = new LinkedHashMap<>();
        after.forEach((v, x) -> {
            if (!x.equals(before.get(v))) {
                out.put(v, x);
            }
        });
        return out;
    }
}
