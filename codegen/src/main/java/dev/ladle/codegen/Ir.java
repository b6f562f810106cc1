package dev.ladle.codegen;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The typed intermediate representation between {@link Lower} and {@link Emit}: a spec is constants,
 * variables with storage types, an initial assignment, actions (guards then updates), invariants.
 * Every expression carries its type; the types decide the runtime shape (see {@link Emit}).
 */
public final class Ir {
    private Ir() {}

    // ---- types ----

    /** A value type. Scalars (int, bool, model value, enum constant) occupy one memory word. */
    public sealed interface Type permits IntT, BoolT, ModelT, EnumT, RangeT, SetT, FunT, RecT, TupT, SeqT {
        default boolean scalar() {
            return this instanceof IntT
                    || this instanceof BoolT
                    || this instanceof ModelT
                    || this instanceof EnumT
                    || this instanceof RangeT;
        }

        /** Finite types can index arrays (function domains) and be bitset universes. */
        default boolean finite() {
            return this instanceof BoolT || this instanceof ModelT || this instanceof EnumT || this instanceof RangeT;
        }
    }

    public record IntT() implements Type {}

    public record BoolT() implements Type {}

    /** An element of a constant set of model values, represented by its id 0..n-1. */
    public record ModelT(String set) implements Type {}

    /** A string drawn from an enumerated set of strings; represented by its ordinal. */
    public record EnumT(String name, List<String> values) implements Type {}

    /** An integer known to lie in lo..hi (constant expressions); needed to index arrays and bitsets. */
    public record RangeT(Expr lo, Expr hi) implements Type {}

    public record SetT(Type elem) implements Type {}

    public record FunT(Type dom, Type range) implements Type {}

    public record RecT(List<String> names, List<Type> types) implements Type {
        public Type field(String name) {
            int i = names.indexOf(name);
            return i < 0 ? null : types.get(i);
        }
    }

    /** A tuple; one whose components are all finite scalars is itself a scalar, packed into one word. */
    public record TupT(List<Type> types) implements Type {
        @Override
        public boolean scalar() {
            return types.stream().allMatch(Type::finite);
        }

        @Override
        public boolean finite() {
            return scalar();
        }
    }

    /** A sequence whose length never exceeds max (a constant expression). */
    public record SeqT(Type elem, Expr max) implements Type {}

    // ---- expressions ----

    public sealed interface Expr {
        Type type();
    }

    public record IntLit(int value) implements Expr {
        public Type type() {
            return new IntT();
        }
    }

    public record BoolLit(boolean value) implements Expr {
        public Type type() {
            return new BoolT();
        }
    }

    public record EnumLit(EnumT type, int ordinal) implements Expr {}

    /** An integer constant (a construction parameter). */
    public record ConstInt(String name) implements Expr {
        public Type type() {
            return new IntT();
        }
    }

    /** A constant set of model values, as a set value. */
    public record ConstSet(ModelT elem) implements Expr {
        public Type type() {
            return new SetT(elem);
        }
    }

    /** A state variable, primed or not (primes appear only as update targets, never in expressions). */
    public record Var(String name, Type type) implements Expr {}

    /** A bound variable or an action parameter (always scalar). */
    public record Local(String name, Type type) implements Expr {}

    public enum BinOp {
        ADD,
        SUB,
        MUL,
        DIV,
        MOD,
        LT,
        LE,
        GT,
        GE
    }

    public record Bin(BinOp op, Expr a, Expr b) implements Expr {
        public Type type() {
            return switch (op) {
                case LT, LE, GT, GE -> new BoolT();
                default -> new IntT();
            };
        }
    }

    public record Neg(Expr a) implements Expr {
        public Type type() {
            return new IntT();
        }
    }

    public record Eq(Expr a, Expr b, boolean negated) implements Expr {
        public Type type() {
            return new BoolT();
        }
    }

    public record Not(Expr a) implements Expr {
        public Type type() {
            return new BoolT();
        }
    }

    public record And(List<Expr> args) implements Expr {
        public Type type() {
            return new BoolT();
        }
    }

    public record Or(List<Expr> args) implements Expr {
        public Type type() {
            return new BoolT();
        }
    }

    public record Implies(Expr a, Expr b) implements Expr {
        public Type type() {
            return new BoolT();
        }
    }

