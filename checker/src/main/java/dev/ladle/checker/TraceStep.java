package dev.ladle.checker;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One state of a TLC counterexample.
 *
 * @param number 1-based position in the trace, as TLC numbers it
 * @param action the action that produced this state ({@code Initial predicate} for the first)
 * @param location where the action is defined, {@code Module.tla:line:column}, or empty
 * @param vars each variable's value in TLA+ syntax, in declaration order
 * @param stuttering true for the stuttering step TLC appends to some liveness traces
 */
public record TraceStep(int number, String action, String location, Map<String, String> vars, boolean stuttering) {
    public TraceStep {
        vars = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(vars));
    }

    /** Variables whose value differs from {@code previous} (all of them for the first state). */
    public List<String> changedFrom(TraceStep previous) {
        if (previous == null) {
            return List.copyOf(vars.keySet());
        }
        return vars.keySet().stream()
                .filter(v -> !Objects.equals(vars.get(v), previous.vars().get(v)))
                .toList();
    }
}
