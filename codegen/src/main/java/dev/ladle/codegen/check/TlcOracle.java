package dev.ladle.codegen.check;

import dev.ladle.codegen.Ir;
import dev.ladle.codegen.Ir.*;
import dev.ladle.codegen.Layout;
import dev.ladle.codegen.Lower;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
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
import util.ToolIO;
import util.UniqueString;

/**
 * TLC's own evaluator, in-process, as the oracle for generated machines: it loads a spec with a config that
 * fixes the constants, lowers the same module to learn the layout, converts a generated machine's words to
 * TLC values, picks random action instances of Next, and computes TLC's successors.
 *
 * <p>TLC keeps static state per spec: use one oracle per JVM.
 */
public final class TlcOracle {

    /**
     * Enforces one spec per JVM: a second spec's {@code FastTool} silently breaks the first's (static
     * state shape), so it is refused with the reason instead of failing later with TLC's own message.
     */
    private static synchronized void claim(String spec) {
        if (loaded != null && !loaded.equals(spec)) {
            throw new IllegalStateException("TLC's evaluator in this JVM already holds " + loaded + "; a second spec ("
                    + spec + ") would corrupt it (TLC keeps static state per spec): give each spec a JVM of its own"
                    + " (surefire forkCount 1, reuseForks false)");
        }
        loaded = spec;
    }

    /**
     * Gives up the spec this JVM's evaluator holds, so another may be loaded. The oracle that held it must
     * never be used again (the fuzz loads one batch spec after another and drops each oracle when done).
     */
    public static synchronized void release() {
        loaded = null;
    }

    /** One action instance of Next with concrete arguments, for both sides. */
    public record Step(int action, String name, int[] javaArgs, Action tlcAction, String shown) {}

    /** The spec whose evaluator this JVM holds (TLC keeps static state per spec), or null. */
    private static String loaded;

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
    private final Layout.Bound checkedLayout;
    private final Layout.Bound plainLayout;

    public TlcOracle(Path specDir, String module, String config) {
        this(specDir, module, config, module);
    }

