package dev.ladle.codegen;

import dev.ladle.codegen.Ir.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tla2sany.semantic.OpDefNode;
import tla2sany.semantic.SemanticNode;

/**
 * The invariants: state predicates of the spec's own modules that Init, Next and TypeOK do not use, each lowered
 * to a checker. One outside the subset is left out with a note (TLC still checks it, the machine just has no
 * checker); this pass gives no errors.
 */
final class Invariants {

    /** The invariants with a checker, and the names of those left out. */
    record Found(List<Invariant> checked, List<String> unchecked) {}

    private Invariants() {}

    static Diagnosed<Found> find(Roles.Found roles, Exprs x) {
        List<Invariant> invariants = new ArrayList<>();
        List<String> unchecked = new ArrayList<>();
        List<Diagnostic> notes = new ArrayList<>();
        List<SemanticNode> roots = List.of(
                roles.get("Init").getBody(),
                roles.get("Next").getBody(),
                roles.get("TypeOK").getBody());
        Set<String> used = Nodes.used(roots);
        for (OpDefNode d : roles.defs().values()) {
            String n = d.getName().toString();
            if (Nodes.isStandard(d)
                    || d.getArity() != 0
                    || d.getBody().getLevel() != 1
                    || used.contains(n)
                    || Set.of("TypeOK", "Init", "Next", "Spec", "vars").contains(n)
                    || roles.roleNames().containsValue(n)
                    || n.endsWith("Init")
                    || d.getLocation() == null) {
                continue;
            }
            Diagnosed<Expr> body = x.expr(d.getBody(), Env.EMPTY, null);
            if (body.value() != null && body.value().type() instanceof BoolT && body.ok()) {
                invariants.add(new Invariant(n, body.value(), Diagnostic.at(d, n)));
            } else if (!body.ok()) {
                unchecked.add(n);
                Diagnostic first = body.errors().get(0);
                notes.add(new Diagnostic(
                        first.module(),
                        first.line(),
                        first.column(),
                        "invariant " + n + " has no generated checker: " + first.message()));
            }
        }
        return new Diagnosed<>(new Found(invariants, unchecked), List.of(), notes);
    }
}
