package dev.ladle.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.ladle.codegen.Ir.*;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * checked machine (every variable, for tests and invariant checking).
 */
public final class Emit {

    static final String HEADER = "Generated from the TLA+ module $L by the Ladle code generator. Do not edit:\n"
            + "change the spec and rebuild (mvn compile) instead.\n";

    private final Spec spec;
    private final String pkg;
    private final boolean checked;
    private final List<Variable> vars;
    private final String prefix;
    private final ClassName stateName;
    private final ClassName machineName;
    private final ClassName guardName;
    private final Map<Type, Integer> sizeIds = new LinkedHashMap<>();
    private final List<Type> sized = new ArrayList<>();
    private final List<String> scratchSizes = new ArrayList<>();
    private final Layout layout;
    private final ClassName configName;
    private final List<Variable> data;
    /** Constructor parameters in order: for a constant set its size then its lowest element, else its value. */
    private final List<String> ctorParams = new ArrayList<>();

    private final List<Diagnostic> notes;

    /** The constructs Emit cannot lay out or compute, each at the TLA+ construct it was lowered from. */
    public static final class Located extends RuntimeException {
        public final List<Diagnostic> diagnostics;

        Located(List<Diagnostic> ds) {
            super(ds.toString());
            this.diagnostics = List.copyOf(ds);
        }
    }

    /** Refusals of every definition emitted so far (both variants), reported together at the end. */
    private final java.util.Set<Diagnostic> errors;

    /**
     * A refusal on its way out of the expression being emitted: the innermost expression with a known origin
     * (see {@link Ir.Origins}) sets where, so the error names the construct, not the definition around it.
     */
    static final class Refusal extends UnsupportedOperationException {
        final Diagnostic where;

        Refusal(Diagnostic where, String message) {
            super(message);
            this.where = where;
        }
    }

    /** The refusal x, located at e's construct unless an expression inside e located it already. */
    private UnsupportedOperationException at(Expr e, UnsupportedOperationException x) {
        if (x instanceof Refusal r && r.where != null) {
            return r;
        }
        Diagnostic w = spec.origins().where(e);
        return w == null ? x : new Refusal(w, x.getMessage());
    }

    /** A located error for the refusal x met while emitting the definition at fallback. */
    private static Diagnostic located(UnsupportedOperationException x, Diagnostic fallback, String context) {
        Diagnostic w = x instanceof Refusal r && r.where != null ? r.where : fallback;
        return new Diagnostic(w.module(), w.line(), w.column(), context + x.getMessage());
    }

    private Emit(Spec spec, String pkg, boolean checked, List<Diagnostic> notes, java.util.Set<Diagnostic> errors) {
        this.notes = notes;
        this.errors = errors;
        this.spec = spec;
        this.pkg = pkg;
        this.checked = checked;
        this.layout = Layout.of(spec, checked);
        this.vars = spec.variables().stream().filter(v -> checked || !v.ghost()).toList();
        this.prefix = spec.module() + (checked ? "Checked" : "");
        this.stateName = ClassName.get(pkg, prefix + "State");
        this.machineName = ClassName.get(pkg, prefix + "Machine");
        this.configName = ClassName.get(pkg, spec.module() + "Config");
        this.guardName = machineName.nestedClass("Guard");
        this.data = spec.data();
        for (Layout.Param p : layout.params()) {
            ctorParams.add(p.java());
        }
    }

    /** The files of both variants: enums, then state and machine for the plain and the checked variant. */
    public static List<JavaFile> emit(Spec spec, String pkg) {
        return emit(spec, pkg, new ArrayList<>());
    }

