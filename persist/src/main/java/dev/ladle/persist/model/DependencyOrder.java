package dev.ladle.persist.model;

import dev.ladle.kernel.gen.persistence.Kinds;
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
     *
     * <p>Objects are numbered by their place in kind-then-number order, a dependency is found by binary search in
     * that order, and the objects ready to go are a bit set over those numbers: no map, no boxing, no tree (a
     * checkpoint orders every frame of the system, tens of thousands, on every checkpoint).
     */
    public static List<KernelObject> order(Collection<KernelObject> objects, Set<ObjectRef> external) {
        List<KernelObject> out = new ArrayList<>(objects.size());
        framesFirst(objects, external).forEach(out::add);
        return out;
    }

    /**
     * {@link #order}'s order, handed out as it goes: frames are the first kind and depend on nothing, so Kahn's
     * algorithm takes every one of them first, by number, before anything else is ready. They are handed out without
     * being ranked, and the other objects (a few hundred beside tens of thousands of frames, but with an edge to every
     * frame a page table maps) are ordered only once the last frame has been taken, the frames counting as present:
     * a checkpoint streams its frames while the rest is ordered. A graph the specs do not allow is refused when the
     * frames run out ({@link BadGraph} from the iterator), or at once for a frame that appears twice.
     */
    public static Iterable<KernelObject> framesFirst(Collection<KernelObject> objects, Set<ObjectRef> external) {
        List<KernelObject> frames = new ArrayList<>();
        List<KernelObject> rest = new ArrayList<>();
        java.util.BitSet frameIds = new java.util.BitSet();
        boolean inOrder = true;
        for (KernelObject o : objects) {
            ObjectRef r = o.ref();
            if (r.kind() == Kinds.FRAME && r.id() >= 0 && o.deps().isEmpty()) {
                if (frameIds.get(r.id())) {
                    throw new BadGraph("object " + r + " appears twice");
                }
                inOrder &=
                        frames.isEmpty() || frames.get(frames.size() - 1).ref().id() < r.id();
                frameIds.set(r.id());
                frames.add(o);
            } else {
                rest.add(o);
            }
        }
        if (frames.isEmpty()) {
            return ranked(rest, external);
        }
        if (!inOrder) {
            frames.sort(java.util.Comparator.comparingInt(o -> o.ref().id()));
        }
        return () -> new java.util.Iterator<>() {
            private java.util.Iterator<KernelObject> at = frames.iterator();
            private boolean ranked;

            @Override
            public boolean hasNext() {
                if (!at.hasNext() && !ranked) {
                    ranked = true;
                    at = ranked(rest, present(frameIds, external)).iterator();
                }
                return at.hasNext();
            }

            @Override
            public KernelObject next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return at.next();
            }
        };
    }

    /** The frames numbered in {@code frames} and everything in {@code external}, as one set (frames as bits). */
    private static Set<ObjectRef> present(java.util.BitSet frames, Set<ObjectRef> external) {
        java.util.BitSet present = (java.util.BitSet) frames.clone();
        Set<ObjectRef> others;
        if (external instanceof ObjectRefSet known) {
            present.or(known.frames());
            others = known.others();
        } else {
            others = new HashSet<>();
            for (ObjectRef e : external) {
                if (e.kind() == Kinds.FRAME && e.id() >= 0) {
                    present.set(e.id());
                } else {
                    others.add(e);
                }
            }
        }
        return new ObjectRefSet(present, others);
    }

    /** {@link #order}'s algorithm, every object ranked (frames too: what the tests compare the order with). */
    static List<KernelObject> ranked(Collection<KernelObject> objects, Set<ObjectRef> external) {
        int n = objects.size();
        KernelObject[] byRank = objects.toArray(new KernelObject[0]);
        java.util.Arrays.sort(byRank, (a, b) -> a.ref().compareTo(b.ref()));
        ObjectRef[] refs = new ObjectRef[n];
        for (int i = 0; i < n; i++) {
            refs[i] = byRank[i].ref();
            if (i > 0 && refs[i].equals(refs[i - 1])) {
                throw new BadGraph("object " + refs[i] + " appears twice");
            }
        }
        // the ranks of each kind's objects are contiguous, their numbers ascending: a dependency's rank is found by its
        // number's distance from the kind's first (numbers usually run without gaps), else by a binary search
        int[] ids = new int[n];
        int[] kindFrom = new int[Kinds.values().length + 1];
        for (int i = 0; i < n; i++) {
            ids[i] = refs[i].id();
            kindFrom[refs[i].kind().ordinal() + 1]++;
        }
        for (int k = 1; k < kindFrom.length; k++) {
            kindFrom[k] += kindFrom[k - 1];
        }
        int[] missing = new int[n];
        int[] outDegree = new int[n + 1];
        int edges = 0;
        for (KernelObject o : byRank) {
            edges += o.deps().size();
        }
        int[] from = new int[edges];
        int[] to = new int[edges];
        int e = 0;
        for (int i = 0; i < n; i++) {
            KernelObject o = byRank[i];
            List<ObjectRef> deps = o.deps();
            for (int q = 0; q < deps.size(); q++) {
                ObjectRef d = deps.get(q);
                if (!KindDeps.allows(o.ref().kind(), d.kind())) {
                    throw new BadGraph(o.ref() + " depends on " + d + ", but Persistence.tla's KindDeps has no <<\""
                            + o.ref().kind().tla + "\", \"" + d.kind().tla + "\">>");
                }
                int j = rank(ids, kindFrom, d);
                if (j >= 0) {
                    missing[i]++;
                    from[e] = j;
                    to[e] = i;
                    e++;
                    outDegree[j + 1]++;
                } else if (!external.contains(d)) {
                    throw new BadGraph(o.ref() + " depends on " + d + ", which is not in the graph");
                }
            }
        }
        // dependents of j: dependents[start[j] .. start[j + 1])
        int[] start = outDegree;
        for (int j = 0; j < n; j++) {
            start[j + 1] += start[j];
        }
        int[] dependents = new int[e];
        int[] fill = java.util.Arrays.copyOf(start, n);
        for (int k = 0; k < e; k++) {
            dependents[fill[from[k]]++] = to[k];
        }
        // the ready objects by rank; every rank in it is at least `first`
        java.util.BitSet ready = new java.util.BitSet(n);
        for (int i = 0; i < n; i++) {
            if (missing[i] == 0) {
                ready.set(i);
            }
        }
        int first = 0;
        List<KernelObject> out = new ArrayList<>(n);
        for (int r = ready.nextSetBit(first); r >= 0; r = ready.nextSetBit(first)) {
            ready.clear(r);
            first = r;
            out.add(byRank[r]);
            for (int k = start[r]; k < start[r + 1]; k++) {
                int x = dependents[k];
                if (--missing[x] == 0) {
                    ready.set(x);
                    first = Math.min(first, x);
                }
            }
        }
        if (out.size() != n) {
            List<ObjectRef> stuck = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (missing[i] > 0) {
                    stuck.add(refs[i]);
                }
            }
            throw new BadGraph("dependency cycle among " + new TreeSet<>(stuck));
        }
        return out;
    }

    /** The rank of {@code d} among objects numbered {@code ids} (by kind from {@code kindFrom}); negative if absent. */
    private static int rank(int[] ids, int[] kindFrom, ObjectRef d) {
        int k = d.kind().ordinal();
        int lo = kindFrom[k];
        int hi = kindFrom[k + 1];
        if (lo == hi) {
            return -1;
        }
        long guess = lo + ((long) d.id() - ids[lo]);
        if (guess >= lo && guess < hi && ids[(int) guess] == d.id()) {
            return (int) guess;
        }
        return java.util.Arrays.binarySearch(ids, lo, hi, d.id());
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
