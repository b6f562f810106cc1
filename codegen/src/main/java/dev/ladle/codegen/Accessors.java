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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.lang.model.element.Modifier;

/**
 * Emits the named view of a machine's state, the way seL4 generates one accessor per bitfield field: a reader
 * per leaf of every variable and constant data table ({@code cspaceObj(t, l)}, {@code inboxLength(t)},
 * {@code inboxWords(t, i, k)}, {@code freeContains(f)}), a setter per leaf of the constant data (the boot
 * tables, loaded before init), and the bulk copies for snapshots. Indices are the spec's values (model-value
 * ids, integers of a range, enum constants; sequence positions from 1) and are checked: a wrong index throws
 * {@link IndexOutOfBoundsException} instead of reading a neighbour's words.
 */
final class Accessors {
    private final Variant variant;
    private final Layout layout;
    private final NameAllocator methods;
    private final List<MethodSpec> out = new ArrayList<>();
    /** The positions of a record's leaves among its bulk reader's words ({@code MSG_BUF_FROM}). */
    private final List<FieldSpec> positions = new ArrayList<>();

    private final NameAllocator constants = new NameAllocator();
    /** Inside a record that has a bulk reader: its nested records get none of their own. */
    private boolean inCopiedRecord;

    private Refusals refusals;

    Accessors(Variant variant, NameAllocator methods) {
        this.variant = variant;
        this.layout = variant.layout;
        this.methods = methods;
        for (String taken : new String[] {"ACTIONS", "INVARIANTS", "VARIABLES", "DATA"}) {
            constants.newName(taken);
        }
    }

    /**
     * Adds the readers, setters and bulk copies to b; or, when a variable or data table has a type with no
     * readers, returns the error that stops the spec (at the TypeOK conjunct or ASSUME that gave it that type).
     */
    Diagnostic addTo(TypeSpec.Builder b) {
        for (Layout.Region r : layout.regions()) {
            String base = Emit.lowerCamel(r.name());
            Path p = new Path(r, base, r.name(), List.of(), CodeBlock.builder(), new HashMap<>());
            p.code.addStatement("int at = st.$L", Variant.offsetField(r.name()));
            refusals = variant.begin();
            walk(p, r.type());
            if (refusals.refused()) {
                Diagnostic at = layout.spec().origins().typedAt(r.name());
                String why = "unsupported: no readers for " + r.name() + ": " + refusals.message();
                return at == null
                        ? new Diagnostic(layout.spec().module(), 1, 1, why)
                        : new Diagnostic(at.module(), at.line(), at.column(), why);
            }
        }
        positions.forEach(b::addField);
        out.forEach(b::addMethod);
        b.addMethod(MethodSpec.methodBuilder("stateSize")
                .addModifiers(Modifier.PUBLIC)
                .returns(int.class)
                .addJavadoc("Words of the whole state (constant data and variables), for snapshots.\n")
                .addStatement("return state.mem.length")
                .build());
        b.addMethod(MethodSpec.methodBuilder("copyStateTo")
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("Copies the whole state into {@code words} (at least {@link #stateSize()} long).\n")
                .addParameter(int[].class, "words")
                .addStatement("$T.arraycopy(state.mem, 0, words, 0, state.mem.length)", System.class)
                .build());
        b.addMethod(MethodSpec.methodBuilder("copyStateFrom")
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("Restores a state copied by {@link #copyStateTo} from a machine with the same config.\n")
                .addParameter(int[].class, "words")
                .beginControlFlow("if (words.length < state.mem.length)")
                .addStatement(
                        "throw new $T($S + words.length + $S + state.mem.length)",
                        IllegalArgumentException.class,
                        "a snapshot of ",
                        " words for a state of ")
                .endControlFlow()
                .addStatement("$T.arraycopy(words, 0, state.mem, 0, state.mem.length)", System.class)
                .build());
        return null;
    }

    /** A path from a region's start: the method name so far, the index parameters, the offset code. */
    private record Path(
            Layout.Region region,
            String name,
            String tla,
            List<ParameterSpec> params,
            CodeBlock.Builder code,
            Map<String, Integer> used) {

        Path with(String suffix, String tlaSuffix, List<ParameterSpec> more, CodeBlock extra) {
            List<ParameterSpec> ps = new ArrayList<>(params);
            ps.addAll(more);
            CodeBlock.Builder c = code.build().toBuilder();
            c.add(extra);
            return new Path(region, name + suffix, tla + tlaSuffix, ps, c, new HashMap<>(used));
        }

        String fresh(String base) {
            int k = used.merge(base, 1, Integer::sum);
            return k == 1 ? base : base + k;
        }
    }

