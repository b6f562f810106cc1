package dev.ladle.properties;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.lifecycle.PropertyExecutionResult;

/**
 * What each property did in this JVM: jqwik's tries and checks and the property's own counters (system calls
 * issued, crash points tried, steps validated...), and for a failure the seed and the shrunk sample. The command
 * line prints it as the summary of {@code ladle test}.
 */
public final class Tally {
    /** One property's figures. */
    public static final class Entry {
        public final String property;
        public final Map<String, Long> counters = new LinkedHashMap<>();
        public int tries;
        public int checks;
        public boolean failed;
        public String seed = "";
        public String sample = "";
        public String error = "";
        /** A long run's target ({@link Budget.LongTries#counter()}): none when empty. */
        public String targetCounter = "";

        public long targetAtLeast;

        Entry(String property) {
            this.property = property;
        }

        /** The long run's target and whether it was reached, e.g. "1,000,000 adversarial syscalls: met"; "" none. */
        public String target() {
            if (targetCounter.isEmpty()) {
                return "";
            }
            long got = counters.getOrDefault(targetCounter, 0L);
            return String.format(
                    "at least %,d %s: %s (%,d)", targetAtLeast, targetCounter, targetMet() ? "met" : "NOT MET", got);
        }

        /** Whether the long run's target, if any, was reached. */
        public boolean targetMet() {
            return targetCounter.isEmpty() || counters.getOrDefault(targetCounter, 0L) >= targetAtLeast;
        }
    }

    private static final Map<String, Entry> ENTRIES = new ConcurrentHashMap<>();
    private static final ThreadLocal<Entry> CURRENT = new ThreadLocal<>();

    private Tally() {}

    static void start(String property) {
        Entry e = ENTRIES.computeIfAbsent(property, Entry::new);
        CURRENT.set(e);
        PROGRESS.set(new long[2]);
    }

    /** The figure a long run of {@code property} must reach: {@code atLeast} of {@code counter}. */
    static void target(String property, String counter, long atLeast) {
        Entry e = ENTRIES.computeIfAbsent(property, Entry::new);
        e.targetCounter = counter;
        e.targetAtLeast = atLeast;
    }

    /**
     * Records the outcome of {@code property}; a failure's sample is printed with the names of {@code parameters}
     * (the property's, compiled with {@code -parameters}: {@code mode=OPLOG, steps=10}), or as a list without them.
     */
    static void finish(String property, PropertyExecutionResult result, java.lang.reflect.Parameter[] parameters) {
        Entry e = ENTRIES.get(property);
        e.tries += result.countTries();
        e.checks += result.countChecks();
        if (result.status() == PropertyExecutionResult.Status.FAILED) {
            e.failed = true;
            e.seed = result.seed().orElse("");
            e.sample = result.shrunkSample()
                    .map(s -> named(s.parameters(), parameters))
                    .or(() -> result.originalSample().map(s -> named(s.parameters(), parameters)))
                    .orElse("");
            e.error = result.throwable().map(t -> firstLines(describe(t))).orElse("");
        }
        CURRENT.remove();
    }

    /** Tries of the property running on this thread so far, and when its progress was printed last. */
    private static final ThreadLocal<long[]> PROGRESS = ThreadLocal.withInitial(() -> new long[2]);

    /**
     * One more try of the property running on this thread; with {@code report}, its tries and counters so far are
     * printed to standard error when a minute has passed since the last such line.
     */
    static void tried(boolean report) {
        Entry e = CURRENT.get();
        long[] p = PROGRESS.get();
        if (e == null) {
            return;
        }
        p[0]++;
        long now = System.nanoTime();
        if (p[1] == 0) {
            p[1] = now;
        } else if (report && now - p[1] >= 60_000_000_000L) {
            p[1] = now;
            String counters;
            synchronized (e) {
                counters = e.counters.entrySet().stream()
                        .map(c -> c.getKey() + " " + c.getValue())
                        .collect(java.util.stream.Collectors.joining(", "));
            }
            System.err.printf("%s: %,d tries so far: %s%n", e.property, p[0], counters);
            System.err.flush();
        }
    }

    /** Adds {@code n} to the named counter of the property running on this thread. */
    static void count(String counter, long n) {
        Entry e = CURRENT.get();
        if (e != null) {
            synchronized (e) {
                e.counters.merge(counter, n, Long::sum);
            }
        }
    }

    public static Optional<Entry> of(String property) {
        return Optional.ofNullable(ENTRIES.get(property));
    }

    public static Map<String, Entry> all() {
        return Map.copyOf(ENTRIES);
    }

    public static void reset() {
        ENTRIES.clear();
    }

    /** {@code values} as {@code name=value, ...} when every parameter has its name, else as a plain list. */
    static String named(java.util.List<Object> values, java.lang.reflect.Parameter[] parameters) {
        if (parameters.length != values.size()
                || !java.util.Arrays.stream(parameters).allMatch(java.lang.reflect.Parameter::isNamePresent)) {
            return String.valueOf(values);
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            b.append(i > 0 ? ", " : "")
                    .append(parameters[i].getName())
                    .append('=')
                    .append(v instanceof byte[] bytes ? bytes.length + " bytes" : String.valueOf(v));
        }
        return b.toString();
    }

    /**
     * A failure as the summary prints it: an assertion's message; any other throwable (a check that threw where it
     * should have reported, or code under test that threw) by its class and message and where it was thrown, the
     * first frame of Ladle's own code, so that a {@code NullPointerException} is not printed as "null".
     */
    public static String describe(Throwable t) {
        if (t instanceof AssertionError && t.getMessage() != null) {
            return t.getMessage();
        }
        StringBuilder b = new StringBuilder(t.toString());
        for (StackTraceElement f : t.getStackTrace()) {
            if (f.getClassName().startsWith("dev.ladle.")) {
                b.append(" (thrown at ")
                        .append(f.getClassName())
                        .append('.')
                        .append(f.getMethodName())
                        .append(", ")
                        .append(f.getFileName())
                        .append(':')
                        .append(f.getLineNumber())
                        .append(')');
                break;
            }
        }
        return b.toString();
    }

    private static String firstLines(String s) {
        String[] lines = s.split("\n");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(8, lines.length); i++) {
            b.append(i > 0 ? "\n" : "").append(lines[i]);
        }
        return b.toString();
    }
}
