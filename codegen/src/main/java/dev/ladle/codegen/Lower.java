package dev.ladle.codegen;

import dev.ladle.codegen.Ir.*;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tla2sany.semantic.ASTConstants;
import tla2sany.semantic.ExprNode;
import tla2sany.semantic.ExprOrOpArgNode;
import tla2sany.semantic.FormalParamNode;
import tla2sany.semantic.LetInNode;
import tla2sany.semantic.ModuleNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.OpDeclNode;
import tla2sany.semantic.OpDefNode;
import tla2sany.semantic.SemanticNode;
import tla2sany.semantic.StringNode;
import tla2sany.semantic.SubstInNode;

/**
 * Pass 2: check the subset, infer types from {@code TypeOK} and lower the module to {@link Ir}.
 *
 * <p>Types come first (constants' kinds from how they are used, string enums from the string sets that
 * appear, sequence bounds from {@code Len} comparisons, variable types from {@code TypeOK}); then Init,
 * Next, the actions and the invariants are lowered with those types. Every unsupported construct becomes a
 * located {@link Diagnostic}; lowering continues so one run reports them all.
 */
public final class Lower {

    /** The lowered spec (null when there were errors) and every error found. */
    /** The lowered spec (null when there were errors), every error, and notes (definitions left out). */
    public record Result(Spec spec, List<Diagnostic> errors, List<Diagnostic> notes) {}

    private final ModuleNode root;
    private final List<Diagnostic> errors = new ArrayList<>();
    private final List<Diagnostic> notes = new ArrayList<>();
    /** TypeOK, Init, Next, or the prefixed definitions that play those roles. */
    private final Map<String, String> roleNames =
            new HashMap<>(Map.of("TypeOK", "TypeOK", "Init", "Init", "Next", "Next"));

    private final Map<String, OpDefNode> defs = new LinkedHashMap<>();
    /** What type inference finds; the expressions are lowered with it. */
    private final Typing typing = new Typing();

    private final Set<String> usedDefs = new HashSet<>();
    private final Origins origins = new Origins();
    private final Exprs x = new Exprs(typing, origins);

    /** The spec's text, quoted by guard names and the generated Javadoc. */
    private final SourceText source;

    private Lower(ModuleNode root, java.nio.file.Path dir) {
        this.root = root;
        this.source = new SourceText(dir);
    }

    public static Result lower(ModuleNode root) {
        return lower(root, null);
    }

    /** As above; dir holds the spec's modules, whose text the generated Javadoc quotes. */
    public static Result lower(ModuleNode root, java.nio.file.Path dir) {
        Lower l = new Lower(root, dir);
        Spec spec = l.run();
        List<Diagnostic> errs = dedupe(l.errors);
        return new Result(errs.isEmpty() ? spec : null, errs, dedupe(l.notes));
    }

    private static List<Diagnostic> dedupe(List<Diagnostic> in) {
        return new ArrayList<>(new LinkedHashSet<>(in));
    }

    // ---------------------------------------------------------------- driver

