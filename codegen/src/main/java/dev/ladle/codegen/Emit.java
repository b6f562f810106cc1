package dev.ladle.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.ladle.codegen.Ir.*;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Pass 4: Java source from the IR, with JavaPoet.
 *
 * <p>Runtime shape: the whole state is one {@code int[]} (the state class), each variable at an offset fixed
 * at construction from the constants. Scalars take one word (model values as ids 0..n-1, strings as enum
 * ordinals, booleans as 0/1); a function over a finite domain is its range's layout repeated per domain
 * element (an array); a set is a bitset over its finite element type, 32 elements per word; a record or tuple
 * is its fields in order; a bounded sequence is a length word then max slots, front-aligned with unused
 * slots zero. Values are kept canonical, so equality is a flat word compare and copying is
 * {@code System.arraycopy}. Temporaries go to a scratch array preallocated per machine, so an action
 * allocates nothing.
 *
 * <p>Two variants come from one spec: the plain machine (no ghost variables: the kernel's hot path) and the
 * checked machine (every variable, for tests and invariant checking). Per variant the passes run in a line:
 * {@link EmitMachine} (state, Config and machine classes, Init, readers through {@link Accessors}) calls
 * {@link EmitActions} per action and {@link EmitInvariants} for the checkers; the expression emitters
 * ({@link EmitExpressions}, {@link EmitSets}, {@link EmitValues}) write the method bodies. Each pass returns an
 * {@link Emitted} value with its refusals and notes (see {@link Refusals}).
 */
public final class Emit {

    static final String HEADER = "Generated from the TLA+ module $L by the Ladle code generator. Do not edit:\n"
            + "change the spec and rebuild (mvn compile) instead.\n";

    private Emit() {}

    /**
     * The files of both variants: enums, the Config record, then state and machine for the plain and the checked
     * variant. The errors are every construct that cannot be generated, each at its place in the spec (then there
     * are no files); the notes what was left out (invariants with no checker).
     */
    public static Emitted<List<JavaFile>> emit(Spec spec, String pkg) {
        List<JavaFile> out = new ArrayList<>();
        for (EnumT e : spec.enums()) {
            out.add(file(spec, pkg, enumType(e)));
        }
        // a refusal found in both variants is reported once
        Set<Diagnostic> errors = new LinkedHashSet<>();
        List<Diagnostic> notes = new ArrayList<>();
        out.add(file(spec, pkg, EmitMachine.config(new Variant(spec, pkg, false))));
        for (boolean checked : new boolean[] {false, true}) {
            Emitted<List<TypeSpec>> variant = EmitMachine.emit(new Variant(spec, pkg, checked));
            notes.addAll(variant.notes());
            if (variant.value() == null) {
                return new Emitted<>(null, variant.errors(), notes);
            }
            errors.addAll(variant.errors());
            for (TypeSpec t : variant.value()) {
                out.add(file(spec, pkg, t));
            }
        }
        if (!errors.isEmpty()) {
            return new Emitted<>(null, List.copyOf(errors), notes);
        }
        return new Emitted<>(out, List.of(), notes);
    }

    private static JavaFile file(Spec spec, String pkg, TypeSpec type) {
        return JavaFile.builder(pkg, type)
                .addFileComment(HEADER, spec.module())
                .skipJavaLangImports(true)
                .indent("  ")
                .build();
    }

    static String enumConstant(String s) {
        String c = s.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
        return c.isEmpty() || Character.isDigit(c.charAt(0)) ? "S_" + c : c;
    }

    private static TypeSpec enumType(EnumT e) {
        TypeSpec.Builder b = TypeSpec.enumBuilder(e.name())
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc(
                        "The strings $L of the spec; the ordinal is the value stored in the state.\n",
                        String.join(
                                ", ",
                                e.values().stream().map(v -> "\"" + v + "\"").toList()));
        for (String v : e.values()) {
            b.addEnumConstant(
                    enumConstant(v), TypeSpec.anonymousClassBuilder("$S", v).build());
        }
        b.addField(String.class, "tla", Modifier.PUBLIC, Modifier.FINAL);
        ClassName self = ClassName.get("", e.name());
        b.addField(
                FieldSpec.builder(ArrayTypeName.of(self), "VALUES", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .initializer("values()")
                        .build());
        b.addMethod(MethodSpec.methodBuilder("ofOrdinal")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(self)
                .addJavadoc("The constant stored as word {@code ordinal} (no array copy, unlike values()).\n")
                .addParameter(int.class, "ordinal")
                .addStatement("return VALUES[ordinal]")
                .build());
        b.addMethod(MethodSpec.constructorBuilder()
                .addParameter(String.class, "tla")
                .addStatement("this.tla = tla")
                .build());
        return b.build();
    }

    static String lowerCamel(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int i = 0;
        while (i < s.length() && Character.isUpperCase(s.charAt(i))) {
            i++;
        }
        if (i == 0) {
            return s;
        }
        if (i == s.length()) {
            return s.toLowerCase(java.util.Locale.ROOT);
        }
        int cut = i == 1 ? 1 : i - 1;
        return s.substring(0, cut).toLowerCase(java.util.Locale.ROOT) + s.substring(cut);
    }
}
