package dev.ladle.codegen;

import static dev.ladle.codegen.JavaText.*;

import com.palantir.javapoet.CodeBlock;
import dev.ladle.codegen.Ir.*;
import java.util.ArrayList;
import java.util.List;

/**
 * Emit pass, writes at a place: EXCEPT paths ({@link #exceptAt}, the one place they are emitted, whether the value
 * is built in scratch or a variable is changed in place), Append and Tail at the sequence they change, fixed
 * values and records written straight at commit.
 */
abstract class EmitPaths extends EmitSets {

    EmitPaths(Variant variant) {
        super(variant);
    }

    /**
     * The updates of an EXCEPT, at base (of type t), which holds the EXCEPT's base already: the one place EXCEPT
     * paths are emitted. Each path's address and domain condition are computed, then its new value, which
     * commit writes (a path outside its domain changes nothing, as in TLC). When commit is out itself the value
     * is being built (in scratch): each path is written before the next is computed, so a later {@code @} sees
     * the paths before it, as TLA+ applies them. Otherwise root is the variable changed in place at base and
     * commit the action's commit block: every path reads the state before the action (only done when the paths
     * cannot meet or no later one reads {@code @}, see {@link ExceptPaths}).
     */
    void exceptAt(Addr base, Type t, List<ExceptUpdate> updates, Variable root, CodeBlock.Builder commit) {
        boolean now = commit == out;
        String next = "next" + (root == null ? "" : Accessors.capitalize(root.name()));
        for (ExceptUpdate u : updates) {
            PathAt pa = path(base, t, u.path(), root);
            String inDomain = pa.inDomain();
            Addr p = pa.addr();
            Type pt = u.value().type();
            Addr savedAt = at;
            String savedScalar = atScalar;
            at = p;
            atScalar = null;
            if (inDomain == null || now) {
                if (inDomain != null) {
                    beginIf(inDomain);
                }
                valueAt(u, p, root, next, commit);
                if (inDomain != null) {
                    out.endControlFlow();
                }
            } else {
                // computed now only where the path is in the domain, written at commit only there
                commit.beginControlFlow("if ($L)", inDomain);
                if (pt.scalar() && fixedValue(u.value())) {
                    commit.addStatement("$L[$L] = $L", p.arr(), p.off(), wordNow(u.value(), next));
                } else if (pt.scalar()) {
                    String x = tmp(next);
                    out.addStatement("$T $L = $L", javaPrim(pt), x, pt instanceof BoolT ? "false" : "0");
                    beginIf(inDomain);
                    out.addStatement("$L = $L", x, sc(u.value()));
                    out.endControlFlow();
                    commit.addStatement(
                            "$L[$L] = $L", p.arr(), p.off(), pt instanceof BoolT ? "(" + x + " ? 1 : 0)" : x);
                } else if (fixedValue(u.value())) {
                    writeAtCommit(u.value(), p, commit);
                } else {
                    Addr tmpA = scratch(pt);
                    beginIf(inDomain);
                    write(u.value(), tmpA);
                    out.endControlFlow();
                    commit.addStatement(
                            "$T.arraycopy(s, $L, $L, $L, $L)",
                            System.class,
                            tmpA.off(),
                            p.arr(),
                            p.off(),
                            size(pt, "st."));
                }
                commit.endControlFlow();
            }
            at = savedAt;
            atScalar = savedScalar;
        }
    }

    /** One path's new value at p (its address, where @ is): computed now, written by commit. */
    private void valueAt(ExceptUpdate u, Addr p, Variable root, String next, CodeBlock.Builder commit) {
        Expr value = u.value();
        Type pt = value.type();
        if (value instanceof At) {
            return; // ![x] = @ leaves the slot as it is
        }
        if (pt.scalar()) {
            commit.addStatement("$L[$L] = $L", p.arr(), p.off(), wordNow(value, next));
        } else if (pt instanceof SetT st && ExceptPaths.elementOps(value, e -> atPath(e, root, u.path())) != null) {
            elementOpsAt(p, st, ExceptPaths.elementOps(value, e -> atPath(e, root, u.path())), commit);
        } else if (value instanceof Append ap && atPath(ap.seq(), root, u.path())) {
            appendAt(p, (SeqT) pt, ap.elem(), commit);
        } else if (value instanceof Tail tl && atPath(tl.seq(), root, u.path())) {
            tailAt(p, (SeqT) pt, commit);
        } else if (fixedValue(value)) {
            writeAtCommit(value, p, commit);
        } else {
            Addr tmpA = scratch(pt);
            write(value, tmpA);
            commit.addStatement(
                    "$T.arraycopy(s, $L, $L, $L, $L)", System.class, tmpA.off(), p.arr(), p.off(), size(pt, "st."));
        }
    }

