package dev.ladle.codegen;

import java.util.List;

/**
 * What a pass returns: its value (null when errors prevented it) together with the errors it found and its
 * notes (what it left out and why). Refusals travel as these values, never as exceptions.
 */
record Diagnosed<T>(T value, List<Diagnostic> errors, List<Diagnostic> notes) {

    Diagnosed {
        errors = List.copyOf(errors);
        notes = List.copyOf(notes);
    }

    static <T> Diagnosed<T> of(T value, List<Diagnostic> errors) {
        return new Diagnosed<>(value, errors, List.of());
    }

    boolean ok() {
        return errors.isEmpty();
    }
}