    private void walk(Path p, Type t) {
        if (t instanceof TupT tt && tt.scalar()) {
            for (int k = 0; k < tt.types().size(); k++) {
                Type ct = tt.types().get(k);
                leafReader(p, "At" + (k + 1), p.tla() + "[" + (k + 1) + "]", ct, unpack(tt, "st.mem[at]", k));
            }
            return;
        }
        if (t.scalar()) {
            leafReader(p, "", p.tla(), t, variant.fromWord(t, "st.mem[at]"));
            if (p.region().data()) {
                ParameterSpec v = ParameterSpec.builder(variant.javaType(t), p.fresh("value"))
                        .build();
                MethodSpec.Builder m = method("set" + capitalize(p.name()), p, "Sets " + code(p.tla()) + ".")
                        .addParameter(v)
                        .addStatement("st.mem[at] = $L", toWord(t, v.name()));
                out.add(m.build());
            }
            return;
        }
        if (t instanceof SetT s) {
            List<ParameterSpec> elem = new ArrayList<>();
            CodeBlock.Builder c = CodeBlock.builder();
            String bit = bitIndex(p, s.elem(), elem, c);
            Path q = p.with("Contains", "", elem, c.build());
            q.code().addStatement("final int bit = $L", bit);
            String member = tuple(elem) + " \\in " + p.tla();
            MethodSpec.Builder r = method(q.name(), q, "Whether " + code(member) + ".")
                    .returns(TypeName.BOOLEAN)
                    .addStatement("return (st.mem[at + (bit >>> 5)] & (1 << (bit & 31))) != 0");
            out.add(r.build());
            if (s.elem() instanceof ModelT || s.elem() instanceof RangeT) {
                lowestReader(p, s);
            }
            if (p.region().data()) {
                ParameterSpec in = ParameterSpec.builder(TypeName.BOOLEAN, q.fresh("member"))
                        .build();
                MethodSpec.Builder w = method(
                                "set" + capitalize(q.name()), q, "Makes " + code(member) + " hold or not.")
                        .addParameter(in)
                        .beginControlFlow("if ($N)", in)
                        .addStatement("st.mem[at + (bit >>> 5)] |= 1 << (bit & 31)")
                        .nextControlFlow("else")
                        .addStatement("st.mem[at + (bit >>> 5)] &= ~(1 << (bit & 31))")
                        .endControlFlow();
                out.add(w.build());
            }
            return;
        }
        if (t instanceof FunT f) {
            List<ParameterSpec> idx = new ArrayList<>();
            CodeBlock.Builder c = CodeBlock.builder();
            if (wordPerValue(f.range())) {
                bulkReader(p, f);
            }
            String i = index(p, f.dom(), idx, c);
            c.addStatement("at += $L", mul(i, variant.size(f.range(), "st.")));
            walk(p.with("", "[" + tuple(idx) + "]", idx, c.build()), f.range());
            return;
        }
        if (t instanceof RecT r) {
            boolean copied = !inCopiedRecord && wordPerLeaf(r) && literal(variant.size(r, "st."));
            if (copied) {
                recordReader(p, r);
                inCopiedRecord = true;
            }
            for (int k = 0; k < r.names().size(); k++) {
                String fo = variant.fieldOffset(r.types(), k, "st.");
                CodeBlock c = fo.equals("0") ? CodeBlock.of("") : CodeBlock.of("at += $L;\n", fo);
                walk(
                        p.with(capitalize(r.names().get(k)), "." + r.names().get(k), List.of(), c),
                        r.types().get(k));
            }
            if (copied) {
                inCopiedRecord = false;
            }
            return;
        }
        if (t instanceof TupT tt) {
            for (int k = 0; k < tt.types().size(); k++) {
                String fo = variant.fieldOffset(tt.types(), k, "st.");
                CodeBlock c = fo.equals("0") ? CodeBlock.of("") : CodeBlock.of("at += $L;\n", fo);
                walk(
                        p.with("At" + (k + 1), "[" + (k + 1) + "]", List.of(), c),
                        tt.types().get(k));
            }
            return;
        }
        if (t instanceof SeqT sq) {
            String max = variant.constExpr(sq.max(), "st.");
            MethodSpec.Builder len = method(p.name() + "Length", p, code("Len(" + p.tla() + ")") + ".")
                    .returns(TypeName.INT)
                    .addStatement("return st.mem[at]");
            out.add(len.build());
            if (p.region().data()) {
                ParameterSpec n =
                        ParameterSpec.builder(TypeName.INT, p.fresh("length")).build();
                out.add(method("set" + capitalize(p.name()) + "Length", p, "Sets " + code("Len(" + p.tla() + ")") + ".")
                        .addParameter(n)
                        .addStatement("$T.checkIndex($N, $L + 1)", Objects.class, n, max)
                        .addStatement("st.mem[at] = $N", n)
                        .build());
            }
            ParameterSpec i = ParameterSpec.builder(TypeName.INT, p.fresh("i")).build();
            String es = variant.size(sq.elem(), "st.");
            CodeBlock c = CodeBlock.builder()
                    .addStatement(
                            "at += 1 + $T.checkIndex($N - 1, $L)$L",
                            Objects.class,
                            i,
                            max,
                            es.equals("1") ? "" : " * " + es)
                    .build();
            walk(p.with("", "[" + i.name() + "]", List.of(i), c), sq.elem());
            return;
        }
        refusals.refuse("no accessor for " + t);
    }

