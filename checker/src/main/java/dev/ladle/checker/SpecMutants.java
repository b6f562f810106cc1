package dev.ladle.checker;

import dev.ladle.tla.Sany;
import dev.ladle.tla.SourceError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tla2sany.semantic.ExprNode;
import tla2sany.semantic.ExprOrOpArgNode;
import tla2sany.semantic.FormalParamNode;
import tla2sany.semantic.LetInNode;
import tla2sany.semantic.ModuleNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.OpDeclNode;
import tla2sany.semantic.OpDefNode;
import tla2sany.semantic.SemanticNode;
import tla2sany.semantic.SymbolNode;
import tla2sany.st.Location;

/**
 * Single-change mutants of a spec, found on SANY's semantic tree, in the manner of PIT's mutation
 * operators for Java: drop a conjunct, negate a condition, move a comparison boundary, replace a
 * set operator, drop an EXCEPT path, swap two arguments of the same type, prime or unprime a
 * variable. Only the definitions the behaviour uses (reachable from {@code Init} and {@code Next})
 * are mutated: invariants, type predicates and postconditions are the tests, not the code.
 *
 * <p>A mutant is a text edit of one module file (line and column ranges from SANY, 1-based,
 * inclusive), so it can be shown as a diff and applied to a copy of the specs folder.
 */
public final class SpecMutants {

    /**
     * One mutant.
     *
     * @param module the module file it edits ({@code Kernel} for {@code Kernel.tla})
     * @param definition the definition the change is in
     * @param operator the mutation operator ({@code drop conjunct}, {@code < -> <=}, ...)
     * @param line first line of the replaced text
     * @param column first column (1-based)
     * @param endLine last line
     * @param endColumn last column (inclusive)
     * @param original the replaced text
     * @param replacement what replaces it
     * @param context the source lines the change is on, whitespace runs as one space (empty when
     *     not known)
     */
    public record Mutant(
            String module,
            String definition,
            String operator,
            int line,
            int column,
            int endLine,
            int endColumn,
            String original,
            String replacement,
            String context) {

        public Mutant(
                String module,
                String definition,
                String operator,
                int line,
                int column,
                int endLine,
                int endColumn,
                String original,
                String replacement) {
            this(module, definition, operator, line, column, endLine, endColumn, original, replacement, "");
        }

        /** {@code Kernel.tla:56:8}. */
        public String where() {
            return module + ".tla:" + line + ":" + column;
        }

        /**
         * What the mutant is, without where: {@code Kernel.tla (Send) drop conjunct: CanSend(t, d) -> TRUE
         * in "/\\ CanSend(t, d)"}, with the source lines it is on (whitespace runs as one space), so
         * that a list of equivalent mutants survives edits elsewhere in the file.
         */
        public String key() {
            String k = module + ".tla (" + definition + ") " + operator + ": "
                    + original.replaceAll("\\s+", " ").strip() + " -> "
                    + replacement.replaceAll("\\s+", " ").strip();
            return context.isEmpty() ? k : k + " in \"" + context + "\"";
        }

        /** The mutated text of the whole module, given its original text. */
        public String apply(String text) {
            int from = offset(text, line, column);
            int to = offset(text, endLine, endColumn) + 1;
            return text.substring(0, from) + replacement + text.substring(to);
        }

        /** The changed lines as a diff: the original lines with {@code -}, the mutated ones with {@code +}. */
        public String diff(String text) {
            String[] before = text.split("\n", -1);
            String[] after = apply(text).split("\n", -1);
            int lastBefore = endLine;
            int lastAfter = endLine + (after.length - before.length);
            StringBuilder d = new StringBuilder();
            for (int i = line; i <= lastBefore; i++) {
                d.append("- ").append(before[i - 1]).append('\n');
            }
            for (int i = line; i <= lastAfter; i++) {
                d.append("+ ").append(after[i - 1]).append('\n');
            }
            return d.toString();
        }
    }

    /** Comparison boundary mutations: the operator's SANY name, its symbols in the text, and its replacement. */
    private static final Map<String, String[]> BOUNDARY = Map.of(
            "<", new String[] {"<", "<="},
            "\\leq", new String[] {"<=", "<"},
            ">", new String[] {">", ">="},
            "\\geq", new String[] {">=", ">"});

    private SpecMutants() {}

