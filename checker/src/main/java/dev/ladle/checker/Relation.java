package dev.ladle.checker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
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

    /**
     * Relations as JSON, the one encoding both the reports and the Alloy child JVM use: an array of
     * {@code {"name", "kind", "tuples": [[atom, ...], ...]}}.
     */
    static ArrayNode toJson(List<Relation> relations) {
        ArrayNode rels = JsonNodeFactory.instance.arrayNode();
        for (Relation rel : relations) {
            ArrayNode tuples = rels.addObject()
                    .put("name", rel.name())
                    .put("kind", rel.kind())
                    .putArray("tuples");
            for (List<String> tuple : rel.tuples()) {
                ArrayNode tn = tuples.addArray();
                tuple.forEach(tn::add);
            }
        }
        return rels;
    }

    /** Reads what {@link #toJson} wrote. */
    static List<Relation> fromJson(JsonNode array) {
        List<Relation> relations = new ArrayList<>();
        for (JsonNode rel : array) {
            List<List<String>> tuples = new ArrayList<>();
            for (JsonNode t : rel.path("tuples")) {
                List<String> atoms = new ArrayList<>();
                t.forEach(a -> atoms.add(a.asText()));
                tuples.add(atoms);
            }
            relations.add(
                    new Relation(rel.path("name").asText(), rel.path("kind").asText(), tuples));
        }
        return relations;
    }
}
