package dev.ladle.codegen;

import dev.ladle.codegen.Ir.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tla2sany.semantic.ExprOrOpArgNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.StringNode;

/** Functions: [x \in S |-> e], f[x] (on functions, sequences and tuples), DOMAIN f, and EXCEPT. */
final class LowerFunctions {

    private final Exprs x;

    LowerFunctions(Exprs x) {
        this.x = x;
    }

    void register(Map<String, Exprs.Construct> table) {
        table.put("$FcnConstructor", this::constructor);
        table.put("$FcnApply", this::apply);
        table.put("DOMAIN", this::domain);
        table.put("$Except", this::except);
    }

    private Expr constructor(OpApplNode a, Env env, Type expected) {
        LowerQuantifiers.Bound b = LowerQuantifiers.bound(x, a, env);
        if (b == null) {
            return null;
        }
        if (expected instanceof SeqT sq
                && b.set() instanceof SetRange sr
                && sr.lo() instanceof IntLit one
                && one.value() == 1) {
            // a function on 1..n is a sequence in TLA+: build it as one where a sequence is expected
            Expr body = x.lower(a.getArgs()[0], b.env(), sq.elem());
            return body == null ? null : new FunCons(b.var(), b.set(), body, sq);
        }
        Type range = expected instanceof FunT ft ? ft.range() : null;
        Expr body = x.lower(a.getArgs()[0], b.env(), range);
        return body == null
                ? null
                : new FunCons(b.var(), b.set(), body, new FunT(b.var().type(), body.type()));
    }

    private Expr apply(OpApplNode a, Env env, Type expected) {
        Expr f = x.lower(a.getArgs()[0], env, null);
        if (f == null) {
            return null;
        }
        ExprOrOpArgNode argNode = a.getArgs()[1];
        if (argNode instanceof OpApplNode t && Nodes.opName(t).equals("$Tuple")) {
            if (t.getArgs().length != 1) {
                return x.fail(a, "unsupported: functions of several arguments f[a, b]");
            }
            argNode = t.getArgs()[0];
        }
        if (f.type() instanceof FunT ft) {
            Expr arg = x.lower(argNode, env, ft.dom());
            return arg == null ? null : new App(f, arg, ft.range());
        } else if (f.type() instanceof SeqT st) {
            Expr arg = x.lower(argNode, env, new IntT());
            return arg == null ? null : new App(f, arg, st.elem());
        } else if (f.type() instanceof TupT tt) {
            Expr arg = x.lower(argNode, env, new IntT());
            if (!(arg instanceof IntLit il)
                    || il.value() < 1
                    || il.value() > tt.types().size()) {
                return x.fail(
                        argNode,
                        "a tuple must be indexed by a literal 1.." + tt.types().size());
            }
            return new App(f, arg, tt.types().get(il.value() - 1));
        } else {
            return x.fail(a, "applying a non-function value of type " + f.type());
        }
    }

    private Expr domain(OpApplNode a, Env env, Type expected) {
        Expr f = x.lower(a.getArgs()[0], env, null);
        if (f == null) {
            return null;
        }
        if (f.type() instanceof FunT ft) {
            return new Domain(f, new SetT(ft.dom()));
        }
        if (f.type() instanceof SeqT st) {
            return new SetRange(new IntLit(1), new Len(f), new SetT(new RangeT(new IntLit(1), st.max())));
        }
        return x.fail(a, "DOMAIN of a " + f.type());
    }

    private Expr except(OpApplNode a, Env env, Type expected) {
        ExprOrOpArgNode[] args = a.getArgs();
        Expr base = x.lower(args[0], env, expected);
        if (base == null) {
            return null;
        }
        List<ExceptUpdate> updates = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            // SANY makes each update a pair of its path (a $Seq of steps) and its value
            OpApplNode pair = (OpApplNode) args[i];
            OpApplNode seq = (OpApplNode) pair.getArgs()[0];
            List<Step> path = new ArrayList<>();
            Type t = base.type();
            for (ExprOrOpArgNode s : seq.getArgs()) {
                if (s instanceof StringNode str) {
                    String f = str.getRep().toString();
                    if (!(t instanceof RecT rt) || rt.field(f) == null) {
                        return x.fail(s, "no field " + f + " in " + t);
                    }
                    path.add(new Field(f));
                    t = rt.field(f);
                } else {
                    ExprOrOpArgNode idx = s;
                    if (s instanceof OpApplNode tu && Nodes.opName(tu).equals("$Tuple")) {
                        if (tu.getArgs().length != 1) {
                            return x.fail(s, "unsupported: functions of several arguments in EXCEPT");
                        }
                        idx = tu.getArgs()[0];
                    }
                    Type dom = t instanceof FunT ft ? ft.dom() : new IntT();
                    Expr arg = x.lower(idx, env, dom);
                    if (arg == null) {
                        return null;
                    }
                    path.add(new Index(arg));
                    t = t instanceof FunT ft ? ft.range() : t instanceof SeqT st ? st.elem() : null;
                    if (t == null) {
                        return x.fail(s, "EXCEPT index into a value that is not a function or sequence");
                    }
                }
            }
            Expr v = x.lowerWithAt(pair.getArgs()[1], env, t);
            if (v == null) {
                return null;
            }
            updates.add(new ExceptUpdate(path, v));
        }
        return new Except(base, updates, base.type());
    }
}