    /**
     * The mutants of the modules in {@code modules} that the behaviour of {@code spec} (its
     * {@code Init} and {@code Next}, or its one definition ending in each name, such as {@code
     * PersistNext}) uses, in source order.
     *
     * @throws IllegalArgumentException naming the file, line and column when the spec does not parse
     */
    public static List<Mutant> of(Path spec, Set<String> modules) {
        Sany.Parsed parsed = Sany.resolve(spec);
        if (parsed.root() == null) {
            List<String> errors =
                    parsed.errors().stream().map(SourceError::toString).toList();
            throw new IllegalArgumentException(String.join("\n", errors));
        }
        ModuleNode root = parsed.root();
        Map<String, OpDefNode> defs = new HashMap<>();
        for (OpDefNode d : root.getOpDefs()) {
            defs.put(d.getName().toString(), d);
        }
        String name = root.getName().toString();
        List<OpDefNode> roots = new ArrayList<>();
        // The spec's own Init and Next, or (as the code generator reads them) its one definition ending in the name.
        for (String suffix : List.of("Init", "Next")) {
            OpDefNode exact = defs.get(suffix);
            if (exact != null
                    && exact.getLocation() != null
                    && name.equals(exact.getLocation().source())) {
                roots.add(exact);
                continue;
            }
            for (OpDefNode d : defs.values()) {
                if (d.getName().toString().endsWith(suffix)
                        && d.getLocation() != null
                        && name.equals(d.getLocation().source())) {
                    roots.add(d);
                }
            }
        }
        if (roots.isEmpty()) {
            throw new IllegalArgumentException(spec + ": no Init or Next to start from");
        }
        Set<OpDefNode> used = new LinkedHashSet<>();
        for (OpDefNode r : roots) {
            reach(r, used);
        }
        Map<String, String> texts = new HashMap<>();
        List<Mutant> out = new ArrayList<>();
        Map<String, String> actionParamTypes = actionParamTypes(roots);
        for (OpDefNode d : used) {
            Location loc = d.getLocation();
            if (loc == null || !modules.contains(loc.source())) {
                continue;
            }
            String text = texts.computeIfAbsent(loc.source(), m -> read(spec.resolveSibling(m + ".tla")));
            Walker w = new Walker(loc.source(), d.getName().toString(), text, out, actionParamTypes);
            w.initial = d.getName().toString().endsWith("Init") && roots.contains(d);
            w.walk(d.getBody());
        }
        for (int i = 0; i < out.size(); i++) {
            Mutant m = out.get(i);
            String[] lines = texts.get(m.module()).split("\n", -1);
            StringBuilder c = new StringBuilder();
            for (int l = m.line(); l <= m.endLine(); l++) {
                c.append(lines[l - 1]).append(' ');
            }
            out.set(
                    i,
                    new Mutant(
                            m.module(),
                            m.definition(),
                            m.operator(),
                            m.line(),
                            m.column(),
                            m.endLine(),
                            m.endColumn(),
                            m.original(),
                            m.replacement(),
                            c.toString().replaceAll("\\s+", " ").strip()));
        }
        out.sort((a, b) -> a.module().equals(b.module())
                ? a.line() != b.line() ? Integer.compare(a.line(), b.line()) : Integer.compare(a.column(), b.column())
                : a.module().compareTo(b.module()));
        return out;
    }

    /** Every user definition {@code d} uses, directly or through others. */
    private static void reach(OpDefNode d, Set<OpDefNode> seen) {
        if (d.getBody() == null || !seen.add(d)) {
            return;
        }
        List<OpDefNode> calls = new ArrayList<>();
        collectCalls(d.getBody(), calls);
        for (OpDefNode c : calls) {
            reach(c, seen);
        }
    }

    private static void collectCalls(SemanticNode n, List<OpDefNode> calls) {
        if (n == null) {
            return;
        }
        if (n instanceof OpApplNode a && a.getOperator() instanceof OpDefNode od && od.getBody() != null) {
            calls.add(od);
        }
        if (n instanceof LetInNode let) {
            for (OpDefNode d : let.getLets()) {
                collectCalls(d.getBody(), calls);
            }
        }
        SemanticNode[] kids = n.getChildren();
        if (kids != null) {
            for (SemanticNode k : kids) {
                collectCalls(k, calls);
            }
        }
    }

