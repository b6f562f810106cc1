package dev.ladle.properties;

import dev.ladle.codegen.Ir;
import dev.ladle.codegen.Ir.BoolT;
import dev.ladle.codegen.Ir.EnumT;
import dev.ladle.codegen.Ir.FunT;
import dev.ladle.codegen.Ir.IntT;
import dev.ladle.codegen.Ir.ModelT;
import dev.ladle.codegen.Ir.RangeT;
import dev.ladle.codegen.Ir.RecT;
import dev.ladle.codegen.Ir.SeqT;
import dev.ladle.codegen.Ir.SetT;
import dev.ladle.codegen.Ir.TupT;
import dev.ladle.codegen.Ir.Type;
import dev.ladle.codegen.Layout;
import dev.ladle.codegen.Lower;
import dev.ladle.codegen.Parse;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tla2sany.semantic.OpDeclNode;

/**
 * A generated machine's state words (and an action's argument words) as TLA+ text, driven by the spec alone: the
 * code generator's own passes lower the module ({@link Lower}) and lay it out for the machine's config
 * ({@link Layout}), so every variable, data table and action parameter is read by its name and type, and a
 * variable or action added to the spec is exported without a change here. Constant sets must be integer intervals
 * (as the kernel's machines are built), so a machine's word for an element is the element itself.
 */
final class SpecText {
    private record Lowered(Ir.Spec ir, List<String> constants) {}

    private static final Map<Path, Lowered> LOWERED = new HashMap<>();

    /**
     * The operator a text of a function on an interval not starting at 1 uses; whoever uses the texts defines it
     * as {@link #FUNCTION_DEFINITION}.
     */
    static final String FUNCTION = "TrFcn";

    static final String FUNCTION_DEFINITION =
            FUNCTION + "(lo, vals) == [i \\in lo..(lo + Len(vals) - 1) |-> vals[i - lo + 1]]";

    final Path file;
    final Ir.Spec ir;
    final Layout.Bound layout;
    private final List<String> allConstants;
    private final Map<String, Integer> values = new HashMap<>();

    /** The spec at {@code file} laid out for {@code config}, a generated {@code ...Config} record. */
    SpecText(Path file, Record config, boolean checked) {
        this.file = file.toAbsolutePath().normalize();
        Lowered l = lowered(this.file);
        this.ir = l.ir();
        this.allConstants = l.constants();
        for (RecordComponent c : config.getClass().getRecordComponents()) {
            try {
                values.put(c.getName(), (Integer) c.getAccessor().invoke(config));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        this.layout = Layout.of(ir, checked).bind(values);
    }

    /** The folder of the repository's TLA+ specs (the build and the launcher set {@code ladle.specs}). */
    static Path specsDir() {
        String s = System.getProperty("ladle.specs");
        if (s == null) {
            throw new IllegalStateException("system property ladle.specs must name the specs folder");
        }
        Path p = Path.of(s);
        return (p.resolve("src/main/tla").toFile().isDirectory() ? p.resolve("src/main/tla") : p)
                .toAbsolutePath()
                .normalize();
    }

    private static synchronized Lowered lowered(Path file) {
        return LOWERED.computeIfAbsent(file, f -> {
            Parse.Result parsed = Parse.parse(f);
            if (parsed.root() == null) {
                throw new IllegalStateException(f + " does not parse: " + parsed.errors());
            }
            List<String> constants = new ArrayList<>();
            for (OpDeclNode d : parsed.root().getConstantDecls()) {
                constants.add(d.getName().toString());
            }
            Lower.Result r = Lower.lower(parsed.root());
            if (r.spec() == null) {
                throw new IllegalStateException(f + " does not lower: " + r.errors());
            }
            return new Lowered(r.spec(), List.copyOf(constants));
        });
    }

    String module() {
        return ir.module();
    }

    /** The spec's variables in declaration order (ghosts included). */
    List<String> variables() {
        return ir.variables().stream().map(Ir.Variable::name).toList();
    }

    /** Every constant the module declares (those the generator never needed included). */
    List<String> constants() {
        return List.copyOf(allConstants);
    }

    /** The TLA+ value of an integer or constant-set constant of the config, or null (a data table, or unknown). */
    String constantValue(String name) {
        for (Ir.Constant c : ir.constants()) {
            if (!c.name().equals(name)) {
                continue;
            }
            if (c.kind() == Ir.ConstKind.MODEL_SET) {
                int n = layout.value(layout.layout().sizeParam(name));
                int lo = layout.value(layout.layout().lowParam(name));
                return lo + ".." + (lo + n - 1);
            }
            if (c.kind() == Ir.ConstKind.INT) {
                return integer(layout.value(layout.layout().valueParam(name)));
            }
        }
        return null;
    }

    /** The data tables (boot tables: structured constants) the state words carry, by name. */
    Map<String, String> data(int[] words) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Layout.Region r : layout.layout().data()) {
            out.put(r.name(), text(words, layout.offset(r.name()), r.type()));
        }
        return out;
    }

