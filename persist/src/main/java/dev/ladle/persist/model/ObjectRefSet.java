package dev.ladle.persist.model;

import dev.ladle.kernel.gen.persistence.Kinds;
import java.util.AbstractSet;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A set of objects whose frames are kept as a bit set of their numbers, the other objects as themselves: a system has
 * tens of thousands of frames and a few hundred other objects, and a checkpoint or a restore meets every frame. Backed
 * by the bit set it is given (a frame added sets its bit) and, for the other objects, by {@code others}.
 */
public final class ObjectRefSet extends AbstractSet<ObjectRef> {
    private final BitSet frames;
    private final Set<ObjectRef> others;

    /** The frames numbered in {@code frames} (the set writes through to it) and the objects of {@code others}. */
    public ObjectRefSet(BitSet frames, Set<ObjectRef> others) {
        this.frames = frames;
        this.others = others;
    }

    /** The frames numbered in {@code frames}, and any object added later. */
    public ObjectRefSet(BitSet frames) {
        this(frames, new HashSet<>());
    }

    /** The frames' numbers (the set's own bit set). */
    BitSet frames() {
        return frames;
    }

    /** The objects other than frames (the set's own). */
    Set<ObjectRef> others() {
        return others;
    }

    private static boolean isFrame(ObjectRef r) {
        return r.kind() == Kinds.FRAME && r.id() >= 0;
    }

    @Override
    public boolean add(ObjectRef r) {
        if (isFrame(r)) {
            boolean had = frames.get(r.id());
            frames.set(r.id());
            return !had;
        }
        return others.add(r);
    }

    @Override
    public boolean contains(Object o) {
        return o instanceof ObjectRef r && (isFrame(r) ? frames.get(r.id()) : others.contains(r));
    }

    @Override
    public int size() {
        return frames.cardinality() + others.size();
    }

    @Override
    public Iterator<ObjectRef> iterator() {
        return Stream.concat(frames.stream().mapToObj(id -> new ObjectRef(Kinds.FRAME, id)), others.stream())
                .iterator();
    }
}
