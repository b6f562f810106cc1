package dev.ladle.codegen.check;

import com.palantir.javapoet.JavaFile;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles generated files with javax.tools in this JVM, in memory (sources and classes never touch the disk),
 * and loads them. One file manager serves every compilation, so the index of the platform's classes is read
 * once per JVM, not once per spec (the fuzz compiles one spec after another).
 */
public final class InProcessCompiler {
    private InProcessCompiler() {}

    private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();
    private static StandardJavaFileManager platform;

    /** Compiles and loads the files; the generated code must compile without a warning. */
    public static synchronized ClassLoader compile(List<JavaFile> files) {
        if (JAVAC == null) {
            throw new IllegalStateException("no Java compiler in this runtime: run ladle with a JDK, not a JRE");
        }
        if (platform == null) {
            platform = JAVAC.getStandardFileManager(null, null, null);
        }
        Map<String, ByteArrayOutputStream> classes = new HashMap<>();
        JavaFileManager fm = new ForwardingJavaFileManager<JavaFileManager>(platform) {
            @Override
            public JavaFileObject getJavaFileForOutput(
                    Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
                URI uri = URI.create("mem:///" + className.replace('.', '/') + kind.extension);
                return new SimpleJavaFileObject(uri, kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        classes.put(className, bytes);
                        return bytes;
                    }
                };
            }
        };
        List<JavaFileObject> units =
                files.stream().map(JavaFile::toJavaFileObject).toList();
        StringWriter log = new StringWriter();
        boolean ok = JAVAC.getTask(
                        log, fm, null, List.of("-Xlint:all", "-Werror", "-proc:none", "-g:none"), null, units)
                .call();
        if (!ok) {
            throw new IllegalStateException("generated code does not compile:\n" + log);
        }
        return new MemoryLoader(classes);
    }

    /** Loads the classes of one compilation from their bytes. */
    private static final class MemoryLoader extends ClassLoader {
        private final Map<String, ByteArrayOutputStream> classes;

        MemoryLoader(Map<String, ByteArrayOutputStream> classes) {
            super(InProcessCompiler.class.getClassLoader());
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            ByteArrayOutputStream b = classes.get(name);
            if (b == null) {
                throw new ClassNotFoundException(name);
            }
            byte[] bytes = b.toByteArray();
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
