package dev.ladle.checker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs TLC on one model in a child JVM ({@link TlcChild}) and turns the events it streams into a
 * {@link ModelResult}. The child's metadata and anything else TLC writes go to a temporary folder
 * that is deleted afterwards, so nothing is left beside the specs.
 */
final class TlcRunner {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** TLC's action label: {@code <Withdraw line 12, col 13 to line 12, col 66 of module Transfer>}. */
    private static final Pattern ACTION =
            Pattern.compile("<?(\\S+) line (\\d+), col (\\d+) to line \\d+, col \\d+ of module (\\w+)>?");

    private static final Pattern CFG_PROPERTY = Pattern.compile("^\\s*PROPERT(?:Y|IES)\\b(.*)$");
    private static final int STDERR_LINES_KEPT = 400;

    private TlcRunner() {}

    /** Checks {@code model}; never throws for a failure of TLC, which becomes an error result. */
    static ModelResult run(ModelRef model, CheckOptions options, int workers, Duration timeout) {
        long start = System.nanoTime();
        Path temp = null;
        try {
            temp = Files.createTempDirectory("ladle-tlc-");
            List<String> tlcArgs = new ArrayList<>(List.of(
                    "-workers", Integer.toString(workers),
                    "-metadir", temp.resolve("meta").toString(),
                    "-config", model.config().toAbsolutePath().toString()));
            if (options.coverage()) {
                // The report comes at the end of the run; the interval (minutes) only adds reports on the way.
                tlcArgs.addAll(List.of("-coverage", "1000"));
            }
            Path dot = options.graph() != null ? temp.resolve("states.dot") : null;
            if (dot != null) {
                tlcArgs.addAll(List.of("-dump", "dot,actionlabels,colorize", dot.toString()));
            }
            tlcArgs.add(model.file().toAbsolutePath().toString());
            Process process = startChild(TlcChild.class.getName(), tlcArgs, options.childHeap(), temp, List.of());
            ModelResult result = collect(model, process, options.listener(), timeout, start, line -> {});
            if (dot != null && result.verdict() != Verdict.ERROR) {
                String problem = Graphs.render(dot, options.graph());
                if (problem != null) {
                    options.listener().message(problem);
                }
            }
            return result;
        } catch (IOException e) {
            return ModelResult.error(model, "cannot start TLC: " + e.getMessage(), elapsed(start));
        } finally {
            deleteTree(temp);
        }
    }

