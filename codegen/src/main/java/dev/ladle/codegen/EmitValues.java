package dev.ladle.codegen;

import static dev.ladle.codegen.JavaText.*;

import dev.ladle.codegen.Ir.*;
import java.util.Arrays;
import java.util.List;

/**
 * Emit pass, compound values (sets, functions, records, tuples, sequences): where a value is ({@link #ad}: its
 * place in the state, or scratch it is built in first), and writing a value at a place ({@link #write}),
 * canonical (unused words zero), with the checks TLC makes (sequence bounds, domains, Head and Tail of the
 * empty sequence). An EXCEPT built here is copied then changed path by path ({@link #exceptAt}).
 */
class EmitValues extends EmitPaths {

    /** Words zeroed by a loop rather than Arrays.fill (whose call and range checks cost more for a message slot). */
    private static final int SMALL = 16;

    EmitValues(Variant variant) {
        super(variant);
    }

    /** Where e's value is: its place in the state, or scratch it is written to first. */
    @Override
    Addr ad(Expr e) {
        if (refusals.refused()) {
            return new Addr("m", "0");
        }
        if (!addresses.isEmpty() && (e instanceof App || e instanceof Sel)) {
            Addr known = addresses.get(Shared.key(e));
            if (known != null) {
                // the offset was computed before; the words there are read now
                Expr root = e;
                while (root instanceof App || root instanceof Sel) {
                    root = root instanceof App x ? x.fun() : ((Sel) root).rec();
                }
                if (reads != null && root instanceof Var v) {
                    reads.add(v.name());
                }
                return known;
            }
        }
        refusals.enter(e);
        Addr r = ad0(e);
        refusals.leave();
        return r;
    }

    private Addr ad0(Expr e) {
        if (e instanceof Local l && arrayParams.containsKey(l.name())) {
            return new Addr(arrayParams.get(l.name()), "0");
        }
        if (e instanceof Var v) {
            if (reads != null) {
                reads.add(v.name());
            }
            return new Addr("m", "st." + Variant.offsetField(v.name()));
        } else if (e instanceof At a) {
            return at;
        } else if (e instanceof App a) {
            Addr f = ad(a.fun());
            String x = sc(a.arg());
            if (a.fun().type() instanceof FunT ft) {
                if (ft.dom() instanceof RangeT && !a.arg().type().equals(ft.dom())) {
                    // an integer computed in the spec may fall outside lo..hi, where TLC stops
                    x = once(x, new IntT());
                    String i = index(ft.dom(), x);
                    String outside = junction(List.of(cmp(i, "<", "0"), cmp(i, ">=", card(ft.dom(), "st."))), false);
                    if (!outside.equals("false")) {
                        beginIf(outside);
                        out.addStatement(
                                "throw new $T($S + $L)",
                                IllegalStateException.class,
                                "TLC error: a function applied outside its domain, at ",
                                x);
                        out.endControlFlow();
                    }
                }
                return f.plus(mul(index(ft.dom(), x), size(ft.range(), "st.")));
            } else if (a.fun().type() instanceof SeqT st) {
                x = once(x, new IntT());
                out.beginControlFlow("if ($L < 1 || $L > $L[$L])", x, x, f.arr(), f.off());
                out.addStatement(
                        "throw new $T($S + $L)",
                        IllegalStateException.class,
                        "TLC error: a sequence applied outside 1..Len, at ",
                        x);
                out.endControlFlow();
                return f.plus("1 + " + mul("(" + x + " - 1)", size(st.elem(), "st.")));
            } else if (a.fun().type() instanceof TupT tt) {
                return f.plus(fieldOffset(tt.types(), Integer.parseInt(x) - 1, "st."));
            } else {
                refuse("apply " + a.fun().type());
                return f;
            }
        } else if (e instanceof Sel s) {
            RecT rt = (RecT) s.rec().type();
            return ad(s.rec()).plus(fieldOffset(rt.types(), rt.names().indexOf(s.field()), "st."));
        } else if (e instanceof Head h) {
            return nonEmpty(ad(h.seq())).plus("1");
        } else {
            Addr r = scratch(e.type());
            write(e, r);
            return r;
        }
    }

    /** Writes the value of e at a (a region of e's type), leaving it canonical. */
    @Override
    void write(Expr e, Addr a) {
        if (refusals.refused()) {
            return;
        }
        refusals.enter(e);
        write0(e, a);
        refusals.leave();
    }