    public record If(Expr cond, Expr then, Expr otherwise, Type type) implements Expr {}

    /** CASE arms in order; other may be null (then no arm matching is an error, as in TLC). */
    public record Case(List<Expr> conds, List<Expr> values, Expr other, Type type) implements Expr {}

    public record Quant(boolean forall, Local var, Expr set, Expr body) implements Expr {
        public Type type() {
            return new BoolT();
        }
    }

    /** Membership; the set may be a value or a type-set ({@link TypeSet}). */
    public record In(Expr elem, Expr set) implements Expr {
        public Type type() {
            return new BoolT();
        }
    }

    public record Subseteq(Expr a, Expr b) implements Expr {
        public Type type() {
            return new BoolT();
        }
    }

    public record SetEnum(List<Expr> elems, SetT type) implements Expr {}

    public record SetRange(Expr lo, Expr hi, SetT type) implements Expr {}

    public enum SetOp {
        UNION,
        INTER,
        DIFF
    }

    public record SetBin(SetOp op, Expr a, Expr b, SetT type) implements Expr {}

    public record SetFilter(Local var, Expr set, Expr pred, SetT type) implements Expr {}

    public record SetMap(List<Local> vars, List<Expr> sets, Expr body, SetT type) implements Expr {}

    /** CHOOSE x \\in S : P, as the first element of S (in TLC's order) that satisfies P. */
    public record Choose(Local var, Expr set, Expr pred, Type type) implements Expr {}

    public record Card(Expr set) implements Expr {
        public Type type() {
            return new IntT();
        }
    }

    /**
     * Sets that only describe types ({@code Nat}, {@code [S -> T]}, {@code Seq(S)}, ...): usable on the right of
     * \in.
     */
    public record TypeSet(Kind kind, List<Expr> parts, List<String> names, Type elem) implements Expr {
        /** CONSTANT: a constant set of structured values, usable only as a domain in Next. */
        public enum Kind {
            NAT,
            INT,
            BOOLEAN,
            FUNCTIONS,
            RECORDS,
            SEQUENCES,
            POWERSET,
            PRODUCT,
            CONSTANT
        }

        public Type type() {
            return new SetT(elem);
        }
    }

    /** [x \\in S |-> e]; typed as a sequence when its context expects one and S is 1..n. */
    public record FunCons(Local var, Expr dom, Expr body, Type type) implements Expr {}

    public record App(Expr fun, Expr arg, Type type) implements Expr {}

    public record Domain(Expr fun, SetT type) implements Expr {}

    public sealed interface Step permits Index, Field {}

    public record Index(Expr arg) implements Step {}

    public record Field(String name) implements Step {}

    public record ExceptUpdate(List<Step> path, Expr value) {}

    public record Except(Expr base, List<ExceptUpdate> updates, Type type) implements Expr {}

    /** {@code @} inside an EXCEPT value: the old value at the path being replaced. */
    public record At(Type type) implements Expr {}

    public record RecCons(List<Expr> values, RecT type) implements Expr {}

    public record Sel(Expr rec, String field, Type type) implements Expr {}

    /** A tuple literal typed as a tuple, a sequence or a function over 1..n, by its context. */
    public record TupCons(List<Expr> elems, Type type) implements Expr {}

    public record Append(Expr seq, Expr elem) implements Expr {
        public Type type() {
            return seq.type();
        }
    }

    public record Head(Expr seq, Type type) implements Expr {}

    public record Tail(Expr seq) implements Expr {
        public Type type() {
            return seq.type();
        }
    }

    public record Len(Expr seq) implements Expr {
        public Type type() {
            return new IntT();
        }
    }

    public record SubSeq(Expr seq, Expr from, Expr to) implements Expr {
        public Type type() {
            return seq.type();
        }
    }

    public record Concat(Expr a, Expr b) implements Expr {
        public Type type() {
            return a.type();
        }
    }

    // ---- the spec ----

    /**
     * MODEL_SET: a set of model values or of integers (n elements from lo, both construction parameters);
     * INT: an integer or a single model value (passed as its id); DATA: a structured constant such as a boot
     * table, typed by an ASSUME and loaded into the state's data region; DOMAIN: a set of structured values
     * that only Next quantifies over (the caller picks the values).
     */
    public enum ConstKind {
        MODEL_SET,
        INT,
        DATA,
        DOMAIN
    }