    /**
     * Runs TLC's distributed server for {@code model} in a child JVM until the workers have
     * explored the state space; {@code serverLines} receives the server's console lines (worker
     * registrations, its readiness).
     */
    static ModelResult serve(
            ModelRef model,
            CheckOptions options,
            String host,
            Duration timeout,
            java.util.function.Consumer<String> serverLines) {
        long start = System.nanoTime();
        Path temp = null;
        try {
            temp = Files.createTempDirectory("ladle-tlcserver-");
            // TLC's server looks for the spec in its working folder, whatever path it is given.
            Path spec = Files.createDirectory(temp.resolve("spec"));
            try (Stream<Path> siblings =
                    Files.list(model.file().toAbsolutePath().getParent())) {
                for (Path f :
                        siblings.filter(p -> p.toString().endsWith(".tla")).toList()) {
                    Files.copy(f, spec.resolve(f.getFileName()));
                }
            }
            Files.copy(
                    model.config(),
                    spec.resolve(model.config().getFileName()),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            List<String> args = List.of(
                    TlcChild.SERVER,
                    "-metadir",
                    temp.resolve("meta").toString(),
                    "-config",
                    model.config().getFileName().toString(),
                    model.file().getFileName().toString());
            Process process = startChild(
                    TlcChild.class.getName(),
                    args,
                    options.childHeap(),
                    spec,
                    List.of("-Djava.rmi.server.hostname=" + host));
            return collect(model, process, options.listener(), timeout, start, serverLines);
        } catch (IOException e) {
            return ModelResult.error(model, "cannot start the TLC server: " + e.getMessage(), elapsed(start));
        } finally {
            deleteTree(temp);
        }
    }

    /**
     * Starts a JVM on this JVM's class path (the shaded jar, or the test class path) with the
     * flags TLC wants; its working folder is {@code dir}.
     */
    static Process startChild(String mainClass, List<String> args, String heap, Path dir, List<String> jvmFlags)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseParallelGC");
        // TLC's evaluator recurses deeply on large values.
        cmd.add("-Xss16m");
        if (heap != null) {
            cmd.add("-Xmx" + heap);
        }
        cmd.add("-Djava.io.tmpdir=" + dir);
        cmd.add("-Djava.awt.headless=true");
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(absoluteClassPath());
        cmd.add(mainClass);
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).start();
        CHILDREN.add(p);
        p.onExit().thenRun(() -> CHILDREN.remove(p));
        return p;
    }

    /** Child JVMs still running; stopped when this JVM exits (Ctrl-C included). */
    private static final java.util.Set<Process> CHILDREN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            for (Process p : CHILDREN) {
                                p.descendants().forEach(ProcessHandle::destroyForcibly);
                                p.destroyForcibly();
                            }
                        },
                        "ladle-stop-children"));
    }

    /** The child runs in a temporary folder, so relative class path entries must be resolved here. */
    static String absoluteClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !e.isEmpty())
                .map(e -> Path.of(e).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    private static ModelResult collect(
            ModelRef model,
            Process process,
            CheckListener listener,
            Duration timeout,
            long start,
            java.util.function.Consumer<String> stderrLines) {
        Deque<String> stderr = new ArrayDeque<>();
        Thread errReader = drain(process.getErrorStream(), stderr, stderrLines);
        Thread watchdog = null;
        java.util.concurrent.atomic.AtomicBoolean timedOut = new java.util.concurrent.atomic.AtomicBoolean();
        if (timeout != null) {
            watchdog = new Thread(
                    () -> {
                        try {
                            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                                timedOut.set(true);
                                process.descendants().forEach(ProcessHandle::destroyForcibly);
                                process.destroyForcibly();
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "ladle-tlc-timeout");
            watchdog.setDaemon(true);
            watchdog.start();
        }
        Events ev = new Events();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (!line.startsWith("{")) {
                    continue;
                }
                JsonNode e = JSON.readTree(line);
                ev.accept(e);
                if ("progress".equals(e.path("e").asText())) {
                    listener.progress(
                            model,
                            new Progress(
                                    e.path("distinct").asLong(),
                                    e.path("total").asLong(),
                                    e.path("queue").asLong(),
                                    elapsed(start)));
                }
            }
            process.waitFor();
            errReader.join();
        } catch (IOException e) {
            process.destroyForcibly();
            return ModelResult.error(model, "lost contact with TLC: " + e.getMessage(), elapsed(start));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return ModelResult.error(model, "interrupted", elapsed(start));
        }
        if (watchdog != null) {
            watchdog.interrupt();
        }
        Duration time = elapsed(start);
        if (timedOut.get()) {
            return ModelResult.error(model, "timed out after " + timeout.toSeconds() + " s", time);
        }
        return ev.result(model, time, process.exitValue(), List.copyOf(stderr));
    }

    /** Accumulates the child's events. */
    private static final class Events {
        long distinct;
        long total;
        int depth;
        Integer status;
        String violatedKind;
        String violatedName = "";
        int loopTo;
        String loopAction = "";
        boolean halted;
        String outOfMemory;
        final List<String> errors = new ArrayList<>();
        final Map<Integer, TraceStep> trace = new LinkedHashMap<>();
        /** The latest coverage count of each action, by its label. */
        final Map<String, ActionCoverage> coverage = new LinkedHashMap<>();

        void accept(JsonNode e) {
            switch (e.path("e").asText()) {
                case "stats" -> {
                    total = e.path("generated").asLong();
                    distinct = e.path("distinct").asLong();
                }
                case "depth" -> depth = e.path("depth").asInt();
                case "violated" -> {
                    // TLC may report several; the first one is what stopped it.
                    if (violatedKind == null) {
                        violatedKind = e.path("kind").asText();
                        violatedName = e.path("name").asText();
                        if (e.has("initialState")) {
                            trace.put(
                                    1,
                                    new TraceStep(
                                            1,
                                            "Initial predicate",
                                            "",
                                            parseState(e.path("initialState").asText()),
                                            false));
                        }
                    }
                }
                case "state" -> {
                    Map<String, String> vars = new LinkedHashMap<>();
                    Iterator<Map.Entry<String, JsonNode>> it = e.path("vars").fields();
                    while (it.hasNext()) {
                        Map.Entry<String, JsonNode> v = it.next();
                        vars.put(v.getKey(), v.getValue().asText());
                    }
                    String[] action = parseAction(e.path("info").asText());
                    int number = e.path("number").asInt();
                    // A liveness trace can be printed twice (prefix, then cycle); the last print of a number wins.
                    trace.put(
                            number,
                            new TraceStep(
                                    number,
                                    action[0],
                                    action[1],
                                    vars,
                                    e.path("stuttering").asBoolean()));
                }
                case "back" -> {
                    loopTo = parseIntOr(e.path("to").asText(), 0);
                    String[] action = parseAction(e.path("info").asText());
                    loopAction = action[1].isEmpty() ? action[0] : action[0] + "  (" + action[1] + ")";
                }
                case "error" -> {
                    if (e.path("code").asInt() == tlc2.output.EC.SYSTEM_OUT_OF_MEMORY
                            || e.path("code").asInt() == tlc2.output.EC.SYSTEM_OUT_OF_MEMORY_LIVENESS
                            || e.path("code").asInt() == tlc2.output.EC.SYSTEM_OUT_OF_MEMORY_TOO_MANY_INIT) {
                        outOfMemory = e.path("text").asText();
                    } else {
                        errors.add(e.path("text").asText());
                    }
                }
                case "coverage" -> {
                    String label = e.path("action").asText();
                    Matcher m = ACTION.matcher(label);
                    if (m.matches()) {
                        coverage.put(
                                label,
                                new ActionCoverage(
                                        m.group(4),
                                        m.group(1),
                                        Integer.parseInt(m.group(2)),
                                        e.path("init").asBoolean(),
                                        e.path("distinct").asLong(),
                                        e.path("generated").asLong()));
                    }
                }
                case "exit" -> status = e.path("status").asInt();
                case "halt" -> halted = e.path("stats").asBoolean();
                default -> {}
            }
        }

        ModelResult result(ModelRef model, Duration time, int exitValue, List<String> stderr) {
            List<TraceStep> steps = trace.values().stream()
                    .sorted(Comparator.comparingInt(TraceStep::number))
                    .toList();
            if (outOfMemory != null) {
                return ModelResult.error(model, "TLC ran out of memory after " + distinct + " distinct states", time);
            }
            if (status == null && halted) {
                // TLC's server ends with System.exit, before an exit event can be sent: infer the status.
                status = violatedKind == null
                        ? 0
                        : switch (violatedKind) {
                            case "deadlock" -> tlc2.output.EC.ExitStatus.VIOLATION_DEADLOCK;
                            case "property" -> tlc2.output.EC.ExitStatus.VIOLATION_LIVENESS;
                            default -> tlc2.output.EC.ExitStatus.VIOLATION_SAFETY;
                        };
            }
            boolean oom = stderr.stream()
                    .anyMatch(l -> l.contains("OutOfMemoryError")
                            || l.contains("Java heap space")
                            || l.contains("GC overhead limit"));
            if (oom && !Integer.valueOf(0).equals(status)) {
                return ModelResult.error(
                        model, "TLC ran out of memory (give it more with --tlc-heap)" + errorText(stderr), time);
            }
            if (status == null) {
                return ModelResult.error(
                        model,
                        "TLC crashed (child JVM exit code " + exitValue + ")"
                                + (errors.isEmpty() ? "" : ": " + String.join("; ", errors)) + tail(stderr),
                        time);
            }
            Verdict verdict;
            String name = violatedName;
            switch (status) {
                case 0 -> verdict = Verdict.HOLDS;
                case tlc2.output.EC.ExitStatus.VIOLATION_DEADLOCK -> verdict = Verdict.DEADLOCK;
                case tlc2.output.EC.ExitStatus.VIOLATION_SAFETY, tlc2.output.EC.ExitStatus.VIOLATION_ASSERT -> {
                    verdict = Verdict.VIOLATED;
                    if (name.isEmpty()) {
                        name = "assertion";
                    }
                }
                case tlc2.output.EC.ExitStatus.VIOLATION_LIVENESS -> {
                    verdict = Verdict.VIOLATED;
                    if (name.isEmpty()) {
                        name = temporalName(model.config());
                    }
                }
                case tlc2.output.EC.ExitStatus.VIOLATION_ASSUMPTION -> {
                    verdict = Verdict.VIOLATED;
                    name = "ASSUME";
                }
                default -> {
                    String what = switch (status) {
                        case tlc2.output.EC.ExitStatus.ERROR_CONFIG_PARSE ->
                            "configuration error in " + model.config().getFileName();
                        case tlc2.output.EC.ExitStatus.ERROR_SPEC_PARSE -> "TLC could not parse the spec";
                        case tlc2.output.EC.ExitStatus.FAILURE_SPEC_EVAL,
                                tlc2.output.EC.ExitStatus.FAILURE_SAFETY_EVAL,
                                tlc2.output.EC.ExitStatus.FAILURE_LIVENESS_EVAL -> "TLC could not evaluate the spec";
                        case tlc2.output.EC.ExitStatus.ERROR_STATESPACE_TOO_LARGE -> "state space too large for TLC";
                        default -> "TLC stopped with exit status " + status;
                    };
                    return ModelResult.error(model, what + errorText(stderr), time);
                }
            }
            int shownDepth = verdict == Verdict.HOLDS ? depth : Math.max(depth, steps.size());
            return new ModelResult(
                    model.name(),
                    Engine.TLC,
                    verdict,
                    name,
                    distinct,
                    total,
                    shownDepth,
                    time,
                    steps,
                    loopTo,
                    loopAction,
                    List.of(),
                    "",
                    List.of(),
                    List.copyOf(coverage.values()));
        }
    }

    private static final Pattern STATE_VAR = Pattern.compile("^(?:/\\\\ )?(\\w+) = (.*)$");

    /** Variables of a state as TLC prints it: {@code /\ x = 1} per variable, values may span lines. */
    static Map<String, String> parseState(String text) {
        Map<String, String> vars = new LinkedHashMap<>();
        String current = null;
        for (String line : text.strip().split("\\R")) {
            Matcher m = STATE_VAR.matcher(line);
            if (m.matches()) {
                current = m.group(1);
                vars.put(current, m.group(2));
            } else if (current != null) {
                vars.put(current, vars.get(current) + "\n" + line);
            }
        }
        return vars;
    }

    /** Action name and {@code Module.tla:line:column} from TLC's label of a trace state. */
    static String[] parseAction(String info) {
        Matcher m = ACTION.matcher(info);
        if (m.matches()) {
            return new String[] {m.group(1), m.group(4) + ".tla:" + m.group(2) + ":" + m.group(3)};
        }
        return new String[] {info.replaceAll("^<|>$", ""), ""};
    }

    /**
     * TLC 2.18 does not say which temporal property failed; with one {@code PROPERTY} in the
     * configuration it can only be that one.
     */
    static String temporalName(Path cfg) {
        List<String> names = new ArrayList<>();
        try {
            boolean inProperties = false;
            for (String raw : Files.readAllLines(cfg)) {
                String line = raw.replaceAll("\\\\\\*.*$", "").strip();
                Matcher m = CFG_PROPERTY.matcher(line);
                if (m.matches()) {
                    inProperties = true;
                    line = m.group(1).strip();
                } else if (line.matches("^[A-Z_]+\\b.*") && !line.isEmpty()) {
                    inProperties = false;
                }
                if (inProperties) {
                    for (String n : line.split("\\s+")) {
                        if (!n.isEmpty()) {
                            names.add(n);
                        }
                    }
                }
            }
        } catch (IOException e) {
            return "temporal property";
        }
        return names.size() == 1
                ? names.get(0)
                : names.isEmpty() ? "temporal property (fairness)" : "one of " + String.join(", ", names);
    }

    private static String errorText(List<String> stderr) {
        List<String> out = new ArrayList<>();
        boolean on = false;
        for (String l : stderr) {
            if (l.startsWith("Error:") || l.startsWith("***") || l.contains("Exception")) {
                on = true;
            }
            if (on && !l.isBlank() && !l.startsWith("Finished in") && !l.startsWith("Starting...")) {
                out.add(l.strip());
            }
            if (out.size() >= 8) {
                break;
            }
        }
        return out.isEmpty() ? tail(stderr) : ": " + String.join(" ", out);
    }

    private static String tail(List<String> stderr) {
        List<String> last = stderr.subList(Math.max(0, stderr.size() - 5), stderr.size()).stream()
                .filter(l -> !l.isBlank())
                .toList();
        return last.isEmpty() ? "" : ": " + String.join(" | ", last);
    }

    static Thread drain(InputStream in, Deque<String> keep, java.util.function.Consumer<String> each) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            each.accept(line);
                            synchronized (keep) {
                                keep.addLast(line);
                                if (keep.size() > STDERR_LINES_KEPT) {
                                    keep.removeFirst();
                                }
                            }
                        }
                    } catch (IOException e) {
                        // The child is gone; what was read is all there is.
                    }
                },
                "ladle-tlc-stderr");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static int parseIntOr(String s, int fallback) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete temporary folder " + dir, e);
        }
    }

    private static Duration elapsed(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
