package dev.ladle.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.ladle.codegen.Ir.*;
import dev.ladle.codegen.MethodBody.Addr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Emit pass, the scaffolding of one variant: the state class (constants, size fields, offsets), the Config
 * record with its builder, and the machine class around the methods the other passes emit: the Guard enum,
 * fields and constructor (scratch regions), the named readers ({@link Accessors}), Init, the actions
 * ({@link EmitActions}), the invariants and TypeOK ({@link EmitInvariants}), dispatch by number and the
 * runtime helpers (TLC's division and modulus, the sequence bound error).
 */
final class EmitMachine {
    private final Variant variant;
    private final Spec spec;
    private final boolean checked;
    private final Layout layout;
    private final List<Variable> vars;
    private final List<Variable> data;
    private final ClassName stateName;
    private final ClassName machineName;
    private final ClassName configName;
    private final ClassName guardName;

    private final List<Diagnostic> errors = new ArrayList<>();
    private final List<Diagnostic> notes = new ArrayList<>();
    /** A refusal that stops the whole spec (a variable without readers, a state that cannot be laid out). */
    private Diagnostic stop;

    private EmitMachine(Variant variant) {
        this.variant = variant;
        this.spec = variant.spec;
        this.checked = variant.checked;
        this.layout = variant.layout;
        this.vars = variant.vars;
        this.data = spec.data();
        this.stateName = variant.stateName;
        this.machineName = variant.machineName;
        this.configName = variant.configName;
        this.guardName = variant.guardName;
    }

    /** The Config record of the spec (the same for both variants). */
    static TypeSpec config(Variant variant) {
        return new EmitMachine(variant).config();
    }

    /**
     * The state and machine classes of variant, in that order. The errors are every definition's refusals;
     * the value is null when a refusal stopped the whole spec (then it is the only error).
     */
    static Diagnosed<List<TypeSpec>> emit(Variant variant) {
        EmitMachine em = new EmitMachine(variant);
        TypeSpec machine = em.machine();
        if (em.stop == null) {
            Refusals r = variant.begin();
            TypeSpec state = em.state();
            if (r.refused()) {
                em.stop = new Diagnostic(variant.spec.module(), 1, 1, "unsupported: " + r.message());
            } else {
                return new Diagnosed<>(List.of(state, machine), em.errors, em.notes);
            }
        }
        return new Diagnosed<>(null, List.of(em.stop), em.notes);
    }

    TypeSpec state() {
        TypeSpec.Builder b = TypeSpec.classBuilder(stateName)
                .addModifiers(Modifier.FINAL)
                .addJavadoc(
                        "The state of $L$L: every variable in one word array, laid out by the constants (see the"
                                + " machine's readers for the named view).\n",
                        spec.module(),
                        checked ? " including its ghost variables (checking variant)" : "");
        MethodSpec.Builder ctor = MethodSpec.constructorBuilder().addParameter(configName, "config");
        for (Layout.Param p : layout.params()) {
            b.addField(FieldSpec.builder(int.class, p.java(), Modifier.FINAL)
                    .addJavadoc(paramDoc(p))
                    .build());
            ctor.addStatement("this.$L = config.$L()", p.java(), p.java());
        }
        // sizes are registered while laying out variables (and by the machine's expressions)
        for (Layout.Region r : layout.regions()) {
            variant.size(r.type(), "");
        }
        CodeBlock.Builder sizes = CodeBlock.builder();
        for (int i = 0; i < variant.sized.size(); i++) {
            sizes.addStatement("this.sz$L = $L", i, variant.sizeFormula(variant.sized.get(i)));
            b.addField(FieldSpec.builder(int.class, "sz" + i, Modifier.FINAL)
                    .addJavadoc("Words of $L.\n", Variant.describe(variant.sized.get(i)))
                    .build());
        }
        ctor.addCode(sizes.build());
        ctor.addStatement("int at = 0");
        for (Layout.Region r : layout.regions()) {
            b.addField(FieldSpec.builder(int.class, Variant.offsetField(r.name()), Modifier.FINAL)
                    .addJavadoc(
                            "Offset of $L$L ($L).\n",
                            r.data() ? "the constant data " : "",
                            r.name() + (r.ghost() ? ", a ghost variable" : ""),
                            Variant.describe(r.type()))
                    .build());
            if (!r.data() && layout.variables().get(0).equals(r)) {
                ctor.addStatement("this.varsStart = at");
            }
            ctor.addStatement("this.$L = at", Variant.offsetField(r.name()));
            ctor.addStatement("at = $T.addExact(at, $L)", Math.class, variant.size(r.type(), ""));
        }
        if (layout.variables().isEmpty()) {
            ctor.addStatement("this.varsStart = at");
        }
        ctor.addStatement("this.mem = new int[at]");
        b.addField(FieldSpec.builder(int.class, "varsStart", Modifier.FINAL)
                .addJavadoc("Where the variables start (constant data lies before).\n")
                .build());
        b.addField(FieldSpec.builder(int[].class, "mem", Modifier.FINAL)
                .addJavadoc("Constant data then variables, canonical: equal states have equal words.\n")
                .build());
        b.addMethod(ctor.build());
        return b.build();
    }

    private static CodeBlock paramDoc(Layout.Param p) {
        return switch (p.kind()) {
            case SIZE -> CodeBlock.of("Number of elements of the constant set $L.\n", p.constant());
            case LOWEST ->
                CodeBlock.of(
                        "Lowest element of $L: any id for model values (ids lowest..lowest+n-1), else the least"
                                + " integer.\n",
                        p.constant());
            case VALUE ->
                CodeBlock.of("The constant $L (an integer, or the id of a lone model value).\n", p.constant());
        };
    }

    /** The record of named constants a machine is built from, with a builder. */
    TypeSpec config() {
        TypeSpec.Builder r = TypeSpec.recordBuilder(configName)
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc(
                        "The constants of $L a machine is built from: each constant set as its size and its lowest"
                                + " element, integers and lone model values as values.\n",
                        spec.module());
        MethodSpec.Builder canonical = MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC);
        ClassName builderName = configName.nestedClass("Builder");
        TypeSpec.Builder builder = TypeSpec.classBuilder(builderName)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Names every constant; set sizes and values are required, lowest elements default to 0.\n");
        MethodSpec.Builder build =
                MethodSpec.methodBuilder("build").addModifiers(Modifier.PUBLIC).returns(configName);
        List<String> args = new ArrayList<>();
        for (Layout.Param p : layout.params()) {
            canonical.addParameter(ParameterSpec.builder(int.class, p.java())
                    .addJavadoc(paramDoc(p))
                    .build());
            boolean required = p.kind() != Layout.ParamKind.LOWEST;
            builder.addField(FieldSpec.builder(
                            required ? ClassName.get(Integer.class) : TypeName.INT, p.java(), Modifier.PRIVATE)
                    .build());
            builder.addMethod(MethodSpec.methodBuilder(p.java())
                    .addModifiers(Modifier.PUBLIC)
                    .addJavadoc(paramDoc(p))
                    .returns(builderName)
                    .addParameter(int.class, "value")
                    .addStatement("this.$L = value", p.java())
                    .addStatement("return this")
                    .build());
            if (required) {
                build.beginControlFlow("if ($L == null)", p.java())
                        .addStatement("throw new $T($S)", IllegalStateException.class, p.java() + " is not set")
                        .endControlFlow();
            }
            if (p.kind() == Layout.ParamKind.SIZE) {
                canonical
                        .beginControlFlow("if ($L < 0)", p.java())
                        .addStatement(
                                "throw new $T($S + $L)",
                                IllegalArgumentException.class,
                                p.java() + " must be at least 0, not ",
                                p.java())
                        .endControlFlow();
            }
            args.add(p.java());
        }
        for (String a : args) {
            canonical.addStatement("this.$L = $L", a, a);
        }
        build.addStatement("return new $T($L)", configName, String.join(", ", args));
        builder.addMethod(build.build());
        r.recordConstructor(canonical.build());
        r.addMethod(MethodSpec.methodBuilder("builder")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(builderName)
                .addStatement("return new $T()", builderName)
                .build());
        r.addType(builder.build());
        return r.build();
    }

    TypeSpec machine() {
        TypeSpec.Builder b = TypeSpec.classBuilder(machineName)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc(
                        "The state machine of $L$L. One method per action: it checks the action's guards in order and "
                                + "either applies every update at once and returns {@link Guard#OK}, or changes nothing"
                                + " and returns the first guard that failed.\n",
                        spec.module(),
                        checked ? " with its ghost variables (the checking variant, for tests)" : "");
        NameAllocator methods = new NameAllocator();
        for (String r : List.of(
                "init",
                "typeOK",
                "state",
                "step",
                "invariant",
                "scratch",
                "memory",
                "guard",
                "config",
                "stateSize",
                "copyStateTo",
                "copyStateFrom",
                "tlaDiv",
                "tlaMod",
                "seqBound",
                "lowestBit",
                "fillBits",
                "noBits")) {
            methods.newName(r, "$reserved$" + r);
        }
        // guards enum
        TypeSpec.Builder guard = TypeSpec.enumBuilder("Guard")
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("The outcome of an action: OK, or the guard that refused it.\n");
        guard.addEnumConstant(
                "OK", TypeSpec.anonymousClassBuilder("$S", "applied").build());
        List<MethodSpec> actionMethods = new ArrayList<>();
        List<String> actionJava = new ArrayList<>();
        for (Action a : spec.actions()) {
            for (ActionStep s : a.steps()) {
                if (s instanceof Ir.Guard g) {
                    TypeSpec.Builder c = TypeSpec.anonymousClassBuilder("$S", a.name() + ": " + g.label());
                    if (!g.text().isEmpty()) {
                        c.addJavadoc(
                                "Refused by $L ($L.tla, line $L):\n<pre>\n$L\n</pre>\n",
                                a.name(),
                                g.where().module(),
                                g.where().line(),
                                JavaText.javadocText(g.text()));
                    }
                    guard.addEnumConstant(g.id(), c.build());
                }
            }
            String jn = methods.newName(Emit.lowerCamel(a.name()), a.name());
            actionJava.add(jn);
            Diagnosed<MethodSpec> action = EmitActions.emit(variant, a, jn);
            errors.addAll(action.errors());
            if (action.ok()) {
                actionMethods.add(action.value());
            }
        }
        guard.addField(String.class, "description", Modifier.PUBLIC, Modifier.FINAL);
        guard.addMethod(MethodSpec.constructorBuilder()
                .addParameter(String.class, "description")
                .addStatement("this.description = description")
                .build());
        b.addType(guard.build());

        Diagnosed<EmitInvariants.Checkers> checks = EmitInvariants.emit(variant, methods);
        errors.addAll(checks.errors());
        notes.addAll(checks.notes());
        List<Invariant> kept = checks.value().kept();
        List<String> invJava = checks.value().javaNames();

        EmitValues ib = new EmitValues(variant);
        ib.out.addStatement("$T.fill(m, st.varsStart, m.length, 0)", Arrays.class);
        for (Init i : spec.init()) {
            Variable v = spec.variable(i.var());
            if (!vars.contains(v)) {
                continue;
            }
            // each variable's Init is a definition of its own: every refused one is reported
            ib.begin();
            ib.write(i.value(), new Addr("m", "st." + Variant.offsetField(v.name())));
            Diagnostic refused = ib.refusals.diagnostic(spec.typeOKWhere(), "unsupported in Init (" + i.var() + "): ");
            if (refused != null) {
                errors.add(refused);
            }
        }
        MethodSpec init = MethodSpec.methodBuilder("init")
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("Sets the state to Init.\n")
                .addCode(ib.prologue())
                .addCode(ib.out.build())
                .build();

        // fields and constructor (scratch sizes are known only now)
        b.addField(FieldSpec.builder(stateName, "state", Modifier.PRIVATE, Modifier.FINAL)
                .build());
        b.addField(FieldSpec.builder(configName, "config", Modifier.PRIVATE, Modifier.FINAL)
                .build());
        b.addField(FieldSpec.builder(int[].class, "scratch", Modifier.PRIVATE, Modifier.FINAL)
                .build());
        MethodSpec.Builder ctor = MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("A machine for the given constants; load the constant data, then call init().\n")
                .addParameter(configName, "config");
        ctor.addStatement("this.config = config");
        ctor.addStatement("this.state = new $T(config)", stateName);
        ctor.addStatement("final $T st = this.state", stateName);
        ctor.addStatement("int at = 0");
        for (int i = 0; i < variant.scratchSizes.size(); i++) {
            b.addField(FieldSpec.builder(int.class, "sc" + i, Modifier.PRIVATE, Modifier.FINAL)
                    .build());
            ctor.addStatement("this.sc$L = at", i);
            ctor.addStatement("at = $T.addExact(at, $L)", Math.class, variant.scratchSizes.get(i));
        }
        ctor.addStatement("this.scratch = new int[at]");
        b.addMethod(ctor.build());
        b.addMethod(MethodSpec.methodBuilder("config")
                .addModifiers(Modifier.PUBLIC)
                .returns(configName)
                .addJavadoc("The constants this machine was built from.\n")
                .addStatement("return config")
                .build());
        stop = new Accessors(variant, methods).addTo(b);
        if (stop != null) {
            return null;
        }
        b.addMethod(init);
        actionMethods.forEach(b::addMethod);
        checks.value().methods().forEach(b::addMethod);
        b.addMethod(checks.value().typeOK());

        // generic dispatch, used by checkers and drivers that pick actions by number
        b.addField(FieldSpec.builder(String[].class, "ACTIONS", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .initializer(
                        "{$L}",
                        String.join(
                                ", ",
                                spec.actions().stream()
                                        .map(a -> "\"" + a.name() + "\"")
                                        .toList()))
                .build());
        b.addField(FieldSpec.builder(String[].class, "INVARIANTS", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .initializer(
                        "{$L}",
                        String.join(
                                ", ",
                                kept.stream().map(a -> "\"" + a.name() + "\"").toList()))
                .build());
        b.addField(FieldSpec.builder(String[].class, "VARIABLES", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .initializer(
                        "{$L}",
                        String.join(
                                ", ",
                                vars.stream().map(a -> "\"" + a.name() + "\"").toList()))
                .build());
        b.addField(FieldSpec.builder(String[].class, "DATA", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .initializer(
                        "{$L}",
                        String.join(
                                ", ",
                                data.stream().map(a -> "\"" + a.name() + "\"").toList()))
                .build());
        MethodSpec.Builder step = MethodSpec.methodBuilder("step")
                .addModifiers(Modifier.PUBLIC)
                .returns(guardName)
                .addJavadoc("Runs action number {@code action} of ACTIONS; args are ids, ordinals, ints, 0/1, and the"
                        + " words of structured parameters, in order.\n")
                .addParameter(int.class, "action")
                .addParameter(int[].class, "args");
        step.addStatement("final $T st = this.state", stateName);
        step.beginControlFlow("return switch (action)");
        for (int i = 0; i < spec.actions().size(); i++) {
            Action a = spec.actions().get(i);
            List<CodeBlock> xs = new ArrayList<>();
            String pos = "0";
            for (int j = 0; j < a.params().size(); j++) {
                Type pt = a.params().get(j).type();
                if (pt.scalar()) {
                    xs.add(CodeBlock.of("$L", variant.fromWord(pt, "args[" + pos + "]")));
                    pos = pos.equals("0") ? "1" : pos + " + 1";
                } else {
                    String sz = variant.size(pt, "st.");
                    xs.add(CodeBlock.of("$T.copyOfRange(args, $L, $L + $L)", Arrays.class, pos, pos, sz));
                    pos = pos.equals("0") ? sz : pos + " + " + sz;
                }
            }
            step.addStatement("case $L -> $L($L)", i, actionJava.get(i), CodeBlock.join(xs, ", "));
        }
        step.addStatement("default -> throw new IllegalArgumentException($S + action)", "no action ");
        step.addCode("$<};\n");
        b.addMethod(step.build());
        MethodSpec.Builder inv = MethodSpec.methodBuilder("invariant")
                .addModifiers(Modifier.PUBLIC)
                .returns(boolean.class)
                .addJavadoc("Evaluates invariant number {@code index} of INVARIANTS.\n")
                .addParameter(int.class, "index");
        if (invJava.isEmpty()) {
            inv.addStatement("throw new IllegalArgumentException($S + index)", "no invariant ");
        } else {
            inv.beginControlFlow("return switch (index)");
            for (int i = 0; i < invJava.size(); i++) {
                inv.addStatement("case $L -> $L()", i, invJava.get(i));
            }
            inv.addStatement("default -> throw new IllegalArgumentException($S + index)", "no invariant ");
            inv.addCode("$<};\n");
        }
        b.addMethod(inv.build());
        b.addMethod(seqOverflow());
        b.addMethod(MethodSpec.methodBuilder("tlaDiv")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(int.class)
                .addJavadoc("{@code x \\div y} as TLC computes it: floor division; zero divisor and overflow raise.\n")
                .addParameter(int.class, "x")
                .addParameter(int.class, "y")
                .beginControlFlow("if (y == 0 || (x == $T.MIN_VALUE && y == -1))", Integer.class)
                .addStatement("throw new $T($S + x + $S + y)", ArithmeticException.class, "TLC error: ", " \\div ")
                .endControlFlow()
                .addStatement("return $T.floorDiv(x, y)", Math.class)
                .build());
        b.addMethod(MethodSpec.methodBuilder("tlaMod")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(int.class)
                .addJavadoc("{@code x % y} as TLC computes it: y must be positive; the result lies in 0..y-1. A ring\n"
                        + "index (x below 2y) needs no division.\n")
                .addParameter(int.class, "x")
                .addParameter(int.class, "y")
                .beginControlFlow("if (y <= 0)")
                .addStatement(
                        "throw new $T($S + y)", ArithmeticException.class, "TLC error: the second argument of % is ")
                .endControlFlow()
                .beginControlFlow("if (x >= 0 && x < y)")
                .addStatement("return x")
                .endControlFlow()
                .beginControlFlow("if (x >= y && x - y < y)")
                .addStatement("return x - y")
                .endControlFlow()
                .addStatement("return $T.floorMod(x, y)", Math.class)
                .build());
        b.addMethod(MethodSpec.methodBuilder("lowestBit")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(int.class)
                .addJavadoc("The lowest set bit of the bitset of {@code words} words at {@code a[off...]}, -1 when "
                        + "none:\none test per word, then the word's trailing zeros.\n")
                .addParameter(int[].class, "a")
                .addParameter(int.class, "off")
                .addParameter(int.class, "words")
                .beginControlFlow("for (int w = 0; w < words; w++)")
                .addStatement("final int bits = a[off + w]")
                .beginControlFlow("if (bits != 0)")
                .addStatement("return (w << 5) + $T.numberOfTrailingZeros(bits)", Integer.class)
                .endControlFlow()
                .endControlFlow()
                .addStatement("return -1")
                .build());
        b.addMethod(MethodSpec.methodBuilder("fillBits")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("Sets bits {@code from} to {@code to - 1} of the bitset at {@code a[off...]}, a word at a "
                        + "time.\n")
                .addParameter(int[].class, "a")
                .addParameter(int.class, "off")
                .addParameter(int.class, "from")
                .addParameter(int.class, "to")
                .beginControlFlow("for (int i = from; i < to; i = (i | 31) + 1)")
                .addStatement("final int n = $T.min(to - i, 32 - (i & 31))", Math.class)
                .addStatement("a[off + (i >>> 5)] |= (n == 32 ? -1 : (1 << n) - 1) << (i & 31)")
                .endControlFlow()
                .build());
        b.addMethod(MethodSpec.methodBuilder("noBits")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(boolean.class)
                .addJavadoc("Whether the bitset of {@code words} words at {@code a[off...]} is empty (the set is "
                        + "{@code {}}).\n")
                .addParameter(int[].class, "a")
                .addParameter(int.class, "off")
                .addParameter(int.class, "words")
                .beginControlFlow("for (int w = 0; w < words; w++)")
                .beginControlFlow("if (a[off + w] != 0)")
                .addStatement("return false")
                .endControlFlow()
                .endControlFlow()
                .addStatement("return true")
                .build());
        return b.build();
    }

    private static MethodSpec seqOverflow() {
        return MethodSpec.methodBuilder("seqBound")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(IllegalStateException.class)
                .addJavadoc("A sequence would outgrow the bound the spec states: the spec's bound is wrong, not the"
                        + " caller.\n")
                .addParameter(String.class, "where")
                .addStatement("return new IllegalStateException($S + where)", "sequence bound exceeded in ")
                .build();
    }
}
