package dev.ladle.codegen.check;

import dev.ladle.codegen.Ir;
import dev.ladle.codegen.Lower;
import dev.ladle.codegen.Ir.*;
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
import tlc2.value.impl.IntervalValue;
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
  private final int[] constructorArgs;

  public TlcOracle(Path specDir, String module, String config) {
    FP64.Init(0);
    tool = new FastTool(specDir.toString(), module, config, new SimpleFilenameToStream(specDir.toString()));
    root = tool.getRootModule();
    Lower.Result lowered = Lower.lower(root);
    if (lowered.spec() == null) {
      throw new IllegalArgumentException("the spec does not lower: " + lowered.errors());
    }
    ir = lowered.spec();
    constructorArgs = new int[ir.constants().size()];
    for (int i = 0; i < ir.constants().size(); i++) {
      Constant c = ir.constants().get(i);
      Value v = constantValue(c.name());
      if (c.kind() == ConstKind.MODEL_SET) {
        SetEnumValue set = (SetEnumValue) ((Value) v).toSetEnum();
        set.normalize();
        Value[] elems = new Value[set.elems.size()];
        for (int k = 0; k < elems.length; k++) {
          elems[k] = set.elems.elementAt(k);
        }
        modelSets.put(c.name(), elems);
        constructorArgs[i] = elems.length;
      } else {
        ints.put(c.name(), ((IntValue) v).val);
        constructorArgs[i] = ((IntValue) v).val;
      }
    }
  }

  private Value constantValue(String name) {
    for (OpDeclNode d : root.getConstantDecls()) {
      if (d.getName().toString().equals(name)) {
        Object v = tool.lookup(d, Context.Empty, false);
        if (v instanceof Value value) {
          return value;
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

  private int size(Type t) {
    if (t.scalar()) {
      return 1;
    }
    if (t instanceof SetT s) {
      return (card(s.elem()) + 31) >>> 5;
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

  private Value element(Type t, int i) {
    if (t instanceof ModelT m) {
      return modelSets.get(m.set())[i];
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
    if (t instanceof ModelT || t instanceof EnumT) {
      return element(t, mem[off]);
    }
    if (t instanceof SetT s) {
      List<Value> out = new ArrayList<>();
      for (int i = 0; i < card(s.elem()); i++) {
        if (((mem[off + (i >>> 5)] >>> (i & 31)) & 1) != 0) {
          out.add(element(s.elem(), i));
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
      if (f.dom() instanceof RangeT r) {
        return new FcnRcdValue(new IntervalValue(constant(r.lo()), constant(r.hi())), vals);
      }
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
          return i;
        }
      }
    }
    if (t instanceof EnumT e && v instanceof StringValue s) {
      return e.values().indexOf(s.getVal().toString());
    }
    throw new IllegalArgumentException("cannot encode " + v + " as " + t);
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
    int[] args = new int[ni.args().size()];
    Context actx = Context.Empty;
    FormalParamNode[] params = def.getParams();
    for (int i = 0; i < args.length; i++) {
      Value v = (Value) tool.eval((ExprNode) ni.args().get(i), ctx, s);
      args[i] = encode(v, action.params().get(i).type());
      actx = actx.cons(params[i], v);
      shown.append(i == 0 ? "" : ", ").append(v);
    }
    shown.append(')');
    return new Step(ir.actions().indexOf(action), ni.action(), args, new Action(def.getBody(), actx), shown.toString());
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
        sb.append("  ").append(v).append(": TLC ").append(a).append(" / Java ").append(b).append('\n');
      }
    }
    return sb.toString();
  }
}
