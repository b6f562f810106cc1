package dev.ladle.checker;

import dev.ladle.tla.SourceError;
import edu.mit.csail.sdg.alloy4.A4Reporter;
import edu.mit.csail.sdg.alloy4.Err;
import edu.mit.csail.sdg.ast.Command;
import edu.mit.csail.sdg.parser.CompUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the models under a folder, recursively: every {@code X.cfg} beside an {@code X.tla}
 * (TLC's own convention) is the TLC model {@code X}, and every {@code check} or {@code run}
 * command of every {@code .als} file is the Alloy model {@code File/label}.
 *
 * <p>Alloy files are parsed here (their commands are only known after parsing), so Alloy syntax
 * and type errors come out of discovery. Files that look like a model but cannot be one (a
 * {@code .cfg} without its module, an {@code MCX.tla} without its {@code .cfg}) become models
 * that fail with a message saying so.
 */
public final class Discovery {

    /**
     * What a folder holds.
     *
     * @param models every model, sorted by name
     * @param broken models that cannot run, with the reason (shown as errors in the results)
     * @param errors Alloy syntax or type errors and clashing model names (exit code 2)
     * @param alloyWorlds the parsed Alloy files, so that they are not parsed twice
     * @param lonely {@code .tla} files with no {@code .cfg} of their name (spec modules, or models
     *     whose configuration is missing or named otherwise)
     */
    public record Found(
            List<ModelRef> models,
            Map<ModelRef, String> broken,
            List<SourceError> errors,
            Map<Path, edu.mit.csail.sdg.ast.Module> alloyWorlds,
            List<Path> lonely) {}

    static {
        quietAlloyLogging();
    }

    private Discovery() {}

    /**
     * Alloy's solver layer logs every SAT call at INFO through SLF4J's simple logger; that must be
     * turned down before the first Alloy class loads, and a caller's own setting wins.
     */
    static void quietAlloyLogging() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
    }

    /** Looks for models under {@code dir}; skips hidden folders and build output. */
    public static Found discover(Path dir) {
        if (Files.isRegularFile(dir)) {
            throw new IllegalArgumentException(dir + " is a file, not a folder: give the folder that holds the models"
                    + " (X.cfg beside X.tla, .als files)");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("models folder " + dir + " does not exist");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> !skipped(dir, p))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        List<ModelRef> models = new ArrayList<>();
        Map<ModelRef, String> broken = new LinkedHashMap<>();
        List<SourceError> errors = new ArrayList<>();
        Map<Path, edu.mit.csail.sdg.ast.Module> worlds = new LinkedHashMap<>();
        List<Path> lonely = new ArrayList<>();
        for (Path p : files) {
            String file = p.getFileName().toString();
            if (file.endsWith(".cfg")) {
                String base = file.substring(0, file.length() - 4);
                Path tla = p.resolveSibling(base + ".tla");
                ModelRef m = ModelRef.tlc(base, tla, p);
                models.add(m);
                if (!Files.exists(tla)) {
                    broken.put(
                            m,
                            p.getFileName() + " has no " + base + ".tla beside it (for a module of another name use"
                                    + " --module or a \"module\" entry in the manifest)");
                }
            } else if (file.endsWith(".tla")) {
                String base = file.substring(0, file.length() - 4);
                if (!Files.exists(p.resolveSibling(base + ".cfg"))) {
                    lonely.add(p);
                }
                if (base.startsWith("MC") && !Files.exists(p.resolveSibling(base + ".cfg"))) {
                    ModelRef m = ModelRef.tlc(base, p, p.resolveSibling(base + ".cfg"));
                    models.add(m);
                    broken.put(m, "model " + file + " has no " + base + ".cfg beside it (TLC needs one)");
                }
            } else if (file.endsWith(".als")) {
                try {
                    edu.mit.csail.sdg.ast.Module world = parseAlloy(p);
                    worlds.put(p, world);
                    List<String> labels = commandLabels(world);
                    for (int i = 0; i < labels.size(); i++) {
                        models.add(ModelRef.alloy(
                                p, labels.get(i), !world.getAllCommands().get(i).check));
                    }
                } catch (Err e) {
                    errors.add(alloyError(p, e));
                }
            }
        }
        Map<String, ModelRef> byName = new LinkedHashMap<>();
        for (ModelRef m : models) {
            ModelRef other = byName.putIfAbsent(m.name(), m);
            if (other != null) {
                errors.add(new SourceError(
                        m.config() != null ? m.config() : m.file(),
                        0,
                        0,
                        "two models are named " + m.name() + " (the other is "
                                + (other.config() != null ? other.config() : other.file()) + ")"));
            }
        }
        List<ModelRef> sorted = new ArrayList<>(byName.values());
        sorted.sort(java.util.Comparator.comparing(ModelRef::name));
        return new Found(List.copyOf(sorted), broken, errors, worlds, List.copyOf(lonely));
    }

    /**
     * The label of each command of {@code world}, in order: its own name, or {@code check3} /
     * {@code run3} (its 1-based position) when unnamed, made unique within the file.
     */
    static List<String> commandLabels(edu.mit.csail.sdg.ast.Module world) {
        List<String> labels = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int index = 0;
        for (Command c : world.getAllCommands()) {
            index++;
            String label = c.label == null || c.label.isBlank() || c.label.contains("$")
                    ? (c.check ? "check" : "run") + index
                    : c.label;
            while (!seen.add(label)) {
                label = label + "_" + index;
            }
            labels.add(label);
        }
        return labels;
    }

    /** Parses {@code als}, with the relations it imports from TLA+ specs filled in ({@link AlloyImports}). */
    static edu.mit.csail.sdg.ast.Module parseAlloy(Path als) {
        String file = als.toAbsolutePath().toString();
        String expanded;
        try {
            expanded = AlloyImports.expand(als);
        } catch (AlloyImports.Bad e) {
            throw new edu.mit.csail.sdg.alloy4.ErrorFatal(
                    new edu.mit.csail.sdg.alloy4.Pos(e.error.file().toString(), e.error.column(), e.error.line()),
                    e.error.message());
        }
        synchronized (Discovery.class) {
            if (expanded == null) {
                return CompUtil.parseEverything_fromFile(A4Reporter.NOP, null, file);
            }
            java.util.Map<String, String> loaded = new java.util.HashMap<>();
            loaded.put(file, expanded);
            loaded.put(edu.mit.csail.sdg.alloy4.Util.canon(file), expanded);
            return CompUtil.parseEverything_fromFile(A4Reporter.NOP, loaded, file);
        }
    }

    static SourceError alloyError(Path als, Err e) {
        Path file =
                e.pos != null && e.pos.filename != null && !e.pos.filename.isEmpty() ? Path.of(e.pos.filename) : als;
        String kind = e instanceof edu.mit.csail.sdg.alloy4.ErrorSyntax
                ? "syntax error: "
                : e instanceof edu.mit.csail.sdg.alloy4.ErrorType ? "type error: " : "";
        String msg = e.msg == null ? e.toString() : e.msg.strip().replaceAll("\\s*\\n\\s*", " ");
        return new SourceError(file, e.pos == null ? 0 : e.pos.y, e.pos == null ? 0 : e.pos.x, kind + msg);
    }

    private static boolean skipped(Path root, Path p) {
        for (Path part : root.relativize(p)) {
            String s = part.toString();
            if (s.startsWith(".") || s.equals("target") || s.equals("states")) {
                return true;
            }
        }
        return false;
    }
}
