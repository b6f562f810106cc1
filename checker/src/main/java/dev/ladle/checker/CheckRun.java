package dev.ladle.checker;

import dev.ladle.tla.SourceError;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything one {@code ladle check} produced.
 *
 * @param modelsDir the folder the models came from
 * @param manifest the manifest results were compared with, or {@code null} when there was none
 * @param results one per model run, in name order
 * @param parseErrors syntax and semantic errors (when present, no model was run)
 * @param problems manifest problems not tied to a result (an entry whose model does not exist)
 * @param time wall-clock time of the whole check
 */
public record CheckRun(
        Path modelsDir,
        Manifest manifest,
        List<ModelResult> results,
        List<SourceError> parseErrors,
        List<String> problems,
        Duration time) {

    public CheckRun {
        results = List.copyOf(results);
        parseErrors = List.copyOf(parseErrors);
        problems = List.copyOf(problems);
    }

    /**
     * {@link ExitCode#USAGE} on a parse error; {@link ExitCode#DIFFERS} when a model failed, drifted from the
     * manifest, or (with no manifest to say a violation is expected) was violated; else {@link ExitCode#OK}.
     */
    public int exitCode() {
        if (!parseErrors.isEmpty()) {
            return ExitCode.USAGE;
        }
        if (!problems.isEmpty() || results.stream().anyMatch(ModelResult::failed)) {
            return ExitCode.DIFFERS;
        }
        if (manifest == null && results.stream().anyMatch(r -> r.verdict().isViolation())) {
            return ExitCode.DIFFERS;
        }
        return ExitCode.OK;
    }

    /** The result of the model named {@code name}. */
    public Optional<ModelResult> result(String name) {
        return results.stream().filter(r -> r.model().equals(name)).findFirst();
    }
}
