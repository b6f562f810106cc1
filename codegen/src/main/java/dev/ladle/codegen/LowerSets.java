package dev.ladle.codegen;

import dev.ladle.codegen.Ir.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tla2sany.semantic.ExprOrOpArgNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.StringNode;

/**
 * Sets: membership, literals, ranges, union, intersection, difference, inclusion, Cardinality, and the sets that
 * are types (BOOLEAN, Nat, Int, SUBSET S, [S -> T], [f : S], S \X T, Seq(S)).
 */
final class LowerSets {

    private final Exprs x;

    LowerSets(Exprs x) {
        this.x = x;
    }

    void register(Map<String, Exprs.Construct> table) {
        table.put(
                "BOOLEAN", (a, env, expected) -> new TypeSet(TypeSet.Kind.BOOLEAN, List.of(), List.of(), new BoolT()));
        table.put("Nat", (a, env, expected) -> new TypeSet(TypeSet.Kind.NAT, List.of(), List.of(), new IntT()));
        table.put("Int", (a, env, expected) -> new TypeSet(TypeSet.Kind.INT, List.of(), List.of(), new IntT()));
        table.put("\\in", this::membership);
        table.put("\\notin", this::membership);
        table.put("\\subseteq", this::subseteq);
        table.put("$SetEnumerate", this::enumeration);
        table.put("..", this::range);
        table.put("\\cup", this::setOp);
        table.put("\\cap", this::setOp);
        table.put("\\", this::setOp);
        table.put("SUBSET", this::powerset);
        table.put("Cardinality", this::cardinality);
        table.put("$SetOfFcns", this::functions);
        table.put("$SetOfRcds", this::records);
        table.put("\\X", this::product);
        table.put("$CartesianProd", this::product);
        table.put("Seq", this::sequences);
    }

    private Expr membership(OpApplNode a, Env env, Type expected) {
        ExprOrOpArgNode[] args = a.getArgs();
        Expr set = x.lower(args[1], env, null);
        if (set == null) {
            return null;
        }
        SetT st = x.setType(set, a);
        if (st == null) {
            return null;
        }
        Expr e = x.lower(args[0], env, st.elem());
        if (e == null) {
            return null;
        }
        return Nodes.opName(a).equals("\\in") ? new In(e, set) : new Not(new In(e, set));
    }

    private Expr subseteq(OpApplNode a, Env env, Type expected) {
        List<Expr> pq = x.lowerJoined(List.of(a.getArgs()[0], a.getArgs()[1]), env, null);
        if (pq == null) {
            return null;
        }
        Expr p = x.requireSet(pq.get(0), a, "\\subseteq");
        Expr q = x.requireSet(pq.get(1), a, "\\subseteq");
        if (p == null || q == null) {
            return null;
        }
        if (!Fold.sameUniverse(p.type(), q.type())) {
            return x.fail(a, Fold.differentRanges(p.type(), q.type()));
        }
        return new Subseteq(p, q);
    }

    private Expr enumeration(OpApplNode a, Env env, Type expected) {
        Type elem = expected instanceof SetT st ? st.elem() : null;
        List<Expr> es = new ArrayList<>();
        for (ExprOrOpArgNode arg : a.getArgs()) {
            Expr e = x.lower(arg, env, elem);
            if (e == null) {
                return null;
            }
            es.add(e);
            if (elem == null) {
                elem = e.type();
            }
        }
        if (elem == null) {
            return x.fail(a, "cannot type the empty set {} here: compare or assign it to a typed set");
        }
        if (elem instanceof IntT && !es.isEmpty() && es.stream().allMatch(e -> e instanceof IntLit)) {
            int lo = es.stream().mapToInt(e -> ((IntLit) e).value()).min().getAsInt();
            int hi = es.stream().mapToInt(e -> ((IntLit) e).value()).max().getAsInt();
            elem = new RangeT(new IntLit(lo), new IntLit(hi));
        }
        return new SetEnum(es, new SetT(elem));
    }

    private Expr range(OpApplNode a, Env env, Type expected) {
        Expr lo = x.lower(a.getArgs()[0], env, new IntT());
        Expr hi = x.lower(a.getArgs()[1], env, new IntT());
        if (lo == null || hi == null) {
            return null;
        }
        // the universe of lo..hi as a set needs constant bounds: use the static bounds when the ends vary
        Expr slo = Fold.isConstant(lo) ? lo : Fold.lowerBoundOf(lo);
        Expr shi = Fold.isConstant(hi) ? hi : Fold.upperBoundOf(hi);
        return new SetRange(lo, hi, new SetT(new RangeT(slo == null ? lo : slo, shi == null ? hi : shi)));
    }

