package dev.ladle.codegen;

import dev.ladle.codegen.Ir.*;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tla2sany.semantic.ASTConstants;
import tla2sany.semantic.AssumeNode;
import tla2sany.semantic.ExprNode;
import tla2sany.semantic.ExprOrOpArgNode;
import tla2sany.semantic.ModuleNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.OpDeclNode;
import tla2sany.semantic.OpDefNode;
import tla2sany.semantic.SemanticNode;
import tla2sany.semantic.StringNode;

/**
 * Type inference: from the module and its roles to a {@link Typing}. Constants' kinds come from how they are used
 * (a constant where a set is expected is a set of model values), string enums from the string sets that appear,
 * sequence bounds from {@code Len} comparisons, data constants' types from ASSUME, variables' types from
 * {@code TypeOK}. Each step lowers expressions ({@link Exprs}) with what the steps before it found. Errors: a
 * variable without a type, a constant operator, a type with no finite layout.
 */
final class Types {

    private final ModuleNode root;
    private final Map<String, OpDefNode> defs;
    private final Exprs exprs;
    private final Typing typing;
    private final Origins origins;
    private final List<Diagnostic> errors = new ArrayList<>();

    private Types(ModuleNode root, Roles.Found roles, Exprs x, Origins origins) {
        this.root = root;
        this.defs = roles.defs();
        this.exprs = x;
        this.typing = x.typing();
        this.origins = origins;
    }

    /** Fills the typing x lowers with (and the TypeOK conjuncts in origins); the typing with its errors. */
    static Diagnosed<Typing> infer(ModuleNode root, Roles.Found roles, Exprs x, Origins origins) {
        Types t = new Types(root, roles, x, origins);
        t.run();
        return Diagnosed.of(t.typing, t.errors);
    }

    private void run() {
        List<SemanticNode> roots = new ArrayList<>();
        for (OpDefNode d : defs.values()) {
            if (!Nodes.isStandard(d)) {
                roots.add(d.getBody());
            }
        }
        inferConstantKinds(roots);
        for (OpDeclNode c : root.getConstantDecls()) {
            typing.constKinds.putIfAbsent(c.getName().toString(), ConstKind.INT);
        }
        inferEnums(roots);
        inferSeqBounds(roots);
        typeConstantsFromAssumptions();
        for (OpDeclNode c : Nodes.byLocation(root.getConstantDecls())) {
            String n = c.getName().toString();
            if (c.getArity() > 0) {
                errors.add(Diagnostic.at(c, "unsupported: constant operator " + n + " with parameters"));
            }
            typing.constants.add(new Constant(n, typing.constKinds.get(n), typing.dataTypes.get(n)));
            if (typing.constKinds.get(n) == ConstKind.DATA) {
                errors.addAll(storable(typing.dataTypes.get(n), c, n));
                typing.data.add(new Variable(n, typing.dataTypes.get(n), false));
            }
        }
        typeVariables();
    }

    /** Variable types from TypeOK: each conjunct v \in T (or v \subseteq S) types v. */
    private void typeVariables() {
        for (ExprNode conj : Nodes.conjuncts(defs.get("TypeOK").getBody())) {
            if (conj instanceof OpApplNode a
                    && a.getArgs().length == 2
                    && a.getArgs()[0] instanceof OpApplNode lhs
                    && lhs.getOperator() instanceof OpDeclNode v
                    && v.getKind() == ASTConstants.VariableDeclKind) {
                String op = Nodes.opName(a);
                if (op.equals("\\in") || op.equals("\\subseteq")) {
                    Diagnosed<Expr> typed = exprs.typeOf(v.getName().toString(), a.getArgs()[1]);
                    errors.addAll(typed.errors());
                    Expr set = typed.value();
                    if (set != null && set.type() instanceof SetT st) {
                        typing.varTypes.put(v.getName().toString(), op.equals("\\in") ? st.elem() : st);
                        origins.typed(
                                v.getName().toString(),
                                Diagnostic.at(conj, v.getName().toString()));
                    }
                }
            }
        }
        for (OpDeclNode v : Nodes.byLocation(root.getVariableDecls())) {
            String n = v.getName().toString();
            Type t = typing.varTypes.get(n);
            if (t == null) {
                errors.add(Diagnostic.at(
                        v, "variable " + n + " has no type: add a conjunct `" + n + " \\in T` to TypeOK"));
                continue;
            }
            errors.addAll(storable(t, v, n));
            typing.variables.add(new Variable(n, t, Lower.isGhost(n)));
        }
    }

