package dev.ladle.codegen;

import tla2sany.semantic.ExprOrOpArgNode;
import tla2sany.semantic.FormalParamNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.OpDefNode;
import tla2sany.semantic.Subst;
import tla2sany.semantic.SubstInNode;
import tla2sany.semantic.SymbolNode;

/**
 * The scope an expression is lowered in: each bound name (a parameter, a bound variable, an INSTANCEd constant)
 * means an {@link Ir.Expr} (a bound variable's local) or a {@link Thunk}. A linked list, so a scope is a value
 * that inner scopes extend without changing it.
 */
record Env(SymbolNode key, Object value, Env next) {

    static final Env EMPTY = new Env(null, null, null);

    /** Call-by-name bindings: an operator parameter is its argument node lowered where used. */
    record Thunk(ExprOrOpArgNode node, Env env) {}

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

    /** The scope of d's body called as call from here: each parameter means its argument, lowered here. */
    Env withParams(OpDefNode d, OpApplNode call) {
        Env out = this;
        FormalParamNode[] ps = d.getParams();
        for (int i = 0; i < ps.length; i++) {
            out = out.bind(ps[i], new Thunk(call.getArgs()[i], this));
        }
        return out;
    }

    /** INSTANCE ... WITH c <- e: c means e (evaluated where the instance was made) inside the instance. */
    Env substitute(SubstInNode sub) {
        Env out = this;
        for (Subst s : sub.getSubsts()) {
            boolean identity = s.getExpr() instanceof OpApplNode a && a.getOperator() == s.getOp();
            if (!identity) {
                out = out.bind(s.getOp(), new Thunk(s.getExpr(), this));
            }
        }
        return out;
    }
}
