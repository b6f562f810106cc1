package dev.ladle.checker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
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
        ArrayNode rels = n.putArray("relations");
        for (Relation rel : r.instance()) {
            ObjectNode rn = rels.addObject().put("name", rel.name()).put("kind", rel.kind());
            ArrayNode tuples = rn.putArray("tuples");
            rel.tuples().forEach(t -> t.forEach(tuples.addArray()::add));
        }
        result.println(n);
        result.flush();
        System.exit(0);
    }

    /** Runs {@code model} in a child JVM, stopped after {@code timeout}. */
    static ModelResult run(ModelRef model, Duration timeout) {
        long start = System.nanoTime();
        Path temp = null;
        try {
            temp = Files.createTempDirectory("ladle-alloy-");
            Process p = TlcRunner.startChild(
                    AlloyChild.class.getName(),
                    List.of(model.file().toAbsolutePath().toString(), model.command()),
                    null,
                    temp,
                    List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
            ArrayDeque<String> stderr = new ArrayDeque<>();
            Thread err = TlcRunner.drain(p.getErrorStream(), stderr, line -> {});
            String line;
            List<String> out = new ArrayList<>();
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader r =
                                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                            String l;
                            while ((l = r.readLine()) != null) {
                                synchronized (out) {
                                    out.add(l);
                                }
                            }
                        } catch (IOException e) {
                            // The child is gone; what was read is all there is.
                        }
                    },
                    "ladle-alloy-out");
            reader.setDaemon(true);
            reader.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
                return ModelResult.error(model, "timed out after " + timeout.toSeconds() + " s", elapsed(start));
            }
            reader.join(5000);
            err.join(5000);
            synchronized (out) {
                line = out.stream()
                        .filter(l -> l.startsWith("{"))
                        .reduce((a, b) -> b)
                        .orElse(null);
            }
            if (line == null) {
                boolean oom = stderr.stream().anyMatch(l -> l.contains("OutOfMemoryError"));
                return ModelResult.error(
                        model,
                        (oom ? "Alloy ran out of memory" : "Alloy crashed") + " (child JVM exit code " + p.exitValue()
                                + ")",
                        elapsed(start));
            }
            JsonNode n = JSON.readTree(line);
            if (!n.path("error").asText().isEmpty()) {
                return ModelResult.error(model, n.path("error").asText(), elapsed(start));
            }
            List<Relation> relations = new ArrayList<>();
            for (JsonNode rel : n.path("relations")) {
                List<List<String>> tuples = new ArrayList<>();
                for (JsonNode t : rel.path("tuples")) {
                    List<String> atoms = new ArrayList<>();
                    t.forEach(a -> atoms.add(a.asText()));
                    tuples.add(atoms);
                }
                relations.add(
                        new Relation(rel.path("name").asText(), rel.path("kind").asText(), tuples));
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
                    elapsed(start),
                    List.of(),
                    0,
                    "",
                    relations,
                    "",
                    List.of());
        } catch (IOException e) {
            return ModelResult.error(model, "cannot run Alloy in a child JVM: " + e.getMessage(), elapsed(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ModelResult.error(model, "interrupted", elapsed(start));
        } finally {
            TlcRunner.deleteTree(temp);
        }
    }

    private static Duration elapsed(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
