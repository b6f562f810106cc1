package dev.ladle.persist;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Receives every protocol step as the Persistence.tla action it implements, with its arguments: {@code Create},
 * {@code Update}, {@code Delete} (append an operation), {@code Flush}, {@code Ack}, {@code BeginCheckpoint},
 * {@code WriteObject}, {@code Seal}, {@code Crash}, {@code LoadCheckpoint}, {@code RestoreObject},
 * {@code StartReplay}, {@code ReplayRecord}, {@code Resume}. Arguments are objects as {@code kind#id} and LSNs of the
 * log (every record of the log takes an LSN, checkpoint records included, so they run ahead of the spec's
 * operation count; the order is the same).
 */
@FunctionalInterface
public interface ProtocolTrace {
    void step(String action, Object... args);

    ProtocolTrace NONE = (a, x) -> {};

    /** One recorded step. */
    record Step(String action, List<String> args) {
        @Override
        public String toString() {
            return action + (args.isEmpty() ? "" : "(" + String.join(", ", args) + ")");
        }

        /** One line of JSON: {@code {"action":"Seal","args":["12"]}}. */
        public String json() {
            StringBuilder b = new StringBuilder("{\"action\":\"").append(action).append("\",\"args\":[");
            for (int i = 0; i < args.size(); i++) {
                b.append(i > 0 ? "," : "")
                        .append('"')
                        .append(args.get(i).replace("\"", "\\\""))
                        .append('"');
            }
            return b.append("]}").toString();
        }
    }

    /** Keeps every step, in order (thread-safe). */
    final class Recorder implements ProtocolTrace {
        private final List<Step> steps = new ArrayList<>();

        @Override
        public synchronized void step(String action, Object... args) {
            steps.add(new Step(action, Arrays.stream(args).map(String::valueOf).toList()));
        }

        public synchronized List<Step> steps() {
            return List.copyOf(steps);
        }

        public synchronized List<String> actions() {
            return steps.stream().map(Step::action).toList();
        }
    }
}
