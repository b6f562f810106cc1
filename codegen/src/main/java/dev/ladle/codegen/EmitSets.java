package dev.ladle.codegen;

import static dev.ladle.codegen.JavaText.*;

import dev.ladle.codegen.Ir.*;
import java.util.ArrayList;
import java.util.List;

/**
 * Emit pass, expressions over sets: iteration ({@link #forEach}, a loop over a range, a bitset or a whole
 * type, or unrolled for a literal set) and membership ({@link #member}: range checks, bit tests, and
 * structural membership in type-sets such as {@code [S -> T]} or {@code Seq(S)}).
 */
abstract class EmitSets extends EmitExpressions {

    EmitSets(Variant variant) {
        super(variant);
    }

    /** Emits body once per element of set, with var bound (a loop, or unrolled for a literal set). */
    @Override
    void forEach(Local var, Expr set, Runnable body) {
        if (refusals.refused()) {
            return;
        }
        refusals.enter(set);
        forEach0(var, set, body);
        refusals.leave();
    }

    private void forEach0(Local var, Expr set, Runnable body) {
        Type elem = ((SetT) set.type()).elem();
        String x = local(var.name());
        if (set instanceof SetRange r) {
            String lo = once(sc(r.lo()), new IntT());
            String hi = once(sc(r.hi()), new IntT());
            out.beginControlFlow("for (int $L = $L; $L <= $L; $L++)", x, lo, x, hi, x);
            body.run();
            out.endControlFlow();
        } else if (set instanceof SetEnum en) {
            for (Expr el : en.elems()) {
                String v = sc(el);
                out.beginControlFlow("");
                out.addStatement("final $T $L = $L", javaPrim(elem), x, v);
                body.run();
                out.endControlFlow();
            }
        } else if (set instanceof TypeSet ts && (ts.kind() == TypeSet.Kind.BOOLEAN)) {
            String i = tmp("i");
            out.beginControlFlow("for (int $L = 0; $L < 2; $L++)", i, i, i);
            out.addStatement("final boolean $L = $L != 0", x, i);
            body.run();
            out.endControlFlow();
        } else if (set instanceof ConstSet c) {
            fullLoop(elem, x, body);
        } else if (set instanceof TypeSet ts && ts.kind() == TypeSet.Kind.PRODUCT && elem.scalar()) {
            fullLoop(elem, x, body);
        } else if (set instanceof Domain d && (d.fun().type() instanceof FunT)) {
            fullLoop(elem, x, body);
        } else {
            if (!elem.finite()) {
                refuse("iterating over a set of " + Variant.describe(elem));
                return;
            }
            // a word at a time: an empty word costs one test, and each element is found by its word's lowest set
            // bit, in ascending order as before; the bits past the last element are zero (every write of a set
            // checks its elements against the type), so the words hold exactly the elements
            forEachBit(ad(set), set.type(), x, body);
        }
    }

    /** Emits body once per element of the bitset at a of set type t, in ascending order, with x bound to it. */
    private void forEachBit(Addr a, Type t, String x, Runnable body) {
        Type elem = ((SetT) t).elem();
        String w = tmp("w");
        String bits = tmp("bits");
        String i = tmp("i");
        out.beginControlFlow("for (int $L = 0; $L < $L; $L++)", w, w, size(t, "st."), w);
        out.addStatement("int $L = $L[$L + $L]", bits, a.arr(), a.off(), w);
        out.beginControlFlow("while ($L != 0)", bits);
        out.addStatement("final int $L = ($L << 5) + Integer.numberOfTrailingZeros($L)", i, w, bits);
        out.addStatement("$L &= $L - 1", bits, bits);
        out.addStatement("final $T $L = $L", javaPrim(elem), x, bitElement(elem, i));
        body.run();
        out.endControlFlow();
        out.endControlFlow();
    }

