package dev.ladle.checker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
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

    private TlcRunner() {}

    /**
     * Checks {@code model}. Never throws: a failure of TLC, of its JVM or of the cleanup afterwards
     * becomes an error result or a message to the listener.
     */
    static ModelResult run(ModelRef model, CheckOptions options, int workers, Duration timeout) {
        long start = System.nanoTime();
        Path temp = null;
        try {
            temp = TempFolder.create("ladle-tlc-");
            List<String> tlcArgs = new ArrayList<>(List.of(
                    // -tool frames TLC's own messages, so that the spec's Print output can be told apart.
                    "-tool",
                    "-workers",
                    Integer.toString(workers),
                    "-metadir",
                    temp.resolve("meta").toString(),
                    "-config",
                    model.config().toAbsolutePath().toString()));
            if (options.coverage()) {
                // The report comes at the end of the run; the interval (minutes) only adds reports on the way.
                tlcArgs.addAll(List.of("-coverage", "1000"));
            }
            Path dot = options.graph() != null ? temp.resolve("states.dot") : null;
            if (dot != null) {
                tlcArgs.addAll(List.of("-dump", "dot,actionlabels,colorize", dot.toString()));
            }
            tlcArgs.add(model.file().toAbsolutePath().toString());
            Process process = ChildJvm.start(TlcChild.class.getName(), tlcArgs, options.childHeap(), temp, List.of());
            ModelResult result = collect(model, process, options.listener(), timeout, start, line -> {});
            if (dot != null && result.verdict() != Verdict.ERROR) {
                String problem = Graphs.render(dot, options.graph(), result.distinct());
                if (problem != null) {
                    options.listener().message(problem);
                }
            }
            return result;
        } catch (IOException | RuntimeException e) {
            return ModelResult.error(model, "cannot run TLC: " + e.getMessage(), TempFolder.since(start));
        } finally {
            String leftover = TempFolder.delete(temp);
            if (leftover != null) {
                options.listener().message(leftover);
            }
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
            int port,
            Duration timeout,
            java.util.function.Consumer<String> serverLines) {
        long start = System.nanoTime();
        Path temp = null;
        try {
            temp = TempFolder.create("ladle-tlcserver-");
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
            Process process = ChildJvm.start(
                    TlcChild.class.getName(),
                    args,
                    options.childHeap(),
                    spec,
                    List.of("-Djava.rmi.server.hostname=" + host, "-D" + Distributed.PORT_PROPERTY + "=" + port));
            return collect(model, process, options.listener(), timeout, start, serverLines);
        } catch (IOException e) {
            return ModelResult.error(model, "cannot start the TLC server: " + e.getMessage(), TempFolder.since(start));
        } finally {
            String leftover = TempFolder.delete(temp);
            if (leftover != null) {
                options.listener().message(leftover);
            }
        }
    }

    private static ModelResult collect(
            ModelRef model,
            Process process,
            CheckListener listener,
            Duration timeout,
            long start,
            java.util.function.Consumer<String> stderrLines) {
        TlcConsole console = new TlcConsole();
        Thread errReader = ChildJvm.drain(process.getErrorStream(), "ladle-tlc-console", line -> {
            stderrLines.accept(line);
            console.accept(line);
        });
        java.util.concurrent.atomic.AtomicBoolean timedOut = new java.util.concurrent.atomic.AtomicBoolean();
        Thread watchdog = null;
        if (timeout != null) {
            watchdog = new Thread(
                    () -> {
                        try {
                            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                                timedOut.set(true);
                                ChildJvm.stop(process);
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
        // The JVM itself reports start-up failures (a heap too small to start) on standard output.
        List<String> jvmSaid = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (!line.startsWith("{")) {
                    if (!line.isBlank() && jvmSaid.size() < 20) {
                        jvmSaid.add(line.strip());
                    }
                    continue;
                }
                JsonNode e = JSON.readTree(line);
                ev.accept(e);
                if ("progress".equals(e.path("e").asText())) {
                    Progress p = new Progress(
                            e.path("distinct").asLong(),
                            e.path("total").asLong(),
                            e.path("queue").asLong(),
                            TempFolder.since(start));
                    listener.progress(model, p);
                }
            }
            process.waitFor();
            errReader.join();
        } catch (IOException e) {
            ChildJvm.stop(process);
            return ModelResult.error(model, "lost contact with TLC: " + e.getMessage(), TempFolder.since(start));
        } catch (InterruptedException e) {
            ChildJvm.stop(process);
            Thread.currentThread().interrupt();
            return ModelResult.error(model, "interrupted", TempFolder.since(start));
        }
        if (watchdog != null) {
            watchdog.interrupt();
        }
        Duration time = TempFolder.since(start);
        if (timedOut.get()) {
            return ModelResult.error(model, ModelResult.TIMED_OUT + " after " + timeout.toSeconds() + " s", time);
        }
        return ev.result(model, time, process.exitValue(), console, jvmSaid);
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

        ModelResult result(ModelRef model, Duration time, int exitValue, TlcConsole console, List<String> jvmSaid) {
            List<TraceStep> steps = trace.values().stream()
                    .sorted(Comparator.comparingInt(TraceStep::number))
                    .toList();
            List<String> printed = console.printed();
            String[] back = console.backTo();
            if (loopTo == 0 && back != null) {
                loopTo = parseIntOr(back[0], 0);
                String[] action = parseAction(back[1]);
                loopAction = action[1].isEmpty() ? action[0] : action[0] + "  (" + action[1] + ")";
            }
            if (outOfMemory != null) {
                return failed(
                        model,
                        "TLC ran out of memory after " + distinct + " distinct states (give it more with"
                                + " --tlc-heap)",
                        time,
                        List.of(),
                        printed);
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
            List<String> tail = new ArrayList<>(console.tail());
            boolean oom = tail.stream()
                    .anyMatch(l -> l.contains("OutOfMemoryError")
                            || l.contains("Java heap space")
                            || l.contains("GC overhead limit"));
            if (oom && !Integer.valueOf(0).equals(status)) {
                return failed(model, "TLC ran out of memory (give it more with --tlc-heap)", time, List.of(), printed);
            }
            if (status == null) {
                // The JVM never ran TLC (bad -Xmx), or died under it: its own words say why.
                List<String> said = new ArrayList<>(jvmSaid);
                said.addAll(tail.subList(Math.max(0, tail.size() - 8), tail.size()));
                said.removeIf(String::isBlank);
                String why = !errors.isEmpty()
                        ? String.join("\n", errors)
                        : said.isEmpty() ? "it printed nothing" : String.join("\n", said);
                String signal = signalName(exitValue);
                if (signal != null) {
                    return failed(
                            model,
                            ModelResult.JVM_KILLED + " by " + signal + " (exit code " + exitValue + "): " + why,
                            time,
                            steps,
                            printed);
                }
                return failed(model, "the TLC JVM stopped (exit code " + exitValue + "): " + why, time, steps, printed);
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
                        default -> "TLC stopped with an error";
                    };
                    String text = console.errorText();
                    return failed(model, text.isEmpty() ? what : what + " at " + text, time, steps, printed);
                }
            }
            if (verdict == Verdict.VIOLATED && CONJUNCT_LOCATION.matcher(name).find()) {
                name = actionPropertyName(model.config(), name.strip());
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
                    printed,
                    List.copyOf(coverage.values()));
        }

        /** An error that keeps what TLC got to: its counts, the trace to the error, what the spec printed. */
        private ModelResult failed(
                ModelRef model, String message, Duration time, List<TraceStep> steps, List<String> printed) {
            return new ModelResult(
                    model.name(),
                    Engine.TLC,
                    Verdict.ERROR,
                    "",
                    distinct,
                    total,
                    Math.max(depth, steps.size()),
                    time,
                    steps,
                    0,
                    "",
                    List.of(),
                    message,
                    List.of(),
                    printed);
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
        List<String> names;
        try {
            names = CfgCheck.read(cfg).properties();
        } catch (IllegalArgumentException e) {
            return "temporal property";
        }
        return names.size() == 1
                ? names.get(0)
                : names.isEmpty() ? "temporal property (fairness)" : "one of " + String.join(", ", names);
    }

    /**
     * TLC names a violated action property by its definition's name when the cfg lists it directly, but by the
     * location of the violated conjunct when it sits inside an instanced formula (a refinement's {@code K!Spec}):
     * with one {@code PROPERTY} in the configuration, the location can only be inside that one.
     */
    private static final Pattern CONJUNCT_LOCATION =
            Pattern.compile("line \\d+, col \\d+ to line \\d+, col \\d+ of module \\w+");

    static String actionPropertyName(Path cfg, String reported) {
        List<String> names;
        try {
            names = CfgCheck.read(cfg).properties();
        } catch (IllegalArgumentException e) {
            return reported;
        }
        if (names.contains(reported)) {
            return reported;
        }
        return names.size() == 1 ? names.get(0) : reported;
    }

    /**
     * The signal a JVM's exit code says it was killed by (a JVM killed by signal n exits with 128 + n),
     * or null for an exit of its own. Only the signals that kill a JVM from outside are named: TLC's
     * own error exit codes (150 to 153, 255) lie in the same range.
     */
    static String signalName(int exitValue) {
        return switch (exitValue) {
            case 129 -> "SIGHUP";
            case 130 -> "SIGINT";
            case 134 -> "SIGABRT (a crash of the JVM)";
            case 137 -> "SIGKILL (kill -9, or the system's out-of-memory killer)";
            case 143 -> "SIGTERM";
            default -> null;
        };
    }

    private static int parseIntOr(String s, int fallback) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
