package dev.ladle.checker;

import dev.ladle.tla.Sany;
import dev.ladle.tla.SourceError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tla2sany.semantic.ExprOrOpArgNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.OpDefNode;
import tla2sany.semantic.SemanticNode;
import tla2sany.semantic.StringNode;

/**
 * A relation an Alloy model takes from a TLA+ spec, so that both check the same one. In the {@code .als} file,
 *
 * <pre>
 * -- ladle:tla ../tla/Persistence.tla KindDeps
 * fun persistenceKindDeps: Kind -&gt; Kind { none -&gt; none }
 * </pre>
 *
 * <p>makes the checker replace the body of the {@code fun} on the next line with the TLA+ definition's value before
 * Alloy parses the file: a set of pairs of strings written out ({@code {<<"pageTable", "frame">>, ...}}), each
 * string naming the Alloy signature of the same name with its first letter in upper case ({@code PageTable}). The
 * path is relative to the {@code .als} file. An assertion of the Alloy model can then compare the imported relation
 * with its own; opened in the Alloy Analyzer alone, the {@code fun} keeps its placeholder body.
 */
final class AlloyImports {
    static final Pattern DIRECTIVE = Pattern.compile("^\\s*--\\s*ladle:tla\\s+(\\S+)\\s+(\\w+)\\s*$");
    private static final Pattern FUN_BODY = Pattern.compile("^(\\s*fun\\s+\\w+\\s*:[^{]*)\\{[^}]*\\}\\s*$");

    private AlloyImports() {}

    /** A bad directive or definition, at {@code file:line:column}. */
    static final class Bad extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient SourceError error;

        Bad(SourceError error) {
            super(error.toString());
            this.error = error;
        }
    }

    /**
     * The text of {@code als} with every imported relation filled in, or null when it imports none.
     *
     * @throws Bad when a directive is malformed, its file or definition is missing, or the definition is not a set
     *     of pairs of strings written out
     */
    static String expand(Path als) {
        String text;
        try {
            text = Files.readString(als);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + als, e);
        }
        if (!text.contains("ladle:tla")) {
            return null;
        }
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher d = DIRECTIVE.matcher(lines[i]);
            if (!d.matches()) {
                continue;
            }
            int line = i + 1;
            if (i + 1 >= lines.length || !FUN_BODY.matcher(lines[i + 1]).matches()) {
                throw new Bad(new SourceError(
                        als, line, 1, "ladle:tla must be followed by a one-line fun (fun name: A -> B { ... })"));
            }
            Path tla = als.toAbsolutePath().getParent().resolve(d.group(1)).normalize();
            List<String[]> pairs = pairs(tla, d.group(2), als, line);
            Matcher f = FUN_BODY.matcher(lines[i + 1]);
            f.matches();
            lines[i + 1] = f.group(1) + "{ " + alloy(pairs) + " }";
        }
        return String.join("\n", lines);
    }

    /** The pairs of the TLA+ definition {@code name} of {@code tla}. */
    static List<String[]> pairs(Path tla, String name, Path als, int line) {
        if (!Files.isRegularFile(tla)) {
            throw new Bad(new SourceError(als, line, 1, "ladle:tla: no TLA+ module " + tla));
        }
        Sany.Parsed parsed = Sany.resolve(tla);
        if (parsed.root() == null) {
            throw new Bad(parsed.errors().get(0));
        }
        OpDefNode def = null;
        for (OpDefNode d : parsed.root().getOpDefs()) {
            if (d.getName().toString().equals(name)) {
                def = d;
            }
        }
        if (def == null || def.getArity() != 0) {
            throw new Bad(
                    new SourceError(als, line, 1, "ladle:tla: " + tla.getFileName() + " defines no constant " + name));
        }
        List<String[]> out = new ArrayList<>();
        SemanticNode body = def.getBody();
        if (!(body instanceof OpApplNode set)
                || !set.getOperator().getName().toString().equals("$SetEnumerate")) {
            throw notPairs(tla, name, body);
        }
        for (ExprOrOpArgNode e : set.getArgs()) {
            if (!(e instanceof OpApplNode t)
                    || !t.getOperator().getName().toString().equals("$Tuple")
                    || t.getArgs().length != 2
                    || !(t.getArgs()[0] instanceof StringNode a)
                    || !(t.getArgs()[1] instanceof StringNode b)) {
                throw notPairs(tla, name, e);
            }
            out.add(new String[] {a.getRep().toString(), b.getRep().toString()});
        }
        return out;
    }

    private static Bad notPairs(Path tla, String name, SemanticNode at) {
        int line = at == null || at.getLocation() == null ? 0 : at.getLocation().beginLine();
        int column =
                at == null || at.getLocation() == null ? 0 : at.getLocation().beginColumn();
        return new Bad(new SourceError(
                tla,
                line,
                column,
                name + " must be a set of pairs of strings written out ({<<\"a\", \"b\">>, ...}) for an Alloy model"
                        + " to import it"));
    }

    /** The Alloy expression of a relation between signatures named by the pairs. */
    static String alloy(List<String[]> pairs) {
        if (pairs.isEmpty()) {
            return "none -> none";
        }
        List<String> terms = new ArrayList<>();
        for (String[] p : pairs) {
            terms.add(upperFirst(p[0]) + " -> " + upperFirst(p[1]));
        }
        return String.join(" + ", terms);
    }

    private static String upperFirst(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
