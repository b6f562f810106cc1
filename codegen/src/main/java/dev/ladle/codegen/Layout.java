package dev.ladle.codegen;

import dev.ladle.codegen.Ir.*;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The layout pass: where every value lives in a machine's flat {@code int[]} state, computed once from the
 * typed IR. Sizes and offsets are formulas over the construction constants (the generated {@code Config});
 * {@link Emit} renders them into the generated constructor, and {@link #bind} evaluates them for one set of
 * constants (the oracle's encoder and decoder, tests, benchmarks). Nothing else computes an offset.
 *
 * <pre>
 *   state = data regions (boot tables, set before init) then variables, in declaration order
 *   scalar            1 word: int, 0/1, model-value id, enum ordinal, or a packed tuple of finite scalars
 *   set over E        ceil(bits(E) / 32) words, bit i for the i-th value of E; a model-value set keeps bit 0
 *                     for the value just below it (the spec's "null", such as NoObj)
 *   [D -> R]          card(D) consecutive R's, in D's order
 *   record / tuple    fields in order
 *   Seq(E) bounded m  a length word, then m E's, front-aligned, unused slots zero
 * </pre>
 */
public final class Layout {

    /** How a config parameter relates to its spec constant. */
    public enum ParamKind {
        /** The number of elements of a constant set. */
        SIZE,
        /** The least element of a constant set (0 for model values, else the least integer). */
        LOWEST,
        /** An integer constant, or the id of a lone model value. */
        VALUE
    }

    /** One construction parameter: its Java name in the generated Config, the spec constant, its role. */
    public record Param(String java, String constant, ParamKind kind) {}

    /** A variable or a constant data table, in state order. */
    public record Region(String name, Type type, boolean ghost, boolean data) {}

    /** A size formula over the parameters; SizeOf refers to another type's size (one field per type). */
    public sealed interface Formula permits Lit, ParamRef, SizeOf, Op, Words {}

    public record Lit(int value) implements Formula {}

    public record ParamRef(String java) implements Formula {}

    public record SizeOf(Type type) implements Formula {}

    /** op is one of + - * / % (floor division and modulus, as TLC's \\div and %). */
    public record Op(char op, Formula a, Formula b) implements Formula {}

    /** Words of a bitset with the given number of bits. */
    public record Words(Formula bits) implements Formula {}

    private final Spec spec;
    private final List<Param> params = new ArrayList<>();
    private final Map<String, String> sizeParam = new HashMap<>();
    private final Map<String, String> lowParam = new HashMap<>();
    private final Map<String, String> valueParam = new HashMap<>();
    private final List<Region> regions = new ArrayList<>();

    private Layout(Spec spec, boolean checked) {
        this.spec = spec;
        for (Constant c : spec.constants()) {
            if (c.kind() == ConstKind.MODEL_SET) {
                String n = "n" + c.name();
                String lo = "lo" + c.name();
                params.add(new Param(n, c.name(), ParamKind.SIZE));
                params.add(new Param(lo, c.name(), ParamKind.LOWEST));
                sizeParam.put(c.name(), n);
                lowParam.put(c.name(), lo);
            } else if (c.kind() == ConstKind.INT) {
                params.add(new Param(c.name(), c.name(), ParamKind.VALUE));
                valueParam.put(c.name(), c.name());
            }
        }
        for (Variable d : spec.data()) {
            regions.add(new Region(d.name(), d.type(), false, true));
        }
        for (Variable v : spec.variables()) {
            if (checked || !v.ghost()) {
                regions.add(new Region(v.name(), v.type(), v.ghost(), false));
            }
        }
    }

    /** The layout of the checked variant (every variable) or the plain one (no ghost variables). */
    public static Layout of(Spec spec, boolean checked) {
        return new Layout(spec, checked);
    }

    public Spec spec() {
        return spec;
    }

    /** Construction parameters in Config order. */
    public List<Param> params() {
        return List.copyOf(params);
    }

    /** Data regions then variables, in state order. */
    public List<Region> regions() {
        return List.copyOf(regions);
    }

    public List<Region> variables() {
        return regions.stream().filter(r -> !r.data()).toList();
    }

    public List<Region> data() {
        return regions.stream().filter(Region::data).toList();
    }

    public String sizeParam(String set) {
        return sizeParam.get(set);
    }

    public String lowParam(String set) {
        return lowParam.get(set);
    }

    public String valueParam(String constant) {
        return valueParam.get(constant);
    }

    // ---------------------------------------------------------------- formulas

    /** A constant integer expression (range bounds, sequence bounds). */
    public Formula constant(Expr e) {
        if (e instanceof IntLit l) {
            return new Lit(l.value());
        } else if (e instanceof ConstInt c) {
            return new ParamRef(valueParam.get(c.name()));
        } else if (e instanceof Bin b) {
            char op = switch (b.op()) {
                case ADD -> '+';
                case SUB -> '-';
                case MUL -> '*';
                case DIV -> '/';
                case MOD -> '%';
                default -> throw new UnsupportedOperationException("constant expression with " + b.op());
            };
            return op(op, constant(b.a()), constant(b.b()));
        } else if (e instanceof Neg n) {
            return op('-', new Lit(0), constant(n.a()));
        }
        throw new UnsupportedOperationException(
                "not a constant expression: " + e.getClass().getSimpleName());
    }

    /** As constant, or null when e is not a constant expression. */
    public Formula constantOrNull(Expr e) {
        try {
            return constant(e);
        } catch (UnsupportedOperationException | NullPointerException x) {
            return null;
        }
    }

    /** Number of values of a finite type (the length of an array indexed by it). */
    public Formula card(Type t) {
        if (t instanceof ModelT m) {
            return new ParamRef(sizeParam.get(m.set()));
        } else if (t instanceof EnumT e) {
            return new Lit(e.values().size());
        } else if (t instanceof BoolT) {
            return new Lit(2);
        } else if (t instanceof RangeT r) {
            return op('+', op('-', constant(r.hi()), constant(r.lo())), new Lit(1));
        } else if (t instanceof TupT tt && tt.scalar()) {
            Formula f = new Lit(1);
            for (Type x : tt.types()) {
                f = op('*', f, card(x));
            }
            return f;
        }
        if (t instanceof IntT) {
            // the usual way here: a set literal or constructor whose integers are not all constants
            throw new UnsupportedOperationException(
                    "a set of integers with no constant bounds (no bitset layout): give its elements a constant"
                            + " range, such as x \\in 0..N");
        }
        throw new UnsupportedOperationException("not a finite type: " + t);
    }

    /** The least value of a finite type, which is at index 0 (model values: the set's lowest id). */
    public Formula lowest(Type t) {
        if (t instanceof ModelT m) {
            return new ParamRef(lowParam.get(m.set()));
        } else if (t instanceof RangeT r) {
            return constant(r.lo());
        }
        return new Lit(0);
    }

    /** Bits of a set over t: a model-value set keeps one extra bit, below the set, for its "null". */
    public Formula bitCard(Type t) {
        return t instanceof ModelT ? op('+', card(t), new Lit(1)) : card(t);
    }

    /** Words a value of type t takes, in terms of the sizes of its parts. */
    public Formula size(Type t) {
        if (t.scalar()) {
            return new Lit(1);
        } else if (t instanceof SetT s) {
            Formula bits = bitCard(s.elem());
            return bits instanceof Lit b ? new Lit((b.value() + 31) >>> 5) : new Words(bits);
        } else if (t instanceof FunT f) {
            return op('*', card(f.dom()), sizeRef(f.range()));
        } else if (t instanceof RecT r) {
            return sum(r.types());
        } else if (t instanceof TupT r) {
            return sum(r.types());
        } else if (t instanceof SeqT s) {
            return op('+', new Lit(1), op('*', constant(s.max()), sizeRef(s.elem())));
        }
        throw new UnsupportedOperationException("no layout for " + t);
    }

    /**
     * The size of t as a reference: a literal when it does not depend on the constants (1 for scalars, 6 for
     * six message words), so offsets and copy lengths fold to literals the JIT sees; else the type's size field.
     */
    public Formula sizeRef(Type t) {
        if (t.scalar()) {
            return new Lit(1);
        }
        Formula f = size(t);
        return f instanceof Lit ? f : new SizeOf(t);
    }

    /** The offset of field i of a record or tuple from its start. */
    public Formula fieldOffset(List<Type> types, int i) {
        Formula f = new Lit(0);
        for (int k = 0; k < i; k++) {
            f = op('+', f, sizeRef(types.get(k)));
        }
        return f;
    }

    private Formula sum(List<Type> types) {
        return fieldOffset(types, types.size());
    }

    /** Builds a + b etc., folding literals and the neutral elements. */
    static Formula op(char op, Formula a, Formula b) {
        if (a instanceof Lit x && b instanceof Lit y && foldable(op, x.value(), y.value())) {
            return new Lit(
                    switch (op) {
                        case '+' -> Math.addExact(x.value(), y.value());
                        case '-' -> Math.subtractExact(x.value(), y.value());
                        case '*' -> Math.multiplyExact(x.value(), y.value());
                        case '%' -> Math.floorMod(x.value(), y.value());
                        default -> Math.floorDiv(x.value(), y.value());
                    });
        }
        if (op == '+' && a instanceof Lit x && x.value() == 0) {
            return b;
        }
        if ((op == '+' || op == '-') && b instanceof Lit y && y.value() == 0) {
            return a;
        }
        if (op == '*' && a instanceof Lit x && x.value() == 1) {
            return b;
        }
        if ((op == '*' || op == '/') && b instanceof Lit y && y.value() == 1) {
            return a;
        }
        // (x - 1) + 1 and (x + 1) - 1 fold back to x
        if ((op == '+' || op == '-') && b instanceof Lit y && a instanceof Op inner && inner.b() instanceof Lit z) {
            int k = op == '+' ? y.value() : -y.value();
            int j = inner.op() == '+' ? z.value() : inner.op() == '-' ? -z.value() : Integer.MIN_VALUE;
            if (j != Integer.MIN_VALUE && j + k == 0) {
                return inner.a();
            }
        }
        return new Op(op, a, b);
    }

    /** Whether op folds without an error; one that would raise (overflow, zero divisor) raises at run time. */
    private static boolean foldable(char op, int x, int y) {
        try {
            switch (op) {
                case '+' -> Math.addExact(x, y);
                case '-' -> Math.subtractExact(x, y);
                case '*' -> Math.multiplyExact(x, y);
                default -> {
                    if (y <= 0 || op == '/' && x == Integer.MIN_VALUE && y == -1) {
                        return false;
                    }
                }
            }
            return true;
        } catch (ArithmeticException e) {
            return false;
        }
    }

    /**
     * Java source for a formula; sizeName names the field holding another type's size, param a parameter.
     * Sizes are computed once at construction with exact arithmetic, so constants too large overflow loudly.
     */
    public static String render(Formula f, Function<Type, String> sizeName, Function<String, String> param) {
        if (f instanceof Lit l) {
            return Integer.toString(l.value());
        } else if (f instanceof ParamRef p) {
            return param.apply(p.java());
        } else if (f instanceof SizeOf s) {
            return sizeName.apply(s.type());
        } else if (f instanceof Words w) {
            return "((" + render(w.bits(), sizeName, param) + " + 31) >>> 5)";
        } else if (f instanceof Op o) {
            String a = render(o.a(), sizeName, param);
            String b = render(o.b(), sizeName, param);
            return switch (o.op()) {
                case '+' -> "Math.addExact(" + a + ", " + b + ")";
                case '-' -> "Math.subtractExact(" + a + ", " + b + ")";
                case '*' -> "Math.multiplyExact(" + a + ", " + b + ")";
                case '%' -> "Math.floorMod(" + a + ", " + b + ")";
                default -> "Math.floorDiv(" + a + ", " + b + ")";
            };
        }
        throw new IllegalStateException("unreachable: " + f);
    }

    /** Java source for a formula used at run time (plain operators: the constructor already checked sizes). */
    public static String renderPlain(Formula f, Function<Type, String> sizeName, Function<String, String> param) {
        if (f instanceof Op o) {
            String a = renderPlain(o.a(), sizeName, param);
            String b = renderPlain(o.b(), sizeName, param);
            // / and % are TLC's floor division and modulus (Java's round towards zero: -4 % 8 is -4, not 4)
            return switch (o.op()) {
                case '/' -> "Math.floorDiv(" + a + ", " + b + ")";
                case '%' -> "Math.floorMod(" + a + ", " + b + ")";
                default -> "(" + a + " " + o.op() + " " + b + ")";
            };
        }
        return render(f, sizeName, param);
    }

    // ---------------------------------------------------------------- evaluated for one set of constants

    /** This layout for concrete parameter values (by Java name, as in {@link #params()}). */
    public Bound bind(Map<String, Integer> values) {
        return new Bound(values);
    }

    /** Sizes, offsets and indices for concrete constants. */
    public final class Bound {
        private final Map<String, Integer> values;
        private final Map<Type, Integer> sizes = new HashMap<>();
        private final Map<String, Integer> offsets = new LinkedHashMap<>();
        private final int stateSize;

        private Bound(Map<String, Integer> values) {
            for (Param p : params) {
                if (!values.containsKey(p.java())) {
                    throw new IllegalArgumentException("no value for " + p.java());
                }
            }
            this.values = Map.copyOf(values);
            int at = 0;
            for (Region r : regions) {
                offsets.put(r.name(), at);
                at = Math.addExact(at, size(r.type()));
            }
            stateSize = at;
        }

        public Layout layout() {
            return Layout.this;
        }

        public int value(String javaParam) {
            return values.get(javaParam);
        }

        public int eval(Formula f) {
            if (f instanceof Lit l) {
                return l.value();
            } else if (f instanceof ParamRef p) {
                return values.get(p.java());
            } else if (f instanceof SizeOf s) {
                return size(s.type());
            } else if (f instanceof Words w) {
                return (eval(w.bits()) + 31) >>> 5;
            } else if (f instanceof Op o) {
                int a = eval(o.a());
                int b = eval(o.b());
                return switch (o.op()) {
                    case '+' -> Math.addExact(a, b);
                    case '-' -> Math.subtractExact(a, b);
                    case '*' -> Math.multiplyExact(a, b);
                    case '%' -> Math.floorMod(a, b);
                    default -> Math.floorDiv(a, b);
                };
            }
            throw new IllegalStateException("unreachable: " + f);
        }

        public int size(Type t) {
            if (t.scalar()) {
                return 1;
            }
            Integer s = sizes.get(t);
            if (s == null) {
                s = eval(Layout.this.size(t));
                sizes.put(t, s);
            }
            return s;
        }

        public int card(Type t) {
            return eval(Layout.this.card(t));
        }

        public int bitCard(Type t) {
            return eval(Layout.this.bitCard(t));
        }

        public int lowest(Type t) {
            return eval(Layout.this.lowest(t));
        }

        public int constant(Expr e) {
            return eval(Layout.this.constant(e));
        }

        public int fieldOffset(List<Type> types, int i) {
            return eval(Layout.this.fieldOffset(types, i));
        }

        /** Offset of a variable or data table. */
        public int offset(String region) {
            Integer o = offsets.get(region);
            if (o == null) {
                throw new IllegalArgumentException("no variable or data " + region);
            }
            return o;
        }

        /** Words of the whole state (data and variables), the length copyStateTo writes. */
        public int stateSize() {
            return stateSize;
        }

        /** The word index of value x's slot in a finite type's order (x minus the type's lowest value). */
        public int index(Type t, int word) {
            return t instanceof ModelT || t instanceof RangeT ? word - lowest(t) : word;
        }
    }
}