    /**
     * The lowest element of a set of model values or of a range, {@code CHOOSE x \in S : TRUE} as the actions
     * compute it (the first nonzero word's trailing zeros): {@code freeSlotsLowest(t)}, what an action about to
     * take the lowest free entry will take, read before it without a walk over the entries.
     */
    private void lowestReader(Path p, SetT s) {
        Type et = s.elem();
        // a model-value set's bit 0 is its null, the value just below the set; a range's bit 0 is its lowest value
        String lo = variant.lowest(et, "st.");
        String first = et instanceof ModelT ? (lo.equals("0") ? "-1" : lo + " - 1") : lo;
        String below = lo.equals("0") ? "-1" : lo + " - 1";
        String member = "CHOOSE x \\in " + p.tla() + " : TRUE";
        out.add(method(
                        p.name() + "Lowest",
                        p,
                        code(member) + ": its lowest element, found a word at a time; {@code " + below
                                + "}, the value just below its type's, when it is empty"
                                + (et instanceof ModelT
                                        ? " (that is also its null, the lowest element when a member)"
                                        : "")
                                + ".")
                .returns(TypeName.INT)
                .beginControlFlow("for (int w = 0; w < $L; w++)", variant.size(s, "st."))
                .addStatement("final int bits = st.mem[at + w]")
                .beginControlFlow("if (bits != 0)")
                .addStatement(
                        "return (w << 5) + Integer.numberOfTrailingZeros(bits)$L",
                        first.equals("0") ? "" : " + " + first)
                .endControlFlow()
                .endControlFlow()
                .addStatement("return $L", below)
                .build());
    }

    /**
     * Whether a value of {@code t} is one state word holding the value itself (an integer, a range, a model value):
     * a function into it lies in consecutive words in the domain's order, so it can be read with one copy.
     */
    private static boolean wordPerValue(Type t) {
        return t instanceof IntT || t instanceof RangeT || t instanceof ModelT;
    }

    /**
     * The bulk reader of a function whose values are one word each: {@code copyMsgBufWords(t, k, into, offset)}
     * copies {@code msgBuf[t][k].words} (its values in the domain's order) with one {@code System.arraycopy}, the
     * indices checked once, where the per-leaf reader is called once per word.
     */
    private void bulkReader(Path p, FunT f) {
        String card = variant.card(f.dom(), "st.");
        ParameterSpec into = ParameterSpec.builder(int[].class, p.fresh("into")).build();
        ParameterSpec offset =
                ParameterSpec.builder(TypeName.INT, p.fresh("offset")).build();
        out.add(method(
                        "copy" + capitalize(p.name()),
                        p,
                        code(p.tla()) + ", copied into {@code " + into.name() + "} from {@code " + offset.name()
                                + "}: its values in the order of its domain, " + code(card.replace("st.", ""))
                                + " words, each what the reader of one element returns.")
                .addParameter(into)
                .addParameter(offset)
                .addStatement("$T.arraycopy(st.mem, at, $N, $N, $L)", System.class, into, offset, card)
                .build());
    }

