package dev.ladle.codegen;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The supported TLA+ subset, as data: every operator the generator knows, with how it lowers or why it is
 * refused. {@link Lower} consults it for every operator it meets; docs/tla-subset.md is rendered from it.
 */
public final class Subset {

    /** One row: the operator as written, SANY's internal name, and either a lowering or a refusal reason. */
    public record Entry(String written, String sanyName, boolean supported, String how) {}

    private static final List<Entry> ENTRIES = List.of(
            ok("TRUE, FALSE, BOOLEAN", "BOOLEAN", "`boolean`; stored as one word 0/1; `BOOLEAN` is a type-set"),
            ok("integer literals, Nat, Int", "Nat", "`int`; `Nat`/`Int` only as types on the right of `\\in`"),
            ok(
                    "+ - * \\div % (and unary -)",
                    "+",
                    "32-bit `int` arithmetic checked like TLC's: overflow raises (`Math.addExact` and friends), "
                            + "`\\div` by 0 and `%` by a non-positive number raise"),
            ok("< <= > >=", "<", "Java comparisons"),
            ok(
                    "= /= #",
                    "=",
                    "`==` on scalars, a flat word compare on structured values (kept canonical); `S = {}` tests "
                            + "S's words"),
            ok("/\\ \\/ ~ => (and bulleted lists)", "$ConjList", "short-circuit `&&`, `||`, `!`"),
            ok("a..b", "..", "a range test for `\\in`; a bitset when used as a value"),
            ok(
                    "string constants",
                    "STRING",
                    "an enum per group of string sets that share a string (ordinal in memory)"),
            ok(
                    "constant sets (model values, or an interval of integers)",
                    "CONSTANT",
                    "`int`: model values as ids from the set's lowest, integers as themselves; size and lowest "
                            + "element are named "
                            + "components of the generated Config; an element of one set compared with or joined to an "
                            + "element of another constant set is refused where they meet"),
            ok(
                    "constants: naturals, single model values (a null such as NoObj)",
                    "CONSTANT1",
                    "construction parameters (a lone model value gets an id below every set, where sets keep a "
                            + "bit for it)"),
            ok(
                    "structured constants typed by ASSUME C \\in T (boot tables)",
                    "ASSUME",
                    "a read-only data region of the state, loaded through its named setters before init()"),
            ok(
                    "ASSUME C \\subseteq T with structured T (e.g. message payloads)",
                    "ASSUME2",
                    "a domain for Next only: the caller passes the chosen value's words"),
            ok(
                    "{a, b}, {}",
                    "$SetEnumerate",
                    "a bitset over the element type (ints in memory, 32 per word); integer literals type it by their "
                            + "range, and literals meeting in \\cup, \\cap, \\, \\subseteq, =, IF or CASE by the "
                            + "range holding both"),
            ok("\\in \\notin", "\\in", "a bit test, a range test, or a structural membership test for type-sets"),
            ok(
                    "\\cup \\cap \\",
                    "\\cup",
                    "word-wise or / and / and-not; sets over two different integer ranges meeting here are refused "
                            + "with their location. An element of a literal computed at run time may fall outside the "
                            + "range (TLC takes any integer): `S \\cap {x}` and `S \\ {x}` leave it out, `S = {x}` is "
                            + "FALSE and `S \\subseteq {x, y}` counts only S's elements, as in TLC; a union that would "
                            + "hold it stops, as the set has no bit for it (regression spec `regress/OutOfType.tla`)"),
            ok("\\subseteq", "\\subseteq", "word-wise inclusion"),
            ok("SUBSET S", "SUBSET", "only as a type (`x \\in SUBSET S`): a bitset variable"),
            ok("Cardinality", "Cardinality", "population count over the bitset"),
            ok(
                    "{x \\in S : P}, {e : x \\in S}",
                    "$SubsetOf",
                    "a loop filling a scratch bitset; a set of every value of a constant set is filled a word at a "
                            + "time"),
            ok(
                    "\\A x \\in S : P, \\E x \\in S : P",
                    "$BoundedForall",
                    "a loop over the finite set S with early exit (predicates only); over a bitset, a word at a "
                            + "time: a zero word is skipped, each element is the word's lowest set bit "
                            + "(`Integer.numberOfTrailingZeros`), in ascending order"),
            ok("[x \\in S |-> e]", "$FcnConstructor", "a loop filling an array region"),
            ok(
                    "f[x]",
                    "$FcnApply",
                    "array indexing (id, ordinal, or x - lo); a computed integer outside the domain raises, as in "
                            + "TLC; s[i] outside 1..Len(s) raises"),
            ok("[S -> T]", "$SetOfFcns", "only as a type: an array of T over the finite set S"),
            ok("DOMAIN f", "DOMAIN", "the finite domain of the function, or 1..Len(s) for a sequence"),
            ok(
                    "[f EXCEPT ![a] = e, !.g = e]",
                    "$Except",
                    "the updates in order, each `@` seeing the previous ones (in-place writes at the paths when the "
                            + "base is the updated variable and no two paths can meet, else copy then write); a path "
                            + "outside a function's domain or a sequence's length leaves the value unchanged, as in "
                            + "TLC"),
            ok("@", "@", "the value at the EXCEPT path after the updates before this one"),
            ok("[a |-> e, b |-> e]", "$RcdConstructor", "fields laid out in order in the value's region"),
            ok("r.a", "$RcdSelect", "an offset inside the record's region"),
            ok("[a : S, b : T]", "$SetOfRcds", "only as a type: a record of the field types"),
            ok(
                    "<<a, b>>",
                    "$Tuple",
                    "a tuple, a sequence or a function over 1..n, by context; a tuple of finite "
                            + "scalars (a capability node <<thread, slot>>) is packed into one word, so sets of them "
                            + "are bitsets. A tuple whose integer component falls outside its range (packed, it "
                            + "would name another tuple) is no member of a set of the type and taking it out of one "
                            + "changes nothing, as in TLC; putting it in a set or storing it stops the machine "
                            + "(regression specs `regress/TupleRange.tla`, `regress/TupleRangeOutside.tla`)"),
            ok("S \\X T", "\\X", "a tuple type; quantifiable when its components are finite"),
            ok(
                    "CHOOSE x \\in S : P",
                    "$BoundedChoose",
                    "the first element of S in TLC's order that satisfies P (deterministic, "
                            + "and equal to TLC's whenever P picks one element, such as a minimum); none satisfying "
                            + "throws, as in TLC. The lowest element of a bitset (`CHOOSE x \\in S : TRUE`, or "
                            + "`: \\A y \\in S : x <= y` with the same S) is the first nonzero word's lowest set bit, "
                            + "O(words); "
                            + "an empty S throws as TLC does"),
            ok(
                    "Seq(S)",
                    "Seq",
                    "only as a type, bounded by `Len(x) <= K` in TypeOK or a guard `Len(x) < K`: length word "
                            + "then K slots, front-aligned"),
            ok(
                    "Append Head Tail Len SubSeq \\o",
                    "Append",
                    "writes into the bounded slots; exceeding the bound throws (the spec's bound was wrong); Head and "
                            + "Tail of <<>> raise, as in TLC; each nesting level of a sequence of sequences keeps its "
                            + "own "
                            + "bound"),
            ok("[i \\in 1..n |-> e] where a sequence is expected", "$FcnConstructorSeq", "a sequence of length n"),
            ok(
                    "IF THEN ELSE, CASE (with OTHER)",
                    "$IfThenElse",
                    "Java conditionals; a CASE with no matching arm throws, as in TLC"),
            ok("LET x == e IN", "$Let", "definitions expanded where used (pure, so the result is the same)"),
            ok(
                    "operators with parameters",
                    "$UserOp",
                    "expanded at the call site (call by name; all operators are pure)"),
            ok(
                    "v' = e, UNCHANGED <<...>>",
                    "'",
                    "an action's updates: computed from the old state, then committed together; "
                            + "[v EXCEPT ![a] = Append(@, m)] writes only the new slot"),
            ok(
                    "TypeOK, Init, Next or PrefixTypeOK, PrefixInit, PrefixNext",
                    "$Roles",
                    "the spec's own definitions with those names, else its one definition ending in the name"),
            ok(
                    "invariants: state predicates not used by Init, Next or TypeOK",
                    "$Invariants",
                    "one checker method each; one outside the subset gets no checker and a note (TLC still checks it)"),
            ok("EXTENDS, INSTANCE of project modules", "EXTENDS", "resolved by SANY; definitions expand as above"),
            no("unbounded CHOOSE", "$UnboundedChoose", "not executable: choose from a finite set"),
            no(
                    "\\E inside an action body",
                    "$BoundedExists'",
                    "nondeterminism: the action's parameters and domains belong in Next"),
            no("x' \\in S", "\\in'", "nondeterministic update: pass the chosen value as an action parameter"),
            no(
                    "IF/CASE around primed updates",
                    "$IfThenElse'",
                    "write `v' = IF c THEN a ELSE b` so every branch updates the same variables"),
            no("unbounded \\A x : P, \\E x : P", "$UnboundedForall", "not executable: quantify over a finite set"),
            no("UNION, SUBSET as a value", "UNION", "sets of sets have no fixed-size representation"),
            no(
                    "\\E f \\in [S -> T] (quantifying over functions)",
                    "$IterFunctions",
                    "enumerating a function space is exponential; quantify over its domain instead"),
            no(
                    "sets of records, tuples or sequences",
                    "$SetOfStructured",
                    "a bitset needs a finite scalar universe (model values, strings, a..b, BOOLEAN)"),
            no("RECURSIVE operators", "RECURSIVE", "expansion at the call site would not terminate"),
            no(
                    "temporal operators ([] <> ~> WF SF ENABLED)",
                    "[]",
                    "not state machine code; they belong in the model-checking config"),
            no("SelectSeq, Seq as a value, STRING as a value", "SelectSeq", "needs higher-order or infinite values"),
            no("real numbers", "$Real", "the kernel has no real arithmetic"));