    /** Whether {@link #forEach} walks the set's bitmap (a variable, an application, a set built in scratch). */
    private static boolean bitmapIterated(Expr set) {
        Type elem = ((SetT) set.type()).elem();
        return !(set instanceof SetRange)
                && !(set instanceof SetEnum)
                && !(set instanceof TypeSet ts && ts.kind() == TypeSet.Kind.BOOLEAN)
                && !(set instanceof ConstSet)
                && !(set instanceof TypeSet ts2 && ts2.kind() == TypeSet.Kind.PRODUCT && elem.scalar())
                && !(set instanceof Domain d && d.fun().type() instanceof FunT)
                && elem.finite();
    }

    /**
     * Whether the CHOOSE asks for the lowest element of its set: {@code CHOOSE x \in S : TRUE} (TLC takes the
     * first element in its order, the lowest, as the bitmap walk does), or {@code CHOOSE x \in S : \A y \in S :
     * x <= y} ({@code y >= x}) with the same S, which holds of the lowest element and of no other, and cannot stop
     * TLC (integers compared). Either way an empty S stops TLC (no witness), as it stops the machine.
     */
    static boolean asksForLowest(Choose c) {
        if (c.pred() instanceof BoolLit b) {
            return b.value();
        }
        if (!(c.pred() instanceof Quant q) || !q.forall() || !(q.body() instanceof Bin b)) {
            return false;
        }
        if (!Shared.key(q.set()).equals(Shared.key(c.set()))) {
            return false;
        }
        return (b.op() == BinOp.LE && named(b.a(), c.var()) && named(b.b(), q.var()))
                || (b.op() == BinOp.GE && named(b.a(), q.var()) && named(b.b(), c.var()));
    }

    /**
     * The lowest bit of each bitmap set a guard of the action tested for emptiness, by the set's {@link Shared#key}:
     * the local {@link #nonEmptyGuard} computed it in, which a CHOOSE of the set's lowest element reads instead of
     * scanning the words again (the guard ran at the method's top level, before any update, so the local is in
     * scope and holds the set before the action, as TLA+ reads it).
     */
    final java.util.Map<String, String> lowestKnown = new java.util.HashMap<>();

    /**
     * A guard {@code S # {}} (or {@code ~(S = {})}) over a bitmap set, emitted at the action's top level: the set's
     * lowest bit found once ({@code lowestBit}, which stops at the first nonzero word as the emptiness test does)
     * and the guard's Java condition over it; null when cond is not of that form.
     */
    String nonEmptyGuard(Expr cond) {
        Expr set = null;
        if (cond instanceof Eq q && q.negated()) {
            set = isEmptySet(q.b()) ? q.a() : isEmptySet(q.a()) ? q.b() : null;
        } else if (cond instanceof Not n && n.a() instanceof Eq q && !q.negated()) {
            set = isEmptySet(q.b()) ? q.a() : isEmptySet(q.a()) ? q.b() : null;
        }
        if (set == null || !(set.type() instanceof SetT) || isEmptySet(set) || !bitmapIterated(set)) {
            return null;
        }
        Addr a = ad(set);
        String i = tmp("lowest");
        out.addStatement("final int $L = lowestBit($L, $L, $L)", i, a.arr(), a.off(), size(set.type(), "st."));
        lowestKnown.put(Shared.key(set), i);
        return i + " >= 0";
    }

    private static boolean named(Expr e, Local v) {
        return e instanceof Local l && l.name().equals(v.name());
    }

    /**
     * CHOOSE of the lowest element of a set kept as a bitmap: the first nonzero word and its lowest set bit
     * ({@code lowestBit}), O(words) instead of a test per element; null when the CHOOSE is not of that form.
     */
    @Override
    String chooseLowest(Choose c) {
        if (!asksForLowest(c) || !bitmapIterated(c.set())) {
            return null;
        }
        Type elem = ((SetT) c.set().type()).elem();
        String i = lowestKnown.get(Shared.key(c.set()));
        if (i == null) {
            Addr a = ad(c.set());
            i = tmp("i");
            out.addStatement(
                    "final int $L = lowestBit($L, $L, $L)",
                    i,
                    a.arr(),
                    a.off(),
                    size(c.set().type(), "st."));
        }
        out.beginControlFlow("if ($L < 0)", i);
        out.addStatement("throw new IllegalStateException($S)", "CHOOSE: no element satisfies the predicate");
        out.endControlFlow();
        String r = tmpFor(c, "chosen");
        out.addStatement("final $T $L = $L", javaPrim(c.type()), r, bitElement(elem, i));
        return r;
    }