    private Spec run() {
        for (OpDefNode d : root.getOpDefs()) {
            defs.put(d.getName().toString(), d);
        }
        String module = root.getName().toString();
        for (String needed : List.of("TypeOK", "Init", "Next")) {
            if (!defs.containsKey(needed)) {
                // a prefixed definition of the root module (PersistTypeOK, PersistInit, PersistNext) stands in
                List<OpDefNode> prefixed = defs.values().stream()
                        .filter(d -> d.getLocation() != null
                                && d.getLocation().source().equals(module)
                                && d.getArity() == 0
                                && d.getName().toString().endsWith(needed))
                        .toList();
                if (prefixed.size() == 1) {
                    defs.put(needed, prefixed.get(0));
                    roleNames.put(needed, prefixed.get(0).getName().toString());
                } else {
                    errors.add(new Diagnostic(
                            module,
                            1,
                            1,
                            "the spec defines no " + needed + " (nor exactly one <Prefix>" + needed + " in " + module
                                    + "; see docs/tla-subset.md)"));
                }
            }
        }
        if (!errors.isEmpty()) {
            return null;
        }
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
        List<Constant> constants = new ArrayList<>();
        List<Variable> data = new ArrayList<>();
        for (OpDeclNode c : Nodes.byLocation(root.getConstantDecls())) {
            String n = c.getName().toString();
            if (c.getArity() > 0) {
                errors.add(Diagnostic.at(c, "unsupported: constant operator " + n + " with parameters"));
            }
            constants.add(new Constant(n, typing.constKinds.get(n), typing.dataTypes.get(n)));
            if (typing.constKinds.get(n) == ConstKind.DATA) {
                checkStorable(typing.dataTypes.get(n), c, n);
                data.add(new Variable(n, typing.dataTypes.get(n), false));
            }
        }

        // Variable types from TypeOK: each conjunct v \in T (or v \subseteq S) types v.
        OpDefNode typeOk = defs.get("TypeOK");
        Env empty = Env.EMPTY;
        for (ExprNode conj : Nodes.conjuncts(typeOk.getBody())) {
            if (conj instanceof OpApplNode a
                    && a.getArgs().length == 2
                    && a.getArgs()[0] instanceof OpApplNode lhs
                    && lhs.getOperator() instanceof OpDeclNode v
                    && v.getKind() == ASTConstants.VariableDeclKind) {
                String op = Nodes.opName(a);
                if (op.equals("\\in") || op.equals("\\subseteq")) {
                    Diagnosed<Expr> typed = x.typeOf(v.getName().toString(), a.getArgs()[1]);
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
        List<Variable> variables = new ArrayList<>();
        for (OpDeclNode v : Nodes.byLocation(root.getVariableDecls())) {
            String n = v.getName().toString();
            Type t = typing.varTypes.get(n);
            if (t == null) {
                errors.add(Diagnostic.at(
                        v, "variable " + n + " has no type: add a conjunct `" + n + " \\in T` to TypeOK"));
                continue;
            }
            checkStorable(t, v, n);
            variables.add(new Variable(n, t, isGhost(n)));
        }
        if (!errors.isEmpty()) {
            return null;
        }
        Expr typeOkExpr = lower(typeOk.getBody(), empty, new BoolT());

        // Init: v = e for every variable.
        List<Init> init = new ArrayList<>();
        for (ExprNode conj : Nodes.conjuncts(defs.get("Init").getBody())) {
            if (conj instanceof OpApplNode a
                    && Nodes.opName(a).equals("=")
                    && a.getArgs()[0] instanceof OpApplNode lhs
                    && lhs.getOperator() instanceof OpDeclNode v
                    && v.getKind() == ASTConstants.VariableDeclKind) {
                String n = v.getName().toString();
                Expr value = lower(a.getArgs()[1], empty, typing.varTypes.get(n));
                if (value != null && !Fold.sameUniverse(typing.varTypes.get(n), value.type())) {
                    fail(a.getArgs()[1], Fold.differentRanges(typing.varTypes.get(n), value.type()));
                }
                init.add(new Init(n, value));
            } else {
                errors.add(Diagnostic.at(
                        conj, "unsupported in Init: only conjuncts `v = e` (Init must be deterministic)"));
            }
        }
        for (Variable v : variables) {
            if (init.stream().noneMatch(i -> i.var().equals(v.name()))) {
                errors.add(Diagnostic.at(defs.get("Init"), "Init does not set variable " + v.name()));
            }
        }

        // Next: a disjunction of \E bounds : Action(args).
        List<NextInstance> next = new ArrayList<>();
        flattenNext(defs.get("Next").getBody(), new ArrayList<>(), new ArrayList<>(), next);
        List<Action> actions = new ArrayList<>();
        Map<String, List<Param>> paramTypes = new LinkedHashMap<>();
        for (NextInstance ni : next) {
            if (paramTypes.containsKey(ni.action())) {
                continue;
            }
            Env env = Env.EMPTY;
            for (int i = 0; i < ni.bound().size(); i++) {
                Expr dom = lower(ni.domains().get(i), env, null);
                if (dom == null || !(dom.type() instanceof SetT st)) {
                    continue;
                }
                FormalParamNode b = ni.bound().get(i);
                env = env.bind(b, new Local(b.getName().toString(), st.elem()));
            }
            OpDefNode def = defs.get(ni.action());
            List<Param> params = new ArrayList<>();
            for (int i = 0; i < ni.args().size(); i++) {
                Expr arg = lower(ni.args().get(i), env, null);
                if (arg == null) {
                    continue;
                }
                String pn = def.getParams()[i].getName().toString();
                if (!arg.type().scalar()) {
                    checkStorable(arg.type(), ni.args().get(i), pn);
                }
                params.add(new Param(pn, arg.type()));
            }
            paramTypes.put(ni.action(), params);
        }
        for (var e : paramTypes.entrySet()) {
            actions.add(lowerAction(defs.get(e.getKey()), e.getValue()));
        }

        // Invariants: state predicates of the spec's own modules that Init, Next and TypeOK do not use.
        // One outside the subset is left out with a note: TLC still checks it, the machine just has no checker.
        List<Invariant> invariants = new ArrayList<>();
        List<String> unchecked = new ArrayList<>();
        usedDefs.addAll(
                Nodes.used(List.of(defs.get("Init").getBody(), defs.get("Next").getBody(), typeOk.getBody())));
        for (OpDefNode d : defs.values()) {
            String n = d.getName().toString();
            if (Nodes.isStandard(d)
                    || d.getArity() != 0
                    || d.getBody().getLevel() != 1
                    || usedDefs.contains(n)
                    || Set.of("TypeOK", "Init", "Next", "Spec", "vars").contains(n)
                    || roleNames.containsValue(n)
                    || n.endsWith("Init")
                    || d.getLocation() == null) {
                continue;
            }
            int before = errors.size();
            Expr body = lower(d.getBody(), Env.EMPTY, null);
            List<Diagnostic> why = new ArrayList<>(errors.subList(before, errors.size()));
            while (errors.size() > before) {
                errors.remove(errors.size() - 1);
            }
            if (body != null && body.type() instanceof BoolT && why.isEmpty()) {
                invariants.add(new Invariant(n, body, Diagnostic.at(d, n)));
            } else if (!why.isEmpty()) {
                unchecked.add(n);
                Diagnostic first = why.get(0);
                notes.add(new Diagnostic(
                        first.module(),
                        first.line(),
                        first.column(),
                        "invariant " + n + " has no generated checker: " + first.message()));
            }
        }
        return new Spec(
                module,
                constants,
                variables,
                data,
                typing.enums,
                roleNames.get("TypeOK"),
                typeOkExpr,
                init,
                actions,
                invariants,
                next,
                Diagnostic.at(typeOk, roleNames.get("TypeOK")),
                unchecked,
                origins);
    }

    static boolean isGhost(String name) {
        return name.length() > 1 && name.charAt(0) == 'h' && Character.isUpperCase(name.charAt(1));
    }

    private void checkStorable(Type t, SemanticNode where, String var) {
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
            checkStorable(f.range(), where, var);
        } else if (t instanceof RecT r) {
            r.types().forEach(x -> checkStorable(x, where, var));
        } else if (t instanceof TupT r) {
            r.types().forEach(x -> checkStorable(x, where, var));
        } else if (t instanceof SeqT s) {
            if (s.max() == null) {
                errors.add(Diagnostic.at(
                        where,
                        "sequence variable " + var + " has no bound: add `Len(" + var
                                + ") <= K` to TypeOK (or guard appends with `Len(...) < K`)"));
            }
            checkStorable(s.elem(), where, var);
        } else if (t instanceof RangeT r) {
            if (!Fold.isConstant(r.lo()) || !Fold.isConstant(r.hi())) {
                errors.add(Diagnostic.at(where, "range bounds of " + var + " must be constants"));
            }
        } else {
        }
    }

    // ---------------------------------------------------------------- type inference prepasses

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
        Set<SemanticNode> fieldNames = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
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
                k = lowerQuiet(range.getArgs()[1]);
                strict = false;
            } else if ((op.equals("\\leq") && !flipped) || (op.equals("\\geq") && flipped)) {
                k = lowerQuiet(r);
                strict = false;
            } else if ((op.equals("<") && !flipped) || (op.equals(">") && flipped)) {
                k = lowerQuiet(r);
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

    private Expr lowerQuiet(ExprOrOpArgNode n) {
        int before = errors.size();
        Expr e = lower(n, Env.EMPTY, new IntT());
        while (errors.size() > before) {
            errors.remove(errors.size() - 1);
        }
        return e;
    }

    /**
     * ASSUME C \\in T types a structured constant (a boot table: DATA); ASSUME C \\subseteq T makes C a set of
     * T's elements: a DATA bitset when they are finite scalars, else a DOMAIN only Next may range over.
     */
    private void typeConstantsFromAssumptions() {
        for (tla2sany.semantic.AssumeNode an : root.getAssumptions()) {
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
                int before = errors.size();
                Expr set = lower(a.getArgs()[1], Env.EMPTY, null);
                if (errors.size() > before || set == null || !(set.type() instanceof SetT st)) {
                    while (errors.size() > before) {
                        errors.remove(errors.size() - 1);
                    }
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

    // ---------------------------------------------------------------- Next and actions

    private void flattenNext(ExprNode n, List<FormalParamNode> bound, List<ExprNode> domains, List<NextInstance> out) {
        if (n instanceof OpApplNode a) {
            String op = Nodes.opName(a);
            if (op.equals("$DisjList") || op.equals("\\lor")) {
                for (ExprOrOpArgNode x : a.getArgs()) {
                    flattenNext((ExprNode) x, bound, domains, out);
                }
                return;
            }
            if (op.equals("$BoundedExists")) {
                List<FormalParamNode> b2 = new ArrayList<>(bound);
                List<ExprNode> d2 = new ArrayList<>(domains);
                FormalParamNode[][] lists = a.getBdedQuantSymbolLists();
                for (int i = 0; i < lists.length; i++) {
                    if (a.isBdedQuantATuple()[i]) {
                        errors.add(Diagnostic.at(
                                a, "unsupported: tuple-bound \\E in Next; bind each parameter separately"));
                        return;
                    }
                    for (FormalParamNode p : lists[i]) {
                        b2.add(p);
                        d2.add(a.getBdedQuantBounds()[i]);
                    }
                }
                flattenNext((ExprNode) a.getArgs()[0], b2, d2, out);
                return;
            }
            if (a.getOperator() instanceof OpDefNode d
                    && d.getKind() == ASTConstants.UserDefinedOpKind
                    && !Nodes.isStandard(d)) {
                ExprNode body = d.getBody();
                if (d.getArity() == 0 && body instanceof OpApplNode ba) {
                    String bop = Nodes.opName(ba);
                    if (bop.equals("$DisjList") || bop.equals("\\lor") || bop.equals("$BoundedExists")) {
                        String saved = flattening;
                        flattening = d.getName().toString();
                        flattenNext(body, bound, domains, out);
                        flattening = saved;
                        return;
                    }
                }
                for (ExprOrOpArgNode arg : a.getArgs()) {
                    if (!(arg instanceof ExprNode)) {
                        errors.add(Diagnostic.at(a, "unsupported: operator argument to action " + d.getName()));
                        return;
                    }
                }
                List<ExprOrOpArgNode> args = List.of(a.getArgs());
                out.add(new NextInstance(d.getName().toString(), List.copyOf(bound), List.copyOf(domains), args));
                return;
            }
        }
        if (flattening != null) {
            errors.add(Diagnostic.at(
                    n,
                    "unsupported in action " + flattening + ": its body is `\\E x \\in S : ...` around updates;"
                            + " give " + flattening + " the parameter x and write `\\E x \\in S : " + flattening
                            + "(x)` in Next"));
            return;
        }
        errors.add(Diagnostic.at(
                n,
                "unsupported in Next: expected a disjunction of `\\E x \\in S : Action(args)`; "
                        + "put updates inside a named action"));
    }

    /** The zero-argument definition whose body flattenNext is walking (null: Next itself). */
    private String flattening;

    private Action lowerAction(OpDefNode def, List<Param> params) {
        String name = def.getName().toString();
        Env env = Env.EMPTY;
        for (int i = 0; i < params.size(); i++) {
            FormalParamNode p = def.getParams()[i];
            env = env.bind(p, new Local(p.getName().toString(), params.get(i).type()));
        }
        List<ActionStep> steps = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        int[] counter = {0};
        Set<String> ids = new HashSet<>();
        int errorsBefore = errors.size();
        actionConjuncts(name, def.getBody(), env, steps, unchanged, counter, ids);
        boolean refusedConjunct = errors.size() > errorsBefore;
        Set<String> updated = new HashSet<>(unchanged);
        for (ActionStep s : steps) {
            if (s instanceof Update u && !updated.add(u.var())) {
                errors.add(Diagnostic.at(def, "action " + name + " updates " + u.var() + " twice"));
            }
        }
        for (OpDeclNode v : root.getVariableDecls()) {
            // after a refused conjunct the missing update is most likely inside it: one error is enough
            if (!refusedConjunct && !updated.contains(v.getName().toString())) {
                errors.add(Diagnostic.at(
                        def,
                        "action " + name + " neither updates nor leaves UNCHANGED variable " + v.getName()
                                + " (TLC would let it take any value)"));
            }
        }
        String header = source.firstLine(def.getLocation());
        return new Action(name, params, steps, unchanged, Diagnostic.at(def, name), header.strip());
    }

    private void actionConjuncts(
            String action,
            ExprNode n,
            Env env,
            List<ActionStep> steps,
            List<String> unchanged,
            int[] counter,
            Set<String> ids) {
        if (n instanceof LetInNode let) {
            actionConjuncts(action, let.getBody(), env, steps, unchanged, counter, ids);
            return;
        }
        if (n instanceof SubstInNode sub) {
            actionConjuncts(action, sub.getBody(), env.substitute(sub), steps, unchanged, counter, ids);
            return;
        }
        if (n instanceof OpApplNode a) {
            String op = Nodes.opName(a);
            if (op.equals("$ConjList") || op.equals("\\land")) {
                for (ExprOrOpArgNode x : a.getArgs()) {
                    actionConjuncts(action, (ExprNode) x, env, steps, unchanged, counter, ids);
                }
                return;
            }
            if (n.getLevel() >= 2) {
                if (op.equals("UNCHANGED")) {
                    counter[0]++;
                    unchangedVars(a.getArgs()[0], unchanged);
                    return;
                }
                if (op.equals("=")
                        && a.getArgs()[0] instanceof OpApplNode lhs
                        && Nodes.opName(lhs).equals("'")
                        && lhs.getArgs()[0] instanceof OpApplNode vn
                        && vn.getOperator() instanceof OpDeclNode v) {
                    counter[0]++;
                    String var = v.getName().toString();
                    if (a.getArgs()[1].getLevel() >= 2) {
                        errors.add(Diagnostic.at(
                                a.getArgs()[1], "unsupported: primed variables on the right of " + var + "' = ..."));
                        return;
                    }
                    Expr value = lower(a.getArgs()[1], env, typing.varTypes.get(var));
                    if (value != null && !Fold.sameUniverse(typing.varTypes.get(var), value.type())) {
                        fail(a.getArgs()[1], Fold.differentRanges(typing.varTypes.get(var), value.type()));
                        return;
                    }
                    steps.add(new Update(var, value));
                    return;
                }
                if (a.getOperator() instanceof OpDefNode d
                        && d.getKind() == ASTConstants.UserDefinedOpKind
                        && !Nodes.isStandard(d)) {
                    actionConjuncts(action, d.getBody(), env.withParams(d, a), steps, unchanged, counter, ids);
                    return;
                }
                String key = switch (op) {
                    case "$BoundedExists", "$UnboundedExists" -> "$BoundedExists'";
                    case "\\in" -> "\\in'";
                    case "$IfThenElse", "$Case" -> "$IfThenElse'";
                    default -> op;
                };
                errors.add(Diagnostic.at(
                        n, Subset.refusal(key, "`" + op + "` with primed variables") + " in action " + action));
                return;
            }
        }
        counter[0]++;
        String label;
        String id;
        var loc = n.getLocation();
        String text = source.of(loc);
        String fromText = GuardNames.nameFromText(text);
        if (n instanceof OpApplNode a
                && a.getOperator() instanceof OpDefNode d
                && d.getKind() == ASTConstants.UserDefinedOpKind
                && !Nodes.isStandard(d)) {
            label = d.getName().toString();
            id = GuardNames.upperSnake(action) + "_" + GuardNames.upperSnake(label);
        } else if (fromText != null) {
            // a guard the spec did not name is named after what it says: ~Busy is Guard.<ACTION>_NOT_BUSY
            label = text;
            id = GuardNames.upperSnake(action) + "_" + fromText;
        } else {
            label = "conjunct " + counter[0] + " at line " + loc.beginLine() + ", col " + loc.beginColumn();
            id = GuardNames.upperSnake(action) + "_CONJUNCT_" + counter[0];
            notes.add(Diagnostic.at(
                    n,
                    "guard " + label + " of " + action + " is named Guard." + id + ": define the condition as an"
                            + " operator to give it a name"));
        }
        String unique = id;
        for (int i = 2; !ids.add(unique); i++) {
            unique = id + "_" + i;
        }
        steps.add(new Guard(label, unique, lower(n, env, new BoolT()), Diagnostic.at(n, label), text));
    }

    private void unchangedVars(ExprOrOpArgNode n, List<String> out) {
        if (n instanceof OpApplNode a) {
            if (a.getOperator() instanceof OpDeclNode v && v.getKind() == ASTConstants.VariableDeclKind) {
                out.add(v.getName().toString());
                return;
            }
            String op = Nodes.opName(a);
            if (op.equals("$Tuple")) {
                for (ExprOrOpArgNode x : a.getArgs()) {
                    unchangedVars(x, out);
                }
                return;
            }
            if (a.getOperator() instanceof OpDefNode d && d.getArity() == 0 && !Nodes.isStandard(d)) {
                unchangedVars(d.getBody(), out);
                return;
            }
        }
        errors.add(Diagnostic.at(n, "unsupported in UNCHANGED: expected variables or a tuple of them"));
    }

    /** Lowers an expression in env, its diagnostics added to the run's. */
    private Expr lower(ExprOrOpArgNode n, Env env, Type expected) {
        Diagnosed<Expr> e = x.expr(n, env, expected);
        errors.addAll(e.errors());
        return e.value();
    }

    private Expr fail(SemanticNode n, String message) {
        errors.add(Diagnostic.at(n, message));
        return null;
    }
}
