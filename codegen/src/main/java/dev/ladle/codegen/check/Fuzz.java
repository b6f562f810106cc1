package dev.ladle.codegen.check;

import dev.ladle.codegen.Generator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Random well-typed TLA+ expressions over the supported subset, checked against TLC's evaluator: each batch is
 * a spec whose actions assign one expression each to a variable of its type (an integer, a boolean, a set of
 * 0..7, a bounded sequence), walked by {@link Differential} so every expression is evaluated by both sides in
 * many states, errors included (overflow, {@code Head(<<>>)}, CHOOSE with no witness, CASE with no arm).
 *
 * <p>The generator draws from a {@link Choices} source (a bound in, a choice out) where choice 0 is always the
 * simplest alternative, so a property test can drive it from a list of integers and shrink that list: shorter
 * and smaller lists give smaller expressions.
 */
public final class Fuzz {

    /** Where the generator's decisions come from. */
    public interface Choices {
        /** A number in 0..bound-1. */
        int next(int bound);
    }

    /** Choices from a list, then 0 (the simplest alternative) once it runs out. */
    public static Choices of(List<Integer> list) {
        int[] at = {0};
        return bound -> {
            if (at[0] >= list.size()) {
                return 0;
            }
            return Math.floorMod(list.get(at[0]++), bound);
        };
    }

    /** Choices from a seeded random source. */
    public static Choices of(java.util.Random rnd) {
        return rnd::nextInt;
    }

    /** Integers at the edges: TLC stops where 32-bit arithmetic would wrap. */
    static final List<String> INTS = List.of(
            "0",
            "1",
            "2",
            "3",
            "7",
            "(-1)",
            "100",
            "(-7)",
            "46340",
            "46341",
            "65536",
            "2147483647",
            "(-2147483647)",
            "1073741824");

    private final Choices c;
    private int fresh;

    private Fuzz(Choices c) {
        this.c = c;
    }

