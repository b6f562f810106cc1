package dev.ladle.checker;

/** Which checker runs a model. */
public enum Engine {
    /** TLC, the TLA+ model checker, in a child JVM per model. */
    TLC,
    /** Alloy 6 with the SAT4J solver, in this JVM. */
    ALLOY;

    /** The name used in the manifest and in machine-readable output. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Engine fromId(String id) {
        for (Engine e : values()) {
            if (e.id().equals(id)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown engine '" + id + "' (tlc or alloy)");
    }
}
