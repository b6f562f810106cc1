package dev.ladle.checker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Paths of the fixture models, and helpers to copy them or watch for leftovers. */
final class Fixtures {
    /** The specs folder, from the one property the build sets for every module ({@code ladle.specs}). */
    static final Path SPECS = specs();

    static final Path ROOT = SPECS.resolve("src/test/fixtures");
    static final Path MODELS = ROOT.resolve("models");

    private Fixtures() {}

    private static Path specs() {
        String dir = System.getProperty("ladle.specs");
        if (dir == null || !Files.isDirectory(Path.of(dir))) {
            throw new IllegalStateException("system property ladle.specs must name the specs folder (got " + dir + ")");
        }
        return Path.of(dir);
    }

    /** Copies a fixture folder into {@code target} (so a test can change its manifest). */
    static Path copy(Path fixture, Path target) {
        try (Stream<Path> files = Files.list(fixture)) {
            for (Path f : files.toList()) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file under {@code dir}, so a test can assert a check left nothing behind. */
    static Set<Path> listing(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Temporary folders the TLC runner creates. */
    static Set<Path> tlcTempFolders() {
        try (Stream<Path> list = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return list.filter(p -> p.getFileName().toString().startsWith("ladle-tlc"))
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
