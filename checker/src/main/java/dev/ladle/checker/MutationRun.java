package dev.ladle.checker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs spec mutants ({@link SpecMutants}) on the default models: each mutant in a copy of the
 * specs folder, on the models that extend the mutated module, smallest model first, until one
 * reports a violation or a witness model (one the manifest expects violated) no longer reaches
 * its situation. A mutant that only changes the state counts is a survivor: no invariant,
 * property or witness names what it broke.
 */
public final class MutationRun {

    /** What became of one mutant. */
    public enum Outcome {
        /** An invariant or property of some model is violated. */
        KILLED("killed"),
        /** TLC could not evaluate the mutated spec (an undefined value, a type error): killed, but by no property. */
        ERROR("killed (TLC error)"),
        /** Every model holds, but some state count changed. */
        COUNTS_ONLY("survived (counts changed)"),
        /** Every model holds with the same counts. */
        SURVIVED("survived");

        private final String text;

        Outcome(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        public boolean killed() {
            return this == KILLED || this == ERROR;
        }
    }

    /**
     * One mutant's result.
     *
     * @param mutant the change
     * @param outcome what became of it
     * @param by the model and the invariant or property that killed it, the error, or the count drift
     * @param diff the changed lines
     */
    public record Result(SpecMutants.Mutant mutant, Outcome outcome, String by, String diff) {}

    private static final Pattern EXTENDS = Pattern.compile("(?m)^\\s*EXTENDS\\s+([^\\n]+)");

    private MutationRun() {}

    /**
     * Runs {@code mutants} of the specs in {@code tla} on {@code models}, {@code jobs} at a time,
     * telling {@code progress} one line per finished mutant.
     */
    public static List<Result> run(
            Path tla,
            Manifest manifest,
            List<String> models,
            List<SpecMutants.Mutant> mutants,
            int jobs,
            Consumer<String> progress) {
        List<String> ordered = new ArrayList<>(models);
        // Witnesses (and other small models) first: they stop early, and a mutant that hides a witness is killed.
        ordered.sort(Comparator.comparingLong(
                m -> manifest.entry(m).map(Manifest.Entry::distinct).orElse(Long.MAX_VALUE)));
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs));
        AtomicInteger done = new AtomicInteger();
        try {
            List<Future<Result>> futures = new ArrayList<>();
            for (SpecMutants.Mutant m : mutants) {
                futures.add(pool.submit(() -> {
                    Result r = runOne(tla, manifest, ordered, m);
                    int n = done.incrementAndGet();
                    progress.accept(String.format(
                            "[%d/%d] %s %s (%s): %s%s",
                            n,
                            mutants.size(),
                            m.where(),
                            m.operator(),
                            m.definition(),
                            r.outcome().text(),
                            r.by().isEmpty() ? "" : " " + r.by()));
                    return r;
                }));
            }
            List<Result> results = new ArrayList<>();
            for (Future<Result> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static Result runOne(Path tla, Manifest manifest, List<String> models, SpecMutants.Mutant m)
            throws IOException {
        Path dir = Files.createTempDirectory("ladle-mutant-");
        try {
            copySpecs(tla, dir);
            Path file = dir.resolve(m.module() + ".tla");
            String original = Files.readString(file);
            Files.writeString(file, m.apply(original));
            String diff = m.diff(original);
            List<String> drift = new ArrayList<>();
            for (String model : models) {
                if (!extendsModule(dir, model, m.module())) {
                    continue;
                }
                CheckRun run = Checker.check(
                        dir,
                        CheckOptions.defaults()
                                .withNames(List.of(model))
                                .withWorkers(1)
                                .withManifest(manifest.file()));
                Manifest.Entry expected = manifest.entry(model).orElse(null);
                for (ModelResult r : run.results()) {
                    if (expected != null && expected.expect() == Verdict.VIOLATED) {
                        // A witness: the mutant must still reach the situation it names.
                        if (r.verdict() == Verdict.VIOLATED && r.violated().equals(expected.invariant())) {
                            continue;
                        }
                        String got = r.verdict() == Verdict.HOLDS ? "no longer reached" : "gave " + r.describe();
                        return new Result(
                                m,
                                Outcome.KILLED,
                                "by " + model + ": witness " + expected.invariant() + " " + got,
                                diff);
                    }
                    switch (r.verdict()) {
                        case VIOLATED -> {
                            return new Result(m, Outcome.KILLED, "by " + model + ": " + r.violated(), diff);
                        }
                        case DEADLOCK -> {
                            return new Result(m, Outcome.KILLED, "by " + model + ": deadlock", diff);
                        }
                        case ERROR -> {
                            String first = r.error().lines().findFirst().orElse("");
                            first = first.length() > 160 ? first.substring(0, 157) + "..." : first;
                            return new Result(m, Outcome.ERROR, "in " + model + ": " + first, diff);
                        }
                        default -> r.drift().forEach(d -> drift.add(model + ": " + d));
                    }
                }
            }
            return drift.isEmpty()
                    ? new Result(m, Outcome.SURVIVED, "", diff)
                    : new Result(m, Outcome.COUNTS_ONLY, "(" + String.join("; ", drift) + ")", diff);
        } finally {
            deleteTree(dir);
        }
    }

    /** True when model's module extends {@code module}, directly or through others (read from EXTENDS lines). */
    public static boolean extendsModule(Path dir, String model, String module) throws IOException {
        Set<String> seen = new HashSet<>();
        List<String> todo = new ArrayList<>(List.of(model));
        while (!todo.isEmpty()) {
            String m = todo.remove(todo.size() - 1);
            if (m.equals(module)) {
                return true;
            }
            Path f = dir.resolve(m + ".tla");
            if (!seen.add(m) || !Files.exists(f)) {
                continue;
            }
            Matcher x = EXTENDS.matcher(Files.readString(f));
            while (x.find()) {
                for (String e : x.group(1).split(",")) {
                    todo.add(e.strip());
                }
            }
        }
        return false;
    }

    private static void copySpecs(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (n.endsWith(".tla") || n.endsWith(".cfg")) {
                    Files.copy(f, to.resolve(n));
                }
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // A leftover temporary folder is not worth failing a mutation run for.
        }
    }
}
