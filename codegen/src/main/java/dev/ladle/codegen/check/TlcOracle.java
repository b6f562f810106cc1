package dev.ladle.codegen.check;

import dev.ladle.codegen.Ir;
import dev.ladle.codegen.Ir.*;
import dev.ladle.codegen.Lower;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import tla2sany.semantic.ExprNode;
import tla2sany.semantic.FormalParamNode;
import tla2sany.semantic.ModuleNode;
import tla2sany.semantic.OpDeclNode;
import tla2sany.semantic.OpDefNode;
import tlc2.tool.Action;
import tlc2.tool.StateVec;
import tlc2.tool.TLCState;
import tlc2.tool.impl.FastTool;
import tlc2.util.Context;
import tlc2.util.FP64;
import tlc2.value.impl.BoolValue;
import tlc2.value.impl.Enumerable;
import tlc2.value.impl.FcnRcdValue;
import tlc2.value.impl.IntValue;
import tlc2.value.impl.RecordValue;
import tlc2.value.impl.SetEnumValue;
import tlc2.value.impl.StringValue;
import tlc2.value.impl.TupleValue;
import tlc2.value.impl.Value;
import tlc2.value.impl.ValueEnumeration;
import util.SimpleFilenameToStream;
import util.UniqueString;

/**
 * TLC's own evaluator, in-process, as the oracle for generated machines: it loads a spec with a config that
 * fixes the constants, lowers the same module to learn the layout, converts a generated machine's words to
 * TLC values, picks random action instances of Next, and computes TLC's successors.
 *
 * <p>TLC keeps static state per spec: use one oracle per JVM.
 */
public final class TlcOracle {

    /** One action instance of Next with concrete arguments, for both sides. */
    public record Step(int action, String name, int[] javaArgs, Action tlcAction, String shown) {}

    private final FastTool tool;
    private final Spec ir;
    private final ModuleNode root;
    private final Map<String, Value[]> modelSets = new HashMap<>();
    private final Map<String, Integer> ints = new HashMap<>();
    private final Map<String, Integer> setLo = new HashMap<>();
    /** Model values given as scalar constants (a "null" such as NoObj), by the id the machine gets for them. */
    private final Map<Integer, Value> singletons = new HashMap<>();

    private final Map<String, Value> dataValues = new HashMap<>();
    private final int[] constructorArgs;

    public TlcOracle(Path specDir, String module, String config) {
        this(specDir, module, config, module);
    }