    /** One batch: n expressions of mixed types (ints, booleans, sets of 0..7), as (type, text) pairs. */
    public static List<String[]> batch(Choices c, int n) {
        Fuzz f = new Fuzz(c);
        List<String[]> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            switch (c.next(3)) {
                case 0 -> out.add(new String[] {"i", f.intExpr(3, List.of())});
                case 1 -> out.add(new String[] {"b", f.boolExpr(3, List.of())});
                default -> out.add(new String[] {"s", f.setExpr(3, List.of())});
            }
        }
        return out;
    }

    private String pick(List<String> xs) {
        return xs.get(c.next(xs.size()));
    }

    String intExpr(int depth, List<String> bound) {
        int alternatives = depth <= 0 ? 3 : 17;
        switch (c.next(alternatives)) {
            case 0:
                return pick(INTS);
            case 1:
                return bound.isEmpty() ? "i" : pick(bound);
            case 2:
                return "Len(q)";
            case 3:
                return "(" + intExpr(depth - 1, bound) + " + " + intExpr(depth - 1, bound) + ")";
            case 4:
                return "(" + intExpr(depth - 1, bound) + " - " + intExpr(depth - 1, bound) + ")";
            case 5:
                return "(" + intExpr(depth - 1, bound) + " * " + intExpr(depth - 1, bound) + ")";
            case 6:
                return "(" + intExpr(depth - 1, bound) + " \\div " + intExpr(depth - 1, bound) + ")";
            case 7:
                return "(" + intExpr(depth - 1, bound) + " % " + intExpr(depth - 1, bound) + ")";
            case 8:
                return "(-(" + intExpr(depth - 1, bound) + "))";
            case 9:
                return "(IF " + boolExpr(depth - 1, bound) + " THEN " + intExpr(depth - 1, bound) + " ELSE "
                        + intExpr(depth - 1, bound) + ")";
            case 10:
                return "(CASE " + boolExpr(depth - 1, bound) + " -> " + intExpr(depth - 1, bound) + " [] "
                        + boolExpr(depth - 1, bound) + " -> " + intExpr(depth - 1, bound)
                        + (c.next(2) == 0 ? " [] OTHER -> " + intExpr(depth - 1, bound) : "") + ")";
            case 11: {
                String x = name();
                List<String> inner = with(bound, x);
                return "(LET " + x + " == " + intExpr(depth - 1, bound) + " IN " + intExpr(depth - 1, inner) + ")";
            }
            case 12:
                return "Cardinality(" + setExpr(depth - 1, bound) + ")";
            case 13:
                return "Head(q)";
            case 14: {
                String x = name();
                return "(CHOOSE " + x + " \\in " + setExpr(depth - 1, bound) + " : "
                        + boolExpr(depth - 1, with(bound, x)) + ")";
            }
            case 15: {
                String x = name();
                return "[" + x + " \\in 0..3 |-> " + intExpr(depth - 1, with(bound, x)) + "][" + "("
                        + intExpr(depth - 1, bound) + ") % 4]";
            }
            default:
                return "[a |-> " + intExpr(depth - 1, bound) + ", b |-> " + boolExpr(depth - 1, bound) + "].a";
        }
    }

    String boolExpr(int depth, List<String> bound) {
        int alternatives = depth <= 0 ? 2 : 15;
        switch (c.next(alternatives)) {
            case 0:
                return c.next(2) == 0 ? "TRUE" : "FALSE";
            case 1:
                return "b";
            case 2:
                return "(" + intExpr(depth - 1, bound) + " < " + intExpr(depth - 1, bound) + ")";
            case 3:
                return "(" + intExpr(depth - 1, bound) + " <= " + intExpr(depth - 1, bound) + ")";
            case 4:
                return "(" + intExpr(depth - 1, bound) + " = " + intExpr(depth - 1, bound) + ")";
            case 5:
                return "(" + intExpr(depth - 1, bound) + " /= " + intExpr(depth - 1, bound) + ")";
            case 6:
                return "(" + boolExpr(depth - 1, bound) + " /\\ " + boolExpr(depth - 1, bound) + ")";
            case 7:
                return "(" + boolExpr(depth - 1, bound) + " \\/ " + boolExpr(depth - 1, bound) + ")";
            case 8:
                return "(~" + boolExpr(depth - 1, bound) + ")";
            case 9:
                return "(" + boolExpr(depth - 1, bound) + " => " + boolExpr(depth - 1, bound) + ")";
            case 10:
                return "((" + intExpr(depth - 1, bound) + ") % 8 \\in " + setExpr(depth - 1, bound) + ")";
            case 11:
                return "(" + setExpr(depth - 1, bound) + " \\subseteq " + setExpr(depth - 1, bound) + ")";
            case 12: {
                String x = name();
                return "(\\A " + x + " \\in " + setExpr(depth - 1, bound) + " : " + boolExpr(depth - 1, with(bound, x))
                        + ")";
            }
            case 13: {
                String x = name();
                return "(\\E " + x + " \\in " + setExpr(depth - 1, bound) + " : " + boolExpr(depth - 1, with(bound, x))
                        + ")";
            }
            default:
                return "(" + setExpr(depth - 1, bound) + " = " + setExpr(depth - 1, bound) + ")";
        }
    }

    /** A subset of 0..7. */
    String setExpr(int depth, List<String> bound) {
        int alternatives = depth <= 0 ? 3 : 9;
        switch (c.next(alternatives)) {
            case 0:
                // typed by the range it meets: {} alone has no element type
                return "(0..7 \\cap {})";
            case 1:
                return "s";
            case 2:
                return "0..7";
            case 3:
                // typed by the range it meets: a set literal of computed integers alone has no finite type
                return "(0..7 \\cap {(" + intExpr(depth - 1, bound) + ") % 8, (" + intExpr(depth - 1, bound)
                        + ") % 8})";
            case 4:
                return "(" + setExpr(depth - 1, bound) + " \\cup " + setExpr(depth - 1, bound) + ")";
            case 5:
                return "(" + setExpr(depth - 1, bound) + " \\cap " + setExpr(depth - 1, bound) + ")";
            case 6:
                return "(" + setExpr(depth - 1, bound) + " \\ " + setExpr(depth - 1, bound) + ")";
            case 7: {
                String x = name();
                return "{" + x + " \\in " + setExpr(depth - 1, bound) + " : " + boolExpr(depth - 1, with(bound, x))
                        + "}";
            }
            default:
                return "(((" + intExpr(depth - 1, bound) + ") % 8)..((" + intExpr(depth - 1, bound) + ") % 8))";
        }
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -2;
    }

    private String name() {
        return "x" + (++fresh);
    }

    private static List<String> with(List<String> bound, String x) {
        List<String> out = new ArrayList<>(bound);
        out.add(x);
        return out;
    }

    /** The spec of a batch: one action per expression, assigning it to the variable of its type. */
    public static String module(String name, List<String[]> exprs) {
        StringBuilder sb = new StringBuilder();
        sb.append("---- MODULE ").append(name).append(" ----\n");
        sb.append("(* Generated by the codegen fuzz: each action assigns one random expression. *)\n");
        sb.append("EXTENDS Integers, Sequences, FiniteSets\n\n");
        sb.append("VARIABLES i, b, s, q\n\n");
        sb.append("TypeOK == /\\ i \\in Int\n          /\\ b \\in BOOLEAN\n          /\\ s \\in SUBSET (0..7)\n");
        sb.append("          /\\ q \\in Seq(0..7)\n          /\\ Len(q) <= 3\n\n");
        sb.append("Init == /\\ i = 0\n        /\\ b = FALSE\n        /\\ s = {}\n        /\\ q = <<>>\n\n");
        sb.append("Push(x) == /\\ Len(q) < 3\n           /\\ q' = Append(q, x)\n"
                + "           /\\ UNCHANGED <<i, b, s>>\n\n");
        sb.append("Pop == /\\ q /= <<>>\n       /\\ q' = Tail(q)\n       /\\ UNCHANGED <<i, b, s>>\n\n");
        List<String> names = new ArrayList<>();
        for (int k = 0; k < exprs.size(); k++) {
            String v = exprs.get(k)[0];
            String a = "E" + (k + 1);
            names.add(a);
            String others = String.join(
                    ", ",
                    List.of("i", "b", "s", "q").stream()
                            .filter(x -> !x.equals(v))
                            .toList());
            sb.append(a)
                    .append(" == /\\ ")
                    .append(v)
                    .append("' = ")
                    .append(exprs.get(k)[1])
                    .append('\n');
            sb.append("      /\\ UNCHANGED <<").append(others).append(">>\n\n");
        }
        sb.append("Next == \\/ \\E x \\in 0..7 : Push(x)\n        \\/ Pop\n");
        for (String a : names) {
            sb.append("        \\/ ").append(a).append('\n');
        }
        sb.append("====\n");
        return sb.toString();
    }

    /** Seconds one batch spent generating (SANY, lowering, emitting), compiling, loading TLC, and walking. */
    public record Timing(double generate, double compile, double oracle, double walk) {
        public Timing plus(Timing o) {
            return new Timing(generate + o.generate, compile + o.compile, oracle + o.oracle, walk + o.walk);
        }
    }

    /**
     * What one batch gave: the expressions the generator refused (with their located errors; the subset allows
     * a refusal), and of the rest either the disagreement or the report.
     */
    public record Outcome(
            String module, List<String> refusals, String disagreement, Differential.Report report, Timing timing) {
        public boolean ok() {
            return disagreement == null && refusals.stream().allMatch(r -> r.matches(".*\\.tla:[1-9][0-9]*:[1-9].*"));
        }
    }

    /**
     * Writes the batch as dir/name.tla (with a cfg), generates it (dropping the expressions the generator
     * refuses, each refusal kept with its location), compiles it and walks it against TLC.
     */
    public static Outcome check(Path dir, String name, List<String[]> exprs, int steps, long seed) {
        List<String[]> kept = new ArrayList<>(exprs);
        List<String> refusals = new ArrayList<>();
        String text;
        Generator.Result r;
        long t0 = System.nanoTime();
        while (true) {
            text = module(name, kept);
            try {
                Files.createDirectories(dir);
                Files.writeString(dir.resolve(name + ".tla"), text);
                Files.writeString(dir.resolve(name + ".cfg"), "INIT Init\nNEXT Next\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            r = Generator.generate(dir.resolve(name + ".tla"), "fuzz");
            if (r.ok()) {
                break;
            }
            List<String> lines = List.of(text.split("\n", -1));
            List<String[]> next = new ArrayList<>();
            for (int k = 0; k < kept.size(); k++) {
                String head = "E" + (k + 1) + " == ";
                int line = 1 + indexOf(lines, head);
                boolean refused = false;
                for (var d : r.errors()) {
                    if (d.line() == line || d.line() == line + 1) {
                        refusals.add(kept.get(k)[1] + "  --  " + d);
                        refused = true;
                    }
                }
                if (!refused) {
                    next.add(kept.get(k));
                }
            }
            if (next.size() == kept.size()) {
                // an error outside the expressions: the batch itself is wrong
                return new Outcome(
                        text, r.errors().stream().map(Object::toString).toList(), null, null, null);
            }
            kept = next;
        }
        try {
            long t1 = System.nanoTime();
            // only the checked machine is walked: the plain one (same code without ghosts) is not compiled
            Set<String> plain = Set.of(name + "Machine", name + "State");
            ClassLoader loader = InProcessCompiler.compile(r.files().stream()
                    .filter(f -> !plain.contains(f.typeSpec().name()))
                    .toList());
            long t2 = System.nanoTime();
            // each batch is a new spec; the previous batch's oracle is dropped for good
            TlcOracle.release();
            TlcOracle oracle = new TlcOracle(dir, name, name);
            MachineHandle m = new MachineHandle(
                    loader.loadClass(Generator.packageFor("fuzz", name) + "." + name + "CheckedMachine"),
                    oracle.constructorArgs());
            long t3 = System.nanoTime();
            Differential.Report rep = Differential.run(oracle, m, steps, seed, false);
            long t4 = System.nanoTime();
            return new Outcome(
                    text,
                    refusals,
                    null,
                    rep,
                    new Timing((t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9));
        } catch (Differential.Disagreement d) {
            return new Outcome(text, refusals, d.getMessage(), null, null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
