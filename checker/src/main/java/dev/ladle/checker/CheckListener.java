package dev.ladle.checker;

/** Hears about a check while it runs; the command line draws its progress line from it. */
public interface CheckListener {
    /** Does nothing. */
    CheckListener NONE = new CheckListener() {};

    default void started(ModelRef model) {}

    default void progress(ModelRef model, Progress progress) {}

    default void finished(ModelRef model, ModelResult result) {}

    /** A line of text a child process printed that the user may want to see (server, worker). */
    default void message(String line) {}
}
