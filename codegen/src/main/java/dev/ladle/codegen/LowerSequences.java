package dev.ladle.codegen;

import dev.ladle.codegen.Ir.*;
import java.util.Map;
import tla2sany.semantic.ExprOrOpArgNode;
import tla2sany.semantic.OpApplNode;

/** Sequences: Len, Head, Tail, Append, SubSeq and \o. */
final class LowerSequences {

    private final Exprs x;

    LowerSequences(Exprs x) {
        this.x = x;
    }

    void register(Map<String, Exprs.Construct> table) {
        table.put("Len", this::len);
        table.put("Head", this::head);
        table.put("Tail", this::tail);
        table.put("Append", this::append);
        table.put("SubSeq", this::subSeq);
        table.put("\\o", this::concat);
    }

    private Expr len(OpApplNode a, Env env, Type expected) {
        Expr s = x.lower(a.getArgs()[0], env, null);
        if (s != null && s.type() instanceof TupT tt) {
            // a tuple literal is a sequence of fixed length
            return new IntLit(tt.types().size());
        }
        if (s != null && !(s.type() instanceof SeqT)) {
            return x.fail(a, "Len of a " + s.type().getClass().getSimpleName() + ", not a sequence");
        }
        return s == null ? null : new Len(s);
    }

    private Expr head(OpApplNode a, Env env, Type expected) {
        Expr s = x.lower(a.getArgs()[0], env, null);
        if (s == null) {
            return null;
        }
        if (!(s.type() instanceof SeqT st)) {
            return x.fail(a, "Head of a non-sequence");
        }
        return new Head(s, st.elem());
    }

    private Expr tail(OpApplNode a, Env env, Type expected) {
        Expr s = x.lower(a.getArgs()[0], env, expected);
        return s == null ? null : new Tail(s);
    }

    private Expr append(OpApplNode a, Env env, Type expected) {
        Expr s = x.lower(a.getArgs()[0], env, expected);
        if (s == null) {
            return null;
        }
        if (!(s.type() instanceof SeqT st)) {
            return x.fail(a, "Append to a non-sequence");
        }
        Expr e = x.lower(a.getArgs()[1], env, st.elem());
        return e == null ? null : new Append(s, e);
    }

    private Expr subSeq(OpApplNode a, Env env, Type expected) {
        Expr s = x.lower(a.getArgs()[0], env, expected);
        Expr m = x.lower(a.getArgs()[1], env, new IntT());
        Expr k = x.lower(a.getArgs()[2], env, new IntT());
        return s == null || m == null || k == null ? null : new SubSeq(s, m, k);
    }

    private Expr concat(OpApplNode a, Env env, Type expected) {
        ExprOrOpArgNode[] args = a.getArgs();
        Expr p;
        Expr q;
        if (Exprs.needsContext(args[0])) {
            q = x.lower(args[1], env, expected);
            p = q == null ? null : x.lower(args[0], env, q.type());
        } else {
            p = x.lower(args[0], env, expected);
            q = p == null ? null : x.lower(args[1], env, p.type());
        }
        return p == null || q == null ? null : new Concat(p, q);
    }
}
