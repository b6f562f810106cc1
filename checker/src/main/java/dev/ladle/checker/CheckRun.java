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

    /** Exit code 0 when every model gave its expected result. */
    public static final int OK = 0;
    /** Exit code 1 when a model is violated, failed, or differs from the manifest. */
    public static final int FAILED = 1;
    /** Exit code 2 on a usage or parse error. */
    public static final int USAGE = 2;

    public CheckRun {
        results = List.copyOf(results);
        parseErrors = List.copyOf(parseErrors);
        problems = List.copyOf(problems);
    }

    /**
     * {@link #USAGE} on a parse error; {@link #FAILED} when a model failed, drifted from the
     * manifest, or (with no manifest to say a violation is expected) was violated; else {@link #OK}.
     */
    public int exitCode() {
        if (!parseErrors.isEmpty()) {
            return USAGE;
        }
        if (!problems.isEmpty() || results.stream().anyMatch(ModelResult::failed)) {
            return FAILED;
        }
        if (manifest == null && results.stream().anyMatch(r -> r.verdict().isViolation())) {
            return FAILED;
        }
        return OK;
    }

    /** The result of the model named {@code name}. */
    public Optional<ModelResult> result(String name) {
        return results.stream().filter(r -> r.model().equals(name)).findFirst();
    }
}
