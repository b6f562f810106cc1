package dev.ladle.persist.model;

import dev.ladle.kernel.gen.persistence.Kinds;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Which kind of object may depend on which: Persistence.tla's {@code KindDeps}, the relation RecoveryOrder.als
 * checks acyclic. The kinds are the spec's ({@link Kinds}, generated from it); {@code KindDepsTest} reads the pairs
 * from the spec's text and fails when they drift. The dependency order itself is never listed per kind: it is
 * computed from each object graph ({@link DependencyOrder}), and every edge of the graph is checked against this
 * relation.
 */
public final class KindDeps {
    private KindDeps() {}

    /** The pairs {@code <<from, to>>} of the spec, in its order. */
    public static final String[][] PAIRS = {
        {"pageTable", "frame"},
        {"addressSpace", "pageTable"},
        {"thread", "addressSpace"},
        {"thread", "capTable"},
        {"capEntry", "capTable"},
        {"capEntry", "thread"},
        {"message", "thread"},
        {"message", "capEntry"},
        {"message", "frame"}
    };

    private static final Map<Kinds, Set<Kinds>> ALLOWED = new EnumMap<>(Kinds.class);

    static {
        for (Kinds k : Kinds.values()) {
            ALLOWED.put(k, EnumSet.noneOf(Kinds.class));
        }
        for (String[] p : PAIRS) {
            ALLOWED.get(kind(p[0])).add(kind(p[1]));
        }
    }

    public static Kinds kind(String tla) {
        for (Kinds k : Kinds.values()) {
            if (k.tla.equals(tla)) {
                return k;
            }
        }
        throw new IllegalArgumentException("no kind " + tla + " in Persistence.tla's Kinds");
    }

    /**
     * Whether objects of kind {@code k} are deferred by a lazy recovery: restored on first use, as frames are, rather
     * than before the first instruction. They are the kinds that may depend on frames and nothing else (a page
     * table): what they depend on is present as soon as a lazy recovery begins, so nothing waits for them but what
     * uses them.
     */
    public static boolean deferred(Kinds k) {
        return ALLOWED.get(k).equals(EnumSet.of(Kinds.FRAME));
    }

    /** May an object of kind {@code from} depend on one of kind {@code to}? */
    public static boolean allows(Kinds from, Kinds to) {
        return ALLOWED.get(from).contains(to);
    }
}
