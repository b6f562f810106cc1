package dev.ladle.checker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Temporary folders of child JVMs, and the clock every runner reads its elapsed time from. */
final class TempFolder {
    private TempFolder() {}

    /** A new folder under {@code java.io.tmpdir}, which is created first when it does not exist yet. */
    static Path create(String prefix) throws IOException {
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        return Files.createTempDirectory(prefix);
    }

    /**
     * Deletes {@code dir} and everything in it. Never throws: a cleanup failure must not replace the
     * result it follows; returns what went wrong, or null.
     */
    static String delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return null;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> all = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "could not remove the temporary folder " + dir + ": " + e.getMessage();
        }
    }

    /** Time since {@code startNanos}, a {@link System#nanoTime()} reading. */
    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
