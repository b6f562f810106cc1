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

        Entry(String property) {
            this.property = property;
        }
    }

    private static final Map<String, Entry> ENTRIES = new ConcurrentHashMap<>();
    private static final ThreadLocal<Entry> CURRENT = new ThreadLocal<>();

    private Tally() {}

    static void start(String property) {
        Entry e = ENTRIES.computeIfAbsent(property, Entry::new);
        CURRENT.set(e);
    }

    static void finish(String property, PropertyExecutionResult result) {
        Entry e = ENTRIES.get(property);
        e.tries += result.countTries();
        e.checks += result.countChecks();
        if (result.status() == PropertyExecutionResult.Status.FAILED) {
            e.failed = true;
            e.seed = result.seed().orElse("");
            e.sample = result.shrunkSample()
                    .map(s -> String.valueOf(s.parameters()))
                    .or(() -> result.originalSample().map(s -> String.valueOf(s.parameters())))
                    .orElse("");
            e.error = result.throwable()
                    .map(t -> firstLines(String.valueOf(t.getMessage())))
                    .orElse("");
        }
        CURRENT.remove();
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

    private static String firstLines(String s) {
        String[] lines = s.split("\n");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(8, lines.length); i++) {
            b.append(i > 0 ? "\n" : "").append(lines[i]);
        }
        return b.toString();
    }
}
