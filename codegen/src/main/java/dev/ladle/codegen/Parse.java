package dev.ladle.codegen;

import dev.ladle.tla.Sany;
import dev.ladle.tla.SourceError;
import java.nio.file.Path;
import java.util.List;
import tla2sany.semantic.ModuleNode;

/**
 * Pass 1: parse and resolve one module with SANY (through the same front end {@code ladle check} uses),
 * turning its located errors into diagnostics.
 */
public final class Parse {

    /** The resolved root module, or null with the errors that prevented it. */
    public record Result(ModuleNode root, List<Diagnostic> errors) {}

    private Parse() {}

    public static Result parse(Path file) {
        Sany.Parsed parsed = Sany.resolve(file);
        return new Result(
                parsed.root(), parsed.errors().stream().map(Parse::diagnostic).toList());
    }

    private static Diagnostic diagnostic(SourceError e) {
        String module = e.file().getFileName().toString().replaceFirst("\\.tla$", "");
        return new Diagnostic(module, e.line(), e.column(), e.message());
    }
}