    /** A sequence bound as written (errors dropped: a bound outside the subset is no bound). */
    private Expr bound(ExprOrOpArgNode n) {
        return exprs.expr(n, Env.EMPTY, new IntT()).value();
    }

    private static final Set<String> SET_POSITION_OPS = Set.of(
            "\\in",
            "\\notin",
            "\\subseteq",
            "\\cup",
            "\\cap",
            "\\",
            "SUBSET",
            "$SetOfFcns",
            "Cardinality",
            "\\X",
            "\\times",
            "$CartesianProd",
            "Seq",
            "$SetOfRcds");

    private void inferConstantKinds(List<SemanticNode> roots) {
        Nodes.walk(roots, n -> {
            if (!(n instanceof OpApplNode a)) {
                return;
            }
            String op = Nodes.opName(a);
            ExprOrOpArgNode[] args = a.getArgs();
            List<SemanticNode> setArgs = new ArrayList<>();
            if (SET_POSITION_OPS.contains(op)) {
                for (int i = op.equals("\\in") || op.equals("\\notin") ? 1 : 0; i < args.length; i++) {
                    setArgs.add(args[i]);
                }
            }
            if (op.equals("$SetOfRcds")) {
                for (ExprOrOpArgNode p : args) {
                    if (p instanceof OpApplNode pair && pair.getArgs().length == 2) {
                        setArgs.add(pair.getArgs()[1]);
                    }
                }
            }
            if (a.getBdedQuantBounds() != null) {
                setArgs.addAll(List.of(a.getBdedQuantBounds()));
            }
            for (SemanticNode s : setArgs) {
                if (s instanceof OpApplNode r
                        && r.getOperator() instanceof OpDeclNode c
                        && c.getKind() == ASTConstants.ConstantDeclKind) {
                    typing.constKinds.put(c.getName().toString(), ConstKind.MODEL_SET);
                }
            }
        });
    }

    /** Groups the string sets that share a string into one enum each (so one string has one ordinal). */
    private void inferEnums(List<SemanticNode> roots) {
        List<List<String>> sets = new ArrayList<>();
        Set<String> loose = new TreeSet<>();
        Map<List<String>, String> namesFor = new HashMap<>();
        for (OpDefNode d : defs.values()) {
            if (!Nodes.isStandard(d) && d.getArity() == 0 && Nodes.stringSet(d.getBody()) != null) {
                namesFor.putIfAbsent(Nodes.stringSet(d.getBody()), d.getName().toString());
            }
        }
        // record field names are strings to SANY but not values: keep them out of the enums
        Set<SemanticNode> fieldNames = Collections.newSetFromMap(new IdentityHashMap<>());
        Nodes.walk(roots, n -> {
            if (!(n instanceof OpApplNode a)) {
                return;
            }
            String op = Nodes.opName(a);
            if (op.equals("$RcdConstructor") || op.equals("$SetOfRcds")) {
                for (ExprOrOpArgNode p : a.getArgs()) {
                    if (p instanceof OpApplNode pair && pair.getArgs().length == 2) {
                        fieldNames.add(pair.getArgs()[0]);
                    }
                }
            } else if (op.equals("$RcdSelect") && a.getArgs().length == 2) {
                fieldNames.add(a.getArgs()[1]);
            } else if (op.equals("$Except")) {
                for (int i = 1; i < a.getArgs().length; i++) {
                    if (a.getArgs()[i] instanceof OpApplNode pair && pair.getArgs()[0] instanceof OpApplNode path) {
                        for (ExprOrOpArgNode step : path.getArgs()) {
                            if (step instanceof StringNode) {
                                fieldNames.add(step);
                            }
                        }
                    }
                }
            }
        });
        Nodes.walk(roots, n -> {
            List<String> s = Nodes.stringSet(n);
            if (s != null) {
                sets.add(s);
            }
            if (n instanceof StringNode str && !fieldNames.contains(n)) {
                loose.add(str.getRep().toString());
            }
            // v \in {"a", "b"} names the enum after the variable
            if (n instanceof OpApplNode a
                    && Nodes.opName(a).equals("\\in")
                    && a.getArgs().length == 2
                    && a.getArgs()[0] instanceof OpApplNode lhs
                    && lhs.getOperator() instanceof OpDeclNode v) {
                List<String> s2 = Nodes.stringSet(a.getArgs()[1]);
                if (s2 != null) {
                    namesFor.putIfAbsent(s2, Nodes.capitalize(v.getName().toString()));
                }
                if (a.getArgs()[1] instanceof OpApplNode f && Nodes.opName(f).equals("$SetOfFcns")) {
                    List<String> s3 = Nodes.stringSet(f.getArgs()[1]);
                    if (s3 != null) {
                        namesFor.putIfAbsent(s3, Nodes.capitalize(v.getName().toString()));
                    }
                }
            }
        });
        for (String s : loose) {
            if (sets.stream().noneMatch(x -> x.contains(s))) {
                sets.add(List.of(s));
            }
        }
        // union-find over strings
        Map<String, String> parent = new HashMap<>();
        for (List<String> s : sets) {
            for (String x : s) {
                parent.putIfAbsent(x, x);
                union(parent, s.get(0), x);
            }
        }
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (List<String> s : sets) {
            for (String x : s) {
                List<String> g = groups.computeIfAbsent(find(parent, x), k -> new ArrayList<>());
                if (!g.contains(x)) {
                    g.add(x);
                }
            }
        }
        Set<String> usedNames = new HashSet<>();
        for (List<String> g : groups.values()) {
            String name = null;
            for (List<String> s : sets) {
                if (g.containsAll(s) && namesFor.containsKey(s)) {
                    name = namesFor.get(s);
                    break;
                }
            }
            if (name == null || usedNames.contains(name)) {
                name = "Strings" + (typing.enums.size() + 1);
            }
            usedNames.add(name);
            EnumT e = new EnumT(name, List.copyOf(g));
            typing.enums.add(e);
            g.forEach(x -> typing.enumOf.put(x, e));
        }
    }