    /**
     * The set at p with single elements taken out and put in, in order (see {@link ExceptPaths#elementOps}): every
     * element's bit is computed now (from the state before the action, and before any bit changes), then commit
     * clears or sets one bit per operation. An element outside the set's type is in no set of it, so taking it out
     * changes nothing; putting it in stops, as building the set {x} does.
     */
    void elementOpsAt(Addr p, SetT t, List<SetBin> ops, CodeBlock.Builder commit) {
        Type et = t.elem();
        String card = bitCard(et, "st.");
        List<String> bits = new ArrayList<>();
        for (SetBin b : ops) {
            String i = once(elementBit(et, ((SetEnum) b.b()).elems().get(0)), new IntT(), "bit");
            if (b.op() == SetOp.UNION) {
                out.beginControlFlow("if ($L < 0 || $L >= $L)", i, i, card);
                out.addStatement("throw new IllegalStateException($S)", "a set element outside its type's values");
                out.endControlFlow();
            }
            bits.add(i);
        }
        for (int k = 0; k < ops.size(); k++) {
            String i = bits.get(k);
            if (ops.get(k).op() == SetOp.UNION) {
                commit.addStatement("$L[$L] |= 1 << ($L & 31)", p.arr(), bitWord(p.off(), i), i);
            } else {
                commit.beginControlFlow("if ($L >= 0 && $L < $L)", i, i, card);
                commit.addStatement("$L[$L] &= ~(1 << ($L & 31))", p.arr(), bitWord(p.off(), i), i);
                commit.endControlFlow();
            }
        }
    }

    /** Whether seq is the value at the path being updated: @, or the variable changed in place at that path. */
    private static boolean atPath(Expr seq, Variable root, List<Step> path) {
        return seq instanceof At || root != null && seq.equals(ExceptPaths.pathExpr(root, path));
    }

    /**
     * Where an EXCEPT path leads from base, and the condition under which it stays inside its functions'
     * domains and its sequences' lengths (null when its types guarantee it). TLC leaves the value unchanged
     * when a path leaves the domain (with a warning), whatever the new value would have been. Each index is
     * evaluated once, for both. For a path into the variable root itself (base is its address, root null
     * otherwise) it starts from the longest prefix whose address the action already holds (a prefix evaluated
     * before lies in its domains).
     */
    PathAt path(Addr base, Type t, List<Step> steps, Variable root) {
        List<String> conds = new ArrayList<>();
        Addr a = base;
        int from = 0;
        if (root != null && !addresses.isEmpty()) {
            for (int k = steps.size(); k > 0; k--) {
                Expr prefix = ExceptPaths.pathExpr(root, steps.subList(0, k));
                Addr known = addresses.get(Shared.key(prefix));
                if (known != null) {
                    a = known;
                    t = prefix.type();
                    from = k;
                    break;
                }
            }
        }
        for (Step s : steps.subList(from, steps.size())) {
            if (s instanceof Field f) {
                RecT rt = (RecT) t;
                int i = rt.names().indexOf(f.name());
                a = a.plus(fieldOffset(rt.types(), i, "st."));
                t = rt.types().get(i);
            } else if (s instanceof Index ix) {
                String x = once(sc(ix.arg()), ix.arg().type());
                if (t instanceof FunT ft) {
                    if (ft.dom() instanceof RangeT && !ix.arg().type().equals(ft.dom())) {
                        String i = index(ft.dom(), x);
                        conds.add(cmp(i, ">=", "0"));
                        conds.add(cmp(i, "<", card(ft.dom(), "st.")));
                    }
                    a = a.plus(mul(index(ft.dom(), x), size(ft.range(), "st.")));
                    t = ft.range();
                } else if (t instanceof SeqT st) {
                    conds.add(x + " >= 1 && " + x + " <= " + a.arr() + "[" + a.off() + "]");
                    a = a.plus("1 + " + mul("(" + x + " - 1)", size(st.elem(), "st.")));
                    t = st.elem();
                } else {
                    refuse("EXCEPT index into " + t);
                    return new PathAt(a, null);
                }
            }
        }
        // a literal index is checked now: its condition folds away when it lies in the domain
        String all = junction(conds, true);
        String inDomain = all.equals("true") ? null : once(all, new BoolT());
        String name = root == null ? "v" : Emit.lowerCamel(root.name()) + "At";
        return new PathAt(new Addr(a.arr(), once(a.off(), new IntT(), name)), inDomain);
    }

