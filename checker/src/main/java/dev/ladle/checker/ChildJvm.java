package dev.ladle.checker;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The child JVMs TLC and time-limited Alloy commands run in: started on this JVM's class path (the
 * shaded jar, or the test class path) in a working folder of their own, their output read line by
 * line, and all of them stopped when this JVM exits (Ctrl-C included).
 */
final class ChildJvm {
    /** Child JVMs still running. */
    private static final Set<Process> CHILDREN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> CHILDREN.forEach(ChildJvm::stop), "ladle-stop-children"));
    }

    private ChildJvm() {}

    /**
     * Starts {@code mainClass} with {@code args} in a JVM with the flags TLC wants; its working and
     * temporary folder is {@code dir}; {@code heap} is its {@code -Xmx} value, or null for the default.
     */
    static Process start(String mainClass, List<String> args, String heap, Path dir, List<String> jvmFlags)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseParallelGC");
        // TLC's evaluator recurses deeply on large values.
        cmd.add("-Xss16m");
        if (heap != null) {
            cmd.add("-Xmx" + heap);
        }
        cmd.add("-Djava.io.tmpdir=" + dir);
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(absoluteClassPath());
        cmd.add(mainClass);
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).start();
        CHILDREN.add(p);
        p.onExit().thenRun(() -> CHILDREN.remove(p));
        return p;
    }

    /** The child runs in another folder, so relative class path entries must be resolved here. */
    private static String absoluteClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.isEmpty())
                .map(e -> Path.of(e).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** Reads {@code in} line by line on a daemon thread, handing each line to {@code each}. */
    static Thread drain(InputStream in, String name, Consumer<String> each) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            each.accept(line);
                        }
                    } catch (IOException e) {
                        // The child is gone; what was read is all there is.
                    }
                },
                name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Stops {@code p} and everything it started, and waits for it. */
    static void stop(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
