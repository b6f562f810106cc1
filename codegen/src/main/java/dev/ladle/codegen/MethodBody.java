package dev.ladle.codegen;

import static dev.ladle.codegen.JavaText.sum;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.TypeName;
import dev.ladle.codegen.Ir.*;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one generated method body while the emit passes write it: the code so far, the locals and
 * their names, the action's parameters, the values and addresses computed once, and the definition's
 * refusals. Expressions become Java expressions, with the statements they need emitted before them; the
 * layers above add scalars ({@link EmitExpressions}), sets ({@link EmitSets}), compound values
 * ({@link EmitValues}) and actions ({@link EmitActions}).
 */
abstract class MethodBody {

    /** A compound value's location: an array expression and an offset expression. */
    record Addr(String arr, String off) {
        Addr plus(String delta) {
            return new Addr(arr, sum(off, delta));
        }
    }

    /** Where an EXCEPT path leads, and the condition under which it stays in every domain (null: always). */
    record PathAt(Addr addr, String inDomain) {}

    final Variant variant;
    final Spec spec;
    final Layout layout;
    /** What this method's definition refused (see {@link Refusals}). */
    Refusals refusals;

    CodeBlock.Builder out = CodeBlock.builder();
    NameAllocator names = new NameAllocator();
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

    MethodBody(Variant variant) {
        this.variant = variant;
        this.spec = variant.spec;
        this.layout = variant.layout;
        this.refusals = variant.begin();
        names.newName("st", "$st");
        names.newName("m", "$m");
        names.newName("s", "$s");
    }

    CodeBlock prologue() {
        CodeBlock.Builder p = CodeBlock.builder();
        p.addStatement("final $T st = this.state", variant.stateName);
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
    private java.util.Set<String> used = new java.util.HashSet<>(List.of("st", "m", "s"));

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
        return tmp(op != null ? Emit.lowerCamel(op) : fallback);
    }

    /** A synthetic bound variable: a name no spec variable has, whose Java local is base (numbered on a clash). */
    private int synthetic;

    String synth(String base) {
        return "$" + base + "_" + (++synthetic);
    }

    Addr scratch(Type t) {
        usesScratch = true;
        int i = variant.scratchSizes.size();
        variant.scratchSizes.add(size(t, "st."));
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
    /** Emits e into a nested block and returns (block, result). */
    String nested(Expr e, CodeBlock.Builder into) {
        CodeBlock.Builder saved = out;
        out = into;
        String r = sc(e);
        out = saved;
        return r;
    }

    TypeName javaPrim(Type t) {
        return t instanceof BoolT ? TypeName.BOOLEAN : TypeName.INT;
    }

    // ---- the variant's layout, as the emitters use it

    String size(Type t, String st) {
        return variant.size(t, st);
    }

    String card(Type t, String st) {
        return variant.card(t, st);
    }

    String bitCard(Type t, String st) {
        return variant.bitCard(t, st);
    }

    String lo(ModelT m, String st) {
        return variant.lo(m, st);
    }

    String constExpr(Expr e, String st) {
        return variant.constExpr(e, st);
    }

    String fieldOffset(List<Type> types, int index, String st) {
        return variant.fieldOffset(types, index, st);
    }

    /** Starts a new definition in this method (each variable's Init): what is refused from now on is its own. */
    void begin() {
        refusals = variant.begin();
    }

    /**
     * The variables whose words this method reads from the state while tracked (a value computed before into a
     * local is not a read; an address computed before is); null when not tracking.
     */
    java.util.Set<String> reads;

    /** What emitting a piece of code changes in the method and the variant, to take it back (see {@link #undo}). */
    record Mark(
            NameAllocator names,
            java.util.Set<String> used,
            Map<String, String> locals,
            int synthetic,
            boolean usesScratch,
            int scratch,
            int sized) {}

    Mark mark() {
        return new Mark(
                names.clone(),
                new java.util.HashSet<>(used),
                new HashMap<>(locals),
                synthetic,
                usesScratch,
                variant.scratchSizes.size(),
                variant.sized.size());
    }

    /** Forgets the names, locals, scratch regions and sizes taken since mark (its code is dropped by the caller). */
    void undo(Mark mark) {
        names = mark.names();
        used = mark.used();
        locals.clear();
        locals.putAll(mark.locals());
        synthetic = mark.synthetic();
        usesScratch = mark.usesScratch();
        while (variant.scratchSizes.size() > mark.scratch()) {
            variant.scratchSizes.remove(variant.scratchSizes.size() - 1);
        }
        while (variant.sized.size() > mark.sized()) {
            variant.sizeIds.remove(variant.sized.remove(variant.sized.size() - 1));
        }
    }

    /** Opens {@code if (cond)}, without parentheses around the whole condition. */
    CodeBlock.Builder beginIf(String cond) {
        return out.beginControlFlow("if ($L)", JavaText.unparen(cond));
    }

    /** Refuses this method's definition (see {@link Refusals#refuse}). */
    void refuse(String why) {
        refusals.refuse(why);
    }

    // ---- the emitters each layer provides

    abstract String sc(Expr e);

    abstract Addr ad(Expr e);

    abstract void write(Expr e, Addr a);

    /**
     * Writes the set e at a with only the elements of its type, and returns a boolean local that tells whether an
     * element was left out (null when none can be, or when needFlag is false). For a set literal of integers and the
     * unions, intersections and differences built from literals, where an element computed at run time may fall
     * outside the range; anything else is written as {@link #write} writes it.
     */
    abstract String writeClipped(Expr e, Addr a, boolean needFlag);

    abstract String elementBit(Type et, Expr elem);

    /**
     * Whether the set e may hold an element outside its type: a literal of integers or of tuples with an integer
     * component (its elements are computed, and TLC takes any integer), or a union with one on either side, an
     * intersection with one on both, a difference with one on its left. A set variable, a range and a set computed
     * by filtering cannot.
     */
    static boolean mayHoldOutside(Expr e) {
        if (e instanceof SetEnum en) {
            Type elem = ((SetT) en.type()).elem();
            return !en.elems().isEmpty()
                    && (elem instanceof RangeT
                            || elem instanceof TupT tt && tt.types().stream().anyMatch(c -> c instanceof RangeT));
        }
        if (e instanceof SetBin b) {
            return switch (b.op()) {
                case UNION -> mayHoldOutside(b.a()) || mayHoldOutside(b.b());
                case INTER -> mayHoldOutside(b.a()) && mayHoldOutside(b.b());
                case DIFF -> mayHoldOutside(b.a());
            };
        }
        return false;
    }

    abstract String member(Expr elem, Expr set);

    abstract void forEach(Local var, Expr set, Runnable body);

    abstract Addr nonEmpty(Addr a);
}