    /**
     * Whether e reads neither the state nor {@code @} and cannot stop: literals, constants, the action's
     * parameters, and records and tuples of them. Such a value is written at commit straight into the state
     * (the state it would read is not there to change, and no error can leave the commit half done).
     */
    boolean fixedValue(Expr e) {
        if (e instanceof IntLit || e instanceof BoolLit || e instanceof EnumLit || e instanceof ConstInt) {
            return true;
        } else if (e instanceof Local l) {
            return params.contains(l.name()) && !enumParams.containsKey(l.name());
        } else if (e instanceof RecCons r) {
            return r.values().stream().allMatch(this::fixedValue);
        } else if (e instanceof TupCons tc) {
            // a sequence literal checks its bound, which may stop
            return !(tc.type() instanceof SeqT) && tc.elems().stream().allMatch(this::fixedValue);
        }
        return false;
    }

    /**
     * The word a scalar update stores at commit: a fixed value (see {@link #fixedValue}) as it is, anything
     * else computed now into a local.
     */
    String wordNow(Expr value) {
        return wordNow(value, "next");
    }

    /** As above, a local (when one is needed) named name. */
    String wordNow(Expr value, String name) {
        Type t = value.type();
        String x;
        if (fixedValue(value)) {
            x = sc(value);
        } else {
            // a local, a literal or a constant holds its value until commit; anything else is computed now
            String v = sc(value);
            if (v.matches("[A-Za-z_][A-Za-z0-9_]*|-?\\d+|true|false|st\\.[A-Za-z_][A-Za-z0-9_]*")) {
                x = v;
            } else {
                x = tmp(name);
                out.addStatement("final $T $L = $L", javaPrim(t), x, v);
            }
        }
        if (!(t instanceof BoolT)) {
            return x;
        }
        return x.equals("true") ? "1" : x.equals("false") ? "0" : "(" + x + " ? 1 : 0)";
    }

    /** Writes a fixed value (see {@link #fixedValue}) at p in the commit block. */
    void writeAtCommit(Expr value, Addr p, CodeBlock.Builder commit) {
        CodeBlock.Builder saved = out;
        out = commit;
        write(value, p);
        out = saved;
    }

    /**
     * A record (a message) written at commit: scalar fields (nested records too) and parameter words go
     * straight into the slot, anything else is built in scratch now.
     */
    private void commitRecord(RecCons rc, String arr, String slot, CodeBlock.Builder commit) {
        for (int i = 0; i < rc.values().size(); i++) {
            Type ft = rc.type().types().get(i);
            Expr fv = rc.values().get(i);
            String fo = fieldOffset(rc.type().types(), i, "st.");
            String at = sum(slot, fo);
            if (ft.scalar()) {
                commit.addStatement(
                        "$L[$L] = $L",
                        arr,
                        at,
                        wordNow(
                                fv,
                                "next" + Accessors.capitalize(rc.type().names().get(i))));
            } else if (fv instanceof RecCons inner) {
                commitRecord(inner, arr, at, commit);
            } else if (fv instanceof TupCons tc
                    && tc.type() instanceof FunT wt
                    && wt.range().scalar()) {
                // <<w1, ..., w6>> as message words: one store per word at commit
                for (int k = 0; k < tc.elems().size(); k++) {
                    commit.addStatement(
                            "$L[$L] = $L",
                            arr,
                            sum(at, Integer.toString(k)),
                            wordNow(
                                    tc.elems().get(k),
                                    "next"
                                            + Accessors.capitalize(
                                                    rc.type().names().get(i)) + (k + 1)));
                }
            } else if (fv instanceof Local l && arrayParams.containsKey(l.name())) {
                commit.addStatement(
                        "$T.arraycopy($L, 0, $L, $L, $L)",
                        System.class,
                        arrayParams.get(l.name()),
                        arr,
                        at,
                        size(ft, "st."));
            } else {
                Addr tmpA = scratch(ft);
                write(fv, tmpA);
                commit.addStatement(
                        "$T.arraycopy(s, $L, $L, $L, $L)", System.class, tmpA.off(), arr, at, size(ft, "st."));
            }
        }
    }

