package dev.ladle.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import dev.ladle.codegen.Ir.*;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One variant of a spec's machine (the plain one, without ghost variables, or the checked one) as the emit
 * passes share it: its class names, its {@link Layout} rendered into Java (offsets, sizes, cardinalities), the
 * size fields and scratch regions its methods register, and the refusals of the definition being emitted.
 */
final class Variant {
    final Spec spec;
    final String pkg;
    final boolean checked;
    final Layout layout;
    /** The variables this variant keeps (all of them when checked, else no ghosts). */
    final List<Variable> vars;

    final ClassName stateName;
    final ClassName machineName;
    final ClassName configName;
    final ClassName guardName;

    /** The types whose sizes are fields of the state class, each at its index in sized. */
    final Map<Type, Integer> sizeIds = new LinkedHashMap<>();

    final List<Type> sized = new ArrayList<>();
    /** The scratch regions the machine's methods use, each as its size in Java. */
    final List<String> scratchSizes = new ArrayList<>();

    private Refusals refusals;

    Variant(Spec spec, String pkg, boolean checked) {
        this.spec = spec;
        this.pkg = pkg;
        this.checked = checked;
        this.layout = Layout.of(spec, checked);
        this.vars = spec.variables().stream().filter(v -> checked || !v.ghost()).toList();
        String prefix = spec.module() + (checked ? "Checked" : "");
        this.stateName = ClassName.get(pkg, prefix + "State");
        this.machineName = ClassName.get(pkg, prefix + "Machine");
        this.configName = ClassName.get(pkg, spec.module() + "Config");
        this.guardName = machineName.nestedClass("Guard");
        this.refusals = new Refusals(spec.origins());
    }

    /** Starts a definition: what is refused from now on is its refusal. */
    Refusals begin() {
        refusals = new Refusals(spec.origins());
        return refusals;
    }

    /** The refusals of the definition being emitted. */
    Refusals refusals() {
        return refusals;
    }

    /**
     * A formula of the layout, or, when the layout has none for the type (Layout says so by throwing), a
     * placeholder after refusing the definition being emitted with Layout's reason.
     */
    private Layout.Formula formula(Supplier<Layout.Formula> f) {
        try {
            return f.get();
        } catch (UnsupportedOperationException x) {
            refusals.refuse(x.getMessage());
            return new Layout.Lit(1);
        }
    }

    /** A layout formula as a run-time Java expression; st is the prefix for the state's fields ("st." or ""). */
    String java(Layout.Formula f, String st) {
        return Layout.renderPlain(f, t -> size(t, st), p -> st + p);
    }

    /** A constant expression in Java. */
    String constExpr(Expr e, String st) {
        return java(formula(() -> layout.constant(e)), st);
    }

    /** Number of elements of a finite type (the length of an array indexed by it). */
    String card(Type t, String st) {
        return java(formula(() -> layout.card(t)), st);
    }

    /** Bits in a set over t (see {@link Layout#bitCard}). */
    String bitCard(Type t, String st) {
        return java(formula(() -> layout.bitCard(t)), st);
    }

    String lo(ModelT m, String st) {
        return st + layout.lowParam(m.set());
    }

    /**
     * The size of t: a literal when it does not depend on the constants ("1" for scalars), else the state field
     * computed once at construction.
     */
    String size(Type t, String st) {
        if (formula(() -> layout.sizeRef(t)) instanceof Layout.Lit l) {
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

    String sizeFormula(Type t) {
        return Layout.render(formula(() -> layout.size(t)), x -> size(x, ""), p -> p);
    }

    String fieldOffset(List<Type> types, int index, String st) {
        return java(formula(() -> layout.fieldOffset(types, index)), st);
    }

    /** The least value of the finite type t (at index 0), in Java. */
    String lowest(Type t, String st) {
        return java(formula(() -> layout.lowest(t)), st);
    }

    static String offsetField(String var) {
        return "off_" + var;
    }

    static String describe(Type t) {
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

    static boolean mentionsGhost(Object e) {
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
}
