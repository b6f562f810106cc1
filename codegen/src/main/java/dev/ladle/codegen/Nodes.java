package dev.ladle.codegen;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import tla2sany.semantic.ASTConstants;
import tla2sany.semantic.ExprNode;
import tla2sany.semantic.ExprOrOpArgNode;
import tla2sany.semantic.LetInNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.OpDeclNode;
import tla2sany.semantic.OpDefNode;
import tla2sany.semantic.SemanticNode;
import tla2sany.semantic.StringNode;

/** Questions about SANY's tree that every pass asks: an operator's one name, conjuncts, standard modules, a walk. */
final class Nodes {

    private static final Set<String> STANDARD = Set.of(
            "Naturals",
            "Integers",
            "Sequences",
            "FiniteSets",
            "TLC",
            "Bags",
            "Reals",
            "RealTime",
            "TLCExt",
            "Randomization",
            "Json",
            "Toolbox",
            "Functions",
            "SequencesExt",
            "FiniteSetsExt",
            "Folds",
            "IOUtils",
            "CSV",
            "Bitwise",
            "DyadicRationals",
            "Graphs",
            "Relation");

    private static final Map<String, String> SYNONYMS = Map.ofEntries(
            Map.entry("\\union", "\\cup"),
            Map.entry("\\intersect", "\\cap"),
            Map.entry("=>", "\\implies"),
            Map.entry("\\neg", "\\lnot"),
            Map.entry("~", "\\lnot"),
            Map.entry("/\\", "\\land"),
            Map.entry("\\/", "\\lor"),
            Map.entry("<=>", "\\equiv"),
            Map.entry("#", "/="),
            Map.entry("<=", "\\leq"),
            Map.entry("=<", "\\leq"),
            Map.entry(">=", "\\geq"),
            Map.entry("\\times", "\\X"),
            Map.entry("\\notin", "\\notin"),
            Map.entry("\\o", "\\o"),
            Map.entry("\\circ", "\\o"));

    private Nodes() {}

    /** SANY keeps the spelling the author used; the lowering works on one name per operator. */
    static String canon(String op) {
        return SYNONYMS.getOrDefault(op, op);
    }

    static String opName(OpApplNode a) {
        return canon(a.getOperator().getName().toString());
    }

    /** Whether d comes from a standard module (Naturals, Sequences, ...) rather than the spec's own. */
    static boolean isStandard(OpDefNode d) {
        return d.getLocation() == null || STANDARD.contains(d.getLocation().source());
    }

    /** SANY returns declarations in hash order; the spec's order is the one a reader expects. */
    static List<OpDeclNode> byLocation(OpDeclNode[] decls) {
        List<OpDeclNode> out = new ArrayList<>(List.of(decls));
        out.sort(Comparator.comparing((OpDeclNode d) -> d.getLocation().source())
                .thenComparingInt(d -> d.getLocation().beginLine())
                .thenComparingInt(d -> d.getLocation().beginColumn()));
        return out;
    }

    /** The conjuncts of n, through bulleted lists and zero-argument definitions of the spec. */
    static List<ExprNode> conjuncts(ExprNode n) {
        List<ExprNode> out = new ArrayList<>();
        if (n instanceof OpApplNode a) {
            String op = opName(a);
            if (op.equals("$ConjList") || op.equals("\\land")) {
                for (ExprOrOpArgNode x : a.getArgs()) {
                    out.addAll(conjuncts((ExprNode) x));
                }
                return out;
            }
            if (a.getOperator() instanceof OpDefNode d
                    && d.getArity() == 0
                    && d.getKind() == ASTConstants.UserDefinedOpKind
                    && !isStandard(d)) {
                return conjuncts(d.getBody());
            }
        }
        out.add(n);
        return out;
    }

    /** Visits every node under the roots and the bodies of their LET definitions (each once). */
    static void walk(List<SemanticNode> roots, Consumer<SemanticNode> f) {
        Set<SemanticNode> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayList<SemanticNode> stack = new ArrayList<>(roots);
        while (!stack.isEmpty()) {
            SemanticNode n = stack.remove(stack.size() - 1);
            if (n == null || !seen.add(n)) {
                continue;
            }
            f.accept(n);
            SemanticNode[] kids = n.getChildren();
            if (kids != null) {
                for (SemanticNode k : kids) {
                    stack.add(k);
                }
            }
            if (n instanceof LetInNode let) {
                for (OpDefNode d : let.getLets()) {
                    stack.add(d.getBody());
                }
            }
        }
    }

    /** The names of the spec's definitions reachable from the roots, through the bodies of those they use. */
    static Set<String> used(List<SemanticNode> roots) {
        Set<String> used = new HashSet<>();
        List<SemanticNode> work = new ArrayList<>(roots);
        while (!work.isEmpty()) {
            List<SemanticNode> next = new ArrayList<>();
            walk(work, n -> {
                if (n instanceof OpApplNode a
                        && a.getOperator() instanceof OpDefNode d
                        && !isStandard(d)
                        && used.add(d.getName().toString())
                        && d.getBody() != null) {
                    next.add(d.getBody());
                }
            });
            work = next;
        }
        return used;
    }

    /** The strings of a non-empty set literal of strings ({"a", "b"}), else null. */
    static List<String> stringSet(SemanticNode n) {
        if (n instanceof OpApplNode a && opName(a).equals("$SetEnumerate") && a.getArgs().length > 0) {
            List<String> out = new ArrayList<>();
            for (ExprOrOpArgNode x : a.getArgs()) {
                if (!(x instanceof StringNode s)) {
                    return null;
                }
                out.add(s.getRep().toString());
            }
            return out;
        }
        return null;
    }

    static boolean isLen(ExprOrOpArgNode n) {
        return n instanceof OpApplNode a && opName(a).equals("Len");
    }

    /**
     * The key of a sequence's bound: its variable and how many applications, field selections or Heads lie
     * between the variable and the sequence ("q@0" for q, "q@1" for q[i] or Head(q)), so the sequences inside
     * a sequence of sequences get their own bound. The typing pass counts type constructors the same way.
     */
    static String seqKey(ExprOrOpArgNode n) {
        int depth = 0;
        ExprOrOpArgNode x = n;
        while (x instanceof OpApplNode a) {
            if (a.getOperator() instanceof OpDeclNode v && v.getKind() == ASTConstants.VariableDeclKind) {
                return v.getName().toString() + "@" + depth;
            }
            String op = opName(a);
            if (!op.equals("$FcnApply") && !op.equals("$RcdSelect") && !op.equals("Head")) {
                return null;
            }
            depth++;
            x = a.getArgs()[0];
        }
        return null;
    }

    static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
