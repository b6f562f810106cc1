package dev.ladle.codegen;

import java.util.List;

/**
 * What an emit pass returns: its value and what it found on the way, as values. errors are the located
 * refusals (the value is then incomplete and must not be used); notes are what was left out on purpose
 * (an invariant without a generated checker).
 */
public record Emitted<T>(T value, List<Diagnostic> errors, List<Diagnostic> notes) {
    public Emitted {
        errors = List.copyOf(errors);
        notes = List.copyOf(notes);
    }

    static <T> Emitted<T> of(T value) {
        return new Emitted<>(value, List.of(), List.of());
    }

    static <T> Emitted<T> refused(Diagnostic error) {
        return new Emitted<>(null, List.of(error), List.of());
    }

    public boolean ok() {
        return errors.isEmpty();
    }
}
