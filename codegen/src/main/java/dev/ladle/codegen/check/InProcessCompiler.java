package dev.ladle.codegen.check;

import com.palantir.javapoet.JavaFile;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiles generated files with javax.tools in this JVM and loads them. */
public final class InProcessCompiler {
    private InProcessCompiler() {}

    /** Compiles and loads the files; the generated code must compile without a warning. */
    public static ClassLoader compile(List<JavaFile> files) {
        try {
            Path dir = Files.createTempDirectory("ladle-gen");
            Path src = dir.resolve("src");
            Path out = dir.resolve("classes");
            Files.createDirectories(out);
            List<Path> paths = new ArrayList<>();
            for (JavaFile f : files) {
                paths.add(f.writeToPath(src));
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            StringWriter log = new StringWriter();
            try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
                Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromPaths(paths);
                boolean ok = javac.getTask(
                                log, fm, null, List.of("-d", out.toString(), "-Xlint:all", "-Werror"), null, units)
                        .call();
                if (!ok) {
                    throw new IllegalStateException("generated code does not compile:\n" + log);
                }
            }
            return new URLClassLoader(new URL[] {out.toUri().toURL()}, InProcessCompiler.class.getClassLoader());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