    /**
     * Whether every word of a value of {@code t} holds one leaf value itself: a scalar other than a packed tuple
     * (an integer, a range or model value as itself, a boolean as 0 or 1, a string constant as its ordinal), or a
     * function or record of such values. Sets (bitmaps), sequences (a length word) and packed tuples are not.
     */
    private static boolean wordPerLeaf(Type t) {
        if (t instanceof TupT) {
            return false;
        }
        if (t.scalar()) {
            return true;
        }
        if (t instanceof FunT f) {
            return wordPerLeaf(f.range());
        }
        if (t instanceof RecT r) {
            return r.types().stream().allMatch(Accessors::wordPerLeaf);
        }
        return false;
    }

    private static boolean literal(String javaSize) {
        return javaSize.chars().allMatch(Character::isDigit);
    }

    /**
     * The bulk reader of a record whose leaves are one word each and whose size does not depend on the constants:
     * {@code copyMsgBuf(t, k, into, offset)} copies {@code msgBuf[t][k]} with one {@code System.arraycopy}, and a
     * constant per leaf ({@code MSG_BUF_FROM}, {@code MSG_BUF_WORDS}: a function's first value) gives its position
     * among the copied words, {@code MSG_BUF_LENGTH} their number. The words are the leaves as the state holds
     * them: an integer, range or model value as itself, a boolean as 0 or 1, a string constant as its ordinal in
     * its enum.
     */
    private void recordReader(Path p, RecT r) {
        String size = variant.size(r, "st.");
        // names taken on a copy of the path, so the leaves' own readers keep theirs
        Path q = p.with("", "", List.of(), CodeBlock.of(""));
        ParameterSpec into = ParameterSpec.builder(int[].class, q.fresh("into")).build();
        ParameterSpec offset =
                ParameterSpec.builder(TypeName.INT, q.fresh("offset")).build();
        List<String> where = new ArrayList<>();
        leafPositions(p.name(), p.tla(), r, 0, where);
        String length = constant(
                p.name() + "Length",
                Integer.parseInt(size),
                "The number of words {@code copy" + capitalize(p.name()) + "} copies.");
        out.add(method(
                        "copy" + capitalize(p.name()),
                        p,
                        code(p.tla()) + ", copied into {@code " + into.name() + "} from {@code " + offset.name()
                                + "}: " + size + " words ({@link #" + length + "}), its leaves at "
                                + String.join(", ", where) + "; each word a leaf as the state holds it (an "
                                + "integer, range or model value as itself, a boolean as 0 or 1, a string "
                                + "constant as its ordinal).")
                .addParameter(into)
                .addParameter(offset)
                .addStatement("$T.arraycopy(st.mem, at, $N, $N, $L)", System.class, into, offset, size)
                .build());
    }

    /** One constant per leaf of a copied record: its position among the copy's words. */
    private void leafPositions(String name, String tla, Type t, int at, List<String> where) {
        if (t instanceof RecT r) {
            for (int k = 0; k < r.names().size(); k++) {
                int fo = Integer.parseInt(variant.fieldOffset(r.types(), k, "st."));
                leafPositions(
                        name + capitalize(r.names().get(k)),
                        tla + "." + r.names().get(k),
                        r.types().get(k),
                        at + fo,
                        where);
            }
            return;
        }
        String c = constant(
                name,
                at,
                "The position of {@code " + tla + "}" + (t instanceof FunT ? "'s first value" : "")
                        + " among the words a record copy reads.");
        where.add("{@link #" + c + "}");
    }

