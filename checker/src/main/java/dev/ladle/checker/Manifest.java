package dev.ladle.checker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The expected result of every model, kept as data next to the models so that a model-check run
 * is a regression check: a changed verdict or state count is reported as drift.
 *
 * <p>Format ({@value #FORMAT} is the only version so far):
 *
 * <pre>
 * {
 *   "format": 1,
 *   "models": {
 *     "MCIpc":         { "engine": "tlc", "expect": "holds", "distinct": 1234, "total": 5678, "depth": 17 },
 *     "MCIpcBig":      { "engine": "tlc", "expect": "holds", "default": false, "workers": 2, "timeout": 3600 },
 *     "Broken":        { "engine": "tlc", "expect": "violated", "invariant": "NoLoss" },
 *     "Stuck":         { "engine": "tlc", "expect": "deadlock" },
 *     "Confinement/NoLeak": { "engine": "alloy", "expect": "holds", "instances": 0 },
 *     "Confinement/Intro":  { "engine": "alloy", "expect": "instance", "instances": 12 }
 *   }
 * }
 * </pre>
 *
 * <p>{@code expect} is {@code holds}, {@code violated}, {@code deadlock} (TLC), or for an Alloy
 * {@code run} command {@code instance} / {@code no instance}. {@code invariant} names the
 * violated invariant, temporal property or assertion. State counts are compared only for models
 * that hold: where TLC stops at a violation depends on how its workers interleave. {@code depth}
 * is kept for the reader but not compared, for the same reason. {@code
 * default: false} keeps a larger configuration out of a plain {@code ladle check}; it runs when
 * named. {@code workers} and {@code timeout} (seconds) override the command line for one model.
 * {@code module} names the TLA+ module a configuration is checked against when it is not the one
 * named like the {@code .cfg} ({@code "SpecTest4Nodes": {"module": "SpecTest", ...}}).
 *
 * <p>The format of the public TLA+ examples repository (one {@code manifest.json} per folder, with
 * {@code modules[].models[]}, each model's {@code path} to its {@code .cfg}, {@code mode}, {@code
 * result}, {@code distinctStates}, {@code totalStates}, {@code stateDepth}) is read too, so a
 * folder of those examples is checked against its own expected results. Its models whose mode is
 * not exhaustive search, or whose expected result is unknown or an assumption failure, are listed
 * as skipped with the reason. That format is read only: {@code --update-manifest} writes this one.
 */
public final class Manifest {
    /** Format version written in the file: 1 = the first layout, described above. */
    public static final int FORMAT = 1;

    /** How drift in the generated-states count begins (a distributed run filters it out). */
    static final String GENERATED = "states generated";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One model's entry.
     *
     * @param engine {@code tlc} or {@code alloy}
     * @param expect expected verdict
     * @param invariant expected violated name, or empty
     * @param distinct expected distinct states (TLC) or instances (Alloy); negative = not recorded
     * @param total expected generated states (TLC); negative = not recorded
     * @param depth expected depth (TLC); negative = not recorded
     * @param runByDefault false for models run only when named
     * @param workers TLC workers for this model, or 0 for the command line's
     * @param timeoutSeconds time limit for this model, or 0 for none
     * @param module the TLA+ module to check the configuration against, or empty for its namesake
     * @param skip why this model is not run here, or empty
     */
    public record Entry(
            Engine engine,
            Verdict expect,
            String invariant,
            long distinct,
            long total,
            long depth,
            boolean runByDefault,
            int workers,
            long timeoutSeconds,
            String module,
            String skip) {}

    private final Path file;
    private final Map<String, Entry> entries;
    /** True when read from the TLA+ examples repository's format, which is never written. */
    private final boolean examplesFormat;

    private Manifest(Path file, Map<String, Entry> entries, boolean examplesFormat) {
        this.file = file;
        this.entries = entries;
        this.examplesFormat = examplesFormat;
    }

    /** A manifest with no entries that will be written to {@code file}. */
    public static Manifest empty(Path file) {
        return new Manifest(file, new TreeMap<>(), false);
    }

    /** True for a manifest in the TLA+ examples repository's format (read only). */
    public boolean examplesFormat() {
        return examplesFormat;
    }

    /**
     * Reads {@code file}.
     *
     * @throws IllegalArgumentException naming the file and the model when an entry is malformed
     */
    public static Manifest read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            String where = at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw new IllegalArgumentException(file + where + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (root != null && root.isObject() && root.path("modules").isArray()) {
            return readExamples(file, root);
        }
        if (root == null || !root.isObject() || !root.path("models").isObject()) {
            throw new IllegalArgumentException(file + ": expected an object with a \"models\" object (Ladle's format)"
                    + " or a \"modules\" array (the TLA+ examples repository's format)");
        }
        int format = root.path("format").asInt(FORMAT);
        if (format != FORMAT) {
            throw new IllegalArgumentException(
                    file + ": format " + format + " is not supported (expected " + FORMAT + ")");
        }
        Map<String, Entry> entries = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.path("models").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode n = e.getValue();
            try {
                if (!n.isObject()) {
                    throw new IllegalArgumentException("expected an object, found "
                            + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
                }
                checkKeys(n);
                // Alloy entries record "instances" where TLC entries record "distinct": one slot here.
                long distinct = n.has("instances")
                        ? n.path("instances").asLong()
                        : n.path("distinct").asLong(-1);
                entries.put(
                        e.getKey(),
                        new Entry(
                                Engine.fromId(n.path("engine").asText("tlc")),
                                Verdict.fromId(n.path("expect").asText("holds")),
                                n.path("invariant").asText(""),
                                distinct,
                                n.path("total").asLong(-1),
                                n.path("depth").asLong(-1),
                                n.path("default").asBoolean(true),
                                n.path("workers").asInt(0),
                                n.path("timeout").asLong(0),
                                n.path("module").asText("").replaceFirst("\\.tla$", ""),
                                ""));
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException(file + ": model \"" + e.getKey() + "\": " + bad.getMessage(), bad);
            }
        }
        return new Manifest(file, entries, false);
    }

    /** The keys of an entry in Ladle's format, each with the JSON type its value must have. */
    private static final Map<String, JsonNodeType> KEYS = Map.ofEntries(
            Map.entry("engine", JsonNodeType.STRING),
            Map.entry("expect", JsonNodeType.STRING),
            Map.entry("invariant", JsonNodeType.STRING),
            Map.entry("module", JsonNodeType.STRING),
            Map.entry("distinct", JsonNodeType.NUMBER),
            Map.entry("total", JsonNodeType.NUMBER),
            Map.entry("depth", JsonNodeType.NUMBER),
            Map.entry("instances", JsonNodeType.NUMBER),
            Map.entry("workers", JsonNodeType.NUMBER),
            Map.entry("timeout", JsonNodeType.NUMBER),
            Map.entry("default", JsonNodeType.BOOLEAN));

    /**
     * A misspelt key ({@code "expct"}) or a value of the wrong type ({@code "distinct": "12"}) would otherwise be
     * read as absent, and the model compared with the default instead of what the entry meant.
     */
    private static void checkKeys(JsonNode n) {
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNodeType type = KEYS.get(f.getKey());
            if (type == null) {
                String close = null;
                for (String k : new java.util.TreeSet<>(KEYS.keySet())) {
                    if (close == null && CfgCheck.distance(f.getKey(), k) <= 2) {
                        close = k;
                    }
                }
                throw new IllegalArgumentException("unknown key \"" + f.getKey() + "\""
                        + (close == null ? "" : " (did you mean \"" + close + "\"?)") + "; the keys are "
                        + String.join(", ", new java.util.TreeSet<>(KEYS.keySet())));
            }
            JsonNode v = f.getValue();
            boolean ok = type == JsonNodeType.NUMBER ? v.isIntegralNumber() : v.getNodeType() == type;
            if (!ok) {
                throw new IllegalArgumentException("\"" + f.getKey() + "\" takes "
                        + (type == JsonNodeType.NUMBER
                                ? "a whole number"
                                : type == JsonNodeType.BOOLEAN ? "true or false" : "a string")
                        + ", not " + v);
            }
        }
    }

    /** The TLA+ examples repository's per-folder format (see the class comment). */
    private static Manifest readExamples(Path file, JsonNode root) {
        Map<String, Entry> entries = new TreeMap<>();
        for (JsonNode module : root.path("modules")) {
            String moduleName = baseName(module.path("path").asText(""), ".tla");
            for (JsonNode model : module.path("models")) {
                String name = baseName(model.path("path").asText(""), ".cfg");
                if (name.isEmpty()) {
                    throw new IllegalArgumentException(
                            file + ": a model of module " + moduleName + " has no \"path\" to its .cfg");
                }
                JsonNode mode = model.path("mode");
                String modeText = mode.isTextual()
                        ? mode.asText()
                        : mode.fieldNames().hasNext() ? mode.fieldNames().next() : mode.toString();
                String result = model.path("result").asText("");
                String skip = "";
                Verdict expect = Verdict.HOLDS;
                if (!modeText.equals("exhaustive search")) {
                    skip = "mode \"" + modeText + "\" is not exhaustive search (ladle check runs TLC's exhaustive"
                            + " search only)";
                } else {
                    switch (result) {
                        case "success" -> expect = Verdict.HOLDS;
                        case "safety failure", "liveness failure" -> expect = Verdict.VIOLATED;
                        case "deadlock failure" -> expect = Verdict.DEADLOCK;
                        case "assumption failure" ->
                            skip = "expected result is an assumption failure, which ladle"
                                    + " check reports as an error rather than a result to compare";
                        case "unknown" -> skip = "expected result is unknown in " + file.getFileName();
                        default ->
                            throw new IllegalArgumentException(
                                    file + ": model " + name + ": unknown result \"" + result + "\"");
                    }
                }
                int workers =
                        model.path("workers").isInt() ? model.path("workers").asInt() : 0;
                entries.put(
                        name,
                        new Entry(
                                Engine.TLC,
                                expect,
                                "",
                                model.path("distinctStates").asLong(-1),
                                model.path("totalStates").asLong(-1),
                                model.path("stateDepth").asLong(-1),
                                true,
                                workers,
                                0,
                                moduleName.equals(name) ? "" : moduleName,
                                skip));
            }
        }
        return new Manifest(file, entries, true);
    }

    private static String baseName(String path, String extension) {
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.endsWith(extension) ? last.substring(0, last.length() - extension.length()) : last;
    }

    public Path file() {
        return file;
    }

    public Optional<Entry> entry(String model) {
        return Optional.ofNullable(entries.get(model));
    }

    public Set<String> models() {
        return entries.keySet();
    }

    /**
     * How {@code result} differs from this manifest, one readable line per difference; empty when
     * it matches. An error result is not compared (it is already a failure).
     */
    public List<String> drift(ModelResult result) {
        List<String> drift = new ArrayList<>();
        Entry e = entries.get(result.model());
        if (result.verdict() == Verdict.ERROR) {
            return drift;
        }
        if (e == null) {
            drift.add("not in the manifest " + file.getFileName() + " (ladle check --update-manifest records it)");
            return drift;
        }
        if (e.expect() != result.verdict()) {
            drift.add("expected " + describe(e) + ", got " + result.describe());
            return drift;
        }
        if (e.expect() == Verdict.VIOLATED
                && !e.invariant().isEmpty()
                && !e.invariant().equals(result.violated())) {
            drift.add("expected violation of " + e.invariant() + ", got " + result.violated());
        }
        boolean counted = result.engine() == Engine.ALLOY || result.verdict() == Verdict.HOLDS;
        if (counted) {
            String unit = result.engine() == Engine.ALLOY ? "instances" : "distinct states";
            compare(drift, unit, e.distinct(), result.distinct());
            if (result.engine() == Engine.TLC) {
                compare(drift, GENERATED, e.total(), result.total());
                // Depth is recorded but not compared: with several workers a state can first be reached
                // by a longer path, so TLC's reported depth varies from run to run.
            }
        }
        return drift;
    }

    private static void compare(List<String> drift, String what, long expected, long actual) {
        if (expected >= 0 && expected != actual) {
            drift.add(what + " " + actual + ", manifest says " + expected);
        }
    }

    private static String describe(Entry e) {
        return e.expect() == Verdict.VIOLATED && !e.invariant().isEmpty()
                ? "violated: " + e.invariant()
                : e.expect().id();
    }

    /**
     * Returns this manifest with the given results recorded; options ({@code default}, {@code
     * workers}, {@code timeout}) of existing entries are kept, errors are not recorded, and entries
     * whose model is not in {@code existing} are dropped.
     */
    public Manifest updated(List<ModelResult> results, Set<String> existing) {
        Map<String, Entry> next = new TreeMap<>(entries);
        next.keySet().retainAll(existing);
        for (ModelResult r : results) {
            if (r.verdict() == Verdict.ERROR) {
                continue;
            }
            Entry old = entries.get(r.model());
            boolean counted = r.engine() == Engine.ALLOY || r.verdict() == Verdict.HOLDS;
            next.put(
                    r.model(),
                    new Entry(
                            r.engine(),
                            r.verdict(),
                            r.verdict() == Verdict.VIOLATED ? r.violated() : "",
                            counted ? r.distinct() : -1,
                            counted && r.engine() == Engine.TLC ? r.total() : -1,
                            counted && r.engine() == Engine.TLC ? r.depth() : -1,
                            old == null || old.runByDefault(),
                            old == null ? 0 : old.workers(),
                            old == null ? 0 : old.timeoutSeconds(),
                            old == null ? "" : old.module(),
                            ""));
        }
        return new Manifest(file, next, false);
    }

    /**
     * Writes the manifest to its file, keys sorted so that diffs stay small.
     *
     * @throws UncheckedIOException when the file cannot be written
     */
    public void write() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        ObjectNode models = root.putObject("models");
        for (Map.Entry<String, Entry> me : entries.entrySet()) {
            Entry e = me.getValue();
            ObjectNode n = models.putObject(me.getKey());
            n.put("engine", e.engine().id());
            n.put("expect", e.expect().id());
            if (!e.invariant().isEmpty()) {
                n.put("invariant", e.invariant());
            }
            if (e.engine() == Engine.ALLOY) {
                if (e.distinct() >= 0) {
                    n.put("instances", e.distinct());
                }
            } else {
                if (e.distinct() >= 0) {
                    n.put("distinct", e.distinct());
                }
                if (e.total() >= 0) {
                    n.put("total", e.total());
                }
                if (e.depth() >= 0) {
                    n.put("depth", e.depth());
                }
            }
            if (!e.runByDefault()) {
                n.put("default", false);
            }
            if (e.workers() > 0) {
                n.put("workers", e.workers());
            }
            if (e.timeoutSeconds() > 0) {
                n.put("timeout", e.timeoutSeconds());
            }
            if (!e.module().isEmpty()) {
                n.put("module", e.module());
            }
        }
        try {
            Files.writeString(file, JSON.writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