    /**
     * As above; notes receives what was left out (invariants with no checker).
     *
     * @throws Located with every construct that cannot be generated, each at its place in the spec
     */
    public static List<JavaFile> emit(Spec spec, String pkg, List<Diagnostic> notes) {
        List<JavaFile> out = new ArrayList<>();
        for (EnumT e : spec.enums()) {
            out.add(file(spec, pkg, enumType(e)));
        }
        java.util.Set<Diagnostic> errors = new java.util.LinkedHashSet<>();
        out.add(file(spec, pkg, new Emit(spec, pkg, false, notes, errors).config()));
        for (boolean checked : new boolean[] {false, true}) {
            Emit em = new Emit(spec, pkg, checked, notes, errors);
            TypeSpec machine = em.machine();
            out.add(file(spec, pkg, em.state()));
            out.add(file(spec, pkg, machine));
        }
        if (!errors.isEmpty()) {
            throw new Located(List.copyOf(errors));
        }
        return out;
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

    // ---------------------------------------------------------------- sizes and layout (from Layout)

    /** A layout formula as a run-time Java expression; st is the prefix for the state's fields ("st." or ""). */
    String java(Layout.Formula f, String st) {
        return Layout.renderPlain(f, t -> size(t, st), p -> st + p);
    }

    /** A constant expression in Java. */
    String constExpr(Expr e, String st) {
        return java(layout.constant(e), st);
    }

    /** Number of elements of a finite type (the length of an array indexed by it). */
    String card(Type t, String st) {
        return java(layout.card(t), st);
    }

    /** Bits in a set over t (see {@link Layout#bitCard}). */
    String bitCard(Type t, String st) {
        return java(layout.bitCard(t), st);
    }

    String lo(ModelT m, String st) {
        return st + layout.lowParam(m.set());
    }

    /**
     * The size of t: a literal when it does not depend on the constants ("1" for scalars), else the state field
     * computed once at construction.
     */
    String size(Type t, String st) {
        if (layout.sizeRef(t) instanceof Layout.Lit l) {
            return Integer.toString(l.value());
        }
        Integer id = sizeIds.get(t);
        if (id == null) {
            // register the parts first, so each size field is computed after those it refers to
            sizeFormula(t);
            id = sized.size();
            sizeIds.put(t, id);
            sized.add(t);
        }
        return st + "sz" + id;
    }

    private String sizeFormula(Type t) {
        return Layout.render(layout.size(t), x -> size(x, ""), p -> p);
    }

    private String fieldOffset(List<Type> types, int index, String st) {
        return java(layout.fieldOffset(types, index), st);
    }

    static String offsetField(String var) {
        return "off_" + var;
    }

    // ---------------------------------------------------------------- the state class

    private TypeSpec state() {
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
            size(r.type(), "");
        }
        CodeBlock.Builder sizes = CodeBlock.builder();
        for (int i = 0; i < sized.size(); i++) {
            sizes.addStatement("this.sz$L = $L", i, sizeFormula(sized.get(i)));
            b.addField(FieldSpec.builder(int.class, "sz" + i, Modifier.FINAL)
                    .addJavadoc("Words of $L.\n", describe(sized.get(i)))
                    .build());
        }
        ctor.addCode(sizes.build());
        ctor.addStatement("int at = 0");
        for (Layout.Region r : layout.regions()) {
            b.addField(FieldSpec.builder(int.class, offsetField(r.name()), Modifier.FINAL)
                    .addJavadoc(
                            "Offset of $L$L ($L).\n",
                            r.data() ? "the constant data " : "",
                            r.name() + (r.ghost() ? ", a ghost variable" : ""),
                            describe(r.type()))
                    .build());
            if (!r.data() && layout.variables().get(0).equals(r)) {
                ctor.addStatement("this.varsStart = at");
            }
            ctor.addStatement("this.$L = at", offsetField(r.name()));
            ctor.addStatement("at = $T.addExact(at, $L)", Math.class, size(r.type(), ""));
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
                        "Lowest element of $L: any id for model values (ids lowest..lowest+n-1), else the least integer.\n",
                        p.constant());
            case VALUE ->
                CodeBlock.of("The constant $L (an integer, or the id of a lone model value).\n", p.constant());
        };
    }

    /** The record of named constants a machine is built from, with a builder. */
    private TypeSpec config() {
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

    private static String describe(Type t) {
        if (t instanceof IntT i) {
            return "int";
        } else if (t instanceof BoolT bt) {
            return "boolean";
        } else if (t instanceof ModelT m) {
            return "an id in " + m.set();
        } else if (t instanceof EnumT e) {
            return e.name();
        } else if (t instanceof RangeT r) {
            return "int range";
        } else if (t instanceof SetT s) {
            return "bitset of " + describe(s.elem());
        } else if (t instanceof FunT f) {
            return "array over " + describe(f.dom()) + " of " + describe(f.range());
        } else if (t instanceof RecT r) {
            return "record " + r.names();
        } else if (t instanceof TupT r) {
            return "tuple";
        } else if (t instanceof SeqT s) {
            return "bounded sequence of " + describe(s.elem());
        }
        throw new IllegalStateException("unreachable: " + t);
    }

    TypeName javaType(Type t) {
        if (t instanceof BoolT b) {
            return TypeName.BOOLEAN;
        } else if (t instanceof EnumT e) {
            return ClassName.get(pkg, e.name());
        } else {
            return TypeName.INT;
        }
    }

    ClassName stateName() {
        return stateName;
    }

    String fromWord(Type t, String word) {
        if (t instanceof BoolT b) {
            return "(" + word + " != 0)";
        } else if (t instanceof EnumT e) {
            return e.name() + ".ofOrdinal(" + word + ")";
        } else {
            return word;
        }
    }

    // ---------------------------------------------------------------- the machine class

    private TypeSpec machine() {
        TypeSpec.Builder b = TypeSpec.classBuilder(machineName)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc(
                        "The state machine of $L$L. One method per action: it checks the action's guards in order and "
                                + "either applies every update at once and returns {@link Guard#OK}, or changes nothing and returns the "
                                + "first guard that failed.\n",
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
                "seqBound")) {
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
                                javadocText(g.text()));
                    }
                    guard.addEnumConstant(g.id(), c.build());
                }
            }
            String jn = methods.newName(lowerCamel(a.name()), a.name());
            actionJava.add(jn);
            try {
                actionMethods.add(action(a, jn));
            } catch (UnsupportedOperationException e) {
                errors.add(located(e, a.where(), "unsupported in action " + a.name() + ": "));
            }
        }
        guard.addField(String.class, "description", Modifier.PUBLIC, Modifier.FINAL);
        guard.addMethod(MethodSpec.constructorBuilder()
                .addParameter(String.class, "description")
                .addStatement("this.description = description")
                .build());
        b.addType(guard.build());

        List<Invariant> invs = spec.invariants().stream()
                .filter(i -> checked || !mentionsGhost(i.body()))
                .toList();
        List<MethodSpec> invMethods = new ArrayList<>();
        List<String> invJava = new ArrayList<>();
        List<Invariant> kept = new ArrayList<>();
        for (Invariant inv : invs) {
            Body body = new Body();
            String r;
            int sizedBefore = sized.size();
            int scratchBefore = scratchSizes.size();
            try {
                r = body.sc(inv.body());
            } catch (UnsupportedOperationException e) {
                // forget the layouts the abandoned checker registered
                while (sized.size() > sizedBefore) {
                    sizeIds.remove(sized.remove(sized.size() - 1));
                }
                while (scratchSizes.size() > scratchBefore) {
                    scratchSizes.remove(scratchSizes.size() - 1);
                }
                // TLC still checks it; the machine just has no checker for it
                if (checked) {
                    notes.add(located(e, inv.where(), "invariant " + inv.name() + " has no generated checker: "));
                }
                continue;
            }
            kept.add(inv);
            String jn = methods.newName(lowerCamel(inv.name()), inv.name());
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
            typeOk = new And(and.args().stream().filter(x -> !mentionsGhost(x)).toList());
        }
        Body tb = new Body();
        String tr;
        try {
            tr = tb.sc(typeOk);
        } catch (UnsupportedOperationException e) {
            errors.add(located(e, spec.typeOKWhere(), "unsupported in " + spec.typeOKName() + ": "));
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

        Body ib = new Body();
        ib.out.addStatement("$T.fill(m, st.varsStart, m.length, 0)", Arrays.class);
        for (Init i : spec.init()) {
            Variable v = spec.variable(i.var());
            if (!vars.contains(v)) {
                continue;
            }
            try {
                ib.write(i.value(), new Addr("m", "st." + offsetField(v.name())));
            } catch (UnsupportedOperationException e) {
                errors.add(located(e, spec.typeOKWhere(), "unsupported in Init (" + i.var() + "): "));
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
        for (int i = 0; i < scratchSizes.size(); i++) {
            b.addField(FieldSpec.builder(int.class, "sc" + i, Modifier.PRIVATE, Modifier.FINAL)
                    .build());
            ctor.addStatement("this.sc$L = at", i);
            ctor.addStatement("at = $T.addExact(at, $L)", Math.class, scratchSizes.get(i));
        }
        ctor.addStatement("this.scratch = new int[at]");
        b.addMethod(ctor.build());
        b.addMethod(MethodSpec.methodBuilder("config")
                .addModifiers(Modifier.PUBLIC)
                .returns(configName)
                .addJavadoc("The constants this machine was built from.\n")
                .addStatement("return config")
                .build());
        new Accessors(this, layout, methods).addTo(b);
        b.addMethod(init);
        actionMethods.forEach(b::addMethod);
        invMethods.forEach(b::addMethod);
        b.addMethod(typeOkMethod);

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
                .addJavadoc(
                        "Runs action number {@code action} of ACTIONS; args are ids, ordinals, ints, 0/1, and the words "
                                + "of structured parameters, in order.\n")
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
                    xs.add(CodeBlock.of("$L", fromWord(pt, "args[" + pos + "]")));
                    pos = pos.equals("0") ? "1" : pos + " + 1";
                } else {
                    String sz = size(pt, "st.");
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
        return b.build();
    }

    private static MethodSpec seqOverflow() {
        return MethodSpec.methodBuilder("seqBound")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(IllegalStateException.class)
                .addJavadoc(
                        "A sequence would outgrow the bound the spec states: the spec's bound is wrong, not the caller.\n")
                .addParameter(String.class, "where")
                .addStatement("return new IllegalStateException($S + where)", "sequence bound exceeded in ")
                .build();
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

    /**
     * Whether a path after the first reads {@code @}. Two paths may name the same element at run time
     * ({@code [f EXCEPT ![r] = @ \ {s}, ![t] = @ \cup {x}]} with r = t), and TLA+ applies them in order: the later
     * {@code @} is the value the earlier path wrote. The in-place update reads every {@code @} from the old state,
     * so such an EXCEPT is built in scratch path after path instead.
     */
    private static boolean laterPathReadsAt(Except ex) {
        for (int i = 1; i < ex.updates().size(); i++) {
            if (mentionsAt(ex.updates().get(i).value())) {
                return true;
            }
        }
        return false;
    }

    private static boolean mentionsAt(Object e) {
        if (e instanceof At) {
            return true;
        }
        if (e instanceof Record r) {
            for (var c : r.getClass().getRecordComponents()) {
                try {
                    Object x = c.getAccessor().invoke(r);
                    if ((x instanceof Record || x instanceof List) && mentionsAt(x)) {
                        return true;
                    }
                } catch (ReflectiveOperationException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
        if (e instanceof List<?> l) {
            for (Object x : l) {
                if (mentionsAt(x)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean mentionsGhost(Object e) {
        if (e instanceof Var v) {
            return Lower.isGhost(v.name());
        }
        if (e instanceof Record r) {
            for (var c : r.getClass().getRecordComponents()) {
                try {
                    Object x = c.getAccessor().invoke(r);
                    if (x instanceof Record || x instanceof List) {
                        if (mentionsGhost(x)) {
                            return true;
                        }
                    }
                } catch (ReflectiveOperationException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
        if (e instanceof List<?> l) {
            for (Object x : l) {
                if (mentionsGhost(x)) {
                    return true;
                }
            }
        }
        return false;
    }

    private MethodSpec action(Action a, String javaName) {
        Body body = new Body();
        MethodSpec.Builder mb =
                MethodSpec.methodBuilder(javaName).addModifiers(Modifier.PUBLIC).returns(guardName);
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
            String jn = body.local(p.name());
            body.params.add(p.name());
            if (p.type().scalar()) {
                mb.addParameter(javaType(p.type()), jn);
            } else {
                // structured parameters (a message's words, a set of rights) arrive in their memory layout
                mb.addParameter(int[].class, jn);
                body.arrayParams.put(p.name(), jn);
            }
            if (p.type() instanceof EnumT) {
                body.enumParams.put(p.name(), jn + ".ordinal()");
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
                    Expr p = pathExpr(spec.variable(w.name()), eu.path());
                    evaluated.add(p);
                    for (Expr c : Shared.spine(p)) {
                        chooses.merge(Shared.key(c), 1, Integer::sum);
                    }
                }
            }
        }
        body.addressRoots.addAll(Shared.addressRoots(evaluated));
        for (ActionStep s : a.steps()) {
            if (s instanceof Ir.Guard g) {
                if (!checked && mentionsGhost(g.cond())) {
                    throw new Refusal(
                            spec.origins().where(g.cond()),
                            "guard " + g.label() + " reads a ghost variable: ghosts may only feed invariants");
                }
                body.hoist(g.cond(), chooses);
                String c = body.sc(g.cond());
                if (c.equals("true")) {
                    continue; // a guard that holds whatever the state (after what it evaluated, if anything)
                }
                body.out.beginControlFlow("if ($L)", unparen(not(c)));
                body.out.addStatement("return $T.$L", guardName, g.id());
                body.out.endControlFlow();
            }
        }
        CodeBlock.Builder commit = CodeBlock.builder();
        for (ActionStep s : a.steps()) {
            if (s instanceof Update u) {
                Variable v = spec.variable(u.var());
                if (!vars.contains(v)) {
                    continue;
                }
                if (!checked && mentionsGhost(u.value())) {
                    throw new Refusal(
                            spec.origins().where(u.value()),
                            "the update of " + u.var() + " reads a ghost variable: ghosts may only feed invariants");
                }
                try {
                    body.hoist(u.value(), chooses);
                    body.update(v, u.value(), commit);
                } catch (UnsupportedOperationException x) {
                    throw at(u.value(), x);
                }
            }
        }
        if (body.branched != null) {
            body.out.add(body.branched.build());
        }
        body.out.add(commit.build());
        body.out.addStatement("return $T.OK", guardName);
        return mb.addCode(body.prologue()).addCode(body.out.build()).build();
    }

    /**
     * TLA+ text as it may appear in a Javadoc {@code <pre>} block: HTML-escaped, and with nothing javac would
     * read as a unicode escape ({@code \\union}) or the end of the comment.
     */
    static String javadocText(String tla) {
        return tla.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("@", "&#64;")
                .replace("*/", "*&#47;")
                .replace("\\u", "&#92;u");
    }

    /** The negation of a Java boolean expression, without a double negation. */
    static String not(String c) {
        if (c.startsWith("!") && c.length() > 1) {
            String rest = c.substring(1);
            if (rest.startsWith("(") && rest.endsWith(")") && balanced(rest)) {
                return rest.substring(1, rest.length() - 1);
            }
            if (rest.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                return rest;
            }
        }
        if (c.equals("true")) {
            return "false";
        }
        if (c.equals("false")) {
            return "true";
        }
        String flipped = flipComparison(c);
        if (flipped != null) {
            return flipped;
        }
        // De Morgan, operand by operand in the same order: !(i >= 0 && i < n) is (i < 0 || i >= n)
        for (String[] sep : new String[][] {{" && ", " || "}, {" || ", " && "}}) {
            List<String> parts = splitTop(c, sep[0]);
            if (parts.size() > 1 && parts.stream().noneMatch(p -> p.contains(" ? "))) {
                List<String> negated = new ArrayList<>();
                for (String part : parts) {
                    String f = flipComparison(part);
                    negated.add(f != null ? f : group(not(part)));
                }
                return "(" + String.join(sep[1], negated) + ")";
            }
        }
        if (c.matches("[A-Za-z_][A-Za-z0-9_.]*\\(.*\\)") && balanced(c.substring(c.indexOf('(')))) {
            return "!" + c; // a method call
        }
        return c.matches("[A-Za-z_][A-Za-z0-9_]*") ? "!" + c : "!" + paren(c);
    }

    /** c without the parentheses around the whole of it, if it has them. */
    private static String unwrapped(String c) {
        return c.startsWith("(") && c.endsWith(")") && balanced(c) ? c.substring(1, c.length() - 1) : c;
    }

    /** The operands of c (its outer parentheses dropped) split at sep outside any parentheses or brackets. */
    static List<String> splitTop(String c, String sep) {
        String e = unwrapped(c);
        List<String> out = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < e.length(); i++) {
            char ch = e.charAt(i);
            if (ch == '(' || ch == '[') {
                depth++;
            } else if (ch == ')' || ch == ']') {
                depth--;
            } else if (depth == 0 && e.startsWith(sep, i)) {
                out.add(e.substring(from, i));
                from = i + sep.length();
                i = from - 1;
            }
        }
        out.add(e.substring(from));
        return out;
    }

    private static final List<String[]> FLIPS = List.of(
            new String[] {" != ", " == "},
            new String[] {" == ", " != "},
            new String[] {" <= ", " > "},
            new String[] {" >= ", " < "},
            new String[] {" < ", " >= "},
            new String[] {" > ", " <= "});

    /**
     * The negation of a single comparison of ints (a != b becomes a == b), so a guard reads as the condition
     * that refuses; null when c is not one comparison at its top level.
     */
    static String flipComparison(String c) {
        String e = unwrapped(c);
        int depth = 0;
        int at = -1;
        String[] flip = null;
        for (int i = 0; i < e.length(); i++) {
            char ch = e.charAt(i);
            if (ch == '(' || ch == '[') {
                depth++;
            } else if (ch == ')' || ch == ']') {
                depth--;
            } else if (depth == 0) {
                if (e.startsWith(" && ", i)
                        || e.startsWith(" || ", i)
                        || e.startsWith(" ? ", i)
                        || e.startsWith(" & ", i)
                        || e.startsWith(" | ", i)
                        || e.startsWith(" ^ ", i)) {
                    return null;
                }
                for (String[] f : FLIPS) {
                    if (e.startsWith(f[0], i)) {
                        if (flip != null) {
                            return null;
                        }
                        flip = f;
                        at = i;
                        break;
                    }
                }
            }
        }
        if (flip == null || e.startsWith("!")) {
            return null;
        }
        return e.substring(0, at) + flip[1] + e.substring(at + flip[0].length());
    }

    // ---- constant folding on the Java text: a literal operand is known at generation time

    /** The value of a Java int literal, or null when x is not one. */
    static Integer intLit(String x) {
        if (!x.matches("-?\\d{1,10}")) {
            return null;
        }
        long v = Long.parseLong(x);
        return v < Integer.MIN_VALUE || v > Integer.MAX_VALUE ? null : (int) v;
    }

    /** x op y for a comparison op (< <= > >= == !=), folded to true or false when both sides are literals. */
    static String cmp(String x, String op, String y) {
        Integer a = intLit(x);
        Integer b = intLit(y);
        if (a != null && b != null) {
            boolean r = switch (op) {
                case "<" -> a < b;
                case "<=" -> a <= b;
                case ">" -> a > b;
                case ">=" -> a >= b;
                case "==" -> a.intValue() == b.intValue();
                case "!=" -> a.intValue() != b.intValue();
                default -> throw new IllegalArgumentException(op);
            };
            return Boolean.toString(r);
        }
        if ((x.equals("true") || x.equals("false")) && (y.equals("true") || y.equals("false"))) {
            boolean eq = x.equals(y);
            return Boolean.toString(op.equals("==") == eq);
        }
        return x + " " + op + " " + y;
    }

    /**
     * x + y or x - y on index arithmetic, folded when both are literals and the result fits (otherwise left to
     * run, as the spec's own arithmetic is checked where it is evaluated).
     */
    static String arith(String x, char op, String y) {
        Integer a = intLit(x);
        Integer b = intLit(y);
        if (b != null && b == 0) {
            return x;
        }
        if (a != null && b != null) {
            long r = op == '+' ? (long) a + b : (long) a - b;
            if (r >= Integer.MIN_VALUE && r <= Integer.MAX_VALUE) {
                return Long.toString(r);
            }
        }
        return "(" + x + " " + op + " " + y + ")";
    }

    /**
     * The conjunction (and) or disjunction of side-effect-free Java conditions, folding literal operands: true
     * drops out of a conjunction, and a false operand ends it (Java would not evaluate what follows); dually for
     * a disjunction. Unparenthesised; "true"/"false" when it folds entirely.
     */
    static String junction(List<String> parts, boolean and) {
        String unit = Boolean.toString(and);
        String zero = Boolean.toString(!and);
        List<String> kept = new ArrayList<>();
        for (String p : parts) {
            if (p.equals(unit)) {
                continue;
            }
            kept.add(p);
            if (p.equals(zero)) {
                break;
            }
        }
        if (kept.isEmpty()) {
            return unit;
        }
        if (kept.size() > 1 && kept.get(0).equals(zero)) {
            return zero;
        }
        return String.join(and ? " && " : " || ", kept);
    }

    /** The word of bit i of the bitset at off (i folded when it is a literal). */
    static String bitWord(String off, String i) {
        Integer b = intLit(i);
        if (b != null && b >= 0) {
            return b >>> 5 == 0 ? off : off + " + " + (b >>> 5);
        }
        return off + " + (" + i + " >>> 5)";
    }

    /** Whether bit i of the bitset at arr[off...] is set, as a Java condition. */
    static String bitTest(String arr, String off, String i) {
        Integer b = intLit(i);
        String word = arr + "[" + bitWord(off, i) + "]";
        if (b != null && b >= 0) {
            return (b & 31) == 0 ? "(" + word + " & 1) != 0" : "((" + word + " >>> " + (b & 31) + ") & 1) != 0";
        }
        return "((" + word + " >>> (" + i + " & 31)) & 1) != 0";
    }

    /** x op y on two literals as TLC computes it, or null when it does not fold (TLC would stop, or not literals). */
    static String foldBin(BinOp op, String x, String y) {
        Integer a = intLit(x);
        Integer b = intLit(y);
        // x + 0, x - 0, x * 1: x (both operands are still evaluated, and these cannot overflow)
        if ((op == BinOp.ADD || op == BinOp.SUB) && b != null && b == 0) {
            return x;
        }
        if ((op == BinOp.ADD && a != null && a == 0) || (op == BinOp.MUL && a != null && a == 1)) {
            return y;
        }
        if (op == BinOp.MUL && b != null && b == 1) {
            return x;
        }
        if (a == null || b == null) {
            return null;
        }
        try {
            return switch (op) {
                case ADD -> Integer.toString(Math.addExact(a, b));
                case SUB -> Integer.toString(Math.subtractExact(a, b));
                case MUL -> Integer.toString(Math.multiplyExact(a, b));
                case DIV ->
                    b == 0 || (a == Integer.MIN_VALUE && b == -1) ? null : Integer.toString(Math.floorDiv(a, b));
                case MOD -> b <= 0 ? null : Integer.toString(Math.floorMod(a, b));
                case LT -> Boolean.toString(a < b);
                case LE -> Boolean.toString(a <= b);
                case GT -> Boolean.toString(a > b);
                case GE -> Boolean.toString(a >= b);
            };
        } catch (ArithmeticException overflow) {
            return null; // left to run: the generated code raises where TLC does
        }
    }

    /** s without the parentheses around all of it, if it has them (for an if's condition). */
    static String unparen(String s) {
        return s.startsWith("(") && s.endsWith(")") && balanced(s) ? s.substring(1, s.length() - 1) : s;
    }

    /** s as one operand: parenthesised unless it is a literal or already one group. */
    static String group(String s) {
        return s.matches("true|false|!?[A-Za-z_][A-Za-z0-9_]*") ? s : paren(s);
    }

    private static String paren(String s) {
        return s.startsWith("(") && s.endsWith(")") && balanced(s) ? s : "(" + s + ")";
    }

    private static boolean balanced(String s) {
        int d = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                d++;
            } else if (c == ')') {
                d--;
                if (d == 0 && i < s.length() - 1) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A compound value's location: an array expression and an offset expression. */
    record Addr(String arr, String off) {
        Addr plus(String delta) {
            return new Addr(arr, sum(off, delta));
        }
    }

    /** Words zeroed by a loop rather than Arrays.fill (whose call and range checks cost more for a message slot). */
    private static final int SMALL = 16;

    private static final java.util.regex.Pattern TRAILING_LITERAL = java.util.regex.Pattern.compile("(.*) \\+ (\\d+)");

    /**
     * off + delta for an offset (a sum of terms): a literal delta folds into a literal last term, so a field of a
     * nested record is {@code slot + 8}, not {@code slot + 7 + 1}.
     */
    static String sum(String off, String delta) {
        if (delta.equals("0")) {
            return off;
        }
        if (delta.matches("\\d+")) {
            var m = TRAILING_LITERAL.matcher(off);
            if (off.matches("\\d+")) {
                return Long.toString(Long.parseLong(off) + Long.parseLong(delta));
            }
            if (m.matches() && !m.group(1).isEmpty()) {
                long k = Long.parseLong(m.group(2)) + Long.parseLong(delta);
                if (k <= Integer.MAX_VALUE) {
                    return m.group(1) + " + " + k;
                }
            }
        }
        return off + " + " + delta;
    }

    /** The expression naming v's value at the path (to recognise Append(v[r], e) as an append at v[r]). */
    private static Expr pathExpr(Variable v, List<Step> path) {
        Expr e = new Var(v.name(), v.type());
        for (Step st : path) {
            if (st instanceof Field f) {
                RecT rt = (RecT) e.type();
                e = new Sel(e, f.name(), rt.field(f.name()));
            } else {
                Index ix = (Index) st;
                Type range = e.type() instanceof FunT ft ? ft.range() : e.type() instanceof SeqT sq ? sq.elem() : null;
                e = new App(e, ix.arg(), range);
            }
        }
        return e;
    }

    /** Where an EXCEPT path leads, and the condition under which it stays in every domain (null: always). */
    record PathAt(Addr addr, String inDomain) {}

    // ---------------------------------------------------------------- method bodies

    /** Emits one method body; expressions become Java expressions, with statements emitted before them. */
    private final class Body {
        CodeBlock.Builder out = CodeBlock.builder();
        final NameAllocator names = new NameAllocator();
        final Map<String, String> locals = new HashMap<>();
        final Map<String, String> enumParams = new HashMap<>();
        final Map<String, String> arrayParams = new HashMap<>();
        /** The action's parameters, by their names in the IR. */
        final java.util.Set<String> params = new java.util.HashSet<>();

        Addr at;
        String atScalar;
        boolean usesScratch;

        /**
         * Subexpressions computed once per action (a spec's FirstFreeSlot(t) used in a guard and three updates,
         * see {@link Shared}): the local holding each, by its expression up to the names of its bound variables.
         * Each is computed where the action first evaluates it whatever the values (never inside an IF, a
         * disjunct or a quantifier's body), so the value is reused only where TLC would have evaluated it already
         * (the state does not change before the commit).
         */
        final Map<String, String> memo = new HashMap<>();

        /**
         * The same for compound values in the state ({@code cspace[t][d]}): the local holding each one's offset,
         * among the addressable expressions worth an address of their own ({@link Shared#addressRoots}).
         */
        final Map<String, Addr> addresses = new HashMap<>();

        final java.util.Set<String> addressRoots = new java.util.HashSet<>();

        Body() {
            names.newName("st", "$st");
            names.newName("m", "$m");
            names.newName("s", "$s");
        }

        CodeBlock prologue() {
            CodeBlock.Builder p = CodeBlock.builder();
            p.addStatement("final $T st = this.state", stateName);
            p.addStatement("final int[] m = st.mem");
            if (usesScratch) {
                p.addStatement("final int[] s = this.scratch");
            }
            return p.build();
        }

        /**
         * The Java local of a parameter or bound variable: its name in the spec (Lower makes bound variables unique
         * with a suffix, x_12, which is dropped here), with a number only when the method has that name already.
         */
        String local(String irName) {
            return locals.computeIfAbsent(irName, n -> {
                String base = n.replaceFirst("^\\$+", "").replaceFirst("_\\d+$", "");
                base = base.replaceAll("[^A-Za-z0-9_]", "_");
                return tmp(base.isEmpty() ? "x" : base);
            });
        }

        /** Java names this method uses: a new local takes the first of base, base2, base3, ... that is free. */
        private final java.util.Set<String> used = new java.util.HashSet<>(List.of("st", "m", "s"));

        /** A fresh local named base, numbered only when base is taken (JavaPoet alone would append underscores). */
        String tmp(String wanted) {
            // user-defined infix operators (\\oplus) and the like give no identifier: keep what is usable of them
            String base = wanted.replaceAll("[^A-Za-z0-9_]", "");
            if (base.isEmpty() || !Character.isJavaIdentifierStart(base.charAt(0))) {
                base = "v" + base;
            }
            String name = base;
            for (int k = 2; used.contains(name) || !javax.lang.model.SourceVersion.isName(name); k++) {
                name = base + k;
            }
            used.add(name);
            return names.newName(name);
        }

        /** A fresh local for e's value: named after the operator or LET definition e came from, else fallback. */
        String tmpFor(Expr e, String fallback) {
            String op = spec.origins().operator(e);
            return tmp(op != null ? lowerCamel(op) : fallback);
        }

        /** A synthetic bound variable: a name no spec variable has, whose Java local is base (numbered on a clash). */
        private int synthetic;

        String synth(String base) {
            return "$" + base + "_" + (++synthetic);
        }

        Addr scratch(Type t) {
            usesScratch = true;
            int i = scratchSizes.size();
            scratchSizes.add(size(t, "st."));
            return new Addr("s", "sc" + i);
        }

        String load(Addr a, Type t) {
            String w = a.arr() + "[" + a.off() + "]";
            return t instanceof BoolT ? "(" + w + " != 0)" : w;
        }

        void store(Addr a, Type t, String value) {
            out.addStatement("$L[$L] = $L", a.arr(), a.off(), t instanceof BoolT ? "(" + value + " ? 1 : 0)" : value);
        }

        /** Evaluates into a fresh local when the expression is not trivially repeatable. */
        String once(String javaExpr, Type t) {
            return once(javaExpr, t, "v");
        }

        /** As above, the local named name (numbered on a clash). */
        String once(String javaExpr, Type t, String name) {
            // a name, a literal or a constant of the config: nothing to evaluate once
            if (javaExpr.matches("[A-Za-z_][A-Za-z0-9_]*|-?\\d+|true|false|st\\.[A-Za-z_][A-Za-z0-9_]*")) {
                return javaExpr;
            }
            String n = tmp(name);
            out.addStatement("final $T $L = $L", t instanceof BoolT ? TypeName.BOOLEAN : TypeName.INT, n, javaExpr);
            return n;
        }

        /**
         * Computes now, into locals, the shared subexpressions e evaluates whatever the values that the action uses more than
         * once (counts), so every later use reads the local.
         */
        void hoist(Expr e, Map<String, Integer> counts) {
            for (Expr c : Shared.unconditionalShareable(e)) {
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
                return lowerCamel(op);
            }
            if (c instanceof Sel sel) {
                return lowerCamel(sel.field());
            }
            Expr f = c;
            while (f instanceof App a) {
                f = a.fun();
            }
            if (f instanceof Var v) {
                return lowerCamel(v.name());
            }
            return c instanceof Choose ? "chosen" : "v";
        }

        /** Emits e into a nested block and returns (block, result). */
        private String nested(Expr e, CodeBlock.Builder into) {
            CodeBlock.Builder saved = out;
            out = into;
            String r = sc(e);
            out = saved;
            return r;
        }

        /** The literal <<>> of a sequence type, whose layout starts with its length word. */
        boolean isEmptySeq(Expr e) {
            return e instanceof TupCons t && t.elems().isEmpty() && t.type() instanceof SeqT;
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
        String sc(Expr e) {
            try {
                return sc0(e);
            } catch (UnsupportedOperationException x) {
                throw at(e, x);
            }
        }

        private String sc0(Expr e) {
            if (!memo.isEmpty() && (e instanceof Choose || e instanceof App || e instanceof Sel)) {
                String known = memo.get(Shared.key(e));
                if (known != null) {
                    return known;
                }
            }
            if (e instanceof TupCons tc && tc.type() instanceof TupT tt && tt.scalar()) {
                List<String> comps = new ArrayList<>();
                for (Expr x : tc.elems()) {
                    comps.add(sc(x));
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
                        "final $T $L = $L",
                        javaPrim(f.var().type()),
                        local(f.var().name()),
                        x);
                String in = sc(new In(f.var(), f.dom()));
                out.beginControlFlow("if ($L)", not(in));
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
                String r = tmpFor(c, "chosen");
                String label = tmp("c");
                out.addStatement("$T $L = 0", javaPrim(c.type()), r);
                out.add("$L: {\n", label).indent();
                forEach(c.var(), c.set(), () -> {
                    String p = sc(c.pred());
                    out.beginControlFlow("if ($L)", p);
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
                    Addr x = ad(q.a());
                    Addr y = ad(q.b());
                    String n = size(q.a().type(), "st.");
                    // a local named after an operator holds the operator's value, the negation included
                    boolean named = spec.origins().operator(e) != null;
                    String local = tmpFor(e, "same");
                    out.addStatement(
                            "final boolean $L = $L$T.equals($L, $L, $L + $L, $L, $L, $L + $L)",
                            local,
                            named && q.negated() ? "!" : "",
                            Arrays.class,
                            x.arr(),
                            x.off(),
                            x.off(),
                            n,
                            y.arr(),
                            y.off(),
                            y.off(),
                            n);
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
                out.beginControlFlow("if ($L)", c).add(tb.build()).addStatement("$L = $L", r, t);
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
                    out.beginControlFlow("if ($L)", cond);
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
                Addr x = ad(q.a());
                Addr y = ad(q.b());
                String w = size(q.a().type(), "st.");
                String r = tmp("sub");
                String k = tmp("w");
                out.addStatement("boolean $L = true", r);
                out.beginControlFlow("for (int $L = 0; $L < $L; $L++)", k, k, w, k);
                out.beginControlFlow(
                        "if (($L[$L + $L] & ~$L[$L + $L]) != 0)", x.arr(), x.off(), k, y.arr(), y.off(), k);
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
                throw new UnsupportedOperationException(
                        "no scalar lowering for " + e.getClass().getSimpleName());
            }
        }

        TypeName javaPrim(Type t) {
            return t instanceof BoolT ? TypeName.BOOLEAN : TypeName.INT;
        }

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
                out.beginControlFlow("if ($L)", unparen(decides));
                out.addStatement("$L = $L", r, !q.forall())
                        .addStatement("break $L", label)
                        .endControlFlow();
            });
            out.unindent().add("}\n");
            return r;
        }

        /** Emits body once per element of set, with var bound (a loop, or unrolled for a literal set). */
        void forEach(Local var, Expr set, Runnable body) {
            try {
                forEach0(var, set, body);
            } catch (UnsupportedOperationException x) {
                throw at(set, x);
            }
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
                    throw new UnsupportedOperationException("iterating over a set of " + describe(elem));
                }
                Addr a = ad(set);
                String i = tmp("i");
                out.beginControlFlow("for (int $L = 0; $L < $L; $L++)", i, i, bitCard(elem, "st."), i);
                out.beginControlFlow("if ((($L[$L + ($L >>> 5)] >>> ($L & 31)) & 1) == 0)", a.arr(), a.off(), i, i);
                out.addStatement("continue").endControlFlow();
                out.addStatement("final $T $L = $L", javaPrim(elem), x, bitElement(elem, i));
                body.run();
                out.endControlFlow();
            }
        }

        private void fullLoop(Type elem, String x, Runnable body) {
            if (elem instanceof BoolT) {
                String i = tmp("i");
                out.beginControlFlow("for (int $L = 0; $L < 2; $L++)", i, i, i);
                out.addStatement("final boolean $L = $L != 0", x, i);
            } else if (elem instanceof RangeT r) {
                out.beginControlFlow(
                        "for (int $L = $L; $L <= $L; $L++)",
                        x,
                        constExpr(r.lo(), "st."),
                        x,
                        constExpr(r.hi(), "st."),
                        x);
            } else if (elem instanceof ModelT m) {
                out.beginControlFlow(
                        "for (int $L = $L; $L < $L + $L; $L++)",
                        x,
                        lo(m, "st."),
                        x,
                        lo(m, "st."),
                        card(elem, "st."),
                        x);
            } else {
                out.beginControlFlow("for (int $L = 0; $L < $L; $L++)", x, x, card(elem, "st."), x);
            }
            body.run();
            out.endControlFlow();
        }

        String member(Expr elem, Expr set) {
            try {
                return member0(elem, set);
            } catch (UnsupportedOperationException x) {
                throw at(set, x);
            }
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
                    throw new UnsupportedOperationException(
                            "the constant set " + ts.names().get(0) + " may only be a domain in Next");
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
                    throw new UnsupportedOperationException("membership in a set of " + describe(et));
                }
                String i = once(bitIndex(et, sc(elem)), new IntT());
                Addr a = ad(set);
                // a value outside the set's universe (possible only for ints and nulls) is simply not a member
                return group(junction(
                        List.of(cmp(i, ">=", "0"), cmp(i, "<", bitCard(et, "st.")), bitTest(a.arr(), a.off(), i)),
                        true));
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
                throw new UnsupportedOperationException("membership of a " + describe(t) + " in "
                        + set.getClass().getSimpleName());
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
                    SetT st = (SetT) t;
                    Expr base = ts.parts().get(0);
                    String i = tmp("i");
                    Type et = st.elem();
                    out.beginControlFlow("for (int $L = 0; $L < $L; $L++)", i, i, card(et, "st."), i);
                    out.beginControlFlow("if ((($L[$L + ($L >>> 5)] >>> ($L & 31)) & 1) == 0)", a.arr(), a.off(), i, i);
                    out.addStatement("continue").endControlFlow();
                    Local x = new Local(synth("e"), et);
                    out.addStatement("final $T $L = $L", javaPrim(et), local(x.name()), elementOf(et, i));
                    fail(member(x, base), r, label);
                    out.endControlFlow();
                }
                default -> throw new UnsupportedOperationException("membership in " + ts.kind());
            }
            out.unindent().add("}\n");
            return r;
        }

        private void fail(String cond, String r, String label) {
            if (cond.equals("true")) {
                return;
            }
            out.beginControlFlow("if (!$L)", paren(cond));
            out.addStatement("$L = false", r).addStatement("break $L", label).endControlFlow();
        }

        // ---- compound values

        /** Where e's value is: its place in the state, or scratch it is written to first. */
        Addr ad(Expr e) {
            if (!addresses.isEmpty() && (e instanceof App || e instanceof Sel)) {
                Addr known = addresses.get(Shared.key(e));
                if (known != null) {
                    return known;
                }
            }
            try {
                return ad0(e);
            } catch (UnsupportedOperationException x) {
                throw at(e, x);
            }
        }

        private Addr ad0(Expr e) {
            if (e instanceof Local l && arrayParams.containsKey(l.name())) {
                return new Addr(arrayParams.get(l.name()), "0");
            }
            if (e instanceof Var v) {
                return new Addr("m", "st." + offsetField(v.name()));
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
                        out.beginControlFlow("if ($L < 0 || $L >= $L)", i, i, card(ft.dom(), "st."));
                        out.addStatement(
                                "throw new $T($S + $L)",
                                IllegalStateException.class,
                                "TLC error: a function applied outside its domain, at ",
                                x);
                        out.endControlFlow();
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
                    throw new UnsupportedOperationException("apply " + a.fun().type());
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

        private String mul(String a, String b) {
            return b.equals("1") ? a : a + " * " + b;
        }

        /** Writes the value of e at a (a region of e's type), leaving it canonical. */
        void write(Expr e, Addr a) {
            try {
                write0(e, a);
            } catch (UnsupportedOperationException x) {
                throw at(e, x);
            }
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
                out.beginControlFlow("if ($L)", c);
                write(i.then(), a);
                out.nextControlFlow("else");
                write(i.otherwise(), a);
                out.endControlFlow();
            } else if (e instanceof Case c) {
                for (int i = 0; i < c.conds().size(); i++) {
                    out.beginControlFlow("if ($L)", sc(c.conds().get(i)));
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
                    setBitChecked(a, once(bitIndex(et, sc(x)), new IntT()), et);
                }
            } else if (e instanceof SetRange r) {
                zero(a, n);
                Type et = ((SetT) t).elem();
                String i = tmp("i");
                out.beginControlFlow("for (int $L = $L; $L <= $L; $L++)", i, sc(r.lo()), i, sc(r.hi()), i);
                setBitChecked(a, once(bitIndex(et, i), new IntT()), et);
                out.endControlFlow();
            } else if (e instanceof ConstSet || e instanceof Domain) {
                zero(a, n);
                Type et = ((SetT) t).elem();
                String i = tmp("i");
                out.beginControlFlow("for (int $L = 0; $L < $L; $L++)", i, i, card(et, "st."), i);
                setBit(a, bitIndex(et, elementOf(et, i)));
                out.endControlFlow();
            } else if (e instanceof SetBin b) {
                write(b.a(), a);
                Addr y = ad(b.b());
                String k = tmp("w");
                out.beginControlFlow("for (int $L = 0; $L < $L; $L++)", k, k, n, k);
                String op = switch (b.op()) {
                    case UNION -> "|= ";
                    case INTER -> "&= ";
                    case DIFF -> "&= ~";
                };
                out.addStatement("$L[$L + $L] $L$L[$L + $L]", a.arr(), a.off(), k, op, y.arr(), y.off(), k);
                out.endControlFlow();
            } else if (e instanceof SetFilter f) {
                Addr tmpSet = scratch(t);
                zero(tmpSet, n);
                Type et = ((SetT) t).elem();
                forEach(f.var(), f.set(), () -> {
                    String p = sc(f.pred());
                    out.beginControlFlow("if ($L)", p);
                    setBit(tmpSet, bitIndex(et, sc(f.var())));
                    out.endControlFlow();
                });
                copy(tmpSet, a, n);
            } else if (e instanceof SetMap f) {
                Addr tmpSet = scratch(t);
                zero(tmpSet, n);
                Type et = ((SetT) t).elem();
                if (!et.finite()) {
                    throw new UnsupportedOperationException("a set of " + describe(et));
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
                for (ExceptUpdate u : x.updates()) {
                    PathAt pa = path(a, x.base().type(), u.path());
                    String inDomain = pa.inDomain();
                    if (inDomain != null) {
                        out.beginControlFlow("if ($L)", inDomain);
                    }
                    Addr p = pa.addr();
                    writeAt(u.value(), p);
                    if (inDomain != null) {
                        out.endControlFlow();
                    }
                }
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
                    throw new UnsupportedOperationException("tuple as " + tc.type());
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
                throw new UnsupportedOperationException("no lowering for a " + describe(t) + " built by "
                        + e.getClass().getSimpleName());
            }
        }

        /** Writes an EXCEPT value at p, where @ is the value currently there. */
        private void writeAt(Expr value, Addr p) {
            Addr savedAt = at;
            String savedScalar = atScalar;
            at = p;
            atScalar = null;
            Type t = value.type();
            if (t.scalar()) {
                String v = once(sc(value), t);
                store(p, t, v);
            } else if (value instanceof Append || value instanceof Tail || value instanceof At) {
                // these start by copying @ onto itself, so they can work in place
                write(value, p);
            } else {
                Addr tmpA = scratch(t);
                write(value, tmpA);
                copy(tmpA, p, size(t, "st."));
            }
            at = savedAt;
            atScalar = savedScalar;
        }

        /**
         * Where an EXCEPT path leads from base, and the condition under which it stays inside its functions'
         * domains and its sequences' lengths (null when its types guarantee it). TLC leaves the value unchanged
         * when a path leaves the domain (with a warning), whatever the new value would have been. Each index is
         * evaluated once, for both.
         */
        PathAt path(Addr base, Type t, List<Step> steps) {
            return path(base, t, steps, null);
        }

        /**
         * As above, for a path into the variable root itself (base is its address): starts from the longest
         * prefix whose address the action already holds (a prefix evaluated before lies in its domains).
         */
        PathAt path(Addr base, Type t, List<Step> steps, Variable root) {
            List<String> conds = new ArrayList<>();
            Addr a = base;
            int from = 0;
            if (root != null && !addresses.isEmpty()) {
                for (int k = steps.size(); k > 0; k--) {
                    Expr prefix = pathExpr(root, steps.subList(0, k));
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
                            conds.add(i + " >= 0 && " + i + " < " + card(ft.dom(), "st."));
                        }
                        a = a.plus(mul(index(ft.dom(), x), size(ft.range(), "st.")));
                        t = ft.range();
                    } else if (t instanceof SeqT st) {
                        conds.add(x + " >= 1 && " + x + " <= " + a.arr() + "[" + a.off() + "]");
                        a = a.plus("1 + " + mul("(" + x + " - 1)", size(st.elem(), "st.")));
                        t = st.elem();
                    } else {
                        throw new UnsupportedOperationException("EXCEPT index into " + t);
                    }
                }
            }
            String inDomain = conds.isEmpty() ? null : once(String.join(" && ", conds), new BoolT());
            String name = root == null ? "v" : lowerCamel(root.name()) + "At";
            return new PathAt(new Addr(a.arr(), once(a.off(), new IntT(), name)), inDomain);
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
                out.addStatement(
                        "$L[$L] |= $L", a.arr(), bitWord(a.off(), i), (b & 31) == 0 ? "1" : "1 << " + (b & 31));
            } else {
                out.addStatement("$L[$L + ($L >>> 5)] |= 1 << ($L & 31)", a.arr(), a.off(), i, i);
            }
        }

        // ---- updates: evaluate now into locals or scratch, commit after every guard and every update is computed

        void update(Variable v, Expr value, CodeBlock.Builder commit) {
            Addr target = new Addr("m", "st." + offsetField(v.name()));
            Type t = v.type();
            if (t.scalar()) {
                commit.addStatement(
                        "m[$L] = $L", target.off(), wordNow(value, "next" + Accessors.capitalize(v.name())));
                return;
            }
            if (value instanceof Var w && w.name().equals(v.name())) {
                return;
            }
            if (value instanceof Except ex
                    && ex.base() instanceof Var w
                    && w.name().equals(v.name())
                    && (disjointPaths(ex.updates()) || !laterPathReadsAt(ex))) {
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
                                    "$T.arraycopy(s, $L, m, $L, $L)",
                                    System.class,
                                    tmpA.off(),
                                    p.off(),
                                    size(pt, "st."));
                        }
                        commit.endControlFlow();
                    } else if (pt.scalar()) {
                        commit.addStatement(
                                "m[$L] = $L", p.off(), wordNow(u.value(), "next" + Accessors.capitalize(v.name())));
                    } else if (u.value() instanceof Append ap
                            && (ap.seq() instanceof At || ap.seq().equals(pathExpr(v, u.path())))) {
                        appendAt(p, (SeqT) pt, ap.elem(), commit);
                    } else if (u.value() instanceof Tail tl
                            && (tl.seq() instanceof At || tl.seq().equals(pathExpr(v, u.path())))) {
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
            if ((value instanceof If || value instanceof Case) && branched == null && branchesInPlace(v, value)) {
                // every branch leaves v or changes some of its paths: each branch in place, after every other
                // update is computed (its locals stay in the branch's block, commit included)
                CodeBlock.Builder saved = out;
                branched = CodeBlock.builder();
                out = branched;
                branchesAt(v, target, value);
                out = saved;
                return;
            }
            if (value instanceof Append ap
                    && ap.seq() instanceof Var w
                    && w.name().equals(v.name())) {
                appendAt(target, (SeqT) t, ap.elem(), commit);
                return;
            }
            if (fixedValue(value)) {
                writeAtCommit(value, target, commit);
                return;
            }
            Addr tmpA = scratch(t);
            write(value, tmpA);
            commit.addStatement(
                    "$T.arraycopy(s, $L, m, $L, $L)", System.class, tmpA.off(), target.off(), size(t, "st."));
        }

        /**
         * The update an action computes last, inside the branch of the IF or CASE that chose it and with its
         * commit there (null when there is none): see {@link #update}.
         */
        CodeBlock.Builder branched;

        /** Whether value is an EXCEPT of v that can change v's paths in place. */
        private static boolean exceptInPlace(Variable v, Expr value) {
            return value instanceof Except ex
                    && ex.base() instanceof Var w
                    && w.name().equals(v.name())
                    && (disjointPaths(ex.updates()) || !laterPathReadsAt(ex));
        }

        /** Whether every branch of value (IF and CASE, nested) is v itself or an EXCEPT of v done in place. */
        private static boolean branchesInPlace(Variable v, Expr value) {
            if (value instanceof Var w) {
                return w.name().equals(v.name());
            } else if (value instanceof If i) {
                return branchesInPlace(v, i.then()) && branchesInPlace(v, i.otherwise());
            } else if (value instanceof Case c) {
                return c.values().stream().allMatch(x -> branchesInPlace(v, x))
                        && (c.other() == null || branchesInPlace(v, c.other()));
            }
            return exceptInPlace(v, value);
        }

        /**
         * Emits each branch of value (see {@link #branchesInPlace}) as its in-place update followed by its commit,
         * in the branch's block. Emitted once every other update of the action is computed and before any is
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
                                    "next"
                                            + Accessors.capitalize(
                                                    rc.type().names().get(i))));
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
                            "$T.arraycopy($L, 0, m, $L, $L)",
                            System.class,
                            arrayParams.get(l.name()),
                            at,
                            size(ft, "st."));
                } else {
                    Addr tmpA = scratch(ft);
                    write(fv, tmpA);
                    commit.addStatement(
                            "$T.arraycopy(s, $L, m, $L, $L)", System.class, tmpA.off(), at, size(ft, "st."));
                }
            }
        }

        /**
         * Whether no two updates of an EXCEPT can touch the same slot. TLC applies the updates in sequence, each
         * {@code @} seeing the value the previous ones left; in place, each update reads the state before the
         * action, so only updates at paths that cannot overlap may be done there.
         */
        private static boolean disjointPaths(List<ExceptUpdate> updates) {
            for (int i = 0; i < updates.size(); i++) {
                for (int j = i + 1; j < updates.size(); j++) {
                    if (mayOverlap(updates.get(i).path(), updates.get(j).path())) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** Whether two paths may reach the same slot or one lies inside the other. */
        private static boolean mayOverlap(List<Step> p, List<Step> q) {
            for (int k = 0; k < Math.min(p.size(), q.size()); k++) {
                Step a = p.get(k);
                Step b = q.get(k);
                if (a instanceof Field fa && b instanceof Field fb) {
                    if (!fa.name().equals(fb.name())) {
                        return false;
                    }
                } else if (a instanceof Index ia && b instanceof Index ib) {
                    if (distinctConstants(ia.arg(), ib.arg())) {
                        return false;
                    }
                } else {
                    return true;
                }
            }
            return true;
        }

        private static boolean distinctConstants(Expr a, Expr b) {
            if (a instanceof IntLit x && b instanceof IntLit y) {
                return x.value() != y.value();
            }
            if (a instanceof EnumLit x && b instanceof EnumLit y) {
                return x.type().equals(y.type()) && x.ordinal() != y.ordinal();
            }
            if (a instanceof BoolLit x && b instanceof BoolLit y) {
                return x.value() != y.value();
            }
            return false;
        }

        /** The sequence at a, after a check that it is not empty (Head of <<>> stops TLC). */
        private Addr nonEmpty(Addr a) {
            String off = once(a.off(), new IntT());
            out.beginControlFlow("if ($L[$L] == 0)", a.arr(), off);
            out.addStatement("throw new $T($S)", IllegalStateException.class, "TLC error: Head of the empty sequence");
            out.endControlFlow();
            return new Addr(a.arr(), off);
        }

        /** Tail(@) at p: check now that it is not empty, shift the elements down by one at commit. */
        private void tailAt(Addr p, SeqT st, CodeBlock.Builder commit) {
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

        /**
         * Drops the first element of the sequence at a, of length len (not 0) and element size es: the others
         * move down one slot (one copy, none for a single element), the slot freed at the end is zeroed.
         */
        private void dropFirst(Addr a, String len, String es) {
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
}
