package dev.ladle.persist.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Orders an object graph so that every object comes after everything it depends on (Persistence.tla's
 * {@code DepsWritten} when writing a checkpoint, {@code DepsRestored} when restoring one), and computes the
 * dependency closure of a set of objects (a per-process checkpoint). Every edge is checked against
 * {@link KindDeps}; a graph breaking it, depending on an object outside the graph, or with a cycle is refused.
 */
public final class DependencyOrder {
    private DependencyOrder() {}

    /** The graph is not one the specs allow. */
    public static final class BadGraph extends IllegalArgumentException {
        public BadGraph(String message) {
            super(message);
        }
    }

    /**
     * A topological order of {@code objects} (Kahn's algorithm; ties broken by kind then number, so the order is
     * deterministic). Dependencies named in {@code external} count as present already (objects of an earlier
     * checkpoint).
     */
    public static List<KernelObject> order(Collection<KernelObject> objects, Set<ObjectRef> external) {
        Map<ObjectRef, KernelObject> byRef = new HashMap<>();
        for (KernelObject o : objects) {
            if (byRef.put(o.ref(), o) != null) {
                throw new BadGraph("object " + o.ref() + " appears twice");
            }
        }
        Map<ObjectRef, Integer> missing = new HashMap<>();
        Map<ObjectRef, List<ObjectRef>> dependents = new HashMap<>();
        for (KernelObject o : objects) {
            int n = 0;
            for (ObjectRef d : o.deps()) {
                if (!KindDeps.allows(o.ref().kind(), d.kind())) {
                    throw new BadGraph(o.ref() + " depends on " + d + ", but Persistence.tla's KindDeps has no <<\""
                            + o.ref().kind().tla + "\", \"" + d.kind().tla + "\">>");
                }
                if (byRef.containsKey(d)) {
                    n++;
                    dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(o.ref());
                } else if (!external.contains(d)) {
                    throw new BadGraph(o.ref() + " depends on " + d + ", which is not in the graph");
                }
            }
            missing.put(o.ref(), n);
        }
        TreeSet<ObjectRef> ready = new TreeSet<>();
        missing.forEach((r, n) -> {
            if (n == 0) {
                ready.add(r);
            }
        });
        List<KernelObject> out = new ArrayList<>(objects.size());
        while (!ready.isEmpty()) {
            ObjectRef r = ready.pollFirst();
            out.add(byRef.get(r));
            for (ObjectRef x : dependents.getOrDefault(r, List.of())) {
                if (missing.merge(x, -1, Integer::sum) == 0) {
                    ready.add(x);
                }
            }
        }
        if (out.size() != objects.size()) {
            List<ObjectRef> stuck = new ArrayList<>();
            missing.forEach((r, n) -> {
                if (n > 0) {
                    stuck.add(r);
                }
            });
            throw new BadGraph("dependency cycle among " + new TreeSet<>(stuck));
        }
        return out;
    }

    /** {@code roots} and everything they depend on, at any depth. */
    public static Set<ObjectRef> closure(Collection<KernelObject> objects, Collection<ObjectRef> roots) {
        Map<ObjectRef, KernelObject> byRef = new HashMap<>();
        objects.forEach(o -> byRef.put(o.ref(), o));
        Set<ObjectRef> seen = new HashSet<>();
        ArrayDeque<ObjectRef> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            ObjectRef r = todo.pop();
            if (seen.add(r)) {
                KernelObject o = byRef.get(r);
                if (o == null) {
                    throw new BadGraph(r + " is not in the graph");
                }
                todo.addAll(o.deps());
            }
        }
        return seen;
    }
}