    /**
     * The parameters of each action as Next quantifies them: {@code Action.param -> domain text},
     * so that two arguments bound by the same set can be swapped.
     */
    private static Map<String, String> actionParamTypes(List<OpDefNode> roots) {
        Map<String, String> types = new HashMap<>();
        for (OpDefNode r : roots) {
            collectTypes(r.getBody(), new HashMap<>(), types);
        }
        return types;
    }

    private static void collectTypes(SemanticNode n, Map<FormalParamNode, String> bound, Map<String, String> types) {
        if (n == null) {
            return;
        }
        Map<FormalParamNode, String> inner = bound;
        if (n instanceof OpApplNode a) {
            FormalParamNode[][] lists = a.getBdedQuantSymbolLists();
            ExprNode[] bounds = a.getBdedQuantBounds();
            if (lists != null && bounds != null) {
                inner = new HashMap<>(bound);
                for (int i = 0; i < lists.length; i++) {
                    String domain = describe(bounds[i]);
                    for (FormalParamNode p : lists[i]) {
                        inner.put(p, domain);
                    }
                }
            }
            if (a.getOperator() instanceof OpDefNode od && od.getBody() != null) {
                FormalParamNode[] formals = od.getParams();
                ExprOrOpArgNode[] args = a.getArgs();
                for (int i = 0; i < formals.length && i < args.length; i++) {
                    if (args[i] instanceof OpApplNode arg
                            && arg.getOperator() instanceof FormalParamNode p
                            && inner.containsKey(p)) {
                        types.put(od.getName() + "." + formals[i].getName(), inner.get(p));
                    }
                }
            }
        }
        SemanticNode[] kids = n.getChildren();
        if (kids != null) {
            for (SemanticNode k : kids) {
                collectTypes(k, inner, types);
            }
        }
    }

    /** A stable description of a quantifier bound (its operator and arguments). */
    private static String describe(SemanticNode n) {
        if (n instanceof OpApplNode a) {
            StringBuilder s = new StringBuilder(a.getOperator().getName().toString());
            for (ExprOrOpArgNode arg : a.getArgs()) {
                s.append('(').append(describe(arg)).append(')');
            }
            return s.toString();
        }
        return n.getClass().getSimpleName();
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
    }

    /** Character offset of a 1-based line and column. */
    static int offset(String text, int line, int column) {
        int off = 0;
        for (int l = 1; l < line; l++) {
            off = text.indexOf('\n', off) + 1;
        }
        return off + column - 1;
    }

    /** Walks one definition's body and records the mutants of each node. */
    private static final class Walker {
        private final String module;
        private final String definition;
        private final String text;
        private final List<Mutant> out;
        private final Map<String, String> actionParamTypes;
        /** The primed variables that are the left side of an update (v' in v' = e): never unprimed. */
        private final Set<SemanticNode> updates = new java.util.HashSet<>();
        /** Walking the initial predicate, where {@code v = e} assigns v as {@code v' = e} does in an action. */
        boolean initial;

        Walker(String module, String definition, String text, List<Mutant> out, Map<String, String> types) {
            this.module = module;
            this.definition = definition;
            this.text = text;
            this.out = out;
            this.actionParamTypes = types;
        }

        void walk(SemanticNode n) {
            if (n == null
                    || n.getLocation() == null
                    || !module.equals(n.getLocation().source())) {
                return;
            }
            if (n instanceof OpApplNode a) {
                mutate(a);
                SemanticNode[] kids = a.getChildren();
                if (kids != null) {
                    for (SemanticNode k : kids) {
                        walk(k);
                    }
                }
                return;
            }
            if (n instanceof LetInNode let) {
                for (OpDefNode d : let.getLets()) {
                    walk(d.getBody());
                }
                walk(let.getBody());
                return;
            }
            SemanticNode[] kids = n.getChildren();
            if (kids != null) {
                for (SemanticNode k : kids) {
                    walk(k);
                }
            }
        }

