package dev.ladle.codegen;

import com.palantir.javapoet.JavaFile;
import dev.ladle.codegen.Ir.Action;
import dev.ladle.codegen.Ir.ActionStep;
import dev.ladle.codegen.Ir.Spec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The generator's entry point: the passes in a straight line (Parse, Lower, Emit), each handing the next a
 * value; Write is separate so callers can generate without touching the disk.
 */
public final class Generator {

    /** Everything one spec produced: the IR and files when it lowered cleanly, else the errors. */
    public record Result(
            String module, Spec spec, List<JavaFile> files, List<Diagnostic> errors, List<Diagnostic> notes) {
        /** One line: the spec, what it became, how many actions and invariant checkers. */
        public String oneLine() {
            long invs = spec.invariants().stream()
                    .filter(i -> notes.stream()
                            .noneMatch(
                                    n -> n.message().startsWith("invariant " + i.name() + " has no generated checker")))
                    .count();
            return module + ": " + spec.actions().size() + " actions, " + invs + " invariant checkers, " + notes.size()
                    + " notes";
        }

        public boolean ok() {
            return errors.isEmpty();
        }

        /** Which actions became which methods, with their guards, and the invariants. */
        public String summary() {
            StringBuilder sb = new StringBuilder();
            sb.append(module)
                    .append(" -> ")
                    .append(spec.module())
                    .append("Machine (checked variant: ")
                    .append(spec.module())
                    .append("CheckedMachine)\n");
            if (!spec.data().isEmpty()) {
                sb.append("  constant data (named setters, before init): ")
                        .append(String.join(
                                ", ",
                                spec.data().stream().map(Ir.Variable::name).toList()))
                        .append('\n');
            }
            sb.append("  constants (").append(spec.module()).append("Config): ");
            sb.append(String.join(
                            ", ",
                            spec.constants().stream()
                                    .map(c -> c.name()
                                            + switch (c.kind()) {
                                                case MODEL_SET -> " (set: size, lowest)";
                                                case INT -> " (int or model value id)";
                                                case DATA -> " (data)";
                                                case DOMAIN -> " (Next domain only)";
                                            })
                                    .toList()))
                    .append('\n');
            sb.append("  variables: ");
            sb.append(String.join(
                            ", ",
                            spec.variables().stream()
                                    .map(v -> v.name() + (v.ghost() ? " (ghost)" : ""))
                                    .toList()))
                    .append('\n');
            for (Action a : spec.actions()) {
                sb.append("  action ")
                        .append(a.name())
                        .append(" -> ")
                        .append(Emit.lowerCamel(a.name()))
                        .append('(')
                        .append(String.join(
                                ", ", a.params().stream().map(Ir.Param::name).toList()))
                        .append(")\n");
                for (ActionStep s : a.steps()) {
                    if (s instanceof Ir.Guard g) {
                        sb.append("    guard ")
                                .append(g.label())
                                .append(" -> Guard.")
                                .append(g.id())
                                .append('\n');
                    }
                }
            }
            for (Ir.Invariant i : spec.invariants()) {
                if (notes.stream()
                        .anyMatch(n -> n.message().startsWith("invariant " + i.name() + " has no generated checker"))) {
                    continue;
                }
                sb.append("  invariant ")
                        .append(i.name())
                        .append(" -> ")
                        .append(Emit.lowerCamel(i.name()))
                        .append("()\n");
            }
            sb.append("  TypeOK -> typeOK()\n");
            for (Diagnostic n : notes) {
                sb.append("  note: ").append(n).append('\n');
            }
            return sb.toString();
        }
    }

    private Generator() {}

    /** Generates one spec file into package basePackage + "." + lower-case module name. */
    public static Result generate(Path specFile, String basePackage) {
        String module = specFile.getFileName().toString().replaceFirst("\\.tla$", "");
        Parse.Result parsed = Parse.parse(specFile);
        if (parsed.root() == null) {
            return new Result(module, null, List.of(), parsed.errors(), List.of());
        }
        Lower.Result lowered =
                Lower.lower(parsed.root(), specFile.toAbsolutePath().getParent());
        List<Diagnostic> errors = new ArrayList<>(parsed.errors());
        errors.addAll(lowered.errors());
        if (!errors.isEmpty()) {
            return new Result(module, null, List.of(), errors, lowered.notes());
        }
        Emitted<List<JavaFile>> emitted = Emit.emit(lowered.spec(), packageFor(basePackage, module));
        List<Diagnostic> notes = new ArrayList<>(lowered.notes());
        notes.addAll(emitted.notes());
        if (!emitted.ok()) {
            return new Result(module, null, List.of(), emitted.errors(), notes);
        }
        return new Result(module, lowered.spec(), emitted.value(), List.of(), notes);
    }

    public static String packageFor(String basePackage, String module) {
        return basePackage + "." + module.toLowerCase(Locale.ROOT);
    }
}
