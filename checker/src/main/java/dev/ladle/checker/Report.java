package dev.ladle.checker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ladle.tla.SourceError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders a {@link CheckRun} for people (results table, counterexamples) and for programs
 * (JSON). Plain text only; the command line decides where it goes.
 */
public final class Report {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Report() {}

    /** The results table: one row per model, then a summary line. */
    public static String table(CheckRun run) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {
            "model", "engine", "result", "distinct", "total", "depth", "instances", "time", "vs manifest"
        });
        for (ModelResult r : run.results()) {
            boolean tlc = r.engine() == Engine.TLC;
            // An error keeps TLC's counts up to the error; a skipped model has none.
            boolean counted = r.verdict() != Verdict.SKIPPED && (r.verdict() != Verdict.ERROR || r.total() > 0);
            rows.add(new String[] {
                r.model(),
                r.engine().id(),
                shortened(firstLine(r.describe()), 48),
                counted && tlc ? Long.toString(r.distinct()) : "-",
                counted && tlc ? Long.toString(r.total()) : "-",
                counted && tlc ? Integer.toString(r.depth()) : "-",
                counted && !tlc ? instances(r) : "-",
                seconds(r.time()),
                shortened(manifestColumn(run, r), 60)
            });
        }
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                // The result and drift columns can be long; let them run on rather than pad every row.
                width[i] = Math.max(width[i], Math.min(row[i].length(), i == 2 ? 40 : 60));
            }
        }
        StringBuilder b = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean numeric = i >= 3 && i <= 7;
                String cell = row[i];
                String pad = " ".repeat(Math.max(0, width[i] - cell.length()));
                line.append(numeric ? pad + cell : cell + (i == row.length - 1 ? "" : pad))
                        .append(i == row.length - 1 ? "" : "  ");
            }
            b.append(line.toString().stripTrailing()).append('\n');
            if (r == 0) {
                b.append("-".repeat(line.toString().stripTrailing().length())).append('\n');
            }
        }
        for (ModelResult r : run.results()) {
            boolean cut = r.describe().length() > 48 || r.describe().contains("\n");
            if ((r.verdict() == Verdict.ERROR || r.verdict() == Verdict.SKIPPED) && cut) {
                b.append(r.model()).append(": ").append(r.describe()).append('\n');
            }
            if (r.drift().size() > 0 && manifestColumn(run, r).length() > 60) {
                b.append(r.model())
                        .append(": ")
                        .append(String.join("; ", r.drift()))
                        .append('\n');
            }
        }
        for (String p : run.problems()) {
            b.append("problem: ").append(p).append('\n');
        }
        b.append(summary(run)).append('\n');
        return b.toString();
    }

    /** One line: how many models, how many as expected, the exit code's reason. */
    public static String summary(CheckRun run) {
        long failed = run.results().stream()
                .filter(r ->
                        r.failed() || (run.manifest() == null && r.verdict().isViolation()))
                .count();
        long skipped = run.results().stream()
                .filter(r -> r.verdict() == Verdict.SKIPPED)
                .count();
        String compared = run.manifest() == null
                ? "no manifest, results not compared"
                : "compared with " + run.manifest().file();
        long checked = run.results().size() - skipped;
        return checked + " model" + (checked == 1 ? "" : "s") + " checked in "
                + seconds(run.time()) + (skipped == 0 ? "" : " (" + skipped + " skipped)") + ", "
                + (failed == 0 && run.problems().isEmpty() ? "all as expected" : failed + " not as expected") + " ("
                + compared + ")";
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl) + " ...";
    }

    private static String shortened(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private static String instances(ModelResult r) {
        return r.instances() >= AlloyRunner.COUNT_CAP ? AlloyRunner.COUNT_CAP + "+" : Long.toString(r.instances());
    }

    private static String manifestColumn(CheckRun run, ModelResult r) {
        if (r.verdict() == Verdict.ERROR) {
            return "FAILED";
        }
        if (r.verdict() == Verdict.SKIPPED) {
            return "-";
        }
        if (run.manifest() == null) {
            return r.verdict().isViolation() ? "FAILED (no manifest)" : "-";
        }
        return r.drift().isEmpty() ? "as expected" : "DRIFT: " + String.join("; ", r.drift());
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    /**
     * The counterexample of a violated model: per TLC step the action and where it is defined,
     * then the variables with the ones this step changed marked {@code *}; for Alloy the relations
     * of the counterexample or instance, skolems named. Empty when the result has none.
     */
    public static String counterexample(ModelResult r) {
        StringBuilder b = new StringBuilder();
        if (!r.trace().isEmpty()) {
            if (r.verdict() == Verdict.ERROR) {
                b.append("Behaviour up to the error in ").append(r.model());
            } else {
                b.append("Counterexample for ").append(r.model()).append(": ").append(r.describe());
            }
            b.append(" (").append(r.trace().size()).append(" states)\n");
            TraceStep previous = null;
            int nameWidth = r.trace().stream()
                    .flatMap(s -> s.vars().keySet().stream())
                    .mapToInt(String::length)
                    .max()
                    .orElse(8);
            for (TraceStep s : r.trace()) {
                b.append('\n').append("State ").append(s.number()).append(": ").append(s.action());
                if (!s.location().isEmpty()) {
                    b.append("  (").append(s.location()).append(')');
                }
                if (s.stuttering()) {
                    b.append("  [stuttering]");
                }
                b.append('\n');
                List<String> changed = s.changedFrom(previous);
                for (Map.Entry<String, String> v : s.vars().entrySet()) {
                    boolean mark = previous != null && changed.contains(v.getKey());
                    b.append(mark ? "  * " : "    ")
                            .append(v.getKey())
                            .append(" ".repeat(nameWidth - v.getKey().length()))
                            .append(" = ")
                            .append(indentValue(v.getValue(), nameWidth + 7))
                            .append('\n');
                }
                previous = s;
            }
            if (r.loopTo() > 0) {
                b.append("\nBack to state ")
                        .append(r.loopTo())
                        .append(r.loopAction().isEmpty() ? "" : " by " + r.loopAction())
                        .append(": the behaviour repeats from there forever\n");
            }
            b.append("(* marks the variables the step changed)\n");
        } else if (!r.instance().isEmpty()) {
            String what = r.verdict() == Verdict.VIOLATED ? "Counterexample" : "Instance";
            b.append(what)
                    .append(" for ")
                    .append(r.model())
                    .append(": ")
                    .append(r.describe())
                    .append('\n');
            int w = r.instance().stream()
                    .mapToInt(x -> x.name().length() + (x.kind().equals("skolem") ? 7 : 0))
                    .max()
                    .orElse(4);
            for (Relation rel : r.instance()) {
                String label = (rel.kind().equals("skolem") ? "skolem " : "") + rel.name();
                b.append("  ")
                        .append(label)
                        .append(" ".repeat(Math.max(0, w - label.length())))
                        .append(" = {")
                        .append(rel.tuples().stream()
                                .map(t -> String.join("->", t))
                                .collect(Collectors.joining(", ")))
                        .append("}\n");
            }
        }
        return b.toString();
    }

    private static String indentValue(String value, int indent) {
        return value.replace("\n", "\n" + " ".repeat(indent));
    }

    /** Machine-readable results: the table's content plus traces, drift and parse errors. */
    public static String json(CheckRun run) {
        return json(run, null);
    }

    /**
     * {@link #json(CheckRun)} with the coverage table ({@code --coverage}) as a {@code coverage} array (module,
     * action, line, generated, distinct, models), and the exit code an action never taken gives (1).
     */
    public static String json(CheckRun run, List<Coverage.Row> coverage) {
        ObjectNode root = JSON.createObjectNode();
        boolean uncovered = coverage != null && coverage.stream().anyMatch(r -> !r.taken());
        root.put("exitCode", uncovered && run.exitCode() == ExitCode.OK ? ExitCode.DIFFERS : run.exitCode());
        root.put("modelsDir", run.modelsDir().toString());
        root.put(
                "manifest",
                run.manifest() == null ? null : run.manifest().file().toString());
        root.put("seconds", run.time().toMillis() / 1000.0);
        ArrayNode errors = root.putArray("parseErrors");
        for (SourceError e : run.parseErrors()) {
            errors.addObject()
                    .put("file", e.file().toString())
                    .put("line", e.line())
                    .put("column", e.column())
                    .put("message", e.message());
        }
        ArrayNode problems = root.putArray("problems");
        run.problems().forEach(problems::add);
        ArrayNode results = root.putArray("results");
        for (ModelResult r : run.results()) {
            ObjectNode n = results.addObject();
            n.put("model", r.model());
            n.put("engine", r.engine().id());
            n.put("result", r.verdict().id());
            if (!r.violated().isEmpty()) {
                n.put("violated", r.violated());
            }
            if (r.engine() == Engine.TLC) {
                n.put("distinct", r.distinct()).put("total", r.total()).put("depth", r.depth());
            } else {
                n.put("instances", r.distinct());
            }
            n.put("seconds", r.time().toMillis() / 1000.0);
            if (!r.error().isEmpty()) {
                n.put(r.verdict() == Verdict.SKIPPED ? "skipped" : "error", r.error());
            }
            if (!r.output().isEmpty()) {
                ArrayNode output = n.putArray("output");
                r.output().forEach(output::add);
            }
            ArrayNode drift = n.putArray("drift");
            r.drift().forEach(drift::add);
            if (!r.trace().isEmpty()) {
                n.set("trace", traceNode(r));
            }
            if (!r.instance().isEmpty()) {
                n.set("instance", instanceNode(r));
            }
        }
        if (coverage != null) {
            ArrayNode actions = root.putArray("coverage");
            for (Coverage.Row c : coverage) {
                ObjectNode a = actions.addObject()
                        .put("module", c.module())
                        .put("action", c.action())
                        .put("line", c.line())
                        .put("generated", c.generated())
                        .put("distinct", c.distinct());
                ObjectNode models = a.putObject("models");
                c.models().forEach(models::put);
            }
        }
        return write(root);
    }

    /**
     * The counterexamples of every violated model as JSON (TLC 2.18 cannot write its own), one
     * object per model: {@code model}, {@code violated} (when something was), {@code error} (for
     * the trace to an error TLC met), {@code loopTo}, and {@code states}, each with {@code number},
     * {@code action}, {@code location}, {@code vars} and {@code changed}; or an Alloy {@code
     * instance}.
     */
    public static String traceJson(CheckRun run) {
        ArrayNode all = JSON.createArrayNode();
        for (ModelResult r : run.results()) {
            if (r.trace().isEmpty() && r.instance().isEmpty()) {
                continue;
            }
            ObjectNode n = all.addObject();
            n.put("model", r.model());
            n.put("engine", r.engine().id());
            n.put("result", r.verdict().id());
            if (!r.violated().isEmpty()) {
                n.put("violated", r.violated());
            }
            if (r.verdict() == Verdict.ERROR) {
                n.put("error", r.error());
            }
            if (!r.trace().isEmpty()) {
                ObjectNode t = traceNode(r);
                n.setAll(t);
            } else {
                n.set("instance", instanceNode(r));
            }
        }
        return write(all);
    }

    private static ObjectNode traceNode(ModelResult r) {
        ObjectNode t = JSON.createObjectNode();
        t.put("loopTo", r.loopTo());
        if (!r.loopAction().isEmpty()) {
            t.put("loopAction", r.loopAction());
        }
        ArrayNode states = t.putArray("states");
        TraceStep previous = null;
        for (TraceStep s : r.trace()) {
            ObjectNode sn = states.addObject();
            sn.put("number", s.number()).put("action", s.action()).put("location", s.location());
            if (s.stuttering()) {
                sn.put("stuttering", true);
            }
            ObjectNode vars = sn.putObject("vars");
            s.vars().forEach(vars::put);
            ArrayNode changed = sn.putArray("changed");
            (previous == null ? List.<String>of() : s.changedFrom(previous)).forEach(changed::add);
            previous = s;
        }
        return t;
    }

    private static ArrayNode instanceNode(ModelResult r) {
        return Relation.toJson(r.instance());
    }

    /** What {@code --json} prints for an input or I/O error that stopped the check before any result. */
    public static String errorJson(String message, int exitCode) {
        ObjectNode root = JSON.createObjectNode();
        root.put("exitCode", exitCode);
        root.put("error", message);
        root.putArray("parseErrors");
        root.putArray("results");
        return write(root);
    }

    /** The spec's own Print/PrintT output of each model that printed, headed by the model's name. */
    public static String output(CheckRun run) {
        StringBuilder b = new StringBuilder();
        for (ModelResult r : run.results()) {
            if (!r.output().isEmpty()) {
                b.append("Output of ").append(r.model()).append(" (Print, PrintT):\n");
                r.output().forEach(l -> b.append("  ").append(l).append('\n'));
            }
        }
        return b.toString();
    }

    /** What {@code --list --json} prints: name, engine and file of each model. */
    public static String listJson(List<ModelRef> models) {
        ArrayNode all = JSON.createArrayNode();
        for (ModelRef m : models) {
            ObjectNode n = all.addObject()
                    .put("model", m.name())
                    .put("engine", m.engine().id())
                    .put("file", m.file().toString());
            if (m.config() != null) {
                n.put("config", m.config().toString());
            }
        }
        return write(all);
    }

    private static String write(Object node) {
        try {
            return JSON.writeValueAsString(node) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }
}