    private static final Map<String, Entry> BY_NAME = new LinkedHashMap<>();

    static {
        for (Entry e : ENTRIES) {
            BY_NAME.put(e.sanyName(), e);
        }
    }

    private Subset() {}

    private static Entry ok(String written, String sany, String how) {
        return new Entry(written, sany, true, how);
    }

    private static Entry no(String written, String sany, String why) {
        return new Entry(written, sany, false, why);
    }

    public static List<Entry> entries() {
        return ENTRIES;
    }

    /** The refusal for an unsupported construct, as the message of a located diagnostic. */
    static String refusal(String sanyName, String fallbackWritten) {
        Entry e = BY_NAME.get(sanyName);
        if (e != null && !e.supported()) {
            return "unsupported: " + e.written() + " (" + e.how() + ")";
        }
        return "unsupported: " + fallbackWritten + " is outside the supported TLA+ subset (see docs/tla-subset.md)";
    }

    /** Renders docs/tla-subset.md; a test fails when the committed file differs. */
    public static String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# The TLA+ subset the code generator accepts\n\n");
        sb.append("Generated from `dev.ladle.codegen.Subset` (the table in code is the source; "
                + "`SubsetDocTest` fails when this file is stale; regenerate with "
                + "`mvn -pl codegen test -Dtest=SubsetDocTest -Dladle.writeDocs=true`).\n\n");
        sb.append("Specs are written to these rules: `TypeOK` types every variable with `v \\in T`; `Init` is a "
                + "conjunction of `v = e`; each action is an operator whose body is a `/\\` list of guards "
                + "(no primes), "
                + "`v' = e` and `UNCHANGED`; `Next` is a disjunction of `\\E x \\in S, ... : Action(args)`. "
                + "A variable named `h` followed by an uppercase letter is a ghost: it exists only in the "
                + "checking variant of the generated machine.\n\n");
        sb.append("The rule for every row: a construct is either generated and agrees with TLC on every value TLC "
                + "accepts (and raises where TLC stops with an error: overflow, `Head(<<>>)`, CHOOSE with no "
                + "witness, a CASE with no arm, a function applied outside its domain), or refused with the module, "
                + "line and column. The differential walk (`ladle generate --check`) and the fuzz property "
                + "(`ladle generate --fuzz N`) check the first half against TLC's own evaluator.\n\n");
        sb.append("## Supported\n\n| construct | lowers to |\n|---|---|\n");
        for (Entry e : ENTRIES) {
            if (e.supported()) {
                sb.append("| ")
                        .append(cell(e.written()))
                        .append(" | ")
                        .append(cell(e.how()))
                        .append(" |\n");
            }
        }
        sb.append("\n## Refused, with a located error\n\n| construct | why |\n|---|---|\n");
        for (Entry e : ENTRIES) {
            if (!e.supported()) {
                sb.append("| ")
                        .append(cell(e.written()))
                        .append(" | ")
                        .append(cell(e.how()))
                        .append(" |\n");
            }
        }
        sb.append("\nAnything not listed is refused the same way: the error names the module, line, column and the "
                + "operator.\n");
        return sb.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|");
    }
}
