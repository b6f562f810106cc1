package dev.ladle.checker;

/**
 * How often TLC took one action (one disjunct of the next-state relation, or the initial
 * predicate) while checking a model, from TLC's own coverage report.
 *
 * @param module the module the action's operator is defined in
 * @param action the action's operator name ({@code Send}, {@code Flush}, ...)
 * @param line the line of its definition
 * @param init true for the initial predicate
 * @param distinct new distinct states the action found
 * @param generated states it generated (how often it was taken)
 */
public record ActionCoverage(String module, String action, int line, boolean init, long distinct, long generated) {

    /** {@code Module!Action}, the key coverage is merged by across models. */
    public String key() {
        return module + "!" + action;
    }

    /** True when the action was taken at least once. */
    public boolean taken() {
        return generated > 0;
    }
}
