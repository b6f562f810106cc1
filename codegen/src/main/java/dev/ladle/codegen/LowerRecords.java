package dev.ladle.codegen;

import dev.ladle.codegen.Ir.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tla2sany.semantic.ExprOrOpArgNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.StringNode;

/** Records and tuples: [f |-> e], r.f, and <<a, b>> (a tuple, or a sequence or function where one is expected). */
final class LowerRecords {

    private final Exprs x;

    LowerRecords(Exprs x) {
        this.x = x;
    }

    void register(Map<String, Exprs.Construct> table) {
        table.put("$RcdConstructor", this::record);
        table.put("$RcdSelect", this::select);
        table.put("$Tuple", this::tuple);
    }

    private Expr record(OpApplNode a, Env env, Type expected) {
        List<String> names = new ArrayList<>();
        List<Expr> vals = new ArrayList<>();
        List<Type> types = new ArrayList<>();
        RecT exp = expected instanceof RecT r ? r : null;
        for (ExprOrOpArgNode p : a.getArgs()) {
            // SANY makes each field of [f |-> e] a pair of its name and its value
            OpApplNode pair = (OpApplNode) p;
            String f = ((StringNode) pair.getArgs()[0]).getRep().toString();
            Expr v = x.lower(pair.getArgs()[1], env, exp == null ? null : exp.field(f));
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

    private Expr select(OpApplNode a, Env env, Type expected) {
        Expr r = x.lower(a.getArgs()[0], env, null);
        if (r == null) {
            return null;
        }
        // SANY gives r.f the field's name as a string
        String f = ((StringNode) a.getArgs()[1]).getRep().toString();
        if (!(r.type() instanceof RecT rt) || rt.field(f) == null) {
            return x.fail(a, "no field " + f + " in " + r.type());
        }
        return new Sel(r, f, rt.field(f));
    }

    private Expr tuple(OpApplNode a, Env env, Type expected) {
        ExprOrOpArgNode[] args = a.getArgs();
        List<Expr> es = new ArrayList<>();
        if (expected instanceof SeqT st) {
            for (ExprOrOpArgNode arg : args) {
                es.add(x.lower(arg, env, st.elem()));
            }
            return es.contains(null) ? null : new TupCons(es, st);
        }
        if (expected instanceof FunT ft && ft.dom() instanceof RangeT) {
            for (ExprOrOpArgNode arg : args) {
                es.add(x.lower(arg, env, ft.range()));
            }
            return es.contains(null) ? null : new TupCons(es, ft);
        }
        if (expected instanceof TupT tt && tt.types().size() == args.length) {
            for (int i = 0; i < args.length; i++) {
                es.add(x.lower(args[i], env, tt.types().get(i)));
            }
            return es.contains(null) ? null : new TupCons(es, tt);
        }
        if (args.length == 0) {
            return x.fail(a, "cannot type the empty sequence <<>> here: compare or assign it to a typed sequence");
        }
        List<Type> types = new ArrayList<>();
        for (ExprOrOpArgNode arg : args) {
            Expr e = x.lower(arg, env, null);
            if (e == null) {
                return null;
            }
            es.add(e);
            types.add(e.type());
        }
        return new TupCons(es, new TupT(types));
    }
}