    private void fullLoop(Type elem, String x, Runnable body) {
        if (elem instanceof BoolT) {
            String i = tmp("i");
            out.beginControlFlow("for (int $L = 0; $L < 2; $L++)", i, i, i);
            out.addStatement("final boolean $L = $L != 0", x, i);
        } else if (elem instanceof RangeT r) {
            out.beginControlFlow(
                    "for (int $L = $L; $L <= $L; $L++)", x, constExpr(r.lo(), "st."), x, constExpr(r.hi(), "st."), x);
        } else if (elem instanceof ModelT m) {
            out.beginControlFlow(
                    "for (int $L = $L; $L < $L + $L; $L++)", x, lo(m, "st."), x, lo(m, "st."), card(elem, "st."), x);
        } else {
            out.beginControlFlow("for (int $L = 0; $L < $L; $L++)", x, x, card(elem, "st."), x);
        }
        body.run();
        out.endControlFlow();
    }

    @Override
    String member(Expr elem, Expr set) {
        if (refusals.refused()) {
            return "false";
        }
        refusals.enter(set);
        String r = member0(elem, set);
        refusals.leave();
        return r;
    }

    private String member0(Expr elem, Expr set) {
        if (set instanceof ConstSet c) {
            String x = once(sc(elem), new IntT());
            return "(" + lo(c.elem(), "st.") + " <= " + x + " && " + x + " < " + lo(c.elem(), "st.") + " + "
                    + card(c.elem(), "st.") + ")";
        } else if (set instanceof SetBin sb && elem.type().scalar()) {
            String x = once(sc(elem), elem.type());
            Local lx = new Local("$m" + x, elem.type());
            locals.put(lx.name(), x);
            String l = member(lx, sb.a());
            String r = member(lx, sb.b());
            return switch (sb.op()) {
                case UNION -> group(junction(List.of(l, r), false));
                case INTER -> group(junction(List.of(l, r), true));
                case DIFF -> group(junction(List.of(l, not(r)), true));
            };
        } else if (set instanceof SetRange r) {
            // TLC builds lo..hi before the test: both ends are evaluated (and may stop it) whatever x is
            String x = once(sc(elem), new IntT());
            String lo = once(sc(r.lo()), new IntT());
            String hi = once(sc(r.hi()), new IntT());
            return group(junction(List.of(cmp(lo, "<=", x), cmp(x, "<=", hi)), true));
        } else if (set instanceof SetEnum en && (elem.type().scalar())) {
            if (en.elems().isEmpty()) {
                return "false";
            }
            String x = once(sc(elem), elem.type());
            List<String> parts = new ArrayList<>();
            for (Expr e : en.elems()) {
                // every element is evaluated, as TLC builds the set before the test
                parts.add(cmp(x, "==", once(sc(e), elem.type())));
            }
            return group(junction(parts, false));
        } else if (set instanceof Domain d && (d.fun().type() instanceof FunT)) {
            return "true";
        } else if (set instanceof TypeSet ts) {
            if (ts.kind() == TypeSet.Kind.CONSTANT) {
                refuse("the constant set " + ts.names().get(0) + " may only be a domain in Next");
                return "false";
            }
            if (ts.kind() == TypeSet.Kind.PRODUCT && elem.type().scalar()) {
                TupT tt = (TupT) elem.type();
                String x = once(sc(elem), tt);
                List<String> parts = new ArrayList<>();
                for (int k = 0; k < tt.types().size(); k++) {
                    Local c = new Local("$u" + x + "_" + k, tt.types().get(k));
                    locals.put(c.name(), once(unpack(tt, x, k), tt.types().get(k)));
                    parts.add(member(c, ts.parts().get(k)));
                }
                return group(junction(parts, true));
            }
            return switch (ts.kind()) {
                case NAT -> group(cmp(sc(elem), ">=", "0"));
                case INT, BOOLEAN -> "true";
                default -> structural(ad(elem), elem.type(), set);
            };
        } else {
            Type et = ((SetT) set.type()).elem();
            if (!et.finite()) {
                refuse("membership in a set of " + Variant.describe(et));
                return "false";
            }
            String i = once(elementBit(et, elem), new IntT());
            Addr a = ad(set);
            // a value outside the set's universe (possible only for ints and nulls) is simply not a member
            return group(junction(
                    List.of(cmp(i, ">=", "0"), cmp(i, "<", bitCard(et, "st.")), bitTest(a.arr(), a.off(), i)), true));
        }
    }

