package dev.ladle.codegen;

import static dev.ladle.codegen.JavaText.*;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.ladle.codegen.Ir.*;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Emit pass, actions: one method per action instance of Next. Guards become one {@code if} each, in spec
 * order, returning the guard that refuses; updates are computed into locals and scratch, then committed
 * together after every guard and update is computed ({@link #update}): a scalar at commit, an EXCEPT of the
 * variable it assigns in place (its paths only), an IF or CASE of such EXCEPTs in place per branch, an Append
 * or Tail at its sequence, anything else built in scratch and copied.
 */
final class EmitActions extends EmitValues {

    private EmitActions(Variant variant) {
        super(variant);
    }

    /**
     * The method of action a, named javaName: its guards in spec order, each an {@code if} returning the guard
     * that refuses, then its updates computed and committed together. Refused (no method) when a construct in
     * it cannot be generated, or when the plain variant's guard or update reads a ghost variable.
     */
    static Emitted<MethodSpec> emit(Variant variant, Action a, String javaName) {
        EmitActions body = new EmitActions(variant);
        MethodSpec m = body.action(a, javaName);
        Diagnostic refused = body.refusals.diagnostic(a.where(), "unsupported in action " + a.name() + ": ");
        return refused != null ? Emitted.refused(refused) : Emitted.of(m);
    }

    private MethodSpec action(Action a, String javaName) {
        MethodSpec.Builder mb =
                MethodSpec.methodBuilder(javaName).addModifiers(Modifier.PUBLIC).returns(variant.guardName);
        mb.addJavadoc(
                "The action $L: refuses with the first failing guard, else applies its updates together.\n", a.name());
        if (!a.header().isEmpty()) {
            mb.addJavadoc(
                    "\n<p>$L.tla, line $L:\n<pre>\n$L\n</pre>\n",
                    a.where().module(),
                    a.where().line(),
                    javadocText(a.header()));
        }
        for (Param p : a.params()) {
            String jn = local(p.name());
            params.add(p.name());
            if (p.type().scalar()) {
                mb.addParameter(variant.javaType(p.type()), jn);
            } else {
                // structured parameters (a message's words, a set of rights) arrive in their memory layout
                mb.addParameter(int[].class, jn);
                arrayParams.put(p.name(), jn);
            }
            if (p.type() instanceof EnumT) {
                enumParams.put(p.name(), jn + ".ordinal()");
            }
        }
        Map<String, Integer> chooses = new HashMap<>();
        List<Expr> evaluated = new ArrayList<>();
        for (ActionStep s : a.steps()) {
            Expr e = s instanceof Ir.Guard g ? g.cond() : ((Update) s).value();
            evaluated.add(e);
            for (Expr c : Shared.allShareable(e)) {
                chooses.merge(Shared.key(c), 1, Integer::sum);
            }
            // an EXCEPT done in place reaches its paths' addresses too (inbox[r] read by a guard, then appended to)
            if (s instanceof Update u && u.value() instanceof Except ex && ex.base() instanceof Var w) {
                for (ExceptUpdate eu : ex.updates()) {
                    Expr p = ExceptPaths.pathExpr(spec.variable(w.name()), eu.path());
                    evaluated.add(p);
                    for (Expr c : Shared.spine(p)) {
                        chooses.merge(Shared.key(c), 1, Integer::sum);
                    }
                }
            }
        }
        addressRoots.addAll(Shared.addressRoots(evaluated));
        for (ActionStep s : a.steps()) {
            if (s instanceof Ir.Guard g) {
                if (!variant.checked && Variant.mentionsGhost(g.cond())) {
                    refusals.refuseAt(
                            g.cond(),
                            "guard " + g.label() + " reads a ghost variable: ghosts may only feed invariants");
                    return null;
                }
                hoist(g.cond(), chooses);
                String c = sc(g.cond());
                if (c.equals("true")) {
                    continue; // a guard that holds whatever the state (after what it evaluated, if anything)
                }
                out.beginControlFlow("if ($L)", unparen(not(c)));
                out.addStatement("return $T.$L", variant.guardName, g.id());
                out.endControlFlow();
            }
        }
        CodeBlock.Builder commit = CodeBlock.builder();
        for (ActionStep s : a.steps()) {
            if (s instanceof Update u) {
                Variable v = spec.variable(u.var());
                if (!variant.vars.contains(v)) {
                    continue;
                }
                if (!variant.checked && Variant.mentionsGhost(u.value())) {
                    refusals.refuseAt(
                            u.value(),
                            "the update of " + u.var() + " reads a ghost variable: ghosts may only feed invariants");
                    return null;
                }
                refusals.enter(u.value());
                hoist(u.value(), chooses);
                update(v, u.value(), commit);
                refusals.leave();
            }
        }
        if (branched != null) {
            out.add(branched.build());
        }
        out.add(commit.build());
        if (refusals.refused()) {
            return null;
        }
        out.addStatement("return $T.OK", variant.guardName);
        return mb.addCode(prologue()).addCode(out.build()).build();
    }

    // ---- updates: evaluate now into locals or scratch, commit after every guard and every update is computed

    void update(Variable v, Expr value, CodeBlock.Builder commit) {
        Addr target = new Addr("m", "st." + Variant.offsetField(v.name()));
        Type t = v.type();
        if (t.scalar()) {
            commit.addStatement("m[$L] = $L", target.off(), wordNow(value, "next" + Accessors.capitalize(v.name())));
            return;
        }
        if (value instanceof Var w && w.name().equals(v.name())) {
            return;
        }
        if (value instanceof Except ex
                && ex.base() instanceof Var w
                && w.name().equals(v.name())
                && (ExceptPaths.disjointPaths(ex.updates()) || !ExceptPaths.laterPathReadsAt(ex))) {
            // in place: only the paths change; compute each new value now, write it at commit
            for (ExceptUpdate u : ex.updates()) {
                // a path that may leave the domain changes nothing there (as in TLC): both halves skip it
                PathAt pa = path(target, t, u.path(), v);
                String inDomain = pa.inDomain();
                Addr p = pa.addr();
                Type pt = u.value().type();
                Addr savedAt = at;
                at = p;
                if (inDomain != null) {
                    commit.beginControlFlow("if ($L)", inDomain);
                    if (pt.scalar() && fixedValue(u.value())) {
                        commit.addStatement(
                                "m[$L] = $L", p.off(), wordNow(u.value(), "next" + Accessors.capitalize(v.name())));
                    } else if (pt.scalar()) {
                        String x = tmp("next" + Accessors.capitalize(v.name()));
                        out.addStatement("$T $L = $L", javaPrim(pt), x, pt instanceof BoolT ? "false" : "0");
                        out.beginControlFlow("if ($L)", inDomain);
                        out.addStatement("$L = $L", x, sc(u.value()));
                        out.endControlFlow();
                        commit.addStatement("m[$L] = $L", p.off(), pt instanceof BoolT ? "(" + x + " ? 1 : 0)" : x);
                    } else if (fixedValue(u.value())) {
                        writeAtCommit(u.value(), p, commit);
                    } else {
                        Addr tmpA = scratch(pt);
                        out.beginControlFlow("if ($L)", inDomain);
                        write(u.value(), tmpA);
                        out.endControlFlow();
                        commit.addStatement(
                                "$T.arraycopy(s, $L, m, $L, $L)", System.class, tmpA.off(), p.off(), size(pt, "st."));
                    }
                    commit.endControlFlow();
                } else if (pt.scalar()) {
                    commit.addStatement(
                            "m[$L] = $L", p.off(), wordNow(u.value(), "next" + Accessors.capitalize(v.name())));
                } else if (u.value() instanceof Append ap
                        && (ap.seq() instanceof At || ap.seq().equals(ExceptPaths.pathExpr(v, u.path())))) {
                    appendAt(p, (SeqT) pt, ap.elem(), commit);
                } else if (u.value() instanceof Tail tl
                        && (tl.seq() instanceof At || tl.seq().equals(ExceptPaths.pathExpr(v, u.path())))) {
                    tailAt(p, (SeqT) pt, commit);
                } else if (fixedValue(u.value())) {
                    writeAtCommit(u.value(), p, commit);
                } else {
                    Addr tmpA = scratch(pt);
                    write(u.value(), tmpA);
                    commit.addStatement(
                            "$T.arraycopy(s, $L, m, $L, $L)", System.class, tmpA.off(), p.off(), size(pt, "st."));
                }
                at = savedAt;
            }
            return;
        }
        if ((value instanceof If || value instanceof Case)
                && branched == null
                && ExceptPaths.branchesInPlace(v, value)) {
            // every branch leaves v or changes some of its paths: each branch in place, after every other
            // update is computed (its locals stay in the branch's block, commit included)
            CodeBlock.Builder saved = out;
            branched = CodeBlock.builder();
            out = branched;
            branchesAt(v, target, value);
            out = saved;
            return;
        }
        if (value instanceof Append ap && ap.seq() instanceof Var w && w.name().equals(v.name())) {
            appendAt(target, (SeqT) t, ap.elem(), commit);
            return;
        }
        if (fixedValue(value)) {
            writeAtCommit(value, target, commit);
            return;
        }
        Addr tmpA = scratch(t);
        write(value, tmpA);
        commit.addStatement("$T.arraycopy(s, $L, m, $L, $L)", System.class, tmpA.off(), target.off(), size(t, "st."));
    }

    /**
     * The update an action computes last, inside the branch of the IF or CASE that chose it and with its
     * commit there (null when there is none): see {@link #update}.
     */
    CodeBlock.Builder branched;

    /**
     * Emits each branch of value (see {@link ExceptPaths#branchesInPlace}) as its in-place update followed by its
     * commit, in the branch's block. Emitted once every other update of the action is computed and before any is
     * committed, it reads the state before the action; its commit writes only v, which no other commit reads.
     */
    private void branchesAt(Variable v, Addr target, Expr value) {
        if (value instanceof Var) {
            return;
        } else if (value instanceof If i && i.then() instanceof Var) {
            out.beginControlFlow("if ($L)", not(sc(i.cond())));
            branchesAt(v, target, i.otherwise());
            out.endControlFlow();
        } else if (value instanceof If i) {
            out.beginControlFlow("if ($L)", sc(i.cond()));
            branchesAt(v, target, i.then());
            if (!(i.otherwise() instanceof Var)) {
                out.nextControlFlow("else");
                branchesAt(v, target, i.otherwise());
            }
            out.endControlFlow();
        } else if (value instanceof Case c) {
            for (int i = 0; i < c.conds().size(); i++) {
                out.beginControlFlow("if ($L)", sc(c.conds().get(i)));
                branchesAt(v, target, c.values().get(i));
                out.nextControlFlow("else");
            }
            if (c.other() != null) {
                branchesAt(v, target, c.other());
            } else {
                out.addStatement("throw new IllegalStateException($S)", "no CASE arm applies");
            }
            for (int i = 0; i < c.conds().size(); i++) {
                out.endControlFlow();
            }
        } else {
            CodeBlock.Builder commit = CodeBlock.builder();
            update(v, value, commit);
            out.add(commit.build());
        }
    }

    /**
     * Whether e reads neither the state nor {@code @} and cannot stop: literals, constants, the action's
     * parameters, and records and tuples of them. Such a value is written at commit straight into the state
     * (the state it would read is not there to change, and no error can leave the commit half done).
     */
    private boolean fixedValue(Expr e) {
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
    private String wordNow(Expr value) {
        return wordNow(value, "next");
    }

    /** As above, a local (when one is needed) named name. */
    private String wordNow(Expr value, String name) {
        Type t = value.type();
        String x;
        if (fixedValue(value)) {
            x = sc(value);
        } else {
            x = tmp(name);
            out.addStatement("final $T $L = $L", javaPrim(t), x, sc(value));
        }
        if (!(t instanceof BoolT)) {
            return x;
        }
        return x.equals("true") ? "1" : x.equals("false") ? "0" : "(" + x + " ? 1 : 0)";
    }

    /** Writes a fixed value (see {@link #fixedValue}) at p in the commit block. */
    private void writeAtCommit(Expr value, Addr p, CodeBlock.Builder commit) {
        CodeBlock.Builder saved = out;
        out = commit;
        write(value, p);
        out = saved;
    }

    /**
     * A record (a message) written at commit: scalar fields (nested records too) and parameter words go
     * straight into the slot, anything else is built in scratch now.
     */
    private void commitRecord(RecCons rc, String slot, CodeBlock.Builder commit) {
        for (int i = 0; i < rc.values().size(); i++) {
            Type ft = rc.type().types().get(i);
            Expr fv = rc.values().get(i);
            String fo = fieldOffset(rc.type().types(), i, "st.");
            String at = sum(slot, fo);
            if (ft.scalar()) {
                commit.addStatement(
                        "m[$L] = $L",
                        at,
                        wordNow(
                                fv,
                                "next" + Accessors.capitalize(rc.type().names().get(i))));
            } else if (fv instanceof RecCons inner) {
                commitRecord(inner, at, commit);
            } else if (fv instanceof TupCons tc
                    && tc.type() instanceof FunT wt
                    && wt.range().scalar()) {
                // <<w1, ..., w6>> as message words: one store per word at commit
                for (int k = 0; k < tc.elems().size(); k++) {
                    commit.addStatement(
                            "m[$L] = $L",
                            sum(at, Integer.toString(k)),
                            wordNow(
                                    tc.elems().get(k),
                                    "next"
                                            + Accessors.capitalize(
                                                    rc.type().names().get(i)) + (k + 1)));
                }
            } else if (fv instanceof Local l && arrayParams.containsKey(l.name())) {
                commit.addStatement(
                        "$T.arraycopy($L, 0, m, $L, $L)", System.class, arrayParams.get(l.name()), at, size(ft, "st."));
            } else {
                Addr tmpA = scratch(ft);
                write(fv, tmpA);
                commit.addStatement("$T.arraycopy(s, $L, m, $L, $L)", System.class, tmpA.off(), at, size(ft, "st."));
            }
        }
    }

    /** Tail(@) at p: check now that it is not empty, shift the elements down by one at commit. */
    void tailAt(Addr p, SeqT st, CodeBlock.Builder commit) {
        String len = tmp("len");
        out.addStatement("final int $L = m[$L]", len, p.off());
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
    private void appendAt(Addr p, SeqT st, Expr elem, CodeBlock.Builder commit) {
        String len = tmp("len");
        out.addStatement("final int $L = m[$L]", len, p.off());
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
            commit.addStatement("m[$L] = $L", slot, wordNow(elem));
        } else if (elem instanceof RecCons rc) {
            commitRecord(rc, slot, commit);
        } else {
            Addr tmpA = scratch(st.elem());
            write(elem, tmpA);
            commit.addStatement("$T.arraycopy(s, $L, m, $L, $L)", System.class, tmpA.off(), slot, es);
        }
        commit.addStatement("m[$L] = $L + 1", p.off(), len);
    }
}
