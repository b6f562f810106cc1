package dev.ladle.codegen;

import dev.ladle.codegen.Ir.*;
import java.util.List;

/**
 * What the action pass decides about an EXCEPT before emitting it: whether its paths can overlap, whether a
 * later path reads {@code @}, and so whether it can change the variable in place (only its paths written).
 */
final class ExceptPaths {

    private ExceptPaths() {}

    /**
     * Whether a path after the first reads {@code @}. Two paths may name the same element at run time
     * ({@code [f EXCEPT ![r] = @ \ {s}, ![t] = @ \cup {x}]} with r = t), and TLA+ applies them in order: the later
     * {@code @} is the value the earlier path wrote. The in-place update reads every {@code @} from the old state,
     * so such an EXCEPT is built in scratch path after path instead.
     */
    static boolean laterPathReadsAt(Except ex) {
        for (int i = 1; i < ex.updates().size(); i++) {
            if (mentionsAt(ex.updates().get(i).value())) {
                return true;
            }
        }
        return false;
    }

    private static boolean mentionsAt(Object e) {
        if (e instanceof At) {
            return true;
        }
        if (e instanceof Record r) {
            for (var c : r.getClass().getRecordComponents()) {
                try {
                    Object x = c.getAccessor().invoke(r);
                    if ((x instanceof Record || x instanceof List) && mentionsAt(x)) {
                        return true;
                    }
                } catch (ReflectiveOperationException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
        if (e instanceof List<?> l) {
            for (Object x : l) {
                if (mentionsAt(x)) {
                    return true;
                }
            }
        }
        return false;
    }
    /** The expression naming v's value at the path (to recognise Append(v[r], e) as an append at v[r]). */
    static Expr pathExpr(Variable v, List<Step> path) {
        Expr e = new Var(v.name(), v.type());
        for (Step st : path) {
            if (st instanceof Field f) {
                RecT rt = (RecT) e.type();
                e = new Sel(e, f.name(), rt.field(f.name()));
            } else {
                Index ix = (Index) st;
                Type range = e.type() instanceof FunT ft ? ft.range() : e.type() instanceof SeqT sq ? sq.elem() : null;
                e = new App(e, ix.arg(), range);
            }
        }
        return e;
    }

    /** Two index values known to differ where an update is emitted (the branch of {@code IF r = t} it lies in). */
    record Distinct(Expr a, Expr b) {
        boolean covers(Expr x, Expr y) {
            String kx = Shared.key(x);
            String ky = Shared.key(y);
            String ka = Shared.key(a);
            String kb = Shared.key(b);
            return ka.equals(kx) && kb.equals(ky) || ka.equals(ky) && kb.equals(kx);
        }
    }

    /** Whether value is an EXCEPT of v that can change v's paths in place, the pairs in distinct known to differ. */
    static boolean exceptInPlace(Variable v, Expr value, List<Distinct> distinct) {
        return value instanceof Except ex
                && ex.base() instanceof Var w
                && w.name().equals(v.name())
                && (disjointPaths(ex.updates(), distinct) || !laterPathReadsAt(ex));
    }

    /** Whether every branch of value (IF and CASE, nested) is v itself or an EXCEPT of v done in place. */
    static boolean branchesInPlace(Variable v, Expr value) {
        return branchesInPlace(v, value, List.of());
    }

    private static boolean branchesInPlace(Variable v, Expr value, List<Distinct> distinct) {
        if (value instanceof Var w) {
            return w.name().equals(v.name());
        } else if (value instanceof If i) {
            return branchesInPlace(v, i.then(), with(distinct, i.cond(), true))
                    && branchesInPlace(v, i.otherwise(), with(distinct, i.cond(), false));
        } else if (value instanceof Case c) {
            return c.values().stream().allMatch(x -> branchesInPlace(v, x, distinct))
                    && (c.other() == null || branchesInPlace(v, c.other(), distinct));
        }
        return exceptInPlace(v, value, distinct) || elementOps(value, e -> isVar(e, v)) != null;
    }

    private static boolean isVar(Expr e, Variable v) {
        return e instanceof Var w && w.name().equals(v.name());
    }

    /**
     * value as the set at base with single elements taken out and put in, in order ({@code S \ {s}},
     * {@code (S \ {s}) \cup {x}}), where base accepts S (the variable changed in place, or {@code @}): the
     * operations from the innermost out, or null when value has another form. Such a value clears or sets one bit
     * per operation in place instead of copying the whole bitset; every element is computed before any bit
     * changes, so each one reads the set before the update, as TLA+ reads it.
     */
    static List<SetBin> elementOps(Expr value, java.util.function.Predicate<Expr> base) {
        List<SetBin> ops = new java.util.ArrayList<>();
        Expr e = value;
        while (e instanceof SetBin b
                && (b.op() == SetOp.DIFF || b.op() == SetOp.UNION)
                && b.b() instanceof SetEnum en
                && en.elems().size() == 1) {
            ops.add(0, b);
            e = b.a();
        }
        return !ops.isEmpty() && base.test(e) ? ops : null;
    }

    /**
     * distinct and what the branch where cond is holds (or, when holds is false, where it fails) adds: in the
     * ELSE of {@code IF r = t} (and the THEN of {@code IF r # t}) the scalars r and t differ, so the paths
     * {@code ![r]} and {@code ![t]} cannot meet.
     */
    static List<Distinct> with(List<Distinct> distinct, Expr cond, boolean holds) {
        if (cond instanceof Not n) {
            return with(distinct, n.a(), !holds);
        }
        if (cond instanceof Eq q && q.negated() == holds && q.a().type().scalar()) {
            List<Distinct> more = new java.util.ArrayList<>(distinct);
            more.add(new Distinct(q.a(), q.b()));
            return more;
        }
        return distinct;
    }

    /**
     * Whether no two updates of an EXCEPT can touch the same slot (the index pairs in distinct known to differ).
     * TLC applies the updates in sequence, each {@code @} seeing the value the previous ones left; in place,
     * each update reads the state before the action, so only updates at paths that cannot overlap may be done
     * there.
     */
    static boolean disjointPaths(List<ExceptUpdate> updates, List<Distinct> distinct) {
        for (int i = 0; i < updates.size(); i++) {
            for (int j = i + 1; j < updates.size(); j++) {
                if (mayOverlap(updates.get(i).path(), updates.get(j).path(), distinct)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether two paths may reach the same slot or one lies inside the other. */
    private static boolean mayOverlap(List<Step> p, List<Step> q, List<Distinct> distinct) {
        for (int k = 0; k < Math.min(p.size(), q.size()); k++) {
            Step a = p.get(k);
            Step b = q.get(k);
            if (a instanceof Field fa && b instanceof Field fb) {
                if (!fa.name().equals(fb.name())) {
                    return false;
                }
            } else if (a instanceof Index ia && b instanceof Index ib) {
                if (distinctConstants(ia.arg(), ib.arg())
                        || distinct.stream().anyMatch(d -> d.covers(ia.arg(), ib.arg()))) {
                    return false;
                }
            } else {
                return true;
            }
        }
        return true;
    }

    private static boolean distinctConstants(Expr a, Expr b) {
        if (a instanceof IntLit x && b instanceof IntLit y) {
            return x.value() != y.value();
        }
        if (a instanceof EnumLit x && b instanceof EnumLit y) {
            return x.type().equals(y.type()) && x.ordinal() != y.ordinal();
        }
        if (a instanceof BoolLit x && b instanceof BoolLit y) {
            return x.value() != y.value();
        }
        return false;
    }
}