        private void mutate(OpApplNode a) {
            String op = name(a);
            ExprOrOpArgNode[] args = a.getArgs();
            switch (op) {
                case "$ConjList", "\\land" -> {
                    if (args.length >= 2) {
                        for (ExprOrOpArgNode arg : args) {
                            // Dropping a whole update (v' = e, UNCHANGED) only leaves a variable unassigned,
                            // which TLC rejects: such a mutant can never survive, so it is not made.
                            if (arg.getLocation() != null && !isUpdate(arg) && !(initial && isInitAssignment(arg))) {
                                add(arg, "drop conjunct", "TRUE");
                            }
                        }
                    }
                }
                case "=" -> {
                    if (initial && args.length == 2 && isVariable(args[0])) {
                        updates.add(a);
                    } else if (args.length == 2 && isPrimed(args[0])) {
                        // An update v' = e: read a variable of e after the step instead of before.
                        updates.add(args[0]);
                        primeReads(args[1]);
                    } else if (args.length == 2) {
                        replaceBetween(a, "=", "#", "negate condition");
                    }
                }
                case "#", "/=" -> {
                    replaceBetween(a, "#", "=", "negate condition");
                    replaceBetween(a, "/=", "=", "negate condition");
                }
                case "\\in" -> replaceBetween(a, "\\in", "\\notin", "negate condition");
                case "\\notin" -> replaceBetween(a, "\\notin", "\\in", "negate condition");
                case "\\cup", "\\union" -> {
                    replaceBetween(a, "\\cup", "\\", "\\cup -> \\");
                    replaceBetween(a, "\\union", "\\", "\\cup -> \\");
                }
                case "\\subseteq" -> replaceBetween(a, "\\subseteq", "=", "\\subseteq -> =");
                case "$Except" -> dropExceptPaths(a);
                case "'" -> {
                    if (!updates.contains(a)
                            && args.length == 1
                            && args[0] instanceof OpApplNode v
                            && v.getOperator() instanceof OpDeclNode) {
                        add(a, "primed -> unprimed", text(v.getLocation()));
                    }
                }
                default -> {
                    String[] b = BOUNDARY.get(op);
                    if (b != null && args.length == 2) {
                        replaceBetween(a, b[0], b[1], b[0] + " -> " + b[1]);
                    }
                    if (a.getOperator() instanceof OpDefNode od && od.getBody() != null && args.length >= 2) {
                        swapSameType(a, od);
                    }
                }
            }
        }

        private void primeReads(SemanticNode n) {
            if (n == null
                    || n.getLocation() == null
                    || !module.equals(n.getLocation().source())) {
                return;
            }
            if (n instanceof OpApplNode a) {
                if ("'".equals(name(a))) {
                    return;
                }
                if (a.getOperator() instanceof OpDeclNode decl
                        && decl.getKind() == tla2sany.semantic.ASTConstants.VariableDeclKind) {
                    add(a, "unprimed -> primed", text(a.getLocation()) + "'");
                    return;
                }
            }
            SemanticNode[] kids = n.getChildren();
            if (kids != null) {
                for (SemanticNode k : kids) {
                    primeReads(k);
                }
            }
        }

        private void swapSameType(OpApplNode a, OpDefNode od) {
            ExprOrOpArgNode[] args = a.getArgs();
            FormalParamNode[] formals = od.getParams();
            for (int i = 0; i < args.length; i++) {
                for (int j = i + 1; j < args.length; j++) {
                    String ti = typeOf(args[i]);
                    String tj = typeOf(args[j]);
                    if (ti == null
                            || !ti.equals(tj)
                            || args[i].getLocation() == null
                            || args[j].getLocation() == null) {
                        continue;
                    }
                    String si = text(args[i].getLocation());
                    String sj = text(args[j].getLocation());
                    if (si.equals(sj)) {
                        continue;
                    }
                    Location li = args[i].getLocation();
                    Location lj = args[j].getLocation();
                    if (li.beginLine() != lj.endLine()) {
                        continue;
                    }
                    String whole = text.substring(
                            offset(text, li.beginLine(), li.beginColumn()),
                            offset(text, lj.endLine(), lj.endColumn()) + 1);
                    String middle = whole.substring(si.length(), whole.length() - sj.length());
                    out.add(new Mutant(
                            module,
                            definition,
                            "swap " + formals[i].getName() + ", " + formals[j].getName(),
                            li.beginLine(),
                            li.beginColumn(),
                            lj.endLine(),
                            lj.endColumn(),
                            whole,
                            sj + middle + si));
                }
            }
        }

        /** The Next domain of an argument that is an action parameter, else null. */
        private String typeOf(ExprOrOpArgNode arg) {
            if (arg instanceof OpApplNode a
                    && a.getOperator() instanceof FormalParamNode p
                    && a.getArgs().length == 0) {
                return actionParamTypes.get(definition + "." + p.getName());
            }
            return null;
        }