    public record Constant(String name, ConstKind kind, Type type) {}

    /** A ghost variable ({@code h} + uppercase letter) exists only in the checking variant. */
    public record Variable(String name, Type type, boolean ghost) {}

    public record Param(String name, Type type) {}

    public sealed interface ActionStep permits Guard, Update {}

    /**
     * A guard conjunct; label is the guard operator's name, else its text when short, else "conjunct N at line L,
     * col C"; where and text are its place and its TLA+ text (text empty when the source was not at hand).
     */
    public record Guard(String label, String id, Expr cond, Diagnostic where, String text) implements ActionStep {}

    public record Update(String var, Expr value) implements ActionStep {}

    /**
     * An action; where is its definition's location, for errors found after lowering, and header the first line of
     * its definition as written ({@code Send(t, d, w) ==}; empty when the source was not at hand).
     */
    public record Action(
            String name,
            List<Param> params,
            List<ActionStep> steps,
            List<String> unchanged,
            Diagnostic where,
            String header) {}

    public record Invariant(String name, Expr body, Diagnostic where) {}

    public record Init(String var, Expr value) {}

    public record Spec(
            String module,
            List<Constant> constants,
            List<Variable> variables,
            List<Variable> data,
            List<EnumT> enums,
            String typeOKName,
            Expr typeOK,
            List<Init> init,
            List<Action> actions,
            List<Invariant> invariants,
            List<NextInstance> next,
            Diagnostic typeOKWhere,
            List<String> uncheckedInvariants,
            Origins origins) {

        public Variable variable(String name) {
            return variables.stream()
                    .filter(v -> v.name().equals(name))
                    .findFirst()
                    .orElse(null);
        }

        public Variable dataConstant(String name) {
            return data.stream().filter(v -> v.name().equals(name)).findFirst().orElse(null);
        }

        public Action action(String name) {
            return actions.stream()
                    .filter(a -> a.name().equals(name))
                    .findFirst()
                    .orElse(null);
        }
    }

    /**
     * Where the expressions and variable types of a spec came from, kept beside the IR rather than in each record
     * (records compare by value, and two equal expressions at two places keep two origins): the location of the
     * TLA+ construct each expression was lowered from, the operator or LET definition it is the expansion of, and
     * the TypeOK conjunct that typed each variable. Emit locates its refusals and names its locals with these.
     * Filled by Lower only; read-only afterwards.
     */
    public static final class Origins {
        private final Map<Expr, Diagnostic> where = new IdentityHashMap<>();
        private final Map<Expr, String> operator = new IdentityHashMap<>();
        private final Map<String, Diagnostic> typedAt = new HashMap<>();

        /** Records the construct e was lowered from; the first (innermost) location of an expression wins. */
        void locate(Expr e, Diagnostic at) {
            if (e != null && at != null && at.line() > 0) {
                where.putIfAbsent(e, at);
            }
        }

        /** Records that e is the expansion of the operator (or LET definition) name; the use site's name wins. */
        void name(Expr e, String name) {
            if (e != null) {
                operator.put(e, name);
            }
        }

        void typed(String variable, Diagnostic at) {
            typedAt.putIfAbsent(variable, at);
        }

        /** The construct e was lowered from, or null for an expression a later pass built. */
        public Diagnostic where(Expr e) {
            return where.get(e);
        }

        /** The operator or LET definition e is the expansion of, or null. */
        public String operator(Expr e) {
            return operator.get(e);
        }

        /** The TypeOK conjunct that typed the variable (or ASSUME that typed the data constant), or null. */
        public Diagnostic typedAt(String variable) {
            return typedAt.get(variable);
        }
    }

    /**
     * One disjunct of Next: {@code \E b1 \in D1, ... : Action(args)}. Keeps the SANY nodes so a checker can
     * evaluate the domains and arguments with TLC's evaluator.
     */
    public record NextInstance(
            String action,
            List<tla2sany.semantic.FormalParamNode> bound,
            List<tla2sany.semantic.ExprNode> domains,
            List<tla2sany.semantic.ExprOrOpArgNode> args) {}
}