    /** Membership of the value at a in a type-set such as [S -> T], Seq(S), [a : S], SUBSET S. */
    String structural(Addr a, Type t, Expr set) {
        if (t.scalar()) {
            Expr v = new Local("$at", t);
            String w = load(a, t);
            String name = once(w, t);
            locals.put("$at", name);
            return member(v, set);
        }
        if (!(set instanceof TypeSet ts)) {
            refuse("membership of a " + Variant.describe(t) + " in "
                    + set.getClass().getSimpleName());
            return "false";
        }
        String r = tmp("in");
        String label = tmp("m");
        out.addStatement("boolean $L = true", r);
        out.add("$L: {\n", label).indent();
        switch (ts.kind()) {
            case FUNCTIONS -> {
                FunT ft = (FunT) t;
                String i = tmp("i");
                out.beginControlFlow("for (int $L = 0; $L < $L; $L++)", i, i, card(ft.dom(), "st."), i);
                String c = structural(
                        new Addr(a.arr(), a.off() + " + " + i + " * " + size(ft.range(), "st.")),
                        ft.range(),
                        ts.parts().get(1));
                fail(c, r, label);
                out.endControlFlow();
            }
            case SEQUENCES -> {
                SeqT st = (SeqT) t;
                String i = tmp("i");
                out.beginControlFlow("for (int $L = 0; $L < $L[$L]; $L++)", i, i, a.arr(), a.off(), i);
                String c = structural(
                        new Addr(a.arr(), a.off() + " + 1 + " + i + " * " + size(st.elem(), "st.")),
                        st.elem(),
                        ts.parts().get(0));
                fail(c, r, label);
                out.endControlFlow();
            }
            case RECORDS -> {
                RecT rt = (RecT) t;
                for (int k = 0; k < ts.names().size(); k++) {
                    int fi = rt.names().indexOf(ts.names().get(k));
                    String c = structural(
                            a.plus(fieldOffset(rt.types(), fi, "st.")),
                            rt.types().get(fi),
                            ts.parts().get(k));
                    fail(c, r, label);
                }
            }
            case PRODUCT -> {
                TupT tt = (TupT) t;
                for (int k = 0; k < tt.types().size(); k++) {
                    String c = structural(
                            a.plus(fieldOffset(tt.types(), k, "st.")),
                            tt.types().get(k),
                            ts.parts().get(k));
                    fail(c, r, label);
                }
            }
            case POWERSET -> {
                // every bit, a model-value set's null included (bit 0: not a member of the base set)
                Local x = new Local(synth("e"), ((SetT) t).elem());
                forEachBit(
                        a, t, local(x.name()), () -> fail(member(x, ts.parts().get(0)), r, label));
            }
            default -> refuse("membership in " + ts.kind());
        }
        out.unindent().add("}\n");
        return r;
    }

    private void fail(String cond, String r, String label) {
        if (cond.equals("true")) {
            return;
        }
        beginIf(not(cond));
        out.addStatement("$L = false", r).addStatement("break $L", label).endControlFlow();
    }

    void forEachAll(List<Local> vars, List<Expr> sets, int k, Runnable body) {
        if (k == vars.size()) {
            body.run();
            return;
        }
        forEach(vars.get(k), sets.get(k), () -> forEachAll(vars, sets, k + 1, body));
    }
}