        private void dropExceptPaths(OpApplNode a) {
            ExprOrOpArgNode[] args = a.getArgs();
            if (args.length < 2 || args[0].getLocation() == null) {
                return;
            }
            if (args.length == 2) {
                add(a, "drop EXCEPT path", text(args[0].getLocation()));
                return;
            }
            // Several paths: drop one by removing it and the comma before it (or after it, for the first).
            for (int i = 1; i < args.length; i++) {
                Location li = args[i].getLocation();
                if (li == null) {
                    continue;
                }
                int from;
                int to;
                if (i > 1 && args[i - 1].getLocation() != null) {
                    Location prev = args[i - 1].getLocation();
                    from = offset(text, prev.endLine(), prev.endColumn()) + 1;
                    to = offset(text, li.endLine(), li.endColumn()) + 1;
                } else if (args[i + 1].getLocation() != null) {
                    Location next = args[i + 1].getLocation();
                    from = offset(text, li.beginLine(), li.beginColumn());
                    to = offset(text, next.beginLine(), next.beginColumn());
                } else {
                    continue;
                }
                int[] start = lineCol(from);
                int[] end = lineCol(to - 1);
                out.add(new Mutant(
                        module,
                        definition,
                        "drop EXCEPT path",
                        start[0],
                        start[1],
                        end[0],
                        end[1],
                        text.substring(from, to),
                        ""));
            }
        }

        private int[] lineCol(int off) {
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < off; i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            return new int[] {line, off - lineStart + 1};
        }

        /** Replaces the operator symbol between the two arguments of a binary application. */
        private void replaceBetween(OpApplNode a, String symbol, String replacement, String operator) {
            ExprOrOpArgNode[] args = a.getArgs();
            if (args.length != 2 || args[0].getLocation() == null || args[1].getLocation() == null) {
                return;
            }
            Location l0 = args[0].getLocation();
            Location l1 = args[1].getLocation();
            int from = offset(text, l0.endLine(), l0.endColumn()) + 1;
            int to = offset(text, l1.beginLine(), l1.beginColumn());
            if (from >= to) {
                return;
            }
            String gap = text.substring(from, to);
            int at = gap.indexOf(symbol);
            if (at < 0 || !gap.strip().equals(symbol)) {
                return;
            }
            int[] start = lineCol(from + at);
            int[] end = lineCol(from + at + symbol.length() - 1);
            out.add(new Mutant(module, definition, operator, start[0], start[1], end[0], end[1], symbol, replacement));
        }

        private void add(SemanticNode n, String operator, String replacement) {
            Location l = n.getLocation();
            out.add(new Mutant(
                    module,
                    definition,
                    operator,
                    l.beginLine(),
                    l.beginColumn(),
                    l.endLine(),
                    l.endColumn(),
                    text(l),
                    replacement));
        }

        private String text(Location l) {
            return text.substring(
                    offset(text, l.beginLine(), l.beginColumn()), offset(text, l.endLine(), l.endColumn()) + 1);
        }

        private static boolean isInitAssignment(ExprOrOpArgNode n) {
            return n instanceof OpApplNode a
                    && name(a).equals("=")
                    && a.getArgs().length == 2
                    && isVariable(a.getArgs()[0]);
        }

        private static boolean isVariable(ExprOrOpArgNode n) {
            return n instanceof OpApplNode a
                    && a.getOperator() instanceof OpDeclNode decl
                    && decl.getKind() == tla2sany.semantic.ASTConstants.VariableDeclKind;
        }

        private static boolean isUpdate(ExprOrOpArgNode n) {
            if (n instanceof OpApplNode a) {
                String op = name(a);
                return op.equals("$Unchanged")
                        || op.equals("UNCHANGED")
                        || (op.equals("=") && a.getArgs().length == 2 && isPrimed(a.getArgs()[0]));
            }
            return false;
        }

        private static boolean isPrimed(ExprOrOpArgNode n) {
            return n instanceof OpApplNode a && "'".equals(name(a));
        }

        private static String name(OpApplNode a) {
            SymbolNode op = a.getOperator();
            return op == null ? "" : op.getName().toString();
        }
    }

    /** The mutants grouped by module, for reports. */
    public static Map<String, List<Mutant>> byModule(List<Mutant> mutants) {
        Map<String, List<Mutant>> m = new LinkedHashMap<>();
        for (Mutant x : mutants) {
            m.computeIfAbsent(x.module(), k -> new ArrayList<>()).add(x);
        }
        return m;
    }
}
