package dev.ladle.codegen;

import dev.ladle.codegen.Ir.*;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tla2sany.semantic.ASTConstants;
import tla2sany.semantic.AtNode;
import tla2sany.semantic.ExprNode;
import tla2sany.semantic.ExprOrOpArgNode;
import tla2sany.semantic.FormalParamNode;
import tla2sany.semantic.LetInNode;
import tla2sany.semantic.NumeralNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.OpDeclNode;
import tla2sany.semantic.OpDefNode;
import tla2sany.semantic.SemanticNode;
import tla2sany.semantic.StringNode;
import tla2sany.semantic.SubstInNode;
import tla2sany.semantic.SymbolNode;

/**
 * Lowers one SANY expression, in a scope ({@link Env}), to a typed {@link Ir} expression; the passes call
 * {@link #expr} and get the expression with its diagnostics. Names (parameters, constants, variables, the
 * spec's definitions, which are expanded where used) are resolved here; each built-in operator is looked up in
 * a table filled by the construct groups ({@link LowerLogic}, {@link LowerIntegers}, {@link LowerSets},
 * {@link LowerQuantifiers}, {@link LowerFunctions}, {@link LowerRecords}, {@link LowerSequences}); an operator
 * in none of them is refused with {@link Subset}'s reason. Records where each expression came from in
 * {@link Origins}.
 *
 * <p>An expected type (nullable) types tuple literals and empty sets from their context. A construct that does
 * not lower records a located diagnostic and gives null; its callers give null in turn, so one refusal does
 * not cascade into others.
 */
final class Exprs {

    /** How one built-in operator lowers. */
    interface Construct {
        Expr lower(OpApplNode a, Env env, Type expected);
    }

    private final Typing typing;
    private final Origins origins;
    private final Map<String, Construct> constructs = new HashMap<>();
    /** Where the diagnostics of the expression being lowered go (see {@link #expr}). */
    private List<Diagnostic> errors = new ArrayList<>();

    private int depth;
    private int freshCounter;
    /** What @ means inside the EXCEPT being lowered (null outside one). */
    private Expr at;
    /** The variable whose TypeOK set is being lowered (null otherwise), for its sequences' bounds. */
    private String typingVar;
    /** Type constructors between the typed variable and the set being lowered (see {@link Nodes#seqKey}). */
    private int typingDepth;

    Exprs(Typing typing, Origins origins) {
        this.typing = typing;
        this.origins = origins;
        new LowerLogic(this).register(constructs);
        new LowerIntegers(this).register(constructs);
        new LowerSets(this).register(constructs);
        new LowerQuantifiers(this).register(constructs);
        new LowerFunctions(this).register(constructs);
        new LowerRecords(this).register(constructs);
        new LowerSequences(this).register(constructs);
    }

    Typing typing() {
        return typing;
    }

    // ---------------------------------------------------------------- entry points of the passes

    /** Lowers n in env; the expression (null when it does not lower) with the diagnostics it gave. */
    Diagnosed<Expr> expr(ExprOrOpArgNode n, Env env, Type expected) {
        List<Diagnostic> saved = errors;
        errors = new ArrayList<>();
        try {
            Expr e = lower(n, env, expected);
            return Diagnosed.of(e, errors);
        } finally {
            errors = saved;
        }
    }

    /** Lowers the set on the right of {@code v \in S} in TypeOK, giving v's sequences their bounds. */
    Diagnosed<Expr> typeOf(String variable, ExprOrOpArgNode set) {
        typingVar = variable;
        try {
            return expr(set, Env.EMPTY, null);
        } finally {
            typingVar = null;
        }
    }

    // ---------------------------------------------------------------- for the construct groups

    /** Lowers an expression; expected (nullable) types tuple literals and empty sets from their context. */
    Expr lower(ExprOrOpArgNode n, Env env, Type expected) {
        if (++depth > 200) {
            depth--;
            return fail(n, Subset.refusal("RECURSIVE", "recursive definition"));
        }
        try {
            Expr e = lower0(n, env, expected);
            origins.locate(e, Diagnostic.at(n, ""));
            return e;
        } finally {
            depth--;
        }
    }

    /** Records a located error; null, what the construct then gives. */
    Expr fail(SemanticNode n, String message) {
        errors.add(Diagnostic.at(n, message));
        return null;
    }