    /** Every variable's value in the state words, by name, in declaration order. */
    Map<String, String> state(int[] words) {
        if (words.length != layout.stateSize()) {
            throw new IllegalArgumentException(
                    "a state of " + words.length + " words; " + module() + " has " + layout.stateSize());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Layout.Region r : layout.layout().variables()) {
            out.put(r.name(), text(words, layout.offset(r.name()), r.type()));
        }
        return out;
    }

    /** The action's arguments as the generated machine takes them (an int, or an int[] of layout words). */
    List<String> arguments(String action, Object... args) {
        Ir.Action a = ir.action(action);
        if (a == null) {
            throw new IllegalArgumentException(module() + " has no action " + action);
        }
        if (a.params().size() != args.length) {
            throw new IllegalArgumentException(
                    action + " takes " + a.params().size() + " arguments, not " + args.length);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            int[] w = args[i] instanceof int[] arr ? arr : new int[] {(Integer) args[i]};
            out.add(text(w, 0, a.params().get(i).type()));
        }
        return out;
    }

    private static String integer(int v) {
        return v < 0 ? "(" + v + ")" : Integer.toString(v);
    }

    /** The value of a scalar of type t held in word w. */
    private String scalar(Type t, int w) {
        if (t instanceof BoolT) {
            return w != 0 ? "TRUE" : "FALSE";
        }
        if (t instanceof EnumT e) {
            return "\"" + e.values().get(w) + "\"";
        }
        if (t instanceof TupT tt) {
            String[] comps = new String[tt.types().size()];
            int rest = w;
            for (int k = comps.length - 1; k >= 0; k--) {
                Type ct = tt.types().get(k);
                int c = layout.card(ct);
                int idx = k == 0 ? rest : Math.floorMod(rest, c);
                rest = Math.floorDiv(rest, c);
                comps[k] = element(ct, idx);
            }
            return "<<" + String.join(", ", comps) + ">>";
        }
        return integer(w); // Int, a range, or an element of an integer interval (a lone "null" below it included)
    }

    /** Element i of a finite type, in its order. */
    private String element(Type t, int i) {
        if (t instanceof ModelT || t instanceof RangeT) {
            return integer(layout.lowest(t) + i);
        }
        return scalar(t, i);
    }

    String text(int[] mem, int off, Type t) {
        if (t instanceof IntT || t instanceof RangeT) {
            return integer(mem[off]);
        }
        if (t.scalar()) {
            return scalar(t, mem[off]);
        }
        if (t instanceof SetT s) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < layout.bitCard(s.elem()); i++) {
                if (((mem[off + (i >>> 5)] >>> (i & 31)) & 1) != 0) {
                    // a set over model values keeps bit 0 for the value just below the set
                    out.add(s.elem() instanceof ModelT ? element(s.elem(), i - 1) : element(s.elem(), i));
                }
            }
            return "{" + String.join(", ", out) + "}";
        }
        if (t instanceof FunT f) {
            int n = layout.card(f.dom());
            int es = layout.size(f.range());
            List<String> vals = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                vals.add(text(mem, off + i * es, f.range()));
            }
            String tuple = "<<" + String.join(", ", vals) + ">>";
            if (f.dom() instanceof ModelT || f.dom() instanceof RangeT) {
                int lo = layout.lowest(f.dom());
                if (lo == 1) {
                    return tuple; // a function on 1..n is the tuple
                }
                return FUNCTION + "(" + integer(lo) + ", " + tuple + ")";
            }
            List<String> pairs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                pairs.add(element(f.dom(), i) + " :> " + vals.get(i));
            }
            return "(" + String.join(" @@ ", pairs) + ")";
        }
        if (t instanceof RecT r) {
            List<String> fields = new ArrayList<>();
            int at = off;
            for (int i = 0; i < r.names().size(); i++) {
                fields.add(r.names().get(i) + " |-> " + text(mem, at, r.types().get(i)));
                at += layout.size(r.types().get(i));
            }
            return "[" + String.join(", ", fields) + "]";
        }
        if (t instanceof TupT r) {
            List<String> vals = new ArrayList<>();
            int at = off;
            for (Type x : r.types()) {
                vals.add(text(mem, at, x));
                at += layout.size(x);
            }
            return "<<" + String.join(", ", vals) + ">>";
        }
        if (t instanceof SeqT s) {
            int len = mem[off];
            int es = layout.size(s.elem());
            List<String> vals = new ArrayList<>();
            for (int i = 0; i < len; i++) {
                vals.add(text(mem, off + 1 + i * es, s.elem()));
            }
            return "<<" + String.join(", ", vals) + ">>";
        }
        throw new IllegalArgumentException("no TLA+ text for a value of type " + t);
    }
}
