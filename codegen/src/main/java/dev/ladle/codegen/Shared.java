package dev.ladle.codegen;

import dev.ladle.codegen.Ir.*;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the subexpressions an action computes more than once (a spec's operator expanded at every use, such as
 * FirstFreeSlot(t) in a guard and three updates, or Target(t, d) = cspace[t][d].obj), so {@link Emit} computes
 * each once into a local. Shared are the scalar CHOOSEs (a loop each) and scalar function applications and
 * field selections (a load at a computed offset, with its domain check), the integer arithmetic of an operator's
 * expansion over such values ({@code RingSlot(r, msgCount[r]) == ((msgHead[r] + msgCount[r]) % MaxMsgs) + 1}, an
 * index two EXCEPT paths use: see {@link #sharedArithmetic}), and the addresses of compound values in the state
 * reached the same way ({@code cspace[t][d]}, whose fields three guards read), never one reading an EXCEPT's
 * {@code @}.
 */
final class Shared {
    private Shared() {}

    /**
     * The expression as a text where the variables it binds are numbered in order of binding: two expansions
     * of one operator (whose bound variables Lower names afresh each time) give the same key.
     */
    static String key(Expr e) {
        List<String> bound = new ArrayList<>();
        walk(e, x -> {
            if (x instanceof Choose c) {
                bound.add(c.var().name());
            } else if (x instanceof Quant q) {
                bound.add(q.var().name());
            } else if (x instanceof SetFilter f) {
                bound.add(f.var().name());
            } else if (x instanceof FunCons f) {
                bound.add(f.var().name());
            } else if (x instanceof SetMap m) {
                m.vars().forEach(v -> bound.add(v.name()));
            }
            return true;
        });
        String s = e.toString();
        for (int i = 0; i < bound.size(); i++) {
            s = s.replace("Local[name=" + bound.get(i) + ",", "Local[name=$bound" + i + ",");
        }
        return s;
    }

    /** Whether e may be computed once into a local and reused (a scalar value, or an address: see addressable). */
    static boolean shareable(Expr e, Origins origins) {
        boolean kind = (e instanceof Choose c && c.type().scalar())
                || (e instanceof App a && a.type().scalar())
                || (e instanceof Sel l && l.type().scalar())
                || sharedArithmetic(e, origins)
                || addressable(e);
        if (!kind) {
            return false;
        }
        boolean[] at = {false};
        walk(e, x -> {
            if (x instanceof At) {
                at[0] = true;
            }
            return !at[0];
        });
        return !at[0];
    }

    /**
     * Whether e is integer arithmetic ({@code + - * \div %}) that is the whole expansion of a spec operator (or LET
     * definition) and reads the state only through values shared themselves (scalar applications, selections and
     * CHOOSEs): its operands are literals, constants, bound names and those values. Computed once where the action
     * first evaluates it whatever the values, it reads the same locals its second evaluation would, so the local
     * holds what TLC computes both times (an overflow or a division by zero raises at the first evaluation, as
     * before). Arithmetic that no operator names stays inline, and so do its parts.
     */
    static boolean sharedArithmetic(Expr e, Origins origins) {
        return e instanceof Bin b
                && b.type() instanceof IntT
                && origins.operator(e) != null
                && operands(b.a())
                && operands(b.b());
    }

    private static boolean operands(Expr e) {
        if (e instanceof Bin b) {
            return b.type() instanceof IntT && operands(b.a()) && operands(b.b());
        }
        if (e instanceof Neg n) {
            return operands(n.a());
        }
        return e instanceof IntLit
                || e instanceof ConstInt
                || e instanceof Local
                || (e instanceof Choose c && c.type().scalar())
                || (e instanceof App a && a.type().scalar())
                || (e instanceof Sel l && l.type().scalar());
    }

    /**
     * Whether e is a compound value inside a state variable, reached by applications and selections
     * ({@code cspace[t][d]}, {@code inbox[r]}): what is shared is its address, arithmetic on its indices.
     */
    static boolean addressable(Expr e) {
        if (e.type() == null || e.type().scalar()) {
            return false;
        }
        return (e instanceof App a && inVariable(a.fun())) || (e instanceof Sel s && inVariable(s.rec()));
    }

    private static boolean inVariable(Expr e) {
        return e instanceof Var
                || (e instanceof App a && inVariable(a.fun()))
                || (e instanceof Sel s && inVariable(s.rec()));
    }

    /**
     * The keys of the addressable subexpressions of exprs that deserve an address of their own: used as they
     * are somewhere, or extended in two different ways ({@code cspace[t][d]} in {@code cspace[t][d].rights} and
     * {@code cspace[t][d].obj}). One that is always extended the same way ({@code cspace[t]}) leaves the address
     * to its extension.
     */
    static java.util.Set<String> addressRoots(List<Expr> exprs) {
        java.util.Map<String, Integer> count = new java.util.HashMap<>();
        java.util.Map<String, Integer> extended = new java.util.HashMap<>();
        java.util.Map<String, java.util.Set<String>> ways = new java.util.HashMap<>();
        for (Expr e : exprs) {
            walk(e, x -> {
                if (addressable(x)) {
                    count.merge(key(x), 1, Integer::sum);
                }
                Expr inner = x instanceof App a ? a.fun() : x instanceof Sel s ? s.rec() : null;
                if (inner != null && addressable(inner)) {
                    String k = key(inner);
                    extended.merge(k, 1, Integer::sum);
                    ways.computeIfAbsent(k, z -> new java.util.HashSet<>()).add(key(x));
                }
                return true;
            });
        }
        java.util.Set<String> roots = new java.util.HashSet<>();
        for (var c : count.entrySet()) {
            String k = c.getKey();
            if (c.getValue() > extended.getOrDefault(k, 0)
                    || ways.getOrDefault(k, java.util.Set.of()).size() > 1) {
                roots.add(k);
            }
        }
        return roots;
    }

    /** The addressable expressions along e's chain of applications and selections, e first. */
    static List<Expr> spine(Expr e) {
        List<Expr> out = new ArrayList<>();
        while (e instanceof App || e instanceof Sel) {
            if (addressable(e)) {
                out.add(e);
            }
            e = e instanceof App a ? a.fun() : ((Sel) e).rec();
        }
        return out;
    }

    /** Every shareable subexpression of e, wherever it is. */
    static List<Expr> allShareable(Expr e, Origins origins) {
        List<Expr> out = new ArrayList<>();
        walk(e, x -> {
            if (shareable(x, origins)) {
                out.add(x);
            }
            return true;
        });
        return out;
    }

    /**
     * The shareable subexpressions that evaluating e evaluates whatever the values, innermost first: not those under an
     * IF's or CASE's arms, a conjunct or disjunct after the first, a quantifier's or filter's body, a function
     * constructor's body, an EXCEPT's new values (skipped outside the domain), or another CHOOSE's predicate.
     */
    static List<Expr> unconditionalShareable(Expr e, Origins origins) {
        List<Expr> out = new ArrayList<>();
        unconditional(e, out, origins);
        return out;
    }

    private static void unconditional(Expr e, List<Expr> out, Origins origins) {
        if (e instanceof If i) {
            unconditional(i.cond(), out, origins);
        } else if (e instanceof Case c) {
            if (!c.conds().isEmpty()) {
                unconditional(c.conds().get(0), out, origins);
            }
        } else if (e instanceof And a) {
            unconditional(a.args().get(0), out, origins);
        } else if (e instanceof Or o) {
            unconditional(o.args().get(0), out, origins);
        } else if (e instanceof Implies i) {
            unconditional(i.a(), out, origins);
        } else if (e instanceof Quant q) {
            unconditional(q.set(), out, origins);
        } else if (e instanceof SetFilter f) {
            unconditional(f.set(), out, origins);
        } else if (e instanceof SetMap m) {
            unconditional(m.sets().get(0), out, origins);
        } else if (e instanceof FunCons f) {
            unconditional(f.dom(), out, origins);
        } else if (e instanceof Choose c) {
            unconditional(c.set(), out, origins);
            if (shareable(c, origins)) {
                out.add(c);
            }
        } else if (e instanceof Except x) {
            unconditional(x.base(), out, origins);
            for (ExceptUpdate u : x.updates()) {
                for (Step st : u.path()) {
                    if (st instanceof Index ix) {
                        unconditional(ix.arg(), out, origins);
                    }
                }
            }
        } else {
            for (Object child : children(e)) {
                if (child instanceof Expr x) {
                    unconditional(x, out, origins);
                }
            }
            if (shareable(e, origins)) {
                out.add(e);
            }
        }
    }

    private interface Visitor {
        /** Whether to go on into x's children. */
        boolean visit(Expr x);
    }

    private static void walk(Object o, Visitor v) {
        if (o instanceof Expr e && !v.visit(e)) {
            return;
        }
        for (Object child : children(o)) {
            walk(child, v);
        }
    }

    /** The components of an IR record (expressions, lists of them, EXCEPT updates and their steps). */
    private static List<Object> children(Object o) {
        List<Object> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            out.addAll(l);
        } else if (o instanceof Record r && !(o instanceof Type)) {
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    Object x = c.getAccessor().invoke(r);
                    if (x instanceof Expr || x instanceof List<?> || x instanceof ExceptUpdate || x instanceof Step) {
                        if (x instanceof List<?> l) {
                            out.addAll(l);
                        } else {
                            out.add(x);
                        }
                    }
                } catch (IllegalAccessException | InvocationTargetException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
        return out;
    }
}
