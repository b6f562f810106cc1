package dev.ladle.checker;

/** What a checker concluded about one model. */
public enum Verdict {
    /** TLC: every invariant and property holds; Alloy {@code check}: no counterexample. */
    HOLDS("holds"),
    /** An invariant, temporal property or Alloy assertion is violated. */
    VIOLATED("violated"),
    /** TLC reached a state with no successor. */
    DEADLOCK("deadlock"),
    /** Alloy {@code run}: an instance was found. */
    INSTANCE("instance"),
    /** Alloy {@code run}: no instance within the scope. */
    NO_INSTANCE("no instance"),
    /** The checker failed: crash, out of memory, timeout, an error TLC met while evaluating the spec. */
    ERROR("error"),
    /** Not run: its manifest entry is for another checker or mode (the reason is in the result). */
    SKIPPED("skipped");

    private final String id;

    Verdict(String id) {
        this.id = id;
    }

    /** The word used in the manifest's {@code expect} field. */
    public String id() {
        return id;
    }

    /** True when the checker found something wrong with the model itself. */
    public boolean isViolation() {
        return this == VIOLATED || this == DEADLOCK;
    }

    static Verdict fromId(String id) {
        for (Verdict v : values()) {
            if (v.id.equals(id)) {
                return v;
            }
        }
        if ("instance found".equals(id)) {
            return INSTANCE;
        }
        throw new IllegalArgumentException(
                "unknown expected result '" + id + "' (holds, violated, deadlock, instance, no instance)");
    }
}
