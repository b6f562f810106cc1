package dev.ladle.checker;

import java.time.Duration;
import java.util.List;

/**
 * What checking one model gave, plus how it compares with the manifest.
 *
 * @param model the model's name (see {@link ModelRef#name()})
 * @param engine which checker ran it
 * @param verdict what the checker concluded
 * @param violated the violated invariant, temporal property or Alloy assertion, else empty
 * @param distinct TLC: distinct states found; Alloy: instances or counterexamples found (capped)
 * @param total TLC: states generated; Alloy: same as {@code distinct}
 * @param depth TLC: depth of the state graph (or length of the counterexample); Alloy: 0
 * @param time wall-clock time of this model's check
 * @param trace TLC counterexample, empty when none
 * @param loopTo for a liveness counterexample, the 1-based state the lasso goes back to, else 0
 * @param loopAction the action (and its location) that closes the lasso, else empty
 * @param instance Alloy instance or counterexample relations, empty when none
 * @param error why the check failed (with {@link Verdict#ERROR}) or was skipped (with {@link
 *     Verdict#SKIPPED}), else empty; may span lines (TLC's own text)
 * @param drift how this result differs from the manifest; empty when it matches or nothing is
 *     compared
 * @param output what the spec printed with TLC's {@code Print} and {@code PrintT} while it was checked
 * @param coverage TLC's coverage report (with {@link CheckOptions#coverage()}): how often each
 *     action was taken; empty otherwise
 */
public record ModelResult(
        String model,
        Engine engine,
        Verdict verdict,
        String violated,
        long distinct,
        long total,
        int depth,
        Duration time,
        List<TraceStep> trace,
        int loopTo,
        String loopAction,
        List<Relation> instance,
        String error,
        List<String> drift,
        List<String> output,
        List<ActionCoverage> coverage) {

    /** How the error of a model stopped at its time limit begins. */
    public static final String TIMED_OUT = "timed out";

    /** How the error of a model whose checker's JVM was killed by a signal (kill, the out-of-memory killer) begins. */
    public static final String JVM_KILLED = "the checker's JVM was killed";

    public ModelResult {
        coverage = List.copyOf(coverage);
        violated = violated == null ? "" : violated;
        error = error == null ? "" : error;
        loopAction = loopAction == null ? "" : loopAction;
        trace = List.copyOf(trace);
        instance = List.copyOf(instance);
        drift = List.copyOf(drift);
        output = List.copyOf(output);
    }

    /**
     * True when the checker stopped before a verdict for a reason outside the model: its time limit,
     * its memory, or its JVM killed by a signal. Such a result says nothing about the model.
     */
    public boolean unfinished() {
        return verdict == Verdict.ERROR
                && (error.startsWith(TIMED_OUT)
                        || error.startsWith(JVM_KILLED)
                        || error.startsWith("TLC ran out of memory")
                        || error.startsWith("Alloy ran out of memory"));
    }

    /** A result without coverage counts. */
    public ModelResult(
            String model,
            Engine engine,
            Verdict verdict,
            String violated,
            long distinct,
            long total,
            int depth,
            Duration time,
            List<TraceStep> trace,
            int loopTo,
            String loopAction,
            List<Relation> instance,
            String error,
            List<String> drift,
            List<String> output) {
        this(
                model,
                engine,
                verdict,
                violated,
                distinct,
                total,
                depth,
                time,
                trace,
                loopTo,
                loopAction,
                instance,
                error,
                drift,
                output,
                List.of());
    }

    static ModelResult error(ModelRef model, String message, Duration time) {
        return new ModelResult(
                model.name(),
                model.engine(),
                Verdict.ERROR,
                "",
                0,
                0,
                0,
                time,
                List.of(),
                0,
                "",
                List.of(),
                message,
                List.of(),
                List.of());
    }

    /** A model the manifest says not to run here, with the reason. */
    static ModelResult skipped(ModelRef model, String reason) {
        return new ModelResult(
                model.name(),
                model.engine(),
                Verdict.SKIPPED,
                "",
                0,
                0,
                0,
                Duration.ZERO,
                List.of(),
                0,
                "",
                List.of(),
                reason,
                List.of(),
                List.of());
    }

    ModelResult withDrift(List<String> newDrift) {
        return new ModelResult(
                model,
                engine,
                verdict,
                violated,
                distinct,
                total,
                depth,
                time,
                trace,
                loopTo,
                loopAction,
                instance,
                error,
                newDrift,
                output,
                coverage);
    }

    /** The number of Alloy instances or counterexamples found (capped); not meaningful for TLC. */
    public long instances() {
        return engine == Engine.ALLOY ? distinct : 0;
    }

    /** The result column of the table: {@code holds}, {@code violated: Inv}, {@code error: ...}. */
    public String describe() {
        return switch (verdict) {
            case HOLDS -> "holds";
            case VIOLATED -> "violated: " + violated;
            case DEADLOCK -> "deadlock";
            case INSTANCE -> "instance found";
            case NO_INSTANCE -> "no instance";
            case ERROR -> "error: " + error;
            case SKIPPED -> "skipped: " + error;
        };
    }

    /** True when the model failed to check, or its result differs from the manifest. */
    public boolean failed() {
        return verdict == Verdict.ERROR || !drift.isEmpty();
    }
}