    private void write0(Expr e, Addr a) {
        Type t = e.type();
        if (t.scalar()) {
            store(a, t, sc(e));
            return;
        }
        String n = size(t, "st.");
        if (e instanceof Local x) {
            copy(ad(x), a, n);
        } else if (e instanceof Var v) {
            copy(ad(v), a, n);
        } else if (e instanceof App x) {
            copy(ad(x), a, n);
        } else if (e instanceof Sel x) {
            copy(ad(x), a, n);
        } else if (e instanceof Head x) {
            copy(ad(x), a, n);
        } else if (e instanceof At x) {
            copy(at, a, n);
        } else if (e instanceof If i) {
            String c = sc(i.cond());
            beginIf(c);
            write(i.then(), a);
            out.nextControlFlow("else");
            write(i.otherwise(), a);
            out.endControlFlow();
        } else if (e instanceof Case c) {
            for (int i = 0; i < c.conds().size(); i++) {
                beginIf(sc(c.conds().get(i)));
                write(c.values().get(i), a);
                out.nextControlFlow("else");
            }
            if (c.other() != null) {
                write(c.other(), a);
            } else {
                out.addStatement("throw new IllegalStateException($S)", "no CASE arm applies");
            }
            for (int i = 0; i < c.conds().size(); i++) {
                out.endControlFlow();
            }
        } else if (e instanceof SetEnum en) {
            zero(a, n);
            Type et = ((SetT) t).elem();
            for (Expr x : en.elems()) {
                setBitChecked(a, once(elementBit(et, x), new IntT()), et);
            }
        } else if (e instanceof SetRange r) {
            zero(a, n);
            Type et = ((SetT) t).elem();
            String i = tmp("i");
            out.beginControlFlow("for (int $L = $L; $L <= $L; $L++)", i, sc(r.lo()), i, sc(r.hi()), i);
            setBitChecked(a, once(bitIndex(et, i), new IntT()), et);
            out.endControlFlow();
        } else if (e instanceof ConstSet || e instanceof Domain) {
            // every value of the type: one run of bits (a model-value set's start after the bit of its null)
            zero(a, n);
            Type et = ((SetT) t).elem();
            String from = et instanceof ModelT ? "1" : "0";
            out.addStatement(
                    "fillBits($L, $L, $L, $L)",
                    a.arr(),
                    a.off(),
                    from,
                    from.equals("0") ? card(et, "st.") : sum(from, card(et, "st.")));
        } else if (e instanceof SetBin b) {
            write(b.a(), a);
            Addr y;
            if (b.op() != SetOp.UNION && mayHoldOutside(b.b())) {
                // an element outside the type is in no set of it: \cap and \ leave it out, as TLC's do
                y = scratch(t);
                writeClipped(b.b(), y, false);
            } else {
                y = ad(b.b());
            }
            combineWords(b.op(), a, y, n);
        } else if (e instanceof SetFilter f) {
            Addr tmpSet = scratch(t);
            zero(tmpSet, n);
            Type et = ((SetT) t).elem();
            forEach(f.var(), f.set(), () -> {
                String p = sc(f.pred());
                beginIf(p);
                setBit(tmpSet, bitIndex(et, sc(f.var())));
                out.endControlFlow();
            });
            copy(tmpSet, a, n);
        } else if (e instanceof SetMap f) {
            Addr tmpSet = scratch(t);
            zero(tmpSet, n);
            Type et = ((SetT) t).elem();
            if (!et.finite()) {
                refuse("a set of " + Variant.describe(et));
                return;
            }
            forEachAll(
                    f.vars(),
                    f.sets(),
                    0,
                    () -> setBitChecked(tmpSet, once(bitIndex(et, sc(f.body())), new IntT()), et));
            copy(tmpSet, a, n);
        } else if (e instanceof FunCons f && f.type() instanceof SeqT sq) {
            SetRange r = (SetRange) f.dom();
            String es = size(sq.elem(), "st.");
            String len = once(sc(r.hi()), new IntT());
            out.beginControlFlow("if ($L > $L)", len, constExpr(sq.max(), "st."));
            out.addStatement("throw seqBound($S)", "a function on 1..n used as a sequence");
            out.endControlFlow();
            zero(a, n);
            out.addStatement("$L[$L] = Math.max(0, $L)", a.arr(), a.off(), len);
            forEach(f.var(), f.dom(), () -> write(f.body(), a.plus("1 + " + mul("(" + sc(f.var()) + " - 1)", es))));
        } else if (e instanceof FunCons f) {
            FunT ft = (FunT) f.type();
            String rs = size(ft.range(), "st.");
            forEach(f.var(), f.dom(), () -> {
                Addr slot = a.plus(mul(index(ft.dom(), sc(f.var())), rs));
                write(f.body(), slot);
            });
        } else if (e instanceof Except x) {
            write(x.base(), a);
            // built here: each path is written now, so a later @ sees the paths before it
            exceptAt(a, x.base().type(), x.updates(), null, out);
        } else if (e instanceof RecCons r) {
            for (int i = 0; i < r.values().size(); i++) {
                write(r.values().get(i), a.plus(fieldOffset(r.type().types(), i, "st.")));
            }
        } else if (e instanceof TupCons tc) {
            if (tc.type() instanceof SeqT st) {
                String es = size(st.elem(), "st.");
                out.beginControlFlow("if ($L > $L)", tc.elems().size(), constExpr(st.max(), "st."));
                out.addStatement("throw seqBound($S)", "a sequence literal");
                out.endControlFlow();
                zero(a, n);
                out.addStatement("$L[$L] = $L", a.arr(), a.off(), tc.elems().size());
                for (int i = 0; i < tc.elems().size(); i++) {
                    write(tc.elems().get(i), a.plus("1 + " + mul(Integer.toString(i), es)));
                }
            } else if (tc.type() instanceof FunT ft) {
                String es = size(ft.range(), "st.");
                for (int i = 0; i < tc.elems().size(); i++) {
                    write(tc.elems().get(i), a.plus(mul(Integer.toString(i), es)));
                }
            } else if (tc.type() instanceof TupT tt) {
                for (int i = 0; i < tc.elems().size(); i++) {
                    write(tc.elems().get(i), a.plus(fieldOffset(tt.types(), i, "st.")));
                }
            } else {
                refuse("tuple as " + tc.type());
            }
        } else if (e instanceof Append ap) {
            SeqT st = (SeqT) t;
            write(ap.seq(), a);
            String len = once(a.arr() + "[" + a.off() + "]", new IntT());
            out.beginControlFlow("if ($L >= $L)", len, constExpr(st.max(), "st."));
            out.addStatement("throw seqBound($S)", "Append");
            out.endControlFlow();
            write(ap.elem(), a.plus("1 + " + mul(len, size(st.elem(), "st."))));
            out.addStatement("$L[$L] = $L + 1", a.arr(), a.off(), len);
        } else if (e instanceof Tail tl) {
            SeqT st = (SeqT) t;
            write(tl.seq(), a);
            String es = size(st.elem(), "st.");
            String len = once(a.arr() + "[" + a.off() + "]", new IntT());
            out.beginControlFlow("if ($L == 0)", len);
            out.addStatement("throw new IllegalStateException($S)", "Tail of the empty sequence");
            out.endControlFlow();
            dropFirst(a, len, es);
        } else if (e instanceof SubSeq ss) {
            SeqT st = (SeqT) t;
            Addr src = ad(ss.seq());
            String es = size(st.elem(), "st.");
            String from = once(sc(ss.from()), new IntT());
            String to = once(sc(ss.to()), new IntT());
            String len = tmp("len");
            out.addStatement("final int $L = Math.max(0, $L - $L + 1)", len, to, from);
            zero(a, n);
            out.addStatement("$L[$L] = $L", a.arr(), a.off(), len);
            out.addStatement(
                    "$T.arraycopy($L, $L + 1 + ($L - 1) * $L, $L, $L + 1, $L * $L)",
                    System.class,
                    src.arr(),
                    src.off(),
                    from,
                    es,
                    a.arr(),
                    a.off(),
                    len,
                    es);
        } else if (e instanceof Concat c) {
            SeqT st = (SeqT) t;
            write(c.a(), a);
            Addr y = ad(c.b());
            String es = size(st.elem(), "st.");
            String la = once(a.arr() + "[" + a.off() + "]", new IntT());
            String lb = once(y.arr() + "[" + y.off() + "]", new IntT());
            out.beginControlFlow("if ($L + $L > $L)", la, lb, constExpr(st.max(), "st."));
            out.addStatement("throw seqBound($S)", "\\o");
            out.endControlFlow();
            out.addStatement(
                    "$T.arraycopy($L, $L + 1, $L, $L + 1 + $L * $L, $L * $L)",
                    System.class,
                    y.arr(),
                    y.off(),
                    a.arr(),
                    a.off(),
                    la,
                    es,
                    lb,
                    es);
            out.addStatement("$L[$L] = $L + $L", a.arr(), a.off(), la, lb);
        } else {
            refuse("no lowering for a " + Variant.describe(t) + " built by "
                    + e.getClass().getSimpleName());
        }
    }

