package dev.ladle.checker;

import java.util.List;

/**
 * One relation of an Alloy instance or counterexample: a signature, a field or a skolem
 * constant (the witness Alloy picked for a quantified variable), with its atom tuples.
 *
 * @param name {@code Node}, {@code Node.edges}, or the skolem's name such as {@code $Symmetric_a}
 * @param kind {@code sig}, {@code field} or {@code skolem}
 * @param tuples each tuple as its atoms, such as {@code [Node$0, Node$1]}
 */
public record Relation(String name, String kind, List<List<String>> tuples) {
    public Relation {
        tuples = tuples.stream().map(List::copyOf).toList();
    }
}