    /**
     * Loads module with config (a bounded model such as MCKernel that fixes the constants) and checks the
     * machine generated from lowerModule (the spec it extends, such as Kernel).
     */
    public TlcOracle(Path specDir, String module, String config, String lowerModule) {
        claim(specDir.toAbsolutePath().normalize().resolve(module) + ".tla with " + config + ".cfg");
        FP64.Init(0);
        try {
            java.nio.file.Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        tool = quietly(
                () -> new FastTool(specDir.toString(), module, config, new SimpleFilenameToStream(specDir.toString())));
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
        Map<String, Integer> values = new HashMap<>();
        for (Layout.Param p : Layout.of(ir, true).params()) {
            values.put(
                    p.java(),
                    switch (p.kind()) {
                        case SIZE -> modelSets.get(p.constant()).length;
                        case LOWEST -> setLo.get(p.constant());
                        case VALUE -> ints.get(p.constant());
                    });
        }
        checkedLayout = Layout.of(ir, true).bind(values);
        plainLayout = Layout.of(ir, false).bind(values);
    }

    /** The layout of a machine built for this config (checked: with the ghost variables). */
    public Layout.Bound layout(boolean checked) {
        return checked ? checkedLayout : plainLayout;
    }

    private Layout.Bound layout(MachineHandle m) {
        return layout(m.variables().length == ir.variables().size());
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

    // ---------------------------------------------------------------- layout (all from Layout)

    private int constant(Expr e) {
        return checkedLayout.constant(e);
    }

    private int card(Type t) {
        return checkedLayout.card(t);
    }

    /** Words a value of type t occupies in a machine built for this config. */
    public int size(Type t) {
        return checkedLayout.size(t);
    }

    private int bitCard(Type t) {
        return checkedLayout.bitCard(t);
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
            // never an IntervalValue domain: TLC 2.18's FcnRcdValue.takeExcept on one that does not start at 0
            // writes one slot to the right
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
        return toTlc(m.memory(), layout(m));
    }

    /** A TLC state holding the variables of a machine state's words (as copyStateTo writes them). */
    public TLCState toTlc(int[] words, Layout.Bound layout) {
        TLCState s = TLCState.Empty.createEmpty();
        for (Layout.Region r : layout.layout().variables()) {
            s = s.bind(UniqueString.uniqueStringOf(r.name()), decode(words, layout.offset(r.name()), r.type()));
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
        Layout.Bound layout = layout(m);
        int[] words = new int[layout.stateSize()];
        for (Layout.Region d : layout.layout().data()) {
            encodeInto(dataValues.get(d.name()), d.type(), words, layout.offset(d.name()));
        }
        m.copyStateFrom(words);
    }

    // ---------------------------------------------------------------- actions

    /** An instance and what TLC makes of it in a state: its successors, or the error TLC stopped with. */
    public record Outcome(Step step, List<TLCState> successors, String error) {
        public boolean enabled() {
            return error != null || !successors.isEmpty();
        }
    }

    private Outcome outcome(Step step, TLCState s) {
        try {
            return new Outcome(step, successors(step, s), null);
        } catch (RuntimeException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            return new Outcome(step, List.of(), msg.strip().replaceAll("\\s+", " "));
        }
    }

    /** Any instance of Next, enabled or not. */
    public Outcome anyInstance(Random rnd, TLCState s) {
        return outcome(randomStep(rnd, s), s);
    }

    /**
     * An enabled instance (or one TLC stops on), drawn one action at a time: the actions in random order, for
     * each up to {@code TRIES} random instances until TLC finds one enabled. Every action enabled in a state is
     * thus about equally likely, however few of its instances are enabled. Null when none was found.
     */
    public Outcome enabledInstance(Random rnd, TLCState s) {
        List<String> actions = actionNames();
        java.util.Collections.shuffle(actions, rnd);
        return enabledInstance(rnd, s, actions);
    }

    /** The actions of Next, in order of first appearance. */
    public List<String> actionNames() {
        List<String> actions = new ArrayList<>();
        for (NextInstance ni : ir.next()) {
            if (!actions.contains(ni.action())) {
                actions.add(ni.action());
            }
        }
        return actions;
    }

    /** For every action enabled in s (as far as TRIES random instances tell), one enabled instance. */
    public List<Outcome> enabledPerAction(Random rnd, TLCState s) {
        List<Outcome> out = new ArrayList<>();
        for (String a : actionNames()) {
            Outcome o = enabledInstance(rnd, s, List.of(a));
            if (o != null) {
                out.add(o);
            }
        }
        return out;
    }

    /** As above, trying the actions in the given order. */
    public Outcome enabledInstance(Random rnd, TLCState s, List<String> actions) {
        for (String a : actions) {
            List<NextInstance> of =
                    ir.next().stream().filter(ni -> ni.action().equals(a)).toList();
            for (int k = 0; k < TRIES; k++) {
                Outcome o;
                try {
                    o = outcome(randomStep(rnd, s, of.get(rnd.nextInt(of.size()))), s);
                } catch (RuntimeException e) {
                    // a domain TLC cannot enumerate here (an empty set to pick from, an error in a domain)
                    break;
                }
                if (o.enabled()) {
                    return o;
                }
            }
        }
        return null;
    }

    private static final int TRIES = 48;

    /** A random instance of Next: a disjunct, then each bound variable from its domain, then the arguments. */
    public Step randomStep(Random rnd, TLCState s) {
        return randomStep(rnd, s, ir.next().get(rnd.nextInt(ir.next().size())));
    }

    private Step randomStep(Random rnd, TLCState s, NextInstance ni) {
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
        if (n == 0) {
            throw new IllegalStateException("an empty domain in Next");
        }
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

    /**
     * Runs TLC's front end with its console output ("Parsing file ...", "Semantic processing ...") held back:
     * a fuzz run builds one oracle per batch. On failure the held-back text is the error's message, since it
     * names the module and position TLC stopped at.
     */
    private static <T> T quietly(Supplier<T> body) {
        ByteArrayOutputStream held = new ByteArrayOutputStream();
        PrintStream sink = new PrintStream(held, true, StandardCharsets.UTF_8);
        PrintStream oldOut = ToolIO.out;
        PrintStream oldErr = ToolIO.err;
        ToolIO.out = sink;
        ToolIO.err = sink;
        try {
            return body.get();
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    held.toString(StandardCharsets.UTF_8).strip(), e);
        } finally {
            ToolIO.out = oldOut;
            ToolIO.err = oldErr;
        }
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
