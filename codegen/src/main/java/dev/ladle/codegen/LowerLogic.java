package dev.ladle.codegen;

import dev.ladle.codegen.Ir.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tla2sany.semantic.ExprOrOpArgNode;
import tla2sany.semantic.OpApplNode;

/** Booleans, equality and the conditionals: TRUE, FALSE, = and /=, ~, /\, \/, =>, <=>, IF and CASE. */
final class LowerLogic {

    private final Exprs x;

    LowerLogic(Exprs x) {
        this.x = x;
    }

    void register(Map<String, Exprs.Construct> table) {
        table.put("TRUE", (a, env, expected) -> new BoolLit(true));
        table.put("FALSE", (a, env, expected) -> new BoolLit(false));
        table.put("=", this::equality);
        table.put("/=", this::equality);
        table.put("\\lnot", this::not);
        for (String op : List.of("$ConjList", "\\land", "$DisjList", "\\lor")) {
            table.put(op, this::junction);
        }
        table.put("\\implies", this::implies);
        table.put("\\equiv", this::equiv);
        table.put("$IfThenElse", this::ifThenElse);
        table.put("$Case", this::caseOf);
    }

    private Expr equality(OpApplNode a, Env env, Type expected) {
        String op = Nodes.opName(a);
        ExprOrOpArgNode l = a.getArgs()[0];
        ExprOrOpArgNode r = a.getArgs()[1];
        Expr p;
        Expr q;
        if (Exprs.needsContext(l)) {
            q = x.lower(r, env, null);
            p = q == null ? null : x.lower(l, env, q.type());
        } else {
            List<Expr> pq = x.lowerJoined(List.of(l, r), env, null);
            p = pq == null ? null : pq.get(0);
            q = pq == null ? null : pq.get(1);
        }
        if (p == null || q == null) {
            return null;
        }
        if (p.type() instanceof EnumT ep
                && q.type() instanceof EnumT eq
                && !ep.name().equals(eq.name())) {
            // strings of two groups that share no string are never equal (ordinals would say otherwise)
            return new BoolLit(op.equals("/="));
        }
        if (!Fold.sameUniverse(p.type(), q.type())) {
            return x.fail(a, Fold.differentRanges(p.type(), q.type()));
        }
        if (p.type() instanceof ModelT mp
                && q.type() instanceof ModelT mq
                && !mp.set().equals(mq.set())) {
            return x.fail(
                    a,
                    "unsupported: comparing an element of " + mp.set() + " with an element of " + mq.set()
                            + " (model values of two constant sets share ids)");
        }
        return new Eq(p, q, op.equals("/="));
    }

    private Expr not(OpApplNode a, Env env, Type expected) {
        Expr p = x.lower(a.getArgs()[0], env, new BoolT());
        return p == null ? null : new Not(p);
    }

    private Expr junction(OpApplNode a, Env env, Type expected) {
        String op = Nodes.opName(a);
        List<Expr> ps = new ArrayList<>();
        for (ExprOrOpArgNode arg : a.getArgs()) {
            ps.add(x.lower(arg, env, new BoolT()));
        }
        if (ps.contains(null)) {
            return null;
        }
        return op.equals("$ConjList") || op.equals("\\land") ? new And(ps) : new Or(ps);
    }

    private Expr implies(OpApplNode a, Env env, Type expected) {
        Expr p = x.lower(a.getArgs()[0], env, new BoolT());
        Expr q = x.lower(a.getArgs()[1], env, new BoolT());
        return p == null || q == null ? null : new Implies(p, q);
    }

    private Expr equiv(OpApplNode a, Env env, Type expected) {
        Expr p = x.lower(a.getArgs()[0], env, new BoolT());
        Expr q = x.lower(a.getArgs()[1], env, new BoolT());
        return p == null || q == null ? null : new Eq(p, q, false);
    }

    private Expr ifThenElse(OpApplNode a, Env env, Type expected) {
        ExprOrOpArgNode[] args = a.getArgs();
        Expr c = x.lower(args[0], env, new BoolT());
        List<Expr> te = x.lowerJoined(List.of(args[1], args[2]), env, expected);
        if (c == null || te == null) {
            return null;
        }
        return new If(c, te.get(0), te.get(1), te.get(0).type());
    }

    private Expr caseOf(OpApplNode a, Env env, Type expected) {
        ExprOrOpArgNode[] args = a.getArgs();
        List<Expr> conds = new ArrayList<>();
        List<Expr> vals = new ArrayList<>();
        Expr other = null;
        List<ExprOrOpArgNode> arms = new ArrayList<>();
        for (ExprOrOpArgNode arm : args) {
            // SANY makes every arm of a CASE a pair (condition, value); OTHER's has no condition
            arms.add(((OpApplNode) arm).getArgs()[1]);
        }
        List<Expr> values = x.lowerJoined(arms, env, expected);
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
                Expr c = x.lower(pair.getArgs()[0], env, new BoolT());
                if (c == null) {
                    return null;
                }
                conds.add(c);
                vals.add(v);
            }
        }
        return new Case(conds, vals, other, t);
    }
}
