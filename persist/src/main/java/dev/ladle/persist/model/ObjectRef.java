package dev.ladle.persist.model;

import dev.ladle.kernel.gen.persistence.Kinds;

/** A kernel object by kind and number (numbers are per kind). */
public record ObjectRef(Kinds kind, int id) implements Comparable<ObjectRef> {
    @Override
    public int compareTo(ObjectRef o) {
        int c = Integer.compare(kind.ordinal(), o.kind.ordinal());
        return c != 0 ? c : Integer.compare(id, o.id);
    }

    @Override
    public String toString() {
        return kind.tla + "#" + id;
    }
}
