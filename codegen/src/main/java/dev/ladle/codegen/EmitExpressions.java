package dev.ladle.codegen;

import static dev.ladle.codegen.JavaText.*;

import com.palantir.javapoet.CodeBlock;
import dev.ladle.codegen.Ir.*;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Emit pass, expressions: a scalar expression (ints, booleans, ids, ordinals) as a Java expression, with the
 * statements it needs (a CHOOSE's loop, a quantifier's, a lazy application's domain check) emitted before
 * it; constants folded (see {@link JavaText}); shared values computed once ({@link #hoist}). Sets are in
 * {@link EmitSets}, compound values in {@link EmitValues}.
 */
abstract class EmitExpressions extends MethodBody {

    EmitExpressions(Variant variant) {
        super(variant);
    }

    /**
     * Computes now, into locals, the shared subexpressions e evaluates whatever the values that the action uses
     * more than once (counts), so every later use reads the local.
     */
    void hoist(Expr e, Map<String, Integer> counts) {
        for (Expr c : Shared.unconditionalShareable(e, spec.origins())) {
            String k = Shared.key(c);
            if (counts.getOrDefault(k, 0) <= 1 || memo.containsKey(k) || addresses.containsKey(k)) {
                continue;
            }
            if (c.type().scalar()) {
                memo.put(k, once(sc(c), c.type(), sharedName(c)));
            } else if (addressRoots.contains(k)) {
                Addr x = ad(c);
                addresses.put(k, new Addr(x.arr(), once(x.off(), new IntT(), sharedName(c) + "At")));
            }
        }
    }

    /**
     * The local of a shared value: the operator or LET definition it came from (FirstFreeSlot(t) becomes
     * firstFreeSlot), else the function variable it reads or the field it selects.
     */
    String sharedName(Expr c) {
        String op = spec.origins().operator(c);
        if (op != null) {
            return Emit.lowerCamel(op);
        }
        if (c instanceof Sel sel) {
            return Emit.lowerCamel(sel.field());
        }
        Expr f = c;
        while (f instanceof App a) {
            f = a.fun();
        }
        if (f instanceof Var v) {
            return Emit.lowerCamel(v.name());
        }
        return c instanceof Choose ? "chosen" : "v";
    }
    /** The literal <<>> of a sequence type, whose layout starts with its length word. */
    boolean isEmptySeq(Expr e) {
        return e instanceof TupCons t && t.elems().isEmpty() && t.type() instanceof SeqT;
    }

    /** The literal {} of a set type (a bitmap). */
    boolean isEmptySet(Expr e) {
        return e instanceof SetEnum en && en.elems().isEmpty() && en.type() instanceof SetT;
    }

    /** Position of value x in the finite type dom (0-based). */
    String index(Type dom, String x) {
        if (dom instanceof BoolT) {
            return "(" + x + " ? 1 : 0)";
        }
        if (dom instanceof RangeT r) {
            return arith(x, '-', constExpr(r.lo(), "st."));
        }
        if (dom instanceof ModelT m) {
            return "(" + x + " - " + lo(m, "st.") + ")";
        }
        return x;
    }

    /** The value at position i of the finite type t. */
    String elementOf(Type t, String i) {
        if (t instanceof BoolT) {
            return "(" + i + " != 0)";
        }
        if (t instanceof RangeT r) {
            return arith(i, '+', constExpr(r.lo(), "st."));
        }
        if (t instanceof ModelT m) {
            return "(" + i + " + " + lo(m, "st.") + ")";
        }
        return i;
    }

    String bitIndex(Type t, String x) {
        return t instanceof ModelT m ? "(" + x + " - " + lo(m, "st.") + " + 1)" : index(t, x);
    }

    String bitElement(Type t, String i) {
        return t instanceof ModelT m ? "(" + i + " + " + lo(m, "st.") + " - 1)" : elementOf(t, i);
    }

    /**
     * The bit index of elem in a bitset of et: for a tuple built of integers that may fall outside their ranges,
     * -1 when one does (TLC keeps such a tuple apart from every tuple of the type: a member of no set of it, taken
     * out of one it changes nothing, put in one it stops, as every bit index outside 0..card - 1 does), never the
     * index another tuple packs to.
     */
    String elementBit(Type et, Expr elem) {
        if (elem instanceof TupCons tc && tc.type() instanceof TupT tt && tt.scalar() && et instanceof TupT) {
            List<String> comps = new ArrayList<>();
            List<String> inside = new ArrayList<>();
            for (int k = 0; k < tc.elems().size(); k++) {
                Expr x = tc.elems().get(k);
                String v = sc(x);
                if (tt.types().get(k) instanceof RangeT r && !withinRange(x, r)) {
                    v = once(v, new IntT());
                    inside.add(v + " >= " + constExpr(r.lo(), "st.") + " && " + v + " <= " + constExpr(r.hi(), "st."));
                }
                comps.add(v);
            }
            String packed = pack(tt, comps);
            if (inside.isEmpty()) {
                return packed;
            }
            String i = tmp("bit");
            out.addStatement("final int $L = $L ? $L : -1", i, String.join(" && ", inside), packed);
            return i;
        }
        return bitIndex(et, sc(elem));
    }

    /**
     * Whether the integer x is within r whatever its value: typed by the same range, a literal inside it (both bounds
     * literals), or the literal that is its lower bound (0 in 0..MaxSlot: a range with its upper bound below that has
     * no values, and a tuple type over it none either, so no tuple of it is packed that could name another).
     */
    static boolean withinRange(Expr x, RangeT r) {
        if (x.type() instanceof RangeT xr
                && Fold.show(xr.lo()).equals(Fold.show(r.lo()))
                && Fold.show(xr.hi()).equals(Fold.show(r.hi()))) {
            return true;
        }
        if (!(x instanceof IntLit v) || !(r.lo() instanceof IntLit lo)) {
            return false;
        }
        return v.value() == lo.value()
                || (r.hi() instanceof IntLit hi && lo.value() <= v.value() && v.value() <= hi.value());
    }

    /** A tuple of finite scalars packed into one word (mixed radix, first component most significant). */
    String pack(TupT tt, List<String> comps) {
        String acc = null;
        for (int i = 0; i < comps.size(); i++) {
            String ix = index(tt.types().get(i), comps.get(i));
            acc = acc == null ? ix : "(" + acc + " * " + card(tt.types().get(i), "st.") + " + " + ix + ")";
        }
        return acc;
    }

    String unpack(TupT tt, String x, int k) {
        String stride = "1";
        for (int j = k + 1; j < tt.types().size(); j++) {
            stride = stride.equals("1")
                    ? card(tt.types().get(j), "st.")
                    : stride + " * " + card(tt.types().get(j), "st.");
        }
        String pos = "((" + x + (stride.equals("1") ? "" : " / (" + stride + ")") + ") % "
                + card(tt.types().get(k), "st.") + ")";
        return elementOf(tt.types().get(k), pos);
    }

    // ---- scalars

    /** e as a Java expression of its scalar type (statements it needs are emitted first). */
    @Override
    String sc(Expr e) {
        if (refusals.refused()) {
            return "0";
        }
        refusals.enter(e);
        String r = sc0(e);
        refusals.leave();
        return r;
    }

    private String sc0(Expr e) {
        if (!memo.isEmpty() && (e instanceof Choose || e instanceof App || e instanceof Sel || e instanceof Bin)) {
            String known = memo.get(Shared.key(e));
            if (known != null) {
                return known;
            }
        }
        if (e instanceof TupCons tc && tc.type() instanceof TupT tt && tt.scalar()) {
            // (a bit index of such a tuple goes through elementBit, where a component outside is no element)
            List<String> comps = new ArrayList<>();
            for (int k = 0; k < tc.elems().size(); k++) {
                Expr x = tc.elems().get(k);
                String v = sc(x);
                if (tt.types().get(k) instanceof RangeT r && !withinRange(x, r)) {
                    // packed in mixed radix, <<0, 4>> over (0..1) \X (0..3) would be <<1, 0>>: TLC keeps such a
                    // tuple apart from every tuple of the type, which one word cannot, so it stops, never aliases
                    v = once(v, new IntT());
                    out.beginControlFlow(
                            "if ($L < $L || $L > $L)", v, constExpr(r.lo(), "st."), v, constExpr(r.hi(), "st."));
                    out.addStatement(
                            "throw new IllegalStateException($S + $L)",
                            "a tuple component outside its type's values (a packed tuple would name another): ",
                            v);
                    out.endControlFlow();
                }
                comps.add(v);
            }
            return pack(tt, comps);
        }
        if (e instanceof App a && a.fun().type() instanceof TupT tt && tt.scalar()) {
            String x = once(sc(a.fun()), tt);
            return unpack(tt, x, Integer.parseInt(sc(a.arg())) - 1);
        }
        if (e instanceof App a && a.fun() instanceof FunCons f && a.type().scalar()) {
            // TLC applies [x \in S |-> e] lazily: only e at the argument is evaluated (e elsewhere may stop TLC)
            String x = once(sc(a.arg()), a.arg().type());
            String r = tmp("applied");
            out.addStatement("final $T $L", javaPrim(a.type()), r);
            out.beginControlFlow("");
            out.addStatement(
                    "final $T $L = $L", javaPrim(f.var().type()), local(f.var().name()), x);
            String in = sc(new In(f.var(), f.dom()));
            beginIf(not(in));
            out.addStatement(
                    "throw new $T($S + $L)",
                    IllegalStateException.class,
                    "TLC error: a function applied outside its domain, at ",
                    x);
            out.endControlFlow();
            out.addStatement("$L = $L", r, sc(f.body()));
            out.endControlFlow();
            return r;
        }
        if (e instanceof Choose c) {
            String lowest = chooseLowest(c);
            if (lowest != null) {
                return lowest;
            }
            String r = tmpFor(c, "chosen");
            String label = tmp("c");
            out.addStatement("$T $L = 0", javaPrim(c.type()), r);
            out.add("$L: {\n", label).indent();
            forEach(c.var(), c.set(), () -> {
                String p = sc(c.pred());
                beginIf(p);
                out.addStatement("$L = $L", r, sc(c.var()))
                        .addStatement("break $L", label)
                        .endControlFlow();
            });
            out.addStatement("throw new IllegalStateException($S)", "CHOOSE: no element satisfies the predicate");
            out.unindent().add("}\n");
            return r;
        }
        if (e instanceof IntLit l) {
            return Integer.toString(l.value());
        } else if (e instanceof BoolLit b) {
            return Boolean.toString(b.value());
        } else if (e instanceof EnumLit l) {
            return Integer.toString(l.ordinal());
        } else if (e instanceof ConstInt c) {
            return "st." + layout.valueParam(c.name());
        } else if (e instanceof Local l) {
            return enumParams.containsKey(l.name()) ? enumParams.get(l.name()) : local(l.name());
        } else if (e instanceof Var v) {
            return load(ad(v), v.type());
        } else if (e instanceof At a) {
            return atScalar != null ? atScalar : load(at, a.type());
        } else if (e instanceof Bin b) {
            String x = sc(b.a());
            String y = sc(b.b());
            String folded = foldBin(b.op(), x, y);
            if (folded != null) {
                return folded;
            }
            // TLC checks every operation on its 32-bit integers and stops instead of wrapping
            return switch (b.op()) {
                case ADD -> "Math.addExact(" + x + ", " + y + ")";
                case SUB -> "Math.subtractExact(" + x + ", " + y + ")";
                case MUL -> "Math.multiplyExact(" + x + ", " + y + ")";
                case DIV -> "tlaDiv(" + x + ", " + y + ")";
                case MOD -> "tlaMod(" + x + ", " + y + ")";
                case LT -> "(" + x + " < " + y + ")";
                case LE -> "(" + x + " <= " + y + ")";
                case GT -> "(" + x + " > " + y + ")";
                case GE -> "(" + x + " >= " + y + ")";
            };
        } else if (e instanceof Neg n) {
            String x = sc(n.a());
            Integer v = intLit(x);
            return v != null && v != Integer.MIN_VALUE ? Integer.toString(-v) : "Math.negateExact(" + x + ")";
        } else if (e instanceof Not n) {
            return not(sc(n.a()));
        } else if (e instanceof Eq q) {
            String r;
            if (q.a().type().scalar() || q.a().type() instanceof BoolT) {
                r = cmp(sc(q.a()), "==", sc(q.b()));
                r = r.equals("true") || r.equals("false") ? r : "(" + r + ")";
            } else if (isEmptySeq(q.a()) || isEmptySeq(q.b())) {
                // s = <<>> reads the length word instead of building the empty literal and comparing every slot
                Addr x = ad(isEmptySeq(q.a()) ? q.b() : q.a());
                r = "(" + x.arr() + "[" + x.off() + "] == 0)";
            } else {
                String n = size(q.a().type(), "st.");
                // a local named after an operator holds the operator's value, the negation included
                boolean named = spec.origins().operator(e) != null;
                CodeBlock test;
                // a side that may hold an element outside the type is built without it, and a set that held one
                // equals no set of the type (when both sides may, each is built as before, stopping on one)
                boolean clipA = mayHoldOutside(q.a()) && !mayHoldOutside(q.b());
                boolean clipB = mayHoldOutside(q.b()) && !mayHoldOutside(q.a());
                String outside = null;
                if (isEmptySet(q.a()) || isEmptySet(q.b())) {
                    // S = {} tests S's words, no empty bitmap is built to compare with
                    Expr other = isEmptySet(q.a()) ? q.b() : q.a();
                    Addr x;
                    if (clipA || clipB) {
                        x = scratch(other.type());
                        outside = writeClipped(other, x, true);
                    } else {
                        x = ad(other);
                    }
                    test = CodeBlock.of("noBits($L, $L, $L)", x.arr(), x.off(), n);
                } else {
                    Addr x;
                    Addr y;
                    if (clipA) {
                        x = scratch(q.a().type());
                        outside = writeClipped(q.a(), x, true);
                    } else {
                        x = ad(q.a());
                    }
                    if (clipB) {
                        y = scratch(q.b().type());
                        outside = writeClipped(q.b(), y, true);
                    } else {
                        y = ad(q.b());
                    }
                    test = CodeBlock.of(
                            "$T.equals($L, $L, $L + $L, $L, $L, $L + $L)",
                            Arrays.class,
                            x.arr(),
                            x.off(),
                            x.off(),
                            n,
                            y.arr(),
                            y.off(),
                            y.off(),
                            n);
                }
                if (outside != null) {
                    test = CodeBlock.of("(!$L && $L)", outside, test);
                }
                String local = tmpFor(e, "same");
                out.addStatement("final boolean $L = $L$L", local, named && q.negated() ? "!" : "", test);
                if (named) {
                    return local;
                }
                r = local;
            }
            return q.negated() ? not(r) : r;
        } else if (e instanceof And a) {
            return logic(a.args(), true);
        } else if (e instanceof Or o) {
            return logic(o.args(), false);
        } else if (e instanceof Implies i) {
            return logic(List.of(new Not(i.a()), i.b()), false);
        } else if (e instanceof If i) {
            String c = sc(i.cond());
            CodeBlock.Builder tb = CodeBlock.builder();
            CodeBlock.Builder eb = CodeBlock.builder();
            String t = nested(i.then(), tb);
            String f = nested(i.otherwise(), eb);
            if (c.equals("true") || c.equals("false")) {
                // a constant condition: only the branch TLC evaluates is emitted
                out.add((c.equals("true") ? tb : eb).build());
                return c.equals("true") ? t : f;
            }
            if (tb.isEmpty() && eb.isEmpty()) {
                return "(" + c + " ? " + t + " : " + f + ")";
            }
            String r = tmpFor(e, "v");
            out.addStatement("$T $L", javaPrim(i.type()), r);
            beginIf(c).add(tb.build()).addStatement("$L = $L", r, t);
            out.nextControlFlow("else")
                    .add(eb.build())
                    .addStatement("$L = $L", r, f)
                    .endControlFlow();
            return r;
        } else if (e instanceof Case c) {
            String r = tmpFor(e, "v");
            out.addStatement("$T $L", javaPrim(c.type()), r);
            for (int i = 0; i < c.conds().size(); i++) {
                String cond = sc(c.conds().get(i));
                beginIf(cond);
                out.addStatement("$L = $L", r, sc(c.values().get(i)));
                out.nextControlFlow("else");
            }
            if (c.other() != null) {
                out.addStatement("$L = $L", r, sc(c.other()));
            } else {
                out.addStatement("throw new IllegalStateException($S)", "no CASE arm applies");
            }
            for (int i = 0; i < c.conds().size(); i++) {
                out.endControlFlow();
            }
            return r;
        } else if (e instanceof Quant q) {
            return quant(q);
        } else if (e instanceof In i) {
            return member(i.elem(), i.set());
        } else if (e instanceof Subseteq q && q.b() instanceof TypeSet) {
            // x \subseteq S \X T (a set of types): every element of x is in it
            Local v = new Local(synth("e"), ((SetT) q.a().type()).elem());
            return quant(new Quant(true, v, q.a(), new In(v, q.b())));
        } else if (e instanceof Subseteq q) {
            // a side that may hold an element outside the type is built without it: on the right that changes
            // nothing (no element of the left is outside), on the left such an element is in no set of the type
            boolean clipA = mayHoldOutside(q.a()) && !mayHoldOutside(q.b());
            boolean clipB = mayHoldOutside(q.b()) && !mayHoldOutside(q.a());
            String outside = null;
            Addr x;
            if (clipA) {
                x = scratch(q.a().type());
                outside = writeClipped(q.a(), x, true);
            } else {
                x = ad(q.a());
            }
            Addr y;
            if (clipB) {
                y = scratch(q.b().type());
                writeClipped(q.b(), y, false);
            } else {
                y = ad(q.b());
            }
            String w = size(q.a().type(), "st.");
            String r = tmp("sub");
            String k = tmp("w");
            out.addStatement("boolean $L = $L", r, outside == null ? "true" : "!" + outside);
            out.beginControlFlow("for (int $L = 0; $L < $L; $L++)", k, k, w, k);
            out.beginControlFlow("if (($L[$L + $L] & ~$L[$L + $L]) != 0)", x.arr(), x.off(), k, y.arr(), y.off(), k);
            out.addStatement("$L = false", r)
                    .addStatement("break")
                    .endControlFlow()
                    .endControlFlow();
            return r;
        } else if (e instanceof Card c) {
            Addr x = ad(c.set());
            String r = tmp("card");
            String k = tmp("w");
            out.addStatement("int $L = 0", r);
            out.beginControlFlow(
                    "for (int $L = 0; $L < $L; $L++)", k, k, size(c.set().type(), "st."), k);
            out.addStatement("$L += Integer.bitCount($L[$L + $L])", r, x.arr(), x.off(), k)
                    .endControlFlow();
            return r;
        } else if (e instanceof Len l) {
            Addr x = ad(l.seq());
            return x.arr() + "[" + x.off() + "]";
        } else if (e instanceof App a) {
            return load(ad(a), a.type());
        } else if (e instanceof Sel a) {
            return load(ad(a), a.type());
        } else if (e instanceof Head h) {
            Addr x = nonEmpty(ad(h.seq()));
            return load(x.plus("1"), h.type());
        } else {
            refuse("no scalar lowering for " + e.getClass().getSimpleName());
            return "0";
        }
    }
    /** The lowest element of the CHOOSE's set when that is what it asks for and the set is a bitmap, else null. */
    abstract String chooseLowest(Choose c);

    /** && / || with short-circuit even when an operand needs statements first. */
    String logic(List<Expr> args, boolean and) {
        String acc = null;
        String var = null;
        String unit = Boolean.toString(and);
        for (Expr a : args) {
            CodeBlock.Builder pre = CodeBlock.builder();
            String x = nested(a, pre);
            if (pre.isEmpty() && var == null && x.equals(unit)) {
                continue; // TRUE in a conjunction, FALSE in a disjunction
            }
            if (pre.isEmpty() && var == null && acc == null && x.equals(Boolean.toString(!and))) {
                return x; // decides the whole, and TLC evaluates nothing after it
            }
            if (acc == null && var == null) {
                out.add(pre.build());
                acc = x;
                continue;
            }
            if (pre.isEmpty() && var == null) {
                acc = acc + (and ? " && " : " || ") + x;
                continue;
            }
            if (var == null) {
                var = tmp(and ? "all" : "any");
                out.addStatement("boolean $L = $L", var, acc);
            }
            out.beginControlFlow("if ($L$L)", and ? "" : "!", var)
                    .add(pre.build())
                    .addStatement("$L = $L", var, x)
                    .endControlFlow();
        }
        if (var != null) {
            return var;
        }
        if (acc == null) {
            return unit;
        }
        return !acc.contains(and ? " && " : " || ") ? acc : "(" + acc + ")";
    }

    String quant(Quant q) {
        String r = tmp(q.forall() ? "all" : "some");
        String label = tmp("q");
        out.addStatement("boolean $L = $L", r, q.forall());
        out.add("$L: {\n", label).indent();
        forEach(q.var(), q.set(), () -> {
            String decides;
            if (q.forall() && q.body() instanceof Implies imp) {
                // \A x : P => Q fails where P /\ ~Q (evaluated in the same order): no !(!P || Q)
                decides = logic(List.of(imp.a(), new Not(imp.b())), true);
            } else {
                String p = sc(q.body());
                decides = q.forall() ? not(p) : p;
            }
            beginIf(decides);
            out.addStatement("$L = $L", r, !q.forall())
                    .addStatement("break $L", label)
                    .endControlFlow();
        });
        out.unindent().add("}\n");
        return r;
    }
}
