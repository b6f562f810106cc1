package dev.ladle.checker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * TLC's coverage report merged across models: for each action (each disjunct of a next-state
 * relation, named by the operator and the module that defines it), how often the models that
 * were checked to the end took it. An action no model takes is a part of the spec no model
 * checks.
 */
public final class Coverage {

    /**
     * One action across models.
     *
     * @param module the module defining the action
     * @param action the operator name
     * @param line its line
     * @param generated states it generated, summed over the models
     * @param distinct new distinct states it found, summed over the models
     * @param models the models whose next-state relation contains it, and how often each took it
     */
    public record Row(String module, String action, int line, long generated, long distinct, Map<String, Long> models) {
        public boolean taken() {
            return generated > 0;
        }
    }

    private Coverage() {}

    /**
     * Merges the coverage of the TLC models of {@code run} that hold (a model stopped at a
     * violation explored only part of its state space), initial predicates left out.
     */
    public static List<Row> merge(CheckRun run) {
        return merge(run.results());
    }

    static List<Row> merge(List<ModelResult> results) {
        Map<String, Row> rows = new TreeMap<>();
        for (ModelResult r : results) {
            if (r.engine() != Engine.TLC || r.verdict() != Verdict.HOLDS) {
                continue;
            }
            for (ActionCoverage a : r.coverage()) {
                if (a.init()) {
                    continue;
                }
                Row old = rows.get(a.key());
                Map<String, Long> models = new TreeMap<>(old == null ? Map.of() : old.models());
                models.merge(r.model(), a.generated(), Long::sum);
                rows.put(
                        a.key(),
                        new Row(
                                a.module(),
                                a.action(),
                                a.line(),
                                (old == null ? 0 : old.generated()) + a.generated(),
                                (old == null ? 0 : old.distinct()) + a.distinct(),
                                models));
            }
        }
        List<Row> list = new ArrayList<>(rows.values());
        list.sort(Comparator.comparing(Row::module).thenComparingInt(Row::line));
        return list;
    }

    /** The actions of {@code modules} that no model took, as {@code Module!Action}. */
    public static Set<String> neverTaken(List<Row> rows, Set<String> modules) {
        Set<String> never = new TreeSet<>();
        for (Row r : rows) {
            if (modules.contains(r.module()) && !r.taken()) {
                never.add(r.module() + "!" + r.action());
            }
        }
        return never;
    }

    /** The modules that define at least one action of some model. */
    public static Set<String> modules(List<Row> rows) {
        Set<String> m = new TreeSet<>();
        rows.forEach(r -> m.add(r.module()));
        return m;
    }

    /** The coverage table: one line per action, with the models that took it and how often. */
    public static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder();
        if (rows.isEmpty()) {
            return "coverage: no TLC model that holds was checked (a model stopped at a violation covers only"
                    + " part of its states; an Alloy command has no actions)\n";
        }
        int wm = "module".length();
        int wa = "action".length();
        for (Row r : rows) {
            wm = Math.max(wm, r.module().length());
            wa = Math.max(wa, r.action().length());
        }
        out.append("Coverage (TLC): states each action generated (distinct new ones) in the models that hold\n");
        String head = pad("module", wm) + "  " + pad("action", wa) + "  " + lpad("generated", 12) + "  "
                + lpad("distinct", 10) + "  models";
        out.append(head).append('\n').append("-".repeat(head.length())).append('\n');
        for (Row r : rows) {
            StringBuilder models = new StringBuilder();
            for (Map.Entry<String, Long> e : r.models().entrySet()) {
                if (models.length() > 0) {
                    models.append(", ");
                }
                models.append(e.getKey()).append(' ').append(format(e.getValue()));
            }
            out.append(pad(r.module(), wm))
                    .append("  ")
                    .append(pad(r.action(), wa))
                    .append("  ")
                    .append(lpad(format(r.generated()), 12))
                    .append("  ")
                    .append(lpad(format(r.distinct()), 10))
                    .append("  ")
                    .append(r.taken() ? models : "NEVER TAKEN (" + models + ")")
                    .append('\n');
        }
        long never = rows.stream().filter(r -> !r.taken()).count();
        out.append(rows.size())
                .append(" actions, ")
                .append(never)
                .append(never == 1 ? " never taken\n" : " never taken\n");
        return out.toString();
    }

    private static String format(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }

    private static String lpad(String s, int w) {
        return " ".repeat(Math.max(0, w - s.length())) + s;
    }
}