    void copy(Addr from, Addr to, String n) {
        if (from.equals(to)) {
            return;
        }
        out.addStatement(
                "$T.arraycopy($L, $L, $L, $L, $L)", System.class, from.arr(), from.off(), to.arr(), to.off(), n);
    }

    /** Zeroes n words at a: a store or a short loop when n is a small literal (the JIT unrolls it). */
    void zero(Addr a, String n) {
        if (n.equals("1")) {
            out.addStatement("$L[$L] = 0", a.arr(), a.off());
        } else if (n.matches("\\d+") && Integer.parseInt(n) <= SMALL) {
            String i = tmp("i");
            out.beginControlFlow("for (int $L = 0; $L < $L; $L++)", i, i, n, i);
            out.addStatement("$L[$L + $L] = 0", a.arr(), a.off(), i);
            out.endControlFlow();
        } else {
            out.addStatement("$T.fill($L, $L, $L + $L, 0)", Arrays.class, a.arr(), a.off(), a.off(), n);
        }
    }

    @Override
    String writeClipped(Expr e, Addr a, boolean needFlag) {
        if (refusals.refused()) {
            return null;
        }
        SetT t = (SetT) e.type();
        String n = size(t, "st.");
        if (e instanceof SetEnum en && (t.elem() instanceof RangeT || t.elem() instanceof TupT)) {
            zero(a, n);
            String outside = needFlag ? tmp("outside") : null;
            if (outside != null) {
                out.addStatement("boolean $L = false", outside);
            }
            String card = bitCard(t.elem(), "st.");
            for (Expr x : en.elems()) {
                String i = once(elementBit(t.elem(), x), new IntT());
                out.beginControlFlow("if ($L >= 0 && $L < $L)", i, i, card);
                setBit(a, i);
                if (outside != null) {
                    out.nextControlFlow("else");
                    out.addStatement("$L = true", outside);
                }
                out.endControlFlow();
            }
            return outside;
        }
        if (e instanceof SetBin b && (b.op() == SetOp.UNION || !needFlag) && mayHoldOutside(e)) {
            // (A op B) with the elements outside the type left out is (A without them) op (B without them); for a
            // union, an element was left out when one was on either side
            String left = writeClipped(b.a(), a, needFlag);
            Addr y = scratch(t);
            String right = writeClipped(b.b(), y, needFlag);
            combineWords(b.op(), a, y, n);
            if (left == null || right == null) {
                return left == null ? right : left;
            }
            String outside = tmp("outside");
            out.addStatement("final boolean $L = $L || $L", outside, left, right);
            return outside;
        }
        // no element outside the type, or (an intersection or difference asked for the flag) one stops as before
        write(e, a);
        return null;
    }

