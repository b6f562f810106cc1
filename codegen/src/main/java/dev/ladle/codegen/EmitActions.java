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
    static Diagnosed<MethodSpec> emit(Variant variant, Action a, String javaName) {
        EmitActions body = new EmitActions(variant);
        MethodSpec m = body.action(a, javaName);
        Diagnostic refused = body.refusals.diagnostic(a.where(), "unsupported in action " + a.name() + ": ");
        return refused != null ? new Diagnosed<>(null, List.of(refused), List.of()) : Diagnosed.of(m, List.of());
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
            for (Expr c : Shared.allShareable(e, spec.origins())) {
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
                // S # {}: the lowest bit, found once, serves the guard and a later CHOOSE of S's lowest element
                String nonEmpty = nonEmptyGuard(g.cond());
                String c = nonEmpty != null ? nonEmpty : sc(g.cond());
                if (c.equals("true")) {
                    continue; // a guard that holds whatever the state (after what it evaluated, if anything)
                }
                beginIf(not(c));
                out.addStatement("return $T.$L", variant.guardName, g.id());
                out.endControlFlow();
            }
        }
        // what some update evaluates whatever the values (FreshFrame as a path index) is computed once, before the
        // first update that uses it, even where that one evaluates it only in a branch (FreshFrame as an EXCEPT's
        // value): every guard has passed, updates read the old state, and an error raises either way
        for (ActionStep s : a.steps()) {
            if (s instanceof Update u
                    && variant.vars.contains(spec.variable(u.var()))
                    && (variant.checked || !Variant.mentionsGhost(u.value()))) {
                refusals.enter(u.value());
                hoist(u.value(), chooses);
                refusals.leave();
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
                && (ExceptPaths.disjointPaths(ex.updates(), distinct) || !ExceptPaths.laterPathReadsAt(ex))) {
            // in place: only the paths change; compute each new value now, write it at commit
            exceptAt(target, t, ex.updates(), v, commit);
            return;
        }
        List<SetBin> ops = t instanceof SetT
                ? ExceptPaths.elementOps(
                        value, e -> e instanceof Var w && w.name().equals(v.name()))
                : null;
        if (ops != null) {
            // S \ {x}, S \cup {x}: one bit cleared or set at commit, the element computed now from the old state
            elementOpsAt(target, (SetT) t, ops, commit);
            return;
        }
        if ((value instanceof If || value instanceof Case) && ExceptPaths.branchesInPlace(v, value)) {
            // every branch leaves v or changes some of its paths: each branch in place, after every other
            // update is computed (its locals stay in the branch's block, commit included); the blocks run in
            // spec order, so one that reads a variable an earlier block has committed is built in scratch instead
            Mark mark = mark();
            CodeBlock.Builder saved = out;
            out = CodeBlock.builder();
            reads = new java.util.HashSet<>();
            branchesAt(v, target, value);
            java.util.Set<String> read = reads;
            reads = null;
            CodeBlock block = out.build();
            out = saved;
            if (java.util.Collections.disjoint(read, branchedVars)) {
                branched = branched == null ? CodeBlock.builder() : branched;
                branched.add(block);
                branchedVars.add(v.name());
                return;
            }
            undo(mark);
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

    /** The variables the blocks in branched commit. */
    private final java.util.Set<String> branchedVars = new java.util.HashSet<>();

    /** Index pairs known to differ in the branch being emitted (see {@link ExceptPaths#with}). */
    private List<ExceptPaths.Distinct> distinct = List.of();

    /**
     * Emits each branch of value (see {@link ExceptPaths#branchesInPlace}) as its in-place update followed by its
     * commit, in the branch's block. Emitted once every other update of the action is computed and before any is
     * committed, it reads the state before the action; its commit writes only v, which no other commit reads.
     */
    private void branchesAt(Variable v, Addr target, Expr value) {
        if (value instanceof Var) {
            return;
        } else if (value instanceof If i && i.then() instanceof Var) {
            beginIf(not(sc(i.cond())));
            branchIn(v, target, i.otherwise(), ExceptPaths.with(distinct, i.cond(), false));
            out.endControlFlow();
        } else if (value instanceof If i) {
            beginIf(sc(i.cond()));
            branchIn(v, target, i.then(), ExceptPaths.with(distinct, i.cond(), true));
            if (!(i.otherwise() instanceof Var)) {
                out.nextControlFlow("else");
                branchIn(v, target, i.otherwise(), ExceptPaths.with(distinct, i.cond(), false));
            }
            out.endControlFlow();
        } else if (value instanceof Case c) {
            for (int i = 0; i < c.conds().size(); i++) {
                beginIf(sc(c.conds().get(i)));
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

    /** branchesAt for a branch where the index pairs in known differ. */
    private void branchIn(Variable v, Addr target, Expr value, List<ExceptPaths.Distinct> known) {
        List<ExceptPaths.Distinct> saved = distinct;
        distinct = known;
        branchesAt(v, target, value);
        distinct = saved;
    }
}
