package dev.ladle.codegen;

import com.palantir.javapoet.JavaFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** Pass 5: writes generated files under a source root (package folders created as needed). */
public final class Write {
    private Write() {}

    public static void write(List<JavaFile> files, Path sourceRoot) {
        for (JavaFile f : files) {
            try {
                f.writeTo(sourceRoot);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + f.typeSpec().name() + " under " + sourceRoot, e);
            }
        }
    }
}