    private static String find(Map<String, String> parent, String x) {
        while (!parent.get(x).equals(x)) {
            x = parent.get(x);
        }
        return x;
    }

    private static void union(Map<String, String> parent, String a, String b) {
        parent.put(find(parent, a), find(parent, b));
    }

    /** Sequence bounds: Len(v...) <= K in TypeOK, or a guard Len(v...) < K before an append. */
    private void inferSeqBounds(List<SemanticNode> roots) {
        Map<String, Expr> fromGuards = new HashMap<>();
        Set<SemanticNode> inTypeOk = new HashSet<>();
        Nodes.walk(List.of(defs.get("TypeOK").getBody()), inTypeOk::add);
        Nodes.walk(roots, n -> {
            if (!(n instanceof OpApplNode a) || a.getArgs().length != 2) {
                return;
            }
            String op = Nodes.opName(a);
            ExprOrOpArgNode l = a.getArgs()[0];
            ExprOrOpArgNode r = a.getArgs()[1];
            if (l == null || r == null) {
                // the OTHER arm of a CASE is a pair with no condition
                return;
            }
            boolean flipped = false;
            if (!Nodes.isLen(l) && Nodes.isLen(r)) {
                ExprOrOpArgNode t = l;
                l = r;
                r = t;
                flipped = true;
            }
            if (!Nodes.isLen(l) || r.getLevel() != 0) {
                return;
            }
            String var = Nodes.seqKey(((OpApplNode) l).getArgs()[0]);
            if (var == null) {
                return;
            }
            Expr k;
            boolean strict;
            if (op.equals("\\in")
                    && !flipped
                    && r instanceof OpApplNode range
                    && Nodes.opName(range).equals("..")) {
                k = bound(range.getArgs()[1]);
                strict = false;
            } else if ((op.equals("\\leq") && !flipped) || (op.equals("\\geq") && flipped)) {
                k = bound(r);
                strict = false;
            } else if ((op.equals("<") && !flipped) || (op.equals(">") && flipped)) {
                k = bound(r);
                strict = true;
            } else {
                return;
            }
            if (k == null) {
                return;
            }
            if (inTypeOk.contains(n)) {
                typing.seqBounds.put(var, strict ? new Bin(BinOp.SUB, k, new IntLit(1)) : k);
            } else {
                fromGuards.putIfAbsent(var, k);
            }
        });
        fromGuards.forEach(typing.seqBounds::putIfAbsent);
        // Len(x) = Len(y) (stated as an invariant, checked by TLC) gives x the bound of y
        Nodes.walk(roots, n -> {
            if (n instanceof OpApplNode a
                    && a.getArgs().length == 2
                    && Nodes.opName(a).equals("=")
                    && Nodes.isLen(a.getArgs()[0])
                    && Nodes.isLen(a.getArgs()[1])) {
                String x = Nodes.seqKey(((OpApplNode) a.getArgs()[0]).getArgs()[0]);
                String y = Nodes.seqKey(((OpApplNode) a.getArgs()[1]).getArgs()[0]);
                if (x != null && y != null) {
                    if (typing.seqBounds.containsKey(y)) {
                        typing.seqBounds.putIfAbsent(x, typing.seqBounds.get(y));
                    } else if (typing.seqBounds.containsKey(x)) {
                        typing.seqBounds.putIfAbsent(y, typing.seqBounds.get(x));
                    }
                }
            }
        });
    }

