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
import tla2sany.semantic.AtNode;
import tla2sany.semantic.ExprNode;
import tla2sany.semantic.ExprOrOpArgNode;
import tla2sany.semantic.FormalParamNode;
import tla2sany.semantic.LetInNode;
import tla2sany.semantic.ModuleNode;
import tla2sany.semantic.NumeralNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.OpDeclNode;
import tla2sany.semantic.OpDefNode;
import tla2sany.semantic.SemanticNode;
import tla2sany.semantic.StringNode;
import tla2sany.semantic.SymbolNode;

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
    private final Map<String, Type> dataTypes = new LinkedHashMap<>();
    /** TypeOK, Init, Next, or the prefixed definitions that play those roles. */
    private final Map<String, String> roleNames =
            new HashMap<>(Map.of("TypeOK", "TypeOK", "Init", "Init", "Next", "Next"));

    private final Map<String, OpDefNode> defs = new LinkedHashMap<>();
    private final Map<String, ConstKind> constKinds = new LinkedHashMap<>();
    private final Map<String, Type> varTypes = new LinkedHashMap<>();
    private final Map<String, EnumT> enumOf = new HashMap<>();
    private final List<EnumT> enums = new ArrayList<>();
    private final Map<String, Expr> seqBounds = new HashMap<>();
    private final Set<String> usedDefs = new HashSet<>();
    private String typingVar;
    /** Type constructors between the typed variable and the set being lowered (see seqKey). */
    private int typingDepth;

    private int depth;

    private final Origins origins = new Origins();

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
            constKinds.putIfAbsent(c.getName().toString(), ConstKind.INT);
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
            constants.add(new Constant(n, constKinds.get(n), dataTypes.get(n)));
            if (constKinds.get(n) == ConstKind.DATA) {
                checkStorable(dataTypes.get(n), c, n);
                data.add(new Variable(n, dataTypes.get(n), false));
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
                    typingVar = v.getName().toString();
                    Expr set = lower(a.getArgs()[1], empty, null);
                    typingVar = null;
                    if (set != null && set.type() instanceof SetT st) {
                        varTypes.put(v.getName().toString(), op.equals("\\in") ? st.elem() : st);
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
            Type t = varTypes.get(n);
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
                Expr value = lower(a.getArgs()[1], empty, varTypes.get(n));
                if (value != null && !Fold.sameUniverse(varTypes.get(n), value.type())) {
                    fail(a.getArgs()[1], Fold.differentRanges(varTypes.get(n), value.type()));
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
                enums,
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
                    constKinds.put(c.getName().toString(), ConstKind.MODEL_SET);
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
                name = "Strings" + (enums.size() + 1);
            }
            usedNames.add(name);
            EnumT e = new EnumT(name, List.copyOf(g));
            enums.add(e);
            g.forEach(x -> enumOf.put(x, e));
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
                seqBounds.put(var, strict ? new Bin(BinOp.SUB, k, new IntLit(1)) : k);
            } else {
                fromGuards.putIfAbsent(var, k);
            }
        });
        fromGuards.forEach(seqBounds::putIfAbsent);
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
                    if (seqBounds.containsKey(y)) {
                        seqBounds.putIfAbsent(x, seqBounds.get(y));
                    } else if (seqBounds.containsKey(x)) {
                        seqBounds.putIfAbsent(y, seqBounds.get(x));
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
                    constKinds.put(n, ConstKind.DATA);
                    dataTypes.put(n, st.elem());
                } else if (op.equals("\\subseteq") && st.elem().finite()) {
                    constKinds.put(n, ConstKind.DATA);
                    dataTypes.put(n, st);
                } else if (op.equals("\\subseteq")) {
                    constKinds.put(n, ConstKind.DOMAIN);
                    dataTypes.put(n, st.elem());
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
        if (n instanceof tla2sany.semantic.SubstInNode sub) {
            actionConjuncts(action, sub.getBody(), substitute(sub, env), steps, unchanged, counter, ids);
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
                    Expr value = lower(a.getArgs()[1], env, varTypes.get(var));
                    if (value != null && !Fold.sameUniverse(varTypes.get(var), value.type())) {
                        fail(a.getArgs()[1], Fold.differentRanges(varTypes.get(var), value.type()));
                        return;
                    }
                    steps.add(new Update(var, value));
                    return;
                }
                if (a.getOperator() instanceof OpDefNode d
                        && d.getKind() == ASTConstants.UserDefinedOpKind
                        && !Nodes.isStandard(d)) {
                    actionConjuncts(action, d.getBody(), bindParams(d, a, env), steps, unchanged, counter, ids);
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

    // ---------------------------------------------------------------- expressions

    /** Call-by-name bindings: an operator parameter is its argument node lowered where used. */
    private record Thunk(ExprOrOpArgNode node, Env env) {}

    private record Env(SymbolNode key, Object value, Env next) {
        static final Env EMPTY = new Env(null, null, null);

        Env bind(SymbolNode k, Object v) {
            return new Env(k, v, this);
        }

        Object get(SymbolNode k) {
            for (Env e = this; e != null && e.key != null; e = e.next) {
                if (e.key == k) {
                    return e.value;
                }
            }
            return null;
        }
    }

    private static final Object AT_KEY_MARKER = new Object();
    private static final FormalParamNode AT_KEY = null;

    /** INSTANCE ... WITH c <- e: c means e (evaluated where the instance was made) inside the instance. */
    private Env substitute(tla2sany.semantic.SubstInNode sub, Env env) {
        Env out = env;
        for (tla2sany.semantic.Subst s : sub.getSubsts()) {
            boolean identity = s.getExpr() instanceof OpApplNode a && a.getOperator() == s.getOp();
            if (!identity) {
                out = out.bind(s.getOp(), new Thunk(s.getExpr(), env));
            }
        }
        return out;
    }

    private Env bindParams(OpDefNode d, OpApplNode call, Env env) {
        Env out = env;
        FormalParamNode[] ps = d.getParams();
        for (int i = 0; i < ps.length; i++) {
            out = out.bind(ps[i], new Thunk(call.getArgs()[i], env));
        }
        return out;
    }

    private Expr fail(SemanticNode n, String message) {
        errors.add(Diagnostic.at(n, message));
        return null;
    }

    private Expr at;

    /** Lowers an expression; expected (nullable) types tuple literals and empty sets from their context. */
    private Expr lower(ExprOrOpArgNode n, Env env, Type expected) {
        if (++depth > 200) {
            depth--;
            return fail(n, Subset.refusal("RECURSIVE", "recursive definition"));
        }
        try {
            Expr e = lower0(n, env, expected);
            origins.locate(e, Diagnostic.at(n, ""));
            return e;
        } catch (ClassCastException x) {
            // a value of one kind where this construct needs another (x \in 5): TLC stops there; refused here
            return fail(n, "type error: " + castMessage(x));
        } finally {
            depth--;
        }
    }

    /** "a set is expected here, not an integer", from the failed cast between two IR types. */
    private static String castMessage(ClassCastException x) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "Ir\\$(\\w+) cannot be cast to class \\S*Ir\\$(\\w+)")
                .matcher(String.valueOf(x.getMessage()));
        if (!m.find()) {
            return "a value of another kind is expected here";
        }
        return kind(m.group(2)) + " is expected here, not " + kind(m.group(1));
    }

    private static String kind(String irType) {
        return switch (irType) {
            case "SetT" -> "a set";
            case "FunT" -> "a function";
            case "RecT" -> "a record";
            case "SeqT" -> "a sequence";
            case "TupT" -> "a tuple";
            case "BoolT" -> "a boolean";
            case "ModelT" -> "a model value";
            case "EnumT" -> "a string";
            case "IntT", "RangeT" -> "an integer";
            default -> irType;
        };
    }

    /** The set s, or a located error when it is a value of another kind (Cardinality(3)). */
    private Expr requireSet(Expr s, SemanticNode where, String op) {
        if (s != null && !(s.type() instanceof SetT)) {
            return fail(
                    where,
                    "type error: " + op + " needs a set, not "
                            + kind(s.type().getClass().getSimpleName()));
        }
        return s;
    }

    private Expr lower0(ExprOrOpArgNode n, Env env, Type expected) {
        if (n instanceof tla2sany.semantic.SubstInNode sub) {
            return lower(sub.getBody(), substitute(sub, env), expected);
        }
        if (n instanceof NumeralNode num) {
            return new IntLit(num.val());
        } else if (n instanceof StringNode s) {
            String v = s.getRep().toString();
            EnumT e = enumOf.get(v);
            return new EnumLit(e, e.values().indexOf(v));
        } else if (n instanceof AtNode a) {
            if (at == null) {
                return fail(n, "@ outside EXCEPT");
            }
            return at;
        } else if (n instanceof LetInNode let) {
            return lower(let.getBody(), env, expected);
        } else if (n instanceof OpApplNode a) {
            return lowerAppl(a, env, expected);
        } else {
            return fail(
                    n,
                    Subset.refusal(
                            n.getClass().getSimpleName(), "`" + n.getClass().getSimpleName() + "`"));
        }
    }

    private Expr lowerAppl(OpApplNode a, Env env, Type expected) {
        SymbolNode sym = a.getOperator();
        String op = Nodes.canon(sym.getName().toString());
        ExprOrOpArgNode[] args = a.getArgs();
        if (sym instanceof FormalParamNode fp) {
            Object b = env.get(fp);
            if (b instanceof Thunk t) {
                return lower(t.node(), t.env(), expected);
            }
            if (b instanceof Expr e) {
                return e;
            }
            return fail(a, "unbound parameter " + op);
        }
        if (sym instanceof OpDeclNode d && env.get(d) instanceof Thunk t) {
            // a constant or variable of an INSTANCEd module, replaced by its WITH expression
            return lower(t.node(), t.env(), expected);
        }
        if (sym instanceof OpDeclNode d) {
            if (d.getKind() == ASTConstants.VariableDeclKind) {
                Type t = varTypes.get(op);
                if (t == null) {
                    return fail(a, "variable " + op + " has no type from TypeOK");
                }
                return new Var(op, t);
            }
            return switch (constKinds.get(op)) {
                case MODEL_SET -> new ConstSet(new ModelT(op));
                case DATA -> new Var(op, dataTypes.get(op));
                case DOMAIN -> new TypeSet(TypeSet.Kind.CONSTANT, List.of(), List.of(op), dataTypes.get(op));
                default -> new ConstInt(op);
            };
        }
        if (!(sym instanceof OpDefNode def)) {
            return fail(a, Subset.refusal(op, "`" + op + "`"));
        }
        boolean builtin = def.getKind() == ASTConstants.BuiltInKind;
        if (!builtin && !Nodes.isStandard(def)) {
            if (def.getInRecursive()) {
                return fail(a, Subset.refusal("RECURSIVE", op));
            }
            for (ExprOrOpArgNode x : args) {
                if (!(x instanceof ExprNode)) {
                    return fail(a, "unsupported: higher-order operator argument in " + op);
                }
            }
            Expr body = lower(def.getBody(), bindParams(def, a, env), expected);
            // Emit names the local holding a shared value after the operator or LET definition it came from
            origins.name(body, def.getName().toString());
            return body;
        }
        switch (op) {
            case "TRUE":
                return new BoolLit(true);
            case "FALSE":
                return new BoolLit(false);
            case "BOOLEAN":
                return new TypeSet(TypeSet.Kind.BOOLEAN, List.of(), List.of(), new BoolT());
            case "Nat":
                return new TypeSet(TypeSet.Kind.NAT, List.of(), List.of(), new IntT());
            case "Int":
                return new TypeSet(TypeSet.Kind.INT, List.of(), List.of(), new IntT());
            case "+":
                return arith(BinOp.ADD, args, env);
            case "-":
                return arith(BinOp.SUB, args, env);
            case "*":
                return arith(BinOp.MUL, args, env);
            case "\\div":
                return arith(BinOp.DIV, args, env);
            case "%":
                return arith(BinOp.MOD, args, env);
            case "<":
                return arith(BinOp.LT, args, env);
            case "\\leq":
                return arith(BinOp.LE, args, env);
            case ">":
                return arith(BinOp.GT, args, env);
            case "\\geq":
                return arith(BinOp.GE, args, env);
            case "-.": {
                Expr x = lower(args[0], env, new IntT());
                return x == null ? null : new Neg(x);
            }
            case "=":
            case "/=": {
                ExprOrOpArgNode l = args[0];
                ExprOrOpArgNode r = args[1];
                Expr x;
                Expr y;
                if (needsContext(l)) {
                    y = lower(r, env, null);
                    x = y == null ? null : lower(l, env, y.type());
                } else {
                    List<Expr> xy = lowerJoined(List.of(l, r), env, null);
                    x = xy == null ? null : xy.get(0);
                    y = xy == null ? null : xy.get(1);
                }
                if (x == null || y == null) {
                    return null;
                }
                if (x.type() instanceof EnumT ex
                        && y.type() instanceof EnumT ey
                        && !ex.name().equals(ey.name())) {
                    // strings of two groups that share no string are never equal (ordinals would say otherwise)
                    return new BoolLit(op.equals("/="));
                }
                if (!Fold.sameUniverse(x.type(), y.type())) {
                    return fail(a, Fold.differentRanges(x.type(), y.type()));
                }
                if (x.type() instanceof ModelT mx
                        && y.type() instanceof ModelT my
                        && !mx.set().equals(my.set())) {
                    return fail(
                            a,
                            "unsupported: comparing an element of " + mx.set() + " with an element of " + my.set()
                                    + " (model values of two constant sets share ids)");
                }
                return new Eq(x, y, op.equals("/="));
            }
            case "\\lnot": {
                Expr x = lower(args[0], env, new BoolT());
                return x == null ? null : new Not(x);
            }
            case "$ConjList":
            case "\\land":
            case "$DisjList":
            case "\\lor": {
                List<Expr> xs = new ArrayList<>();
                for (ExprOrOpArgNode x : args) {
                    xs.add(lower(x, env, new BoolT()));
                }
                if (xs.contains(null)) {
                    return null;
                }
                return op.equals("$ConjList") || op.equals("\\land") ? new And(xs) : new Or(xs);
            }
            case "\\implies": {
                Expr x = lower(args[0], env, new BoolT());
                Expr y = lower(args[1], env, new BoolT());
                return x == null || y == null ? null : new Implies(x, y);
            }
            case "\\equiv": {
                Expr x = lower(args[0], env, new BoolT());
                Expr y = lower(args[1], env, new BoolT());
                return x == null || y == null ? null : new Eq(x, y, false);
            }
            case "$IfThenElse": {
                Expr c = lower(args[0], env, new BoolT());
                List<Expr> te = lowerJoined(List.of(args[1], args[2]), env, expected);
                if (c == null || te == null) {
                    return null;
                }
                return new If(c, te.get(0), te.get(1), te.get(0).type());
            }
            case "$Case": {
                List<Expr> conds = new ArrayList<>();
                List<Expr> vals = new ArrayList<>();
                Expr other = null;
                List<ExprOrOpArgNode> arms = new ArrayList<>();
                for (ExprOrOpArgNode arm : args) {
                    arms.add(((OpApplNode) arm).getArgs()[1]);
                }
                List<Expr> values = lowerJoined(arms, env, expected);
                if (values == null) {
                    return null;
                }
                Type t = values.get(0).type();
                for (int k = 0; k < args.length; k++) {
                    OpApplNode pair = (OpApplNode) args[k];
                    Expr v = values.get(k);
                    if (pair.getArgs()[0] == null) {
                        other = v;
                    } else {
                        Expr c = lower(pair.getArgs()[0], env, new BoolT());
                        if (c == null) {
                            return null;
                        }
                        conds.add(c);
                        vals.add(v);
                    }
                }
                return new Case(conds, vals, other, t);
            }
            case "$BoundedForall":
            case "$BoundedExists":
                return quantifier(a, env, op.equals("$BoundedForall"));
            case "\\in":
            case "\\notin": {
                Expr set = lower(args[1], env, null);
                if (set == null) {
                    return null;
                }
                Expr x = lower(args[0], env, ((SetT) set.type()).elem());
                if (x == null) {
                    return null;
                }
                return op.equals("\\in") ? new In(x, set) : new Not(new In(x, set));
            }
            case "\\subseteq": {
                List<Expr> xy = lowerJoined(List.of(args[0], args[1]), env, null);
                if (xy == null) {
                    return null;
                }
                Expr x = requireSet(xy.get(0), a, "\\subseteq");
                Expr y = requireSet(xy.get(1), a, "\\subseteq");
                if (x == null || y == null) {
                    return null;
                }
                if (!Fold.sameUniverse(x.type(), y.type())) {
                    return fail(a, Fold.differentRanges(x.type(), y.type()));
                }
                return new Subseteq(x, y);
            }
            case "$SetEnumerate": {
                Type elem = expected instanceof SetT st ? st.elem() : null;
                List<Expr> xs = new ArrayList<>();
                for (ExprOrOpArgNode x : args) {
                    Expr e = lower(x, env, elem);
                    if (e == null) {
                        return null;
                    }
                    xs.add(e);
                    if (elem == null) {
                        elem = e.type();
                    }
                }
                if (elem == null) {
                    return fail(a, "cannot type the empty set {} here: compare or assign it to a typed set");
                }
                if (elem instanceof IntT && !xs.isEmpty() && xs.stream().allMatch(x -> x instanceof IntLit)) {
                    int lo = xs.stream()
                            .mapToInt(x -> ((IntLit) x).value())
                            .min()
                            .getAsInt();
                    int hi = xs.stream()
                            .mapToInt(x -> ((IntLit) x).value())
                            .max()
                            .getAsInt();
                    elem = new RangeT(new IntLit(lo), new IntLit(hi));
                }
                return new SetEnum(xs, new SetT(elem));
            }
            case "..": {
                Expr lo = lower(args[0], env, new IntT());
                Expr hi = lower(args[1], env, new IntT());
                if (lo == null || hi == null) {
                    return null;
                }
                // the universe of lo..hi as a set needs constant bounds: use the static bounds when the ends vary
                Expr slo = Fold.isConstant(lo) ? lo : Fold.lowerBoundOf(lo);
                Expr shi = Fold.isConstant(hi) ? hi : Fold.upperBoundOf(hi);
                return new SetRange(lo, hi, new SetT(new RangeT(slo == null ? lo : slo, shi == null ? hi : shi)));
            }
            case "\\cup":
            case "\\cap":
            case "\\": {
                List<Expr> xy = lowerJoined(List.of(args[0], args[1]), env, expected);
                if (xy == null) {
                    return null;
                }
                Expr x = xy.get(0);
                Expr y = xy.get(1);
                SetOp so = op.equals("\\cup") ? SetOp.UNION : op.equals("\\cap") ? SetOp.INTER : SetOp.DIFF;
                if (!Fold.sameUniverse(x.type(), y.type())) {
                    return fail(a, Fold.differentRanges(x.type(), y.type()));
                }
                if (((SetT) x.type()).elem() instanceof ModelT mx
                        && ((SetT) y.type()).elem() instanceof ModelT my
                        && !mx.set().equals(my.set())) {
                    return fail(
                            a,
                            "unsupported: " + op + " of the constant sets " + mx.set() + " and " + my.set()
                                    + " (a set of model values from two constant sets has no layout)");
                }
                return new SetBin(so, x, y, (SetT) x.type());
            }
            case "SUBSET": {
                Expr s = lower(args[0], env, null);
                return s == null ? null : new TypeSet(TypeSet.Kind.POWERSET, List.of(s), List.of(), s.type());
            }
            case "Cardinality": {
                Expr s = requireSet(lower(args[0], env, null), a, "Cardinality");
                return s == null ? null : new Card(s);
            }
            case "$SubsetOf": {
                Bound b = bound(a, env);
                if (b == null) {
                    return null;
                }
                Expr p = lower(args[0], b.env, new BoolT());
                return p == null ? null : new SetFilter(b.var, b.set, p, (SetT) b.set.type());
            }
            case "$SetOfAll": {
                Bounds bs = bounds(a, env, "unsupported: tuple-bound {e : <<x, y>> \\in S}");
                if (bs == null) {
                    return null;
                }
                Expr e = lower(args[0], bs.env(), expected instanceof SetT st ? st.elem() : null);
                return e == null ? null : new SetMap(bs.vars(), bs.sets(), e, new SetT(e.type()));
            }
            case "$BoundedChoose": {
                Bound b = bound(a, env);
                if (b == null) {
                    return null;
                }
                if (!b.var.type().scalar()) {
                    return fail(a, "unsupported: CHOOSE over a set of structured values");
                }
                Expr p = lower(args[0], b.env, new BoolT());
                return p == null ? null : new Choose(b.var, b.set, p, b.var.type());
            }
            case "$FcnConstructor": {
                Bound b = bound(a, env);
                if (b == null) {
                    return null;
                }
                if (expected instanceof SeqT sq
                        && b.set instanceof SetRange sr
                        && sr.lo() instanceof IntLit one
                        && one.value() == 1) {
                    // a function on 1..n is a sequence in TLA+: build it as one where a sequence is expected
                    Expr body = lower(args[0], b.env, sq.elem());
                    return body == null ? null : new FunCons(b.var, b.set, body, sq);
                }
                Type range = expected instanceof FunT ft ? ft.range() : null;
                Expr body = lower(args[0], b.env, range);
                return body == null ? null : new FunCons(b.var, b.set, body, new FunT(b.var.type(), body.type()));
            }
            case "$FcnApply": {
                Expr f = lower(args[0], env, null);
                if (f == null) {
                    return null;
                }
                ExprOrOpArgNode argNode = args[1];
                if (argNode instanceof OpApplNode t && Nodes.opName(t).equals("$Tuple")) {
                    if (t.getArgs().length != 1) {
                        return fail(a, "unsupported: functions of several arguments f[a, b]");
                    }
                    argNode = t.getArgs()[0];
                }
                if (f.type() instanceof FunT ft) {
                    Expr x = lower(argNode, env, ft.dom());
                    return x == null ? null : new App(f, x, ft.range());
                } else if (f.type() instanceof SeqT st) {
                    Expr x = lower(argNode, env, new IntT());
                    return x == null ? null : new App(f, x, st.elem());
                } else if (f.type() instanceof TupT tt) {
                    Expr x = lower(argNode, env, new IntT());
                    if (!(x instanceof IntLit il)
                            || il.value() < 1
                            || il.value() > tt.types().size()) {
                        return fail(
                                argNode,
                                "a tuple must be indexed by a literal 1.."
                                        + tt.types().size());
                    }
                    return new App(f, x, tt.types().get(il.value() - 1));
                } else {
                    return fail(a, "applying a non-function value of type " + f.type());
                }
            }
            case "DOMAIN": {
                Expr f = lower(args[0], env, null);
                if (f == null) {
                    return null;
                }
                if (f.type() instanceof FunT ft) {
                    return new Domain(f, new SetT(ft.dom()));
                }
                if (f.type() instanceof SeqT st) {
                    return new SetRange(new IntLit(1), new Len(f), new SetT(new RangeT(new IntLit(1), st.max())));
                }
                return fail(a, "DOMAIN of a " + f.type());
            }
            case "$SetOfFcns": {
                Expr s = lower(args[0], env, null);
                typingDepth++;
                Expr t = lower(args[1], env, null);
                typingDepth--;
                if (s == null || t == null) {
                    return null;
                }
                return new TypeSet(
                        TypeSet.Kind.FUNCTIONS,
                        List.of(s, t),
                        List.of(),
                        new FunT(((SetT) s.type()).elem(), ((SetT) t.type()).elem()));
            }
            case "$SetOfRcds": {
                List<String> names = new ArrayList<>();
                List<Expr> sets = new ArrayList<>();
                List<Type> types = new ArrayList<>();
                for (ExprOrOpArgNode p : args) {
                    OpApplNode pair = (OpApplNode) p;
                    names.add(((StringNode) pair.getArgs()[0]).getRep().toString());
                    typingDepth++;
                    Expr s = lower(pair.getArgs()[1], env, null);
                    typingDepth--;
                    if (s == null) {
                        return null;
                    }
                    sets.add(s);
                    types.add(((SetT) s.type()).elem());
                }
                return new TypeSet(TypeSet.Kind.RECORDS, sets, names, new RecT(names, types));
            }
            case "\\X":
            case "\\times":
            case "$CartesianProd": {
                List<Expr> sets = new ArrayList<>();
                List<Type> types = new ArrayList<>();
                for (ExprOrOpArgNode p : args) {
                    typingDepth++;
                    Expr s = lower(p, env, null);
                    typingDepth--;
                    if (s == null) {
                        return null;
                    }
                    sets.add(s);
                    types.add(((SetT) s.type()).elem());
                }
                return new TypeSet(TypeSet.Kind.PRODUCT, sets, List.of(), new TupT(types));
            }
            case "Seq": {
                Expr bound = typingVar == null ? null : seqBounds.get(typingVar + "@" + typingDepth);
                typingDepth++;
                Expr s = lower(args[0], env, null);
                typingDepth--;
                if (s == null) {
                    return null;
                }
                return new TypeSet(
                        TypeSet.Kind.SEQUENCES, List.of(s), List.of(), new SeqT(((SetT) s.type()).elem(), bound));
            }
            case "$RcdConstructor": {
                List<String> names = new ArrayList<>();
                List<Expr> vals = new ArrayList<>();
                List<Type> types = new ArrayList<>();
                RecT exp = expected instanceof RecT r ? r : null;
                for (ExprOrOpArgNode p : args) {
                    OpApplNode pair = (OpApplNode) p;
                    String f = ((StringNode) pair.getArgs()[0]).getRep().toString();
                    Expr v = lower(pair.getArgs()[1], env, exp == null ? null : exp.field(f));
                    if (v == null) {
                        return null;
                    }
                    names.add(f);
                    vals.add(v);
                    types.add(v.type());
                }
                if (exp != null && exp.names().size() == names.size() && names.containsAll(exp.names())) {
                    // lay the fields out as the expected type does, so a record literal is stored like the variable
                    List<Expr> ordered = new ArrayList<>();
                    for (String f : exp.names()) {
                        ordered.add(vals.get(names.indexOf(f)));
                    }
                    return new RecCons(ordered, exp);
                }
                return new RecCons(vals, new RecT(names, types));
            }
            case "$RcdSelect": {
                Expr r = lower(args[0], env, null);
                if (r == null) {
                    return null;
                }
                String f = ((StringNode) args[1]).getRep().toString();
                if (!(r.type() instanceof RecT rt) || rt.field(f) == null) {
                    return fail(a, "no field " + f + " in " + r.type());
                }
                return new Sel(r, f, rt.field(f));
            }
            case "$Tuple":
                return tuple(a, env, expected);
            case "$Except":
                return except(a, env, expected);
            case "Len": {
                Expr s = lower(args[0], env, null);
                if (s != null && s.type() instanceof TupT tt) {
                    // a tuple literal is a sequence of fixed length
                    return new IntLit(tt.types().size());
                }
                if (s != null && !(s.type() instanceof SeqT)) {
                    return fail(a, "Len of a " + s.type().getClass().getSimpleName() + ", not a sequence");
                }
                return s == null ? null : new Len(s);
            }
            case "Head": {
                Expr s = lower(args[0], env, null);
                if (s == null) {
                    return null;
                }
                if (!(s.type() instanceof SeqT st)) {
                    return fail(a, "Head of a non-sequence");
                }
                return new Head(s, st.elem());
            }
            case "Tail": {
                Expr s = lower(args[0], env, expected);
                return s == null ? null : new Tail(s);
            }
            case "Append": {
                Expr s = lower(args[0], env, expected);
                if (s == null) {
                    return null;
                }
                if (!(s.type() instanceof SeqT st)) {
                    return fail(a, "Append to a non-sequence");
                }
                Expr e = lower(args[1], env, st.elem());
                return e == null ? null : new Append(s, e);
            }
            case "SubSeq": {
                Expr s = lower(args[0], env, expected);
                Expr m = lower(args[1], env, new IntT());
                Expr k = lower(args[2], env, new IntT());
                return s == null || m == null || k == null ? null : new SubSeq(s, m, k);
            }
            case "\\o": {
                Expr x;
                Expr y;
                if (needsContext(args[0])) {
                    y = lower(args[1], env, expected);
                    x = y == null ? null : lower(args[0], env, y.type());
                } else {
                    x = lower(args[0], env, expected);
                    y = x == null ? null : lower(args[1], env, x.type());
                }
                return x == null || y == null ? null : new Concat(x, y);
            }
            default:
                return fail(a, Subset.refusal(op, "`" + op + "`"));
        }
    }

    private static boolean needsContext(ExprOrOpArgNode n) {
        return n instanceof OpApplNode a
                && (Nodes.opName(a).equals("$Tuple")
                        || (Nodes.opName(a).equals("$SetEnumerate") && a.getArgs().length == 0));
    }

    private Expr arith(BinOp op, ExprOrOpArgNode[] args, Env env) {
        Expr x = lower(args[0], env, new IntT());
        Expr y = lower(args[1], env, new IntT());
        return x == null || y == null ? null : new Bin(op, x, y);
    }

    private record Bound(Local var, Expr set, Env env) {}

    /** The single bound of a set/function constructor. */
    private Bound bound(OpApplNode a, Env env) {
        FormalParamNode[][] lists = a.getBdedQuantSymbolLists();
        if (lists.length != 1 || lists[0].length != 1 || a.isBdedQuantATuple()[0]) {
            fail(a, "unsupported: several bound variables here; nest the constructs instead");
            return null;
        }
        Expr set = lower(a.getBdedQuantBounds()[0], env, null);
        if (set == null) {
            return null;
        }
        FormalParamNode p = lists[0][0];
        Local var = new Local(fresh(p.getName().toString()), ((SetT) set.type()).elem());
        return new Bound(var, set, env.bind(p, var));
    }

    private int freshCounter;

    private String fresh(String base) {
        return base + "_" + (++freshCounter);
    }

    /** Every bound variable of a quantifier or set map, each with its lowered set, and the scope they open. */
    private record Bounds(List<Local> vars, List<Expr> sets, Env env) {}

    /** Lowers {@code x \\in S, y \\in T} (each set may use the variables bound before it); null after an error. */
    private Bounds bounds(OpApplNode a, Env env, String tupleBoundError) {
        FormalParamNode[][] lists = a.getBdedQuantSymbolLists();
        List<Local> vars = new ArrayList<>();
        List<Expr> sets = new ArrayList<>();
        Env inner = env;
        for (int i = 0; i < lists.length; i++) {
            if (a.isBdedQuantATuple()[i]) {
                fail(a, tupleBoundError);
                return null;
            }
            for (FormalParamNode p : lists[i]) {
                Expr set = lower(a.getBdedQuantBounds()[i], inner, null);
                if (set == null) {
                    return null;
                }
                Local var = new Local(fresh(p.getName().toString()), ((SetT) set.type()).elem());
                vars.add(var);
                sets.add(set);
                inner = inner.bind(p, var);
            }
        }
        return new Bounds(vars, sets, inner);
    }

    private Expr quantifier(OpApplNode a, Env env, boolean forall) {
        Bounds bs = bounds(a, env, "unsupported: tuple-bound quantifier \\A <<x, y>> \\in S");
        if (bs == null) {
            return null;
        }
        Expr body = lower(a.getArgs()[0], bs.env(), new BoolT());
        if (body == null) {
            return null;
        }
        for (int i = bs.vars().size() - 1; i >= 0; i--) {
            body = new Quant(forall, bs.vars().get(i), bs.sets().get(i), body);
        }
        return body;
    }

    private Expr tuple(OpApplNode a, Env env, Type expected) {
        ExprOrOpArgNode[] args = a.getArgs();
        List<Expr> xs = new ArrayList<>();
        if (expected instanceof SeqT st) {
            for (ExprOrOpArgNode x : args) {
                xs.add(lower(x, env, st.elem()));
            }
            return xs.contains(null) ? null : new TupCons(xs, st);
        }
        if (expected instanceof FunT ft && ft.dom() instanceof RangeT) {
            for (ExprOrOpArgNode x : args) {
                xs.add(lower(x, env, ft.range()));
            }
            return xs.contains(null) ? null : new TupCons(xs, ft);
        }
        if (expected instanceof TupT tt && tt.types().size() == args.length) {
            for (int i = 0; i < args.length; i++) {
                xs.add(lower(args[i], env, tt.types().get(i)));
            }
            return xs.contains(null) ? null : new TupCons(xs, tt);
        }
        {
            if (args.length == 0) {
                return fail(a, "cannot type the empty sequence <<>> here: compare or assign it to a typed sequence");
            }
            List<Type> types = new ArrayList<>();
            for (ExprOrOpArgNode x : args) {
                Expr e = lower(x, env, null);
                if (e == null) {
                    return null;
                }
                xs.add(e);
                types.add(e.type());
            }
            return new TupCons(xs, new TupT(types));
        }
    }

    /**
     * Lowers expressions that must share one type: the first with the expected type, the others with the
     * first's. Sets of integers typed by a literal's range ({1, 2} is a set of 1..2) are widened to the range
     * holding every side's elements ({1, 2} \cup {3} is a set of 1..3), so each side has a bit for its
     * elements in the one layout. Null when one does not lower (its errors recorded).
     */
    private List<Expr> lowerJoined(List<ExprOrOpArgNode> ns, Env env, Type expected) {
        int mark = errors.size();
        List<Expr> out = new ArrayList<>();
        Type t = expected;
        for (ExprOrOpArgNode n : ns) {
            Expr e = lower(n, env, t);
            if (e == null) {
                return null;
            }
            out.add(e);
            t = out.get(0).type();
        }
        int[] joined = Fold.literalRange(t);
        // an expected set type (a variable's, from TypeOK) is kept: its layout is the one the value goes to
        if (joined == null || errors.size() != mark || expected instanceof SetT) {
            return out;
        }
        boolean wider = false;
        for (ExprOrOpArgNode n : ns) {
            int[] r = Fold.literalRange(lowerQuiet(n, env));
            if (r != null && (r[0] < joined[0] || r[1] > joined[1])) {
                joined = new int[] {Math.min(joined[0], r[0]), Math.max(joined[1], r[1])};
                wider = true;
            }
        }
        if (!wider) {
            return out;
        }
        SetT common = new SetT(new RangeT(new IntLit(joined[0]), new IntLit(joined[1])));
        out.clear();
        for (ExprOrOpArgNode n : ns) {
            Expr e = lower(n, env, common);
            if (e == null) {
                return null;
            }
            out.add(e);
        }
        return out;
    }

    /** The type n lowers to on its own, without recording its diagnostics (null if it does not lower). */
    private Type lowerQuiet(ExprOrOpArgNode n, Env env) {
        int mark = errors.size();
        Expr e = lower(n, env, null);
        while (errors.size() > mark) {
            errors.remove(errors.size() - 1);
        }
        return e == null ? null : e.type();
    }

    private Expr except(OpApplNode a, Env env, Type expected) {
        ExprOrOpArgNode[] args = a.getArgs();
        Expr base = lower(args[0], env, expected);
        if (base == null) {
            return null;
        }
        List<ExceptUpdate> updates = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            OpApplNode pair = (OpApplNode) args[i];
            OpApplNode seq = (OpApplNode) pair.getArgs()[0];
            List<Step> path = new ArrayList<>();
            Type t = base.type();
            for (ExprOrOpArgNode s : seq.getArgs()) {
                if (s instanceof StringNode str) {
                    String f = str.getRep().toString();
                    if (!(t instanceof RecT rt) || rt.field(f) == null) {
                        return fail(s, "no field " + f + " in " + t);
                    }
                    path.add(new Field(f));
                    t = rt.field(f);
                } else {
                    ExprOrOpArgNode idx = s;
                    if (s instanceof OpApplNode tu && Nodes.opName(tu).equals("$Tuple")) {
                        if (tu.getArgs().length != 1) {
                            return fail(s, "unsupported: functions of several arguments in EXCEPT");
                        }
                        idx = tu.getArgs()[0];
                    }
                    Type dom = t instanceof FunT ft ? ft.dom() : new IntT();
                    Expr x = lower(idx, env, dom);
                    if (x == null) {
                        return null;
                    }
                    path.add(new Index(x));
                    t = t instanceof FunT ft ? ft.range() : t instanceof SeqT st ? st.elem() : null;
                    if (t == null) {
                        return fail(s, "EXCEPT index into a value that is not a function or sequence");
                    }
                }
            }
            Expr saved = at;
            at = new At(t);
            Expr v = lower(pair.getArgs()[1], env, t);
            at = saved;
            if (v == null) {
                return null;
            }
            updates.add(new ExceptUpdate(path, v));
        }
        return new Except(base, updates, base.type());
    }
}
