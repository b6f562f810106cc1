package dev.ladle.checker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one Alloy command in a child JVM, for when it has a time limit: a SAT search cannot be
 * interrupted inside a JVM, but a JVM can be stopped. The child prints its result as one JSON
 * line ({@code verdict}, {@code violated}, {@code count}, {@code relations}, {@code error}).
 */
public final class AlloyChild {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlloyChild() {}

    /** Arguments: the {@code .als} file and the command label (see {@link Discovery}). */
    public static void main(String[] args) {
        PrintStream result = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        Discovery.quietAlloyLogging();
        Path als = Path.of(args[0]);
        ModelResult r;
        try {
            edu.mit.csail.sdg.ast.Module world = Discovery.parseAlloy(als);
            int index = Discovery.commandLabels(world).indexOf(args[1]);
            ModelRef model = ModelRef.alloy(
                    als, args[1], index >= 0 && !world.getAllCommands().get(index).check);
            r = AlloyRunner.run(model, world);
        } catch (edu.mit.csail.sdg.alloy4.Err e) {
            r = ModelResult.error(
                    ModelRef.alloy(als, args[1], false),
                    Discovery.alloyError(als, e).toString(),
                    Duration.ZERO);
        }
        ObjectNode n = JSON.createObjectNode()
                .put("verdict", r.verdict().id())
                .put("violated", r.violated())
                .put("count", r.distinct())
                .put("error", r.error());
        n.set("relations", Relation.toJson(r.instance()));
        result.println(n);
        result.flush();
        System.exit(0);
    }

    /** Runs {@code model} in a child JVM, stopped after {@code timeout}. Never throws. */
    static ModelResult run(ModelRef model, Duration timeout) {
        long start = System.nanoTime();
        Path temp = null;
        try {
            temp = TempFolder.create("ladle-alloy-");
            Process p = ChildJvm.start(
                    AlloyChild.class.getName(),
                    List.of(model.file().toAbsolutePath().toString(), model.command()),
                    null,
                    temp,
                    List.of());
            List<String> err = java.util.Collections.synchronizedList(new ArrayList<>());
            List<String> out = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread errReader = ChildJvm.drain(p.getErrorStream(), "ladle-alloy-err", line -> {
                if (err.size() < 200) {
                    err.add(line);
                }
            });
            Thread outReader = ChildJvm.drain(p.getInputStream(), "ladle-alloy-out", out::add);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                ChildJvm.stop(p);
                return ModelResult.error(
                        model, ModelResult.TIMED_OUT + " after " + timeout.toSeconds() + " s", TempFolder.since(start));
            }
            outReader.join(5000);
            errReader.join(5000);
            String line;
            synchronized (out) {
                line = out.stream()
                        .filter(l -> l.startsWith("{"))
                        .reduce((a, b) -> b)
                        .orElse(null);
            }
            if (line == null) {
                boolean oom;
                synchronized (err) {
                    oom = err.stream().anyMatch(l -> l.contains("OutOfMemoryError"));
                }
                String said = String.join("\n", out).strip();
                return ModelResult.error(
                        model,
                        (oom ? "Alloy ran out of memory" : "Alloy crashed") + " (child JVM exit code " + p.exitValue()
                                + ")" + (said.isEmpty() ? "" : ": " + said),
                        TempFolder.since(start));
            }
            JsonNode n = JSON.readTree(line);
            if (!n.path("error").asText().isEmpty()) {
                return ModelResult.error(model, n.path("error").asText(), TempFolder.since(start));
            }
            long count = n.path("count").asLong();
            return new ModelResult(
                    model.name(),
                    Engine.ALLOY,
                    Verdict.fromId(n.path("verdict").asText()),
                    n.path("violated").asText(),
                    count,
                    count,
                    0,
                    TempFolder.since(start),
                    List.of(),
                    0,
                    "",
                    Relation.fromJson(n.path("relations")),
                    "",
                    List.of(),
                    List.of());
        } catch (IOException e) {
            return ModelResult.error(
                    model, "cannot run Alloy in a child JVM: " + e.getMessage(), TempFolder.since(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ModelResult.error(model, "interrupted", TempFolder.since(start));
        } finally {
            TempFolder.delete(temp);
        }
    }
}
