package dev.ladle.codegen;

import dev.ladle.codegen.Ir.*;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tla2sany.semantic.ASTConstants;
import tla2sany.semantic.ExprNode;
import tla2sany.semantic.ExprOrOpArgNode;
import tla2sany.semantic.FormalParamNode;
import tla2sany.semantic.LetInNode;
import tla2sany.semantic.ModuleNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.OpDeclNode;
import tla2sany.semantic.OpDefNode;
import tla2sany.semantic.SubstInNode;

/**
 * Next and the actions: Next flattened into its instances ({@code \E x \in S : Action(x)}, each disjunct),
 * each action's parameter types from the sets its instances draw them from, and each action's body split into
 * guards and updates in spec order (its conjuncts through the definitions it uses, UNCHANGED listing the rest),
 * every guard named. Errors: Next or an action outside that shape (located at the construct), a primed construct
 * the subset has no update for, a variable updated twice or left free; notes: a guard named by its position.
 */
final class Actions {

    /** Next's instances and the actions they apply, each once, in Next's order. */
    record Lowered(List<NextInstance> next, List<Action> actions) {}

    private final ModuleNode root;
    private final Map<String, OpDefNode> defs;
    private final Exprs x;
    private final Typing typing;
    private final SourceText source;
    private final List<Diagnostic> errors = new ArrayList<>();
    private final List<Diagnostic> notes = new ArrayList<>();

    /** The zero-argument definition whose body flattenNext is walking (null: Next itself). */
    private String flattening;

    private Actions(ModuleNode root, Roles.Found roles, Exprs x, SourceText source) {
        this.root = root;
        this.defs = roles.defs();
        this.x = x;
        this.typing = x.typing();
        this.source = source;
    }

    static Diagnosed<Lowered> lower(ModuleNode root, Roles.Found roles, Exprs x, SourceText source) {
        Actions a = new Actions(root, roles, x, source);
        Lowered lowered = a.run();
        return new Diagnosed<>(lowered, a.errors, a.notes);
    }

    private Lowered run() {
        List<NextInstance> next = new ArrayList<>();
        flattenNext(defs.get("Next").getBody(), new ArrayList<>(), new ArrayList<>(), next);
        List<Action> actions = new ArrayList<>();
        Map<String, List<Param>> paramTypes = new LinkedHashMap<>();
        for (NextInstance ni : next) {
            if (!paramTypes.containsKey(ni.action())) {
                paramTypes.put(ni.action(), params(ni));
            }
        }
        for (var e : paramTypes.entrySet()) {
            actions.add(lowerAction(defs.get(e.getKey()), e.getValue()));
        }
        return new Lowered(next, actions);
    }

    /** An action's parameters, typed by the first instance of it in Next. */
    private List<Param> params(NextInstance ni) {
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
                errors.addAll(Types.storable(arg.type(), ni.args().get(i), pn));
            }
            params.add(new Param(pn, arg.type()));
        }
        return params;
    }

    private Expr lower(ExprOrOpArgNode n, Env env, Type expected) {
        Diagnosed<Expr> e = x.expr(n, env, expected);
        errors.addAll(e.errors());
        return e.value();
    }

    private void flattenNext(ExprNode n, List<FormalParamNode> bound, List<ExprNode> domains, List<NextInstance> out) {
        if (n instanceof OpApplNode a) {
            String op = Nodes.opName(a);
            if (op.equals("$DisjList") || op.equals("\\lor")) {
                for (ExprOrOpArgNode d : a.getArgs()) {
                    flattenNext((ExprNode) d, bound, domains, out);
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
                for (ExprOrOpArgNode c : a.getArgs()) {
                    actionConjuncts(action, (ExprNode) c, env, steps, unchanged, counter, ids);
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
                    Type t = typing.varTypes.get(var);
                    Expr value = lower(a.getArgs()[1], env, t);
                    if (value != null && !Fold.sameUniverse(t, value.type())) {
                        errors.add(Diagnostic.at(a.getArgs()[1], Fold.differentRanges(t, value.type())));
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
                for (ExprOrOpArgNode v : a.getArgs()) {
                    unchangedVars(v, out);
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
}