    /**
     * The set type of e; else null with the error a value of another kind gives here ("a set is expected here,
     * not an integer": TLC stops there, the generator refuses).
     */
    SetT setType(Expr e, SemanticNode where) {
        if (e.type() instanceof SetT st) {
            return st;
        }
        fail(where, "type error: a set is expected here, not " + kind(e.type()));
        return null;
    }

    /** The set s, or a located error when it is a value of another kind (Cardinality(3)). */
    Expr requireSet(Expr s, SemanticNode where, String op) {
        if (s != null && !(s.type() instanceof SetT)) {
            return fail(where, "type error: " + op + " needs a set, not " + kind(s.type()));
        }
        return s;
    }

    /** "a set", "an integer": what a value of type t is, in an error message. */
    private static String kind(Type t) {
        String irType = t.getClass().getSimpleName();
        return switch (irType) {
            case "SetT" -> "a set";
            case "FunT" -> "a function";
            case "RecT" -> "a record";
            case "SeqT" -> "a sequence";
            case "TupT" -> "a tuple";
            case "BoolT" -> "a boolean";
            case "ModelT" -> "a model value";
            case "EnumT" -> "a string";
            case "IntT", "RangeT" -> "an integer";
            default -> irType;
        };
    }

    /** A name for a bound variable, unique in the spec (Emit shows the spec's name). */
    String fresh(String base) {
        return base + "_" + (++freshCounter);
    }

    /** Lowers the value of an EXCEPT update, where @ means the old value at the path (of type t). */
    Expr lowerWithAt(ExprOrOpArgNode n, Env env, Type t) {
        Expr saved = at;
        at = new At(t);
        try {
            return lower(n, env, t);
        } finally {
            at = saved;
        }
    }

    /** Lowers a set inside a set of functions, records, tuples or sequences (one type constructor deeper). */
    Expr lowerInside(ExprOrOpArgNode n, Env env) {
        typingDepth++;
        try {
            return lower(n, env, null);
        } finally {
            typingDepth--;
        }
    }

    /** The bound of a sequence type at this depth of the variable TypeOK is typing (null: none known). */
    Expr seqBound() {
        return typingVar == null ? null : typing.seqBounds.get(typingVar + "@" + typingDepth);
    }

    /**
     * Lowers expressions that must share one type: the first with the expected type, the others with the
     * first's. Sets of integers typed by a literal's range ({1, 2} is a set of 1..2) are widened to the range
     * holding every side's elements ({1, 2} \cup {3} is a set of 1..3), so each side has a bit for its
     * elements in the one layout. Null when one does not lower (its errors recorded).
     */
    List<Expr> lowerJoined(List<ExprOrOpArgNode> ns, Env env, Type expected) {
        int mark = errors.size();
        List<Expr> out = new ArrayList<>();
        Type t = expected;
        for (ExprOrOpArgNode n : ns) {
            Expr e = lower(n, env, t);
            if (e == null) {
                return null;
            }
            out.add(e);
            t = out.get(0).type();
        }
        int[] joined = Fold.literalRange(t);
        // an expected set type (a variable's, from TypeOK) is kept: its layout is the one the value goes to
        if (joined == null || errors.size() != mark || expected instanceof SetT) {
            return out;
        }
        boolean wider = false;
        for (ExprOrOpArgNode n : ns) {
            Expr alone = expr(n, env, null).value();
            int[] r = Fold.literalRange(alone == null ? null : alone.type());
            if (r != null && (r[0] < joined[0] || r[1] > joined[1])) {
                joined = new int[] {Math.min(joined[0], r[0]), Math.max(joined[1], r[1])};
                wider = true;
            }
        }
        if (!wider) {
            return out;
        }
        SetT common = new SetT(new RangeT(new IntLit(joined[0]), new IntLit(joined[1])));
        out.clear();
        for (ExprOrOpArgNode n : ns) {
            Expr e = lower(n, env, common);
            if (e == null) {
                return null;
            }
            out.add(e);
        }
        return out;
    }

    /** Whether n takes its type from the other side (a tuple literal, {}), so that side is lowered first. */
    static boolean needsContext(ExprOrOpArgNode n) {
        return n instanceof OpApplNode a
                && (Nodes.opName(a).equals("$Tuple")
                        || (Nodes.opName(a).equals("$SetEnumerate") && a.getArgs().length == 0));
    }

