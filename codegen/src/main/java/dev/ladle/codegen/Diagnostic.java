package dev.ladle.codegen;

/** One located problem found by a pass: the generator collects these instead of stopping at the first. */
public record Diagnostic(String module, int line, int column, String message) {

    static Diagnostic at(tla2sany.semantic.SemanticNode node, String message) {
        tla2sany.st.Location l = node == null ? null : node.getLocation();
        if (l == null) {
            return new Diagnostic("?", 0, 0, message);
        }
        return new Diagnostic(l.source(), l.beginLine(), l.beginColumn(), message);
    }

    @Override
    public String toString() {
        return module + ".tla:" + line + ":" + column + ": " + message;
    }
}