    /**
     * Loads module with config (a bounded model such as MCKernel that fixes the constants) and checks the
     * machine generated from lowerModule (the spec it extends, such as Kernel).
     */
    public TlcOracle(Path specDir, String module, String config, String lowerModule) {
        FP64.Init(0);
        try {
            java.nio.file.Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        tool = new FastTool(specDir.toString(), module, config, new SimpleFilenameToStream(specDir.toString()));
        root = module.equals(lowerModule)
                ? tool.getRootModule()
                : tool.getSpecProcessor().getModuleTbl().getModuleNode(UniqueString.uniqueStringOf(lowerModule));
        if (root == null) {
            throw new IllegalArgumentException(module + " does not extend " + lowerModule);
        }
        Lower.Result lowered = Lower.lower(root);
        if (lowered.spec() == null) {
            throw new IllegalArgumentException("the spec does not lower: " + lowered.errors());
        }
        ir = lowered.spec();
        List<Integer> args = new ArrayList<>();
        int nextSingleton = -1;
        for (Constant c : ir.constants()) {
            Value v = constantValue(c.name());
            if (c.kind() == ConstKind.MODEL_SET) {
                SetEnumValue set = (SetEnumValue) v.toSetEnum();
                set.normalize();
                Value[] elems = new Value[set.elems.size()];
                for (int k = 0; k < elems.length; k++) {
                    elems[k] = set.elems.elementAt(k);
                }
                modelSets.put(c.name(), elems);
                // a set of integers must be an interval lo..lo+n-1: its elements are themselves in the machine
                int lo = 0;
                if (elems.length > 0 && elems[0] instanceof IntValue first) {
                    lo = first.val;
                    for (int k = 0; k < elems.length; k++) {
                        if (!(elems[k] instanceof IntValue iv) || iv.val != lo + k) {
                            throw new IllegalArgumentException(
                                    "constant " + c.name() + " must be model values or an interval");
                        }
                    }
                }
                setLo.put(c.name(), lo);
                args.add(elems.length);
                args.add(lo);
            } else if (c.kind() == ConstKind.INT) {
                if (v instanceof IntValue iv) {
                    ints.put(c.name(), iv.val);
                } else {
                    // a lone model value: below every model-value set's ids, where sets keep a bit for it
                    singletons.put(nextSingleton, v);
                    ints.put(c.name(), nextSingleton--);
                }
                args.add(ints.get(c.name()));
            } else if (c.kind() == ConstKind.DATA) {
                dataValues.put(c.name(), v);
            }
        }
        constructorArgs = args.stream().mapToInt(Integer::intValue).toArray();
    }

    private Value constantValue(String name) {
        for (OpDeclNode d : root.getConstantDecls()) {
            if (d.getName().toString().equals(name)) {
                Object v = tool.lookup(d, Context.Empty, false);
                if (v instanceof Value value) {
                    return value;
                }
                if (v instanceof OpDefNode def) {
                    // the config substitutes a definition (Threads <- MCThreads): its value is the definition's
                    return (Value) tool.eval(def.getBody(), Context.Empty, TLCState.Empty);
                }
                throw new IllegalArgumentException("the config gives constant " + name + " no value (got " + v + ")");
            }
        }
        throw new IllegalArgumentException("no constant " + name);
    }

    public Spec spec() {
        return ir;
    }

    /** The generated machine's constructor arguments for this config, in the spec's constant order. */
    public int[] constructorArgs() {
        return constructorArgs.clone();
    }

    // ---------------------------------------------------------------- layout

    private int constant(Expr e) {
        if (e instanceof IntLit l) {
            return l.value();
        }
        if (e instanceof ConstInt c) {
            return ints.get(c.name());
        }
        if (e instanceof Bin b) {
            int x = constant(b.a());
            int y = constant(b.b());
            switch (b.op()) {
                case ADD:
                    return x + y;
                case SUB:
                    return x - y;
                case MUL:
                    return x * y;
                default:
                    break;
            }
        }
        if (e instanceof Neg n) {
            return -constant(n.a());
        }
        throw new IllegalArgumentException("not a constant: " + e);
    }

    private int card(Type t) {
        if (t instanceof ModelT m) {
            return modelSets.get(m.set()).length;
        }
        if (t instanceof TupT tt && tt.scalar()) {
            int n = 1;
            for (Type x : tt.types()) {
                n *= card(x);
            }
            return n;
        }
        if (t instanceof EnumT e) {
            return e.values().size();
        }
        if (t instanceof BoolT) {
            return 2;
        }
        if (t instanceof RangeT r) {
            return constant(r.hi()) - constant(r.lo()) + 1;
        }
        throw new IllegalArgumentException("not finite: " + t);
    }

    /** Words a value of type t occupies in a machine built for this config. */
    public int size(Type t) {
        if (t.scalar()) {
            return 1;
        }
        if (t instanceof SetT s) {
            return (bitCard(s.elem()) + 31) >>> 5;
        }
        if (t instanceof FunT f) {
            return card(f.dom()) * size(f.range());
        }
        if (t instanceof RecT r) {
            return r.types().stream().mapToInt(this::size).sum();
        }
        if (t instanceof TupT r) {
            return r.types().stream().mapToInt(this::size).sum();
        }
        if (t instanceof SeqT s) {
            return 1 + constant(s.max()) * size(s.elem());
        }
        throw new IllegalArgumentException(t.toString());
    }

    private int bitCard(Type t) {
        return t instanceof ModelT ? card(t) + 1 : card(t);
    }

    /** The value a machine word holds for a scalar of type t. */
    private Value scalarValue(Type t, int w) {
        if (t instanceof ModelT m) {
            int i = w - setLo.get(m.set());
            Value[] set = modelSets.get(m.set());
            if (i >= 0 && i < set.length) {
                return set[i];
            }
            if (singletons.containsKey(w)) {
                return singletons.get(w);
            }
            return IntValue.gen(w);
        }
        if (t instanceof TupT tt) {
            Value[] comps = new Value[tt.types().size()];
            int rest = w;
            for (int k = comps.length - 1; k >= 0; k--) {
                Type ct = tt.types().get(k);
                int c = card(ct);
                // the first component keeps its sign: a null model value (NoObj) sits just below its set
                int idx = k == 0 ? rest : Math.floorMod(rest, c);
                rest = Math.floorDiv(rest, c);
                comps[k] = ct instanceof ModelT cm ? scalarValue(ct, setLo.get(cm.set()) + idx) : element(ct, idx);
            }
            return new TupleValue(comps);
        }
        if (t instanceof EnumT || t instanceof BoolT) {
            return element(t, w);
        }
        return IntValue.gen(w);
    }

    /** The value at bit i of a set over t (ModelT sets keep bit 0 for the value just below the set). */
    private Value bitValue(Type t, int i) {
        if (t instanceof ModelT m) {
            return scalarValue(t, setLo.get(m.set()) + i - 1);
        }
        return element(t, i);
    }

    private Value element(Type t, int i) {
        if (t instanceof ModelT m) {
            return modelSets.get(m.set())[i];
        }
        if (t instanceof TupT) {
            return scalarValue(t, i);
        }
        if (t instanceof EnumT e) {
            return new StringValue(e.values().get(i));
        }
        if (t instanceof BoolT) {
            return i != 0 ? BoolValue.ValTrue : BoolValue.ValFalse;
        }
        if (t instanceof RangeT r) {
            return IntValue.gen(constant(r.lo()) + i);
        }
        return IntValue.gen(i);
    }

    /** The TLC value of the words at mem[off...] read as type t. */
    public Value decode(int[] mem, int off, Type t) {
        if (t instanceof IntT || t instanceof RangeT) {
            return IntValue.gen(mem[off]);
        }
        if (t instanceof BoolT) {
            return mem[off] != 0 ? BoolValue.ValTrue : BoolValue.ValFalse;
        }
        if (t.scalar()) {
            return scalarValue(t, mem[off]);
        }
        if (t instanceof SetT s) {
            List<Value> out = new ArrayList<>();
            for (int i = 0; i < bitCard(s.elem()); i++) {
                if (((mem[off + (i >>> 5)] >>> (i & 31)) & 1) != 0) {
                    out.add(bitValue(s.elem(), i));
                }
            }
            return new SetEnumValue(out.toArray(new Value[0]), false).normalize();
        }
        if (t instanceof FunT f) {
            int n = card(f.dom());
            int es = size(f.range());
            Value[] dom = new Value[n];
            Value[] vals = new Value[n];
            for (int i = 0; i < n; i++) {
                dom[i] = element(f.dom(), i);
                vals[i] = decode(mem, off + i * es, f.range());
            }
            // An explicit domain even for an interval: TLC 2.18 takes EXCEPT on an interval-domain
            // FcnRcdValue at index arg instead of arg - low, which fails for 1..n.
            return new FcnRcdValue(dom, vals, false).normalize();
        }
        if (t instanceof RecT r) {
            UniqueString[] names = new UniqueString[r.names().size()];
            Value[] vals = new Value[names.length];
            int at = off;
            for (int i = 0; i < names.length; i++) {
                names[i] = UniqueString.uniqueStringOf(r.names().get(i));
                vals[i] = decode(mem, at, r.types().get(i));
                at += size(r.types().get(i));
            }
            return new RecordValue(names, vals, false).normalize();
        }
        if (t instanceof TupT r) {
            Value[] vals = new Value[r.types().size()];
            int at = off;
            for (int i = 0; i < vals.length; i++) {
                vals[i] = decode(mem, at, r.types().get(i));
                at += size(r.types().get(i));
            }
            return new TupleValue(vals);
        }
        if (t instanceof SeqT s) {
            int len = mem[off];
            int es = size(s.elem());
            Value[] vals = new Value[len];
            for (int i = 0; i < len; i++) {
                vals[i] = decode(mem, off + 1 + i * es, s.elem());
            }
            return new TupleValue(vals);
        }
        throw new IllegalArgumentException(t.toString());
    }

    /** A TLC state holding the machine's current variables. */
    public TLCState toTlc(MachineHandle m) {
        TLCState s = TLCState.Empty.createEmpty();
        String[] names = m.variables();
        int[] offs = m.offsets();
        for (int i = 0; i < names.length; i++) {
            Variable v = ir.variable(names[i]);
            s = s.bind(UniqueString.uniqueStringOf(v.name()), decode(m.memory(), offs[i], v.type()));
        }
        return s;
    }

    /** The word a scalar TLC value is stored as in a machine. */
    public int encode(Value v, Type t) {
        if (v instanceof IntValue i) {
            return i.val;
        }
        if (v instanceof BoolValue b) {
            return b.val ? 1 : 0;
        }
        if (t instanceof ModelT m) {
            Value[] set = modelSets.get(m.set());
            for (int i = 0; i < set.length; i++) {
                if (set[i].equals(v)) {
                    return i + setLo.get(m.set());
                }
            }
            for (var e : singletons.entrySet()) {
                if (e.getValue().equals(v)) {
                    return e.getKey();
                }
            }
        }
        if (t instanceof TupT tt && tt.scalar()) {
            TupleValue tv = (TupleValue) v.toTuple();
            int w = 0;
            for (int k = 0; k < tt.types().size(); k++) {
                Type ct = tt.types().get(k);
                int x = encode(tv.elems[k], ct);
                int idx = ct instanceof ModelT cm
                        ? x - setLo.get(cm.set())
                        : ct instanceof RangeT r ? x - constant(r.lo()) : x;
                w = w * card(ct) + idx;
            }
            return w;
        }
        if (t instanceof EnumT e && v instanceof StringValue s) {
            return e.values().indexOf(s.getVal().toString());
        }
        throw new IllegalArgumentException("cannot encode " + v + " as " + t);
    }

    /** Writes v (of type t) into mem at off, in the machine's layout. */
    public void encodeInto(Value v, Type t, int[] mem, int off) {
        if (t.scalar()) {
            mem[off] = encode(v, t);
            return;
        }
        if (t instanceof SetT s) {
            java.util.Arrays.fill(mem, off, off + size(t), 0);
            ValueEnumeration e = ((Enumerable) v).elements();
            for (Value x = e.nextElement(); x != null; x = e.nextElement()) {
                int w = encode(x, s.elem());
                int i = s.elem() instanceof ModelT m
                        ? w - setLo.get(m.set()) + 1
                        : s.elem() instanceof RangeT r ? w - constant(r.lo()) : w;
                mem[off + (i >>> 5)] |= 1 << (i & 31);
            }
            return;
        }
        if (t instanceof FunT f) {
            int es = size(f.range());
            for (int i = 0; i < card(f.dom()); i++) {
                Value arg = element(f.dom(), i);
                encodeInto(((tlc2.value.impl.Applicable) v).select(arg), f.range(), mem, off + i * es);
            }
            return;
        }
        if (t instanceof RecT r) {
            int at = off;
            RecordValue rv = (RecordValue) v.toRcd();
            for (int i = 0; i < r.names().size(); i++) {
                encodeInto(
                        rv.select(new StringValue(r.names().get(i))), r.types().get(i), mem, at);
                at += size(r.types().get(i));
            }
            return;
        }
        if (t instanceof TupT r) {
            TupleValue tv = (TupleValue) v.toTuple();
            int at = off;
            for (int i = 0; i < r.types().size(); i++) {
                encodeInto(tv.elems[i], r.types().get(i), mem, at);
                at += size(r.types().get(i));
            }
            return;
        }
        if (t instanceof SeqT sq) {
            TupleValue tv = (TupleValue) v.toTuple();
            java.util.Arrays.fill(mem, off, off + size(t), 0);
            mem[off] = tv.elems.length;
            int es = size(sq.elem());
            for (int i = 0; i < tv.elems.length; i++) {
                encodeInto(tv.elems[i], sq.elem(), mem, off + 1 + i * es);
            }
            return;
        }
        throw new IllegalArgumentException("cannot encode " + t);
    }

    /** Loads every structured constant (boot tables) into the machine; call before init(). */
    public void loadData(MachineHandle m) {
        String[] names = m.data();
        for (int i = 0; i < names.length; i++) {
            Variable d = ir.dataConstant(names[i]);
            int[] words = new int[size(d.type())];
            encodeInto(dataValues.get(names[i]), d.type(), words, 0);
            m.setData(i, words);
        }
    }

    // ---------------------------------------------------------------- actions

    /** A random instance of Next: a disjunct, then each bound variable from its domain, then the arguments. */
    public Step randomStep(Random rnd, TLCState s) {
        NextInstance ni = ir.next().get(rnd.nextInt(ir.next().size()));
        Context ctx = Context.Empty;
        StringBuilder shown = new StringBuilder(ni.action()).append('(');
        for (int i = 0; i < ni.bound().size(); i++) {
            Value dom = (Value) tool.eval(ni.domains().get(i), ctx, s);
            Value pick = pick((Enumerable) dom, rnd);
            ctx = ctx.cons(ni.bound().get(i), pick);
        }
        OpDefNode def = null;
        for (OpDefNode d : root.getOpDefs()) {
            if (d.getName().toString().equals(ni.action())) {
                def = d;
            }
        }
        Ir.Action action = ir.action(ni.action());
        List<Integer> words = new ArrayList<>();
        Context actx = Context.Empty;
        FormalParamNode[] params = def.getParams();
        for (int i = 0; i < ni.args().size(); i++) {
            Value v = (Value) tool.eval((ExprNode) ni.args().get(i), ctx, s);
            Type pt = action.params().get(i).type();
            if (pt.scalar()) {
                words.add(encode(v, pt));
            } else {
                int[] w = new int[size(pt)];
                encodeInto(v, pt, w, 0);
                for (int x : w) {
                    words.add(x);
                }
            }
            actx = actx.cons(params[i], v);
            shown.append(i == 0 ? "" : ", ").append(v);
        }
        int[] args = words.stream().mapToInt(Integer::intValue).toArray();
        shown.append(')');
        return new Step(
                ir.actions().indexOf(action), ni.action(), args, new Action(def.getBody(), actx), shown.toString());
    }

    /** Element i (in TLC's order) of the constant set, e.g. the first thread. */
    public Value element(String constantSet, int i) {
        return modelSets.get(constantSet)[i];
    }

    /** The Java id or integer a machine uses for element i of the constant set. */
    public int id(String constantSet, int i) {
        return setLo.get(constantSet) + i;
    }

    /** The instance of an action with given argument values, for both sides (as {@link #randomStep}). */
    public Step stepWith(String actionName, Value... values) {
        OpDefNode def = null;
        for (OpDefNode d : root.getOpDefs()) {
            if (d.getName().toString().equals(actionName)) {
                def = d;
            }
        }
        Ir.Action action = ir.action(actionName);
        List<Integer> words = new ArrayList<>();
        Context actx = Context.Empty;
        for (int i = 0; i < values.length; i++) {
            Type pt = action.params().get(i).type();
            if (pt.scalar()) {
                words.add(encode(values[i], pt));
            } else {
                int[] w = new int[size(pt)];
                encodeInto(values[i], pt, w, 0);
                for (int x : w) {
                    words.add(x);
                }
            }
            actx = actx.cons(def.getParams()[i], values[i]);
        }
        return new Step(
                ir.actions().indexOf(action),
                actionName,
                words.stream().mapToInt(Integer::intValue).toArray(),
                new Action(def.getBody(), actx),
                actionName);
    }

    private static Value pick(Enumerable set, Random rnd) {
        int n = set.size();
        int k = rnd.nextInt(n);
        ValueEnumeration e = set.elements();
        Value v = e.nextElement();
        for (int i = 0; i < k; i++) {
            v = e.nextElement();
        }
        return v;
    }

    /** TLC's successors of s under the step's action. */
    public List<TLCState> successors(Step step, TLCState s) {
        StateVec sv = tool.getNextStates(step.tlcAction(), s);
        List<TLCState> out = new ArrayList<>();
        for (int i = 0; i < sv.size(); i++) {
            out.add(sv.elementAt(i));
        }
        return out;
    }

    /** TLC's initial states (a deterministic Init has exactly one). */
    public List<TLCState> initStates() {
        StateVec sv = tool.getInitStates();
        List<TLCState> out = new ArrayList<>();
        for (int i = 0; i < sv.size(); i++) {
            out.add(sv.elementAt(i));
        }
        return out;
    }

    /** TLC's value of a zero-argument state predicate (an invariant or TypeOK) in s. */
    public boolean holds(String definition, TLCState s) {
        for (OpDefNode d : root.getOpDefs()) {
            if (d.getName().toString().equals(definition)) {
                return ((BoolValue) tool.eval(d.getBody(), Context.Empty, s)).val;
            }
        }
        throw new IllegalArgumentException("no definition " + definition);
    }

    /** Differences between two states, variable by variable ("" when equal). */
    public String diff(TLCState expected, TLCState actual, String[] variables) {
        StringBuilder sb = new StringBuilder();
        for (String v : variables) {
            Object a = expected.lookup(UniqueString.uniqueStringOf(v));
            Object b = actual.lookup(UniqueString.uniqueStringOf(v));
            if (a == null || b == null || !a.equals(b)) {
                sb.append("  ")
                        .append(v)
                        .append(": TLC ")
                        .append(a)
                        .append(" / Java ")
                        .append(b)
                        .append('\n');
            }
        }
        return sb.toString();
    }
}