    // ---------------------------------------------------------------- names and the table

    private Expr lower0(ExprOrOpArgNode n, Env env, Type expected) {
        if (n instanceof SubstInNode sub) {
            return lower(sub.getBody(), env.substitute(sub), expected);
        }
        if (n instanceof NumeralNode num) {
            return new IntLit(num.val());
        } else if (n instanceof StringNode s) {
            String v = s.getRep().toString();
            EnumT e = typing.enumOf.get(v);
            return new EnumLit(e, e.values().indexOf(v));
        } else if (n instanceof AtNode a) {
            if (at == null) {
                return fail(n, "@ outside EXCEPT");
            }
            return at;
        } else if (n instanceof LetInNode let) {
            return lower(let.getBody(), env, expected);
        } else if (n instanceof OpApplNode a) {
            return lowerAppl(a, env, expected);
        } else {
            return fail(
                    n,
                    Subset.refusal(
                            n.getClass().getSimpleName(), "`" + n.getClass().getSimpleName() + "`"));
        }
    }

    private Expr lowerAppl(OpApplNode a, Env env, Type expected) {
        SymbolNode sym = a.getOperator();
        String op = Nodes.canon(sym.getName().toString());
        if (sym instanceof FormalParamNode fp) {
            Object b = env.get(fp);
            if (b instanceof Env.Thunk t) {
                return lower(t.node(), t.env(), expected);
            }
            if (b instanceof Expr e) {
                return e;
            }
            return fail(a, "unbound parameter " + op);
        }
        if (sym instanceof OpDeclNode d && env.get(d) instanceof Env.Thunk t) {
            // a constant or variable of an INSTANCEd module, replaced by its WITH expression
            return lower(t.node(), t.env(), expected);
        }
        if (sym instanceof OpDeclNode d) {
            return declared(a, d, op);
        }
        if (!(sym instanceof OpDefNode def)) {
            return fail(a, Subset.refusal(op, "`" + op + "`"));
        }
        boolean builtin = def.getKind() == ASTConstants.BuiltInKind;
        if (!builtin && !Nodes.isStandard(def)) {
            return expand(a, def, op, env, expected);
        }
        Construct c = constructs.get(op);
        return c == null ? fail(a, Subset.refusal(op, "`" + op + "`")) : c.lower(a, env, expected);
    }

    /** A variable or constant: its kind from type inference. */
    private Expr declared(OpApplNode a, OpDeclNode d, String op) {
        if (d.getKind() == ASTConstants.VariableDeclKind) {
            Type t = typing.varTypes.get(op);
            if (t == null) {
                return fail(a, "variable " + op + " has no type from TypeOK");
            }
            return new Var(op, t);
        }
        ConstKind kind = typing.constKinds.get(op);
        if (kind == null) {
            // a constant of a module this one instantiates (INSTANCE ... WITH): type inference sees only the root's
            return fail(
                    a,
                    "unsupported: constant " + op + " of an instantiated module: type inference reads the root module's"
                            + " constants only; substitute it in the INSTANCE's WITH or declare it in the root module");
        }
        return switch (kind) {
            case MODEL_SET -> new ConstSet(new ModelT(op));
            case DATA -> new Var(op, typing.dataTypes.get(op));
            case DOMAIN -> new TypeSet(TypeSet.Kind.CONSTANT, List.of(), List.of(op), typing.dataTypes.get(op));
            default -> new ConstInt(op);
        };
    }

    /** A use of one of the spec's definitions: its body, lowered with the parameters bound to the arguments. */
    private Expr expand(OpApplNode a, OpDefNode def, String op, Env env, Type expected) {
        if (def.getInRecursive()) {
            return fail(a, Subset.refusal("RECURSIVE", op));
        }
        for (ExprOrOpArgNode x : a.getArgs()) {
            if (!(x instanceof ExprNode)) {
                return fail(a, "unsupported: higher-order operator argument in " + op);
            }
        }
        Expr body = lower(def.getBody(), env.withParams(def, a), expected);
        // Emit names the local holding a shared value after the operator or LET definition it came from
        origins.name(body, def.getName().toString());
        return body;
    }
}