    /** Tail(@) at p: check now that it is not empty, shift the elements down by one at commit. */
    void tailAt(Addr p, SeqT st, CodeBlock.Builder commit) {
        String len = tmp("len");
        out.addStatement("final int $L = $L[$L]", len, p.arr(), p.off());
        out.beginControlFlow("if ($L == 0)", len);
        out.addStatement("throw new $T($S)", IllegalStateException.class, "Tail of the empty sequence");
        out.endControlFlow();
        String es = size(st.elem(), "st.");
        CodeBlock.Builder saved = out;
        out = commit;
        dropFirst(p, len, es);
        out = saved;
    }
    /** Append(@, e) at p: check the bound now, write the element and the length at commit. */
    void appendAt(Addr p, SeqT st, Expr elem, CodeBlock.Builder commit) {
        String len = tmp("len");
        out.addStatement("final int $L = $L[$L]", len, p.arr(), p.off());
        out.beginControlFlow("if ($L >= $L)", len, constExpr(st.max(), "st."));
        out.addStatement("throw seqBound($S)", "Append");
        out.endControlFlow();
        String es = size(st.elem(), "st.");
        String slot = p.off() + " + 1 + " + mul(len, es);
        if (!st.elem().scalar()) {
            // every field of the new element is written there
            String name = tmp("slot");
            out.addStatement("final int $L = $L", name, slot);
            slot = name;
        }
        if (st.elem().scalar()) {
            commit.addStatement("$L[$L] = $L", p.arr(), slot, wordNow(elem));
        } else if (elem instanceof RecCons rc) {
            commitRecord(rc, p.arr(), slot, commit);
        } else {
            Addr tmpA = scratch(st.elem());
            write(elem, tmpA);
            commit.addStatement("$T.arraycopy(s, $L, $L, $L, $L)", System.class, tmpA.off(), p.arr(), slot, es);
        }
        commit.addStatement("$L[$L] = $L + 1", p.arr(), p.off(), len);
    }
    /** The sequence at a, after a check that it is not empty (Head of <<>> stops TLC). */
    @Override
    Addr nonEmpty(Addr a) {
        String off = once(a.off(), new IntT());
        out.beginControlFlow("if ($L[$L] == 0)", a.arr(), off);
        out.addStatement("throw new $T($S)", IllegalStateException.class, "TLC error: Head of the empty sequence");
        out.endControlFlow();
        return new Addr(a.arr(), off);
    }
    /**
     * Drops the first element of the sequence at a, of length len (not 0) and element size es: the others
     * move down one slot (one copy, none for a single element), the slot freed at the end is zeroed.
     */
    void dropFirst(Addr a, String len, String es) {
        String first = sum(a.off(), "1");
        out.beginControlFlow("if ($L > 1)", len);
        out.addStatement(
                "$T.arraycopy($L, $L, $L, $L, $L)",
                System.class,
                a.arr(),
                sum(first, es),
                a.arr(),
                first,
                mul("(" + len + " - 1)", es));
        out.endControlFlow();
        zero(new Addr(a.arr(), first + " + " + mul("(" + len + " - 1)", es)), es);
        out.addStatement("$L[$L] = $L - 1", a.arr(), a.off(), len);
    }

    abstract void zero(Addr a, String n);
}
