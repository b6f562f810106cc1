package dev.ladle.codegen;

import dev.ladle.codegen.Ir.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tla2sany.semantic.FormalParamNode;
import tla2sany.semantic.OpApplNode;

/**
 * The constructs that bind variables over a set: \A and \E, CHOOSE, {x \in S : P} and {e : x \in S}; and the
 * binding itself, which function constructors share.
 */
final class LowerQuantifiers {

    private final Exprs x;

    LowerQuantifiers(Exprs x) {
        this.x = x;
    }

    void register(Map<String, Exprs.Construct> table) {
        table.put("$BoundedForall", (a, env, expected) -> quantifier(a, env, true));
        table.put("$BoundedExists", (a, env, expected) -> quantifier(a, env, false));
        table.put("$SubsetOf", this::filter);
        table.put("$SetOfAll", this::map);
        table.put("$BoundedChoose", this::choose);
    }

    /** The one bound variable of a constructor, with its set and the scope it opens. */
    record Bound(Local var, Expr set, Env env) {}

    /** Every bound variable of a quantifier or set map, each with its lowered set, and the scope they open. */
    private record Bounds(List<Local> vars, List<Expr> sets, Env env) {}

    /** The single bound of a set/function constructor; null after an error. */
    static Bound bound(Exprs x, OpApplNode a, Env env) {
        FormalParamNode[][] lists = a.getBdedQuantSymbolLists();
        if (lists.length != 1 || lists[0].length != 1 || a.isBdedQuantATuple()[0]) {
            x.fail(a, "unsupported: several bound variables here; nest the constructs instead");
            return null;
        }
        Expr set = x.lower(a.getBdedQuantBounds()[0], env, null);
        if (set == null) {
            return null;
        }
        FormalParamNode p = lists[0][0];
        String name = x.fresh(p.getName().toString());
        SetT st = x.setType(set, a);
        if (st == null) {
            return null;
        }
        Local var = new Local(name, st.elem());
        return new Bound(var, set, env.bind(p, var));
    }

    /** Lowers {@code x \\in S, y \\in T} (each set may use the variables bound before it); null after an error. */
    private Bounds bounds(OpApplNode a, Env env, String tupleBoundError) {
        FormalParamNode[][] lists = a.getBdedQuantSymbolLists();
        List<Local> vars = new ArrayList<>();
        List<Expr> sets = new ArrayList<>();
        Env inner = env;
        for (int i = 0; i < lists.length; i++) {
            if (a.isBdedQuantATuple()[i]) {
                x.fail(a, tupleBoundError);
                return null;
            }
            for (FormalParamNode p : lists[i]) {
                Expr set = x.lower(a.getBdedQuantBounds()[i], inner, null);
                if (set == null) {
                    return null;
                }
                String name = x.fresh(p.getName().toString());
                SetT st = x.setType(set, a);
                if (st == null) {
                    return null;
                }
                Local var = new Local(name, st.elem());
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
        Expr body = x.lower(a.getArgs()[0], bs.env(), new BoolT());
        if (body == null) {
            return null;
        }
        for (int i = bs.vars().size() - 1; i >= 0; i--) {
            body = new Quant(forall, bs.vars().get(i), bs.sets().get(i), body);
        }
        return body;
    }

    private Expr filter(OpApplNode a, Env env, Type expected) {
        Bound b = bound(x, a, env);
        if (b == null) {
            return null;
        }
        Expr p = x.lower(a.getArgs()[0], b.env(), new BoolT());
        // bound() has made sure the set is one
        return p == null
                ? null
                : new SetFilter(b.var(), b.set(), p, (SetT) b.set().type());
    }

    private Expr map(OpApplNode a, Env env, Type expected) {
        Bounds bs = bounds(a, env, "unsupported: tuple-bound {e : <<x, y>> \\in S}");
        if (bs == null) {
            return null;
        }
        Expr e = x.lower(a.getArgs()[0], bs.env(), expected instanceof SetT st ? st.elem() : null);
        return e == null ? null : new SetMap(bs.vars(), bs.sets(), e, new SetT(e.type()));
    }

    private Expr choose(OpApplNode a, Env env, Type expected) {
        Bound b = bound(x, a, env);
        if (b == null) {
            return null;
        }
        if (!b.var().type().scalar()) {
            return x.fail(a, "unsupported: CHOOSE over a set of structured values");
        }
        Expr p = x.lower(a.getArgs()[0], b.env(), new BoolT());
        return p == null ? null : new Choose(b.var(), b.set(), p, b.var().type());
    }
}