    private String constant(String readerName, int value, String doc) {
        String name = constants.newName(upperSnake(readerName));
        positions.add(FieldSpec.builder(TypeName.INT, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("$L\n", doc)
                .initializer("$L", value)
                .build());
        return name;
    }

    static String upperSnake(String lowerCamel) {
        return lowerCamel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    private void leafReader(Path p, String suffix, String tla, Type t, String value) {
        out.add(method(p.name() + suffix, p, code(tla) + ".")
                .returns(variant.javaType(t))
                .addStatement("return $L", value)
                .build());
    }

    private MethodSpec.Builder method(String name, Path p, String doc) {
        MethodSpec.Builder m = MethodSpec.methodBuilder(methods.newName(name))
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("$L\n", doc);
        if (p.region().data() && !doc.startsWith("{@code") && !doc.startsWith("Whether")) {
            m.addJavadoc("Constant data: set it before init().\n");
        }
        p.params().forEach(m::addParameter);
        ClassName stateName = variant.stateName();
        m.addStatement("final $T st = this.state", stateName);
        m.addCode(p.code().build());
        return m;
    }

    /** Parameters for a value of the finite type t, checks them, and returns its 0-based position. */
    private String index(Path p, Type t, List<ParameterSpec> params, CodeBlock.Builder c) {
        if (t instanceof TupT tt) {
            String acc = null;
            for (Type ct : tt.types()) {
                String ix = index(p, ct, params, c);
                acc = acc == null ? ix : "(" + acc + " * " + variant.card(ct, "st.") + " + " + ix + ")";
            }
            return acc;
        }
        ParameterSpec x = ParameterSpec.builder(variant.javaType(t), p.fresh(paramName(t)))
                .build();
        params.add(x);
        if (t instanceof EnumT) {
            return x.name() + ".ordinal()";
        }
        if (t instanceof BoolT) {
            return "(" + x.name() + " ? 1 : 0)";
        }
        String lo = variant.lowest(t, "st.");
        String v = lo.equals("0") ? x.name() : x.name() + " - " + lo;
        String i = p.fresh(x.name() + "Index");
        c.addStatement("final int $L = $T.checkIndex($L, $L)", i, Objects.class, v, variant.card(t, "st."));
        return i;
    }

    /** As index, for the bit of a set element (model-value sets keep bit 0 for their "null"). */
    private String bitIndex(Path p, Type t, List<ParameterSpec> params, CodeBlock.Builder c) {
        if (!(t instanceof ModelT m)) {
            return index(p, t, params, c);
        }
        ParameterSpec x =
                ParameterSpec.builder(TypeName.INT, p.fresh(paramName(t))).build();
        params.add(x);
        String i = p.fresh(x.name() + "Bit");
        c.addStatement(
                "final int $L = $T.checkIndex($N - $L + 1, $L)",
                i,
                Objects.class,
                x,
                variant.lo(m, "st."),
                variant.bitCard(t, "st."));
        return i;
    }

    private String unpack(TupT tt, String word, int k) {
        String stride = "1";
        for (int j = k + 1; j < tt.types().size(); j++) {
            String cj = variant.card(tt.types().get(j), "st.");
            stride = stride.equals("1") ? cj : stride + " * " + cj;
        }
        String pos = "((" + word + (stride.equals("1") ? "" : " / (" + stride + ")") + ") % "
                + variant.card(tt.types().get(k), "st.") + ")";
        Type ct = tt.types().get(k);
        if (ct instanceof BoolT) {
            return "(" + pos + " != 0)";
        }
        if (ct instanceof EnumT) {
            return variant.fromWord(ct, pos);
        }
        String lo = variant.lowest(ct, "st.");
        return lo.equals("0") ? pos : "(" + pos + " + " + lo + ")";
    }

    private static String code(String tla) {
        return "{@code " + tla + "}";
    }

    private static String tuple(List<ParameterSpec> ps) {
        List<String> names = ps.stream().map(x -> x.name()).toList();
        return names.size() == 1 ? names.get(0) : "<<" + String.join(", ", names) + ">>";
    }

    private static String toWord(Type t, String v) {
        if (t instanceof BoolT) {
            return "(" + v + " ? 1 : 0)";
        }
        if (t instanceof EnumT) {
            return v + ".ordinal()";
        }
        return v;
    }

    private static String mul(String a, String b) {
        if (b.equals("1")) {
            return a;
        }
        return a + " * " + b;
    }

    private static String paramName(Type t) {
        if (t instanceof ModelT m) {
            return m.set().substring(0, 1).toLowerCase(Locale.ROOT);
        }
        if (t instanceof EnumT e) {
            return e.name().substring(0, 1).toLowerCase(Locale.ROOT);
        }
        if (t instanceof BoolT) {
            return "b";
        }
        return "k";
    }

    static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
