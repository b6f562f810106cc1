package dev.ladle.persist.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.kernel.gen.persistence.Kinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class KindDepsTest {
    /** The pairs of {@code KindDeps == {...}} as Persistence.tla states them. */
    static List<List<String>> specPairs() throws Exception {
        Path spec = Path.of(System.getProperty("ladle.specs", "../specs"), "src/main/tla/Persistence.tla");
        String text = Files.readString(spec);
        Matcher def =
                Pattern.compile("KindDeps\\s*==\\s*\\{(.*?)}", Pattern.DOTALL).matcher(text);
        assertTrue(def.find(), "Persistence.tla defines KindDeps");
        Matcher pair =
                Pattern.compile("<<\\s*\"(\\w+)\"\\s*,\\s*\"(\\w+)\"\\s*>>").matcher(def.group(1));
        List<List<String>> out = new ArrayList<>();
        while (pair.find()) {
            out.add(List.of(pair.group(1), pair.group(2)));
        }
        return out;
    }

    @Test
    void kindDepsAreThoseOfPersistenceTla() throws Exception {
        List<List<String>> ours = new ArrayList<>();
        for (String[] p : KindDeps.PAIRS) {
            ours.add(List.of(p[0], p[1]));
        }
        assertEquals(specPairs(), ours);
    }

    /**
     * The kinds a lazy recovery defers are those the spec's relation lets depend on frames and nothing else: page
     * tables; not frames (they depend on nothing, and have an index of their own) nor messages (they depend on
     * threads too).
     */
    @Test
    void theDeferredKindsAreThoseThatDependOnFramesOnly() {
        Set<Kinds> deferred = new HashSet<>();
        for (Kinds k : Kinds.values()) {
            if (KindDeps.deferred(k)) {
                deferred.add(k);
            }
        }
        assertEquals(Set.of(Kinds.PAGETABLE), deferred);
    }

    @Test
    void anEdgeOutsideTheKindRelationIsRefused() {
        KernelObject frame = new KernelObject(new ObjectRef(Kinds.FRAME, 0), List.of(), new byte[0]);
        KernelObject bad =
                new KernelObject(new ObjectRef(Kinds.FRAME, 1), List.of(new ObjectRef(Kinds.FRAME, 0)), new byte[0]);
        DependencyOrder.BadGraph e = assertThrows(
                DependencyOrder.BadGraph.class, () -> DependencyOrder.order(List.of(frame, bad), Set.of()));
        assertTrue(e.getMessage().contains("KindDeps has no <<\"frame\", \"frame\">>"), e.getMessage());
    }

    @Test
    void aDependencyOutsideTheGraphIsRefused() {
        KernelObject pt = new KernelObject(
                new ObjectRef(Kinds.PAGETABLE, 0), List.of(new ObjectRef(Kinds.FRAME, 9)), new byte[0]);
        DependencyOrder.BadGraph e =
                assertThrows(DependencyOrder.BadGraph.class, () -> DependencyOrder.order(List.of(pt), Set.of()));
        assertTrue(e.getMessage().contains("frame#9, which is not in the graph"), e.getMessage());
        assertEquals(
                1,
                DependencyOrder.order(List.of(pt), Set.of(new ObjectRef(Kinds.FRAME, 9)))
                        .size());
    }

    /**
     * The order finds a dependency by its kind and number, whatever the numbers: with gaps and negative numbers every
     * dependency is found, and one numbered between two present objects of its kind is refused as outside the graph.
     */
    @Test
    void objectsNumberedWithGapsAreFoundAndANumberInAGapIsRefused() {
        Random r = new Random(7);
        for (int round = 0; round < 100; round++) {
            List<ObjectRef> frames = new ArrayList<>();
            int id = r.nextInt(50) - 25;
            for (int i = 0; i < 1 + r.nextInt(40); i++) {
                frames.add(new ObjectRef(Kinds.FRAME, id));
                id += 1 + (r.nextInt(3) == 0 ? r.nextInt(5) : 0);
            }
            List<KernelObject> objs = new ArrayList<>();
            for (ObjectRef f : frames) {
                objs.add(new KernelObject(f, List.of(), new byte[0]));
            }
            List<ObjectRef> deps = new ArrayList<>(frames);
            java.util.Collections.shuffle(deps, r);
            objs.add(new KernelObject(new ObjectRef(Kinds.PAGETABLE, 3), deps, new byte[0]));
            java.util.Collections.shuffle(objs, r);
            List<KernelObject> order = DependencyOrder.order(objs, Set.of());
            assertEquals(Kinds.PAGETABLE, order.get(order.size() - 1).ref().kind(), "the page table comes last");
            Set<ObjectRef> ordered = new HashSet<>();
            order.forEach(o -> ordered.add(o.ref()));
            assertEquals(objs.size(), ordered.size());
            // a number in a gap between present frames, or before the first, or after the last
            Set<ObjectRef> present = new HashSet<>(frames);
            int lo = frames.get(0).id() - 2;
            int hi = frames.get(frames.size() - 1).id() + 2;
            for (int missing = lo; missing <= hi; missing++) {
                ObjectRef m = new ObjectRef(Kinds.FRAME, missing);
                if (present.contains(m)) {
                    continue;
                }
                List<KernelObject> bad = new ArrayList<>(objs);
                bad.add(new KernelObject(new ObjectRef(Kinds.PAGETABLE, 4), List.of(frames.get(0), m), new byte[0]));
                DependencyOrder.BadGraph e =
                        assertThrows(DependencyOrder.BadGraph.class, () -> DependencyOrder.order(bad, Set.of()));
                assertTrue(e.getMessage().contains(m + ", which is not in the graph"), e.getMessage());
            }
        }
    }

    /**
     * Frames go first without being ranked: the order is the one the ranked algorithm gives every object, frames in
     * any order of the input, some of them (and other objects) present already.
     */
    @Test
    void framesFirstIsTheOrderTheRankedAlgorithmGives() {
        Random r = new Random(11);
        for (int round = 0; round < 300; round++) {
            Map<Kinds, List<ObjectRef>> byKind = new HashMap<>();
            List<KernelObject> objs = new ArrayList<>();
            Set<ObjectRef> external = new HashSet<>();
            for (Kinds k : Kinds.values()) {
                int n = r.nextInt(k == Kinds.FRAME ? 30 : 4);
                for (int i = 0; i < n; i++) {
                    ObjectRef me = new ObjectRef(k, 2 * i + r.nextInt(2));
                    if (byKind.getOrDefault(k, List.of()).contains(me)) {
                        continue;
                    }
                    byKind.computeIfAbsent(k, x -> new ArrayList<>()).add(me);
                    if (r.nextInt(5) == 0) {
                        external.add(me); // restored or written before
                        continue;
                    }
                    List<ObjectRef> deps = new ArrayList<>();
                    for (Kinds d : Kinds.values()) {
                        if (KindDeps.allows(k, d)) {
                            for (ObjectRef x : byKind.getOrDefault(d, List.of())) {
                                if (!x.equals(me) && r.nextInt(3) == 0) {
                                    deps.add(x);
                                }
                            }
                        }
                    }
                    objs.add(new KernelObject(me, deps, new byte[0]));
                }
            }
            java.util.Collections.shuffle(objs, r);
            Set<ObjectRef> ext = r.nextBoolean() ? external : new ObjectRefSet(bits(external), others(external));
            List<ObjectRef> fast = DependencyOrder.order(objs, ext).stream()
                    .map(KernelObject::ref)
                    .toList();
            List<ObjectRef> ranked = DependencyOrder.ranked(objs, external).stream()
                    .map(KernelObject::ref)
                    .toList();
            assertEquals(ranked, fast);
        }
    }

    private static java.util.BitSet bits(Set<ObjectRef> refs) {
        java.util.BitSet b = new java.util.BitSet();
        refs.stream().filter(x -> x.kind() == Kinds.FRAME).forEach(x -> b.set(x.id()));
        return b;
    }

    private static Set<ObjectRef> others(Set<ObjectRef> refs) {
        Set<ObjectRef> o = new HashSet<>(refs);
        o.removeIf(x -> x.kind() == Kinds.FRAME);
        return o;
    }

    /** Random graphs that follow the kind relation: the order puts every object after all it depends on. */
    @Test
    void theOrderPutsEveryObjectAfterItsDependencies() {
        Random r = new Random(5);
        for (int round = 0; round < 200; round++) {
            Map<Kinds, List<ObjectRef>> byKind = new HashMap<>();
            List<KernelObject> objs = new ArrayList<>();
            // create kind by kind in the spec's order, each depending on random earlier objects it may depend on
            for (Kinds k : Kinds.values()) {
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    ObjectRef me = new ObjectRef(k, i);
                    List<ObjectRef> deps = new ArrayList<>();
                    for (Kinds d : Kinds.values()) {
                        if (KindDeps.allows(k, d)) {
                            for (ObjectRef x : byKind.getOrDefault(d, List.of())) {
                                if (r.nextBoolean()) {
                                    deps.add(x);
                                }
                            }
                        }
                    }
                    objs.add(new KernelObject(me, deps, new byte[0]));
                    byKind.computeIfAbsent(k, x -> new ArrayList<>()).add(me);
                }
            }
            java.util.Collections.shuffle(objs, r);
            List<KernelObject> order = DependencyOrder.order(objs, Set.of());
            assertEquals(objs.size(), order.size());
            Set<ObjectRef> done = new HashSet<>();
            for (KernelObject o : order) {
                assertTrue(done.containsAll(o.deps()), o.ref() + " before one of " + o.deps());
                done.add(o.ref());
            }
            if (!objs.isEmpty()) {
                KernelObject root = objs.get(0);
                Set<ObjectRef> c = DependencyOrder.closure(objs, List.of(root.ref()));
                assertTrue(c.contains(root.ref()) && c.containsAll(root.deps()));
                for (KernelObject o : objs) {
                    if (c.contains(o.ref())) {
                        assertTrue(c.containsAll(o.deps()), "closure is closed under dependencies");
                    }
                }
            }
        }
    }
}
