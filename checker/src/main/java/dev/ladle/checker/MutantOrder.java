package dev.ladle.checker;

import dev.ladle.tla.Sany;
import dev.ladle.tla.SourceError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tla2sany.semantic.AssumeNode;
import tla2sany.semantic.LetInNode;
import tla2sany.semantic.ModuleNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.OpArgNode;
import tla2sany.semantic.OpDefNode;
import tla2sany.semantic.SemanticNode;

/**
 * Which models can tell a mutant from the spec, and in what order to run them: relevance first,
 * cost second.
 *
 * <p>For each model, SANY's semantic tree of its module gives the definitions that what its
 * configuration names (INIT, NEXT, SPECIFICATION, invariants, properties, constraints, {@code
 * <-} substitutions, and the module's ASSUMEs) use, directly or through others, through EXTENDS
 * and INSTANCE alike. A mutant changes the text of one definition only and adds no reference to
 * another, so when that definition is not among them, TLC evaluates exactly the same expressions
 * on the mutant as on the spec, and the model gives the same result: it is skipped for that
 * mutant, provably. Among the models that use the definition, those in which an action that uses
 * it was taken when the model ran unmutated (TLC's coverage; the initial predicate counts as
 * taken) run first; the others (the definition is used only by an action the model never takes,
 * or only by its checks) run after them, since a mutant can still enable an action its model
 * never took. Within each group, cheapest first by the time the model took unmutated.
 */
final class MutantOrder {

    /**
     * What one model uses.
     *
     * @param model the model
     * @param used {@code Module!Definition} of every definition its checked configuration uses
     * @param taken those used by its initial predicate or by an action it took unmutated; null
     *     when not known (no coverage), when every used definition counts as taken
     * @param seconds the time it took unmutated, or the manifest's generated states scaled when
     *     not measured
     */
    record Uses(String model, Set<String> used, Set<String> taken, double seconds) {
        boolean uses(String key) {
            return used.contains(key);
        }

        boolean relevant(String key) {
            return taken == null || taken.contains(key);
        }
    }

    private MutantOrder() {}

    /** {@code Module!Definition}: the key a mutant's definition is matched by. */
    static String key(String module, String definition) {
        return module + "!" + definition;
    }

    /**
     * What {@code model} (its module and cfg in {@code dir}) uses, with the actions {@code
     * coverage} says it took (empty: not known).
     *
     * @throws IllegalArgumentException naming the file when the model does not parse
     */
    static Uses of(Path dir, String model, List<ActionCoverage> coverage, double seconds) {
        Sany.Parsed parsed = Sany.resolve(dir.resolve(model + ".tla"));
        if (parsed.root() == null) {
            throw new IllegalArgumentException(String.join(
                    "\n", parsed.errors().stream().map(SourceError::toString).toList()));
        }
        ModuleNode root = parsed.root();
        CfgCheck.Cfg cfg = CfgCheck.read(dir.resolve(model + ".cfg"));
        Map<String, OpDefNode> byName = new HashMap<>();
        for (OpDefNode d : root.getOpDefs()) {
            byName.put(d.getName().toString(), d);
        }
        Map<OpDefNode, Boolean> seen = new LinkedHashMap<>();
        List<OpDefNode> behaviour = new ArrayList<>();
        for (String[] named : cfg.named()) {
            OpDefNode d = byName.get(named[1]);
            if (d != null) {
                reach(d, seen);
            }
        }
        for (AssumeNode a : root.getAssumptions()) {
            List<OpDefNode> calls = new ArrayList<>();
            collectCalls(a.getAssume(), calls);
            calls.forEach(c -> reach(c, seen));
        }
        Set<String> used = new HashSet<>();
        Map<String, OpDefNode> usedNodes = new HashMap<>();
        for (OpDefNode d : seen.keySet()) {
            String k = keyOf(d);
            if (k != null) {
                used.add(k);
                usedNodes.putIfAbsent(k, d);
            }
        }
        Set<String> taken = null;
        if (!coverage.isEmpty()) {
            taken = new HashSet<>();
            for (String n : List.of(cfg.init(), cfg.spec())) {
                OpDefNode d = byName.get(n);
                // The initial predicate always runs; a SPECIFICATION's Init is found below as an action.
                if (d != null && n.equals(cfg.init())) {
                    behaviour.add(d);
                }
            }
            for (ActionCoverage a : coverage) {
                OpDefNode d = usedNodes.get(key(a.module(), a.action()));
                if (d == null) {
                    // An action coverage names that the tree does not show: do not guess.
                    taken = null;
                    break;
                }
                if (a.init() || a.taken()) {
                    behaviour.add(d);
                }
            }
            if (taken != null) {
                Map<OpDefNode, Boolean> reached = new LinkedHashMap<>();
                behaviour.forEach(d -> reach(d, reached));
                for (OpDefNode d : reached.keySet()) {
                    String k = keyOf(d);
                    if (k != null) {
                        taken.add(k);
                    }
                }
            }
        }
        return new Uses(model, Set.copyOf(used), taken == null ? null : Set.copyOf(taken), seconds);
    }

    /**
     * The models that can kill a mutant of {@code key}, in the order to run them; the others are
     * left out.
     */
    static List<String> order(List<Uses> models, String key) {
        List<Uses> run = new ArrayList<>();
        for (Uses u : models) {
            if (u.uses(key)) {
                run.add(u);
            }
        }
        run.sort(Comparator.<Uses>comparingInt(u -> u.relevant(key) ? 0 : 1)
                .thenComparingDouble(Uses::seconds)
                .thenComparing(Uses::model));
        return run.stream().map(Uses::model).toList();
    }

    private static String keyOf(OpDefNode d) {
        if (d.getLocation() == null || d.getLocation().source() == null) {
            return null;
        }
        return key(d.getLocation().source(), d.getName().toString());
    }

    private static void reach(OpDefNode d, Map<OpDefNode, Boolean> seen) {
        if (d.getBody() == null || seen.putIfAbsent(d, Boolean.TRUE) != null) {
            return;
        }
        List<OpDefNode> calls = new ArrayList<>();
        collectCalls(d.getBody(), calls);
        for (OpDefNode c : calls) {
            reach(c, seen);
        }
    }

    private static void collectCalls(SemanticNode n, List<OpDefNode> calls) {
        if (n == null) {
            return;
        }
        if (n instanceof OpApplNode a && a.getOperator() instanceof OpDefNode od && od.getBody() != null) {
            calls.add(od);
        }
        if (n instanceof OpArgNode arg && arg.getOp() instanceof OpDefNode od && od.getBody() != null) {
            calls.add(od);
        }
        if (n instanceof LetInNode let) {
            for (OpDefNode d : let.getLets()) {
                calls.add(d);
                collectCalls(d.getBody(), calls);
            }
        }
        SemanticNode[] kids = n.getChildren();
        if (kids != null) {
            for (SemanticNode k : kids) {
                collectCalls(k, calls);
            }
        }
    }
}