    private Expr setOp(OpApplNode a, Env env, Type expected) {
        String op = Nodes.opName(a);
        List<Expr> pq = x.lowerJoined(List.of(a.getArgs()[0], a.getArgs()[1]), env, expected);
        if (pq == null) {
            return null;
        }
        Expr p = pq.get(0);
        Expr q = pq.get(1);
        SetOp so = op.equals("\\cup") ? SetOp.UNION : op.equals("\\cap") ? SetOp.INTER : SetOp.DIFF;
        if (!Fold.sameUniverse(p.type(), q.type())) {
            return x.fail(a, Fold.differentRanges(p.type(), q.type()));
        }
        SetT sp = x.setType(p, a);
        if (sp == null) {
            return null;
        }
        if (sp.elem() instanceof ModelT mp) {
            SetT sq = x.setType(q, a);
            if (sq == null) {
                return null;
            }
            if (sq.elem() instanceof ModelT mq && !mp.set().equals(mq.set())) {
                return x.fail(
                        a,
                        "unsupported: " + op + " of the constant sets " + mp.set() + " and " + mq.set()
                                + " (a set of model values from two constant sets has no layout)");
            }
        }
        return new SetBin(so, p, q, sp);
    }

    private Expr powerset(OpApplNode a, Env env, Type expected) {
        Expr s = x.lower(a.getArgs()[0], env, null);
        return s == null ? null : new TypeSet(TypeSet.Kind.POWERSET, List.of(s), List.of(), s.type());
    }

    private Expr cardinality(OpApplNode a, Env env, Type expected) {
        Expr s = x.requireSet(x.lower(a.getArgs()[0], env, null), a, "Cardinality");
        return s == null ? null : new Card(s);
    }

    private Expr functions(OpApplNode a, Env env, Type expected) {
        Expr s = x.lower(a.getArgs()[0], env, null);
        Expr t = x.lowerInside(a.getArgs()[1], env);
        if (s == null || t == null) {
            return null;
        }
        SetT ss = x.setType(s, a);
        if (ss == null) {
            return null;
        }
        SetT st = x.setType(t, a);
        if (st == null) {
            return null;
        }
        return new TypeSet(TypeSet.Kind.FUNCTIONS, List.of(s, t), List.of(), new FunT(ss.elem(), st.elem()));
    }

    private Expr records(OpApplNode a, Env env, Type expected) {
        List<String> names = new ArrayList<>();
        List<Expr> sets = new ArrayList<>();
        List<Type> types = new ArrayList<>();
        for (ExprOrOpArgNode p : a.getArgs()) {
            // SANY makes each field of [f : S] a pair of its name and its set
            OpApplNode pair = (OpApplNode) p;
            names.add(((StringNode) pair.getArgs()[0]).getRep().toString());
            Expr s = x.lowerInside(pair.getArgs()[1], env);
            if (s == null) {
                return null;
            }
            sets.add(s);
            SetT st = x.setType(s, a);
            if (st == null) {
                return null;
            }
            types.add(st.elem());
        }
        return new TypeSet(TypeSet.Kind.RECORDS, sets, names, new RecT(names, types));
    }

    private Expr product(OpApplNode a, Env env, Type expected) {
        List<Expr> sets = new ArrayList<>();
        List<Type> types = new ArrayList<>();
        for (ExprOrOpArgNode p : a.getArgs()) {
            Expr s = x.lowerInside(p, env);
            if (s == null) {
                return null;
            }
            sets.add(s);
            SetT st = x.setType(s, a);
            if (st == null) {
                return null;
            }
            types.add(st.elem());
        }
        return new TypeSet(TypeSet.Kind.PRODUCT, sets, List.of(), new TupT(types));
    }

    private Expr sequences(OpApplNode a, Env env, Type expected) {
        Expr bound = x.seqBound();
        Expr s = x.lowerInside(a.getArgs()[0], env);
        if (s == null) {
            return null;
        }
        SetT st = x.setType(s, a);
        if (st == null) {
            return null;
        }
        return new TypeSet(TypeSet.Kind.SEQUENCES, List.of(s), List.of(), new SeqT(st.elem(), bound));
    }
}
