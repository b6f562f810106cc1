package dev.ladle.codegen;

import dev.ladle.codegen.Ir.*;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import tla2sany.semantic.ASTConstants;
import tla2sany.semantic.ExprNode;
import tla2sany.semantic.ModuleNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.OpDeclNode;
import tla2sany.semantic.OpDefNode;

/**
 * From SANY's module to {@link Ir}: the passes after parsing, in a straight line, each taking a value and giving
 * a value with its diagnostics ({@link Diagnosed}): {@link Roles} (TypeOK, Init, Next), {@link Types} (constant
 * kinds, enums, sequence bounds, variable types), then TypeOK's and Init's expressions, {@link Actions} (Next's
 * instances, the actions as guards and updates) and {@link Invariants}; every expression is lowered by
 * {@link Exprs}, which checks it against the subset ({@link Subset}). Every unsupported construct becomes a
 * located {@link Diagnostic}; a pass goes on after one so one run reports them all.
 */
public final class Lower {

    /** The lowered spec (null when there were errors), every error, and notes (definitions left out). */
    public record Result(Spec spec, List<Diagnostic> errors, List<Diagnostic> notes) {}

    private final ModuleNode root;
    private final SourceText source;
    private final List<Diagnostic> errors = new ArrayList<>();
    private final List<Diagnostic> notes = new ArrayList<>();
    private final Origins origins = new Origins();

    private Lower(ModuleNode root, Path dir) {
        this.root = root;
        this.source = new SourceText(dir);
    }

    public static Result lower(ModuleNode root) {
        return lower(root, null);
    }

    /** As above; dir holds the spec's modules, whose text the generated Javadoc quotes. */
    public static Result lower(ModuleNode root, Path dir) {
        Lower l = new Lower(root, dir);
        Spec spec = l.run();
        List<Diagnostic> errs = dedupe(l.errors);
        return new Result(errs.isEmpty() ? spec : null, errs, dedupe(l.notes));
    }

    /** Whether a variable is a ghost (hCreated): kept in the checked machine only, not in the kernel's. */
    static boolean isGhost(String name) {
        return name.length() > 1 && name.charAt(0) == 'h' && Character.isUpperCase(name.charAt(1));
    }

    private static List<Diagnostic> dedupe(List<Diagnostic> in) {
        return new ArrayList<>(new LinkedHashSet<>(in));
    }

    /** The value of a pass, its diagnostics added to the run's. */
    private <T> T take(Diagnosed<T> d) {
        errors.addAll(d.errors());
        notes.addAll(d.notes());
        return d.value();
    }

    private Spec run() {
        Roles.Found roles = take(Roles.find(root));
        if (roles == null) {
            return null;
        }
        Exprs x = new Exprs(new Typing(), origins);
        Typing typing = take(Types.infer(root, roles, x, origins));
        if (!errors.isEmpty()) {
            return null;
        }
        OpDefNode typeOk = roles.get("TypeOK");
        Expr typeOkExpr = take(x.expr(typeOk.getBody(), Env.EMPTY, new BoolT()));
        List<Init> init = init(roles.get("Init"), typing, x);
        Actions.Lowered next = take(Actions.lower(root, roles, x, source));
        Invariants.Found invariants = take(Invariants.find(roles, x));
        return new Spec(
                roles.module(),
                typing.constants,
                typing.variables,
                typing.data,
                typing.enums,
                roles.roleNames().get("TypeOK"),
                typeOkExpr,
                init,
                next.actions(),
                invariants.checked(),
                next.next(),
                Diagnostic.at(typeOk, roles.roleNames().get("TypeOK")),
                invariants.unchecked(),
                origins);
    }

    /** Init: {@code v = e} for every variable (Init must be deterministic). */
    private List<Init> init(OpDefNode def, Typing typing, Exprs x) {
        List<Init> init = new ArrayList<>();
        for (ExprNode conj : Nodes.conjuncts(def.getBody())) {
            if (conj instanceof OpApplNode a
                    && Nodes.opName(a).equals("=")
                    && a.getArgs()[0] instanceof OpApplNode lhs
                    && lhs.getOperator() instanceof OpDeclNode v
                    && v.getKind() == ASTConstants.VariableDeclKind) {
                String n = v.getName().toString();
                Type t = typing.varTypes.get(n);
                Expr value = take(x.expr(a.getArgs()[1], Env.EMPTY, t));
                if (value != null && !Fold.sameUniverse(t, value.type())) {
                    errors.add(Diagnostic.at(a.getArgs()[1], Fold.differentRanges(t, value.type())));
                }
                init.add(new Init(n, value));
            } else {
                errors.add(Diagnostic.at(
                        conj, "unsupported in Init: only conjuncts `v = e` (Init must be deterministic)"));
            }
        }
        for (Variable v : typing.variables) {
            if (init.stream().noneMatch(i -> i.var().equals(v.name()))) {
                errors.add(Diagnostic.at(def, "Init does not set variable " + v.name()));
            }
        }
        return init;
    }
}