    /**
     * ASSUME C \\in T types a structured constant (a boot table: DATA); ASSUME C \\subseteq T makes C a set of
     * T's elements: a DATA bitset when they are finite scalars, else a DOMAIN only Next may range over.
     */
    private void typeConstantsFromAssumptions() {
        for (AssumeNode an : root.getAssumptions()) {
            for (ExprNode conj : Nodes.conjuncts(an.getAssume())) {
                if (!(conj instanceof OpApplNode a)
                        || a.getArgs().length != 2
                        || !(a.getArgs()[0] instanceof OpApplNode lhs)
                        || !(lhs.getOperator() instanceof OpDeclNode c)
                        || c.getKind() != ASTConstants.ConstantDeclKind) {
                    continue;
                }
                String op = Nodes.opName(a);
                if (!op.equals("\\in") && !op.equals("\\subseteq")) {
                    continue;
                }
                // a set outside the subset leaves the constant as it was: its uses are refused where they are
                Diagnosed<Expr> typed = exprs.expr(a.getArgs()[1], Env.EMPTY, null);
                Expr set = typed.value();
                if (!typed.ok() || set == null || !(set.type() instanceof SetT st)) {
                    continue;
                }
                String n = c.getName().toString();
                origins.typed(n, Diagnostic.at(conj, n));
                if (op.equals("\\in") && !st.elem().scalar()) {
                    typing.constKinds.put(n, ConstKind.DATA);
                    typing.dataTypes.put(n, st.elem());
                } else if (op.equals("\\subseteq") && st.elem().finite()) {
                    typing.constKinds.put(n, ConstKind.DATA);
                    typing.dataTypes.put(n, st);
                } else if (op.equals("\\subseteq")) {
                    typing.constKinds.put(n, ConstKind.DOMAIN);
                    typing.dataTypes.put(n, st.elem());
                }
            }
        }
    }

    /** The errors storing a value of type t (of var) in the state gives: none when it has a finite layout. */
    static List<Diagnostic> storable(Type t, SemanticNode where, String var) {
        List<Diagnostic> out = new ArrayList<>();
        storable(t, where, var, out);
        return out;
    }

    private static void storable(Type t, SemanticNode where, String var, List<Diagnostic> errors) {
        if (t instanceof SetT s) {
            if (!s.elem().finite()) {
                errors.add(Diagnostic.at(where, Subset.refusal("$SetOfStructured", "") + " (variable " + var + ")"));
            }
        } else if (t instanceof FunT f) {
            if (!f.dom().finite()) {
                errors.add(Diagnostic.at(
                        where,
                        "unsupported: the domain of " + var
                                + " is not a finite scalar set (model values, strings, a..b, BOOLEAN)"));
            }
            storable(f.range(), where, var, errors);
        } else if (t instanceof RecT r) {
            r.types().forEach(e -> storable(e, where, var, errors));
        } else if (t instanceof TupT r) {
            r.types().forEach(e -> storable(e, where, var, errors));
        } else if (t instanceof SeqT s) {
            if (s.max() == null) {
                errors.add(Diagnostic.at(
                        where,
                        "sequence variable " + var + " has no bound: add `Len(" + var
                                + ") <= K` to TypeOK (or guard appends with `Len(...) < K`)"));
            }
            storable(s.elem(), where, var, errors);
        } else if (t instanceof RangeT r) {
            if (!Fold.isConstant(r.lo()) || !Fold.isConstant(r.hi())) {
                errors.add(Diagnostic.at(where, "range bounds of " + var + " must be constants"));
            }
        }
    }
}