    /** The n words at a combined word by word with those at y: or, and, and-not. */
    private void combineWords(SetOp op, Addr a, Addr y, String n) {
        String k = tmp("w");
        out.beginControlFlow("for (int $L = 0; $L < $L; $L++)", k, k, n, k);
        String assign = switch (op) {
            case UNION -> "|= ";
            case INTER -> "&= ";
            case DIFF -> "&= ~";
        };
        out.addStatement("$L[$L + $L] $L$L[$L + $L]", a.arr(), a.off(), k, assign, y.arr(), y.off(), k);
        out.endControlFlow();
    }

    void setBitChecked(Addr a, String i, Type et) {
        out.beginControlFlow("if ($L < 0 || $L >= $L)", i, i, bitCard(et, "st."));
        out.addStatement("throw new IllegalStateException($S)", "a set element outside its type's values");
        out.endControlFlow();
        setBit(a, i);
    }

    void forEachAll(List<Local> vars, List<Expr> sets, int k, Runnable body) {
        if (k == vars.size()) {
            body.run();
            return;
        }
        forEach(vars.get(k), sets.get(k), () -> forEachAll(vars, sets, k + 1, body));
    }

    void setBit(Addr a, String i) {
        Integer b = intLit(i);
        if (b != null && b >= 0) {
            out.addStatement("$L[$L] |= $L", a.arr(), bitWord(a.off(), i), (b & 31) == 0 ? "1" : "1 << " + (b & 31));
        } else {
            out.addStatement("$L[$L + ($L >>> 5)] |= 1 << ($L & 31)", a.arr(), a.off(), i, i);
        }
    }
}
