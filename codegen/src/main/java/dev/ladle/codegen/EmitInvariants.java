package dev.ladle.codegen;

import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import dev.ladle.codegen.Ir.*;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Emit pass, invariants: one boolean method per invariant the variant can check, and TypeOK. An invariant
 * that cannot be generated is left to TLC: the checked variant notes that it has no checker, and the sizes
 * and scratch its abandoned checker registered are forgotten. TypeOK must be generated (an error if not). The
 * plain variant leaves out invariants that read ghost variables, and TypeOK's conjuncts about them.
 */
final class EmitInvariants {

    /** The checkers of one variant: the invariants kept, their methods and Java names, and TypeOK's method. */
    record Checkers(List<Invariant> kept, List<String> javaNames, List<MethodSpec> methods, MethodSpec typeOK) {}

    private EmitInvariants() {}

    /** The checkers of variant, their method names allocated from methods in spec order. */
    static Emitted<Checkers> emit(Variant variant, NameAllocator methods) {
        Spec spec = variant.spec;
        boolean checked = variant.checked;
        List<Diagnostic> errors = new ArrayList<>();
        List<Diagnostic> notes = new ArrayList<>();
        List<Invariant> invs = spec.invariants().stream()
                .filter(i -> checked || !Variant.mentionsGhost(i.body()))
                .toList();
        List<MethodSpec> invMethods = new ArrayList<>();
        List<String> invJava = new ArrayList<>();
        List<Invariant> kept = new ArrayList<>();
        for (Invariant inv : invs) {
            int sizedBefore = variant.sized.size();
            int scratchBefore = variant.scratchSizes.size();
            EmitValues body = new EmitValues(variant);
            String r = body.sc(inv.body());
            Diagnostic refused =
                    body.refusals.diagnostic(inv.where(), "invariant " + inv.name() + " has no generated checker: ");
            if (refused != null) {
                // forget the layouts the abandoned checker registered
                while (variant.sized.size() > sizedBefore) {
                    variant.sizeIds.remove(variant.sized.remove(variant.sized.size() - 1));
                }
                while (variant.scratchSizes.size() > scratchBefore) {
                    variant.scratchSizes.remove(variant.scratchSizes.size() - 1);
                }
                // TLC still checks it; the machine just has no checker for it
                if (checked) {
                    notes.add(refused);
                }
                continue;
            }
            kept.add(inv);
            String jn = methods.newName(Emit.lowerCamel(inv.name()), inv.name());
            invJava.add(jn);
            invMethods.add(MethodSpec.methodBuilder(jn)
                    .addModifiers(Modifier.PUBLIC)
                    .returns(boolean.class)
                    .addJavadoc("The invariant $L, evaluated on the current state.\n", inv.name())
                    .addCode(body.prologue())
                    .addCode(body.out.build())
                    .addStatement("return $L", r)
                    .build());
        }
        Expr typeOk = spec.typeOK();
        if (!checked && typeOk instanceof And and) {
            typeOk = new And(
                    and.args().stream().filter(x -> !Variant.mentionsGhost(x)).toList());
        }
        EmitValues tb = new EmitValues(variant);
        String tr = tb.sc(typeOk);
        Diagnostic refused = tb.refusals.diagnostic(spec.typeOKWhere(), "unsupported in " + spec.typeOKName() + ": ");
        if (refused != null) {
            errors.add(refused);
            tr = "false";
        }
        MethodSpec typeOkMethod = MethodSpec.methodBuilder("typeOK")
                .addModifiers(Modifier.PUBLIC)
                .returns(boolean.class)
                .addJavadoc("TypeOK of $L on the current state.\n", spec.module())
                .addCode(tb.prologue())
                .addCode(tb.out.build())
                .addStatement("return $L", tr)
                .build();
        return new Emitted<>(new Checkers(kept, invJava, invMethods, typeOkMethod), errors, notes);
    }
}
