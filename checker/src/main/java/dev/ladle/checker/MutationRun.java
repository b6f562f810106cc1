package dev.ladle.checker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
 * specs folder, on the models that extend or instantiate the mutated module only, cheapest first
 * (by the generated states the manifest records; a witness costs at most what its model does),
 * until one reports a violation or a witness model (one the manifest expects violated) no longer
 * reaches its situation. TLC stops each model at its first violation, so the expensive models run
 * only for the mutants every cheaper one let through. A mutant that only changes the state counts
 * is a survivor: no invariant, property or witness names what it broke. A mutant that runs past
 * its time limit is reported as timed out, never as killed; a mutant listed as equivalent is not
 * run.
 */
public final class MutationRun {

    /** What became of one mutant. */
    public enum Outcome {
        /** An invariant or property of some model is violated. */
        KILLED("killed"),
        /** TLC could not evaluate the mutated spec (an undefined value, a type error): killed, but by no property. */
        ERROR("killed (TLC error)"),
        /** Listed as equivalent (no behaviour can tell it from the spec); not run. */
        EQUIVALENT("equivalent"),
        /** Still running when its time limit ran out: neither killed nor survived. */
        TIMED_OUT("timed out"),
        /**
         * TLC stopped for a reason outside the spec (out of memory, its JVM killed by a signal):
         * neither killed nor survived, and never recorded for {@code --resume}.
         */
        STOPPED("not judged (TLC stopped)"),
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

        public boolean survived() {
            return this == COUNTS_ONLY || this == SURVIVED;
        }
    }

    /**
     * One mutant's result.
     *
     * @param mutant the change
     * @param outcome what became of it
     * @param by the model and the invariant or property that killed it, the error, or the count drift
     * @param diff the changed lines
     * @param time how long its models ran
     */
    public record Result(
            SpecMutants.Mutant mutant,
            Outcome outcome,
            String by,
            String diff,
            Duration time,
            List<String> skipped,
            double skippedSeconds) {
        public Result {
            skipped = List.copyOf(skipped);
        }

        public Result(SpecMutants.Mutant mutant, Outcome outcome, String by, String diff, Duration time) {
            this(mutant, outcome, by, diff, time, List.of(), 0);
        }

        /** The same result, noting the models it was not run on (they cannot tell it from the spec). */
        Result skipping(List<String> models, double seconds) {
            return new Result(mutant, outcome, by, diff, time, models, seconds);
        }
    }

    /**
     * How to run.
     *
     * @param jobs mutants run at a time (each TLC with one worker)
     * @param timeout time limit per mutant, over all its models; null for none
     * @param equivalent the keys ({@link SpecMutants.Mutant#key()}) of mutants known to be equivalent
     * @param cache a folder to keep the unmutated models' times and coverage in, keyed by a hash of
     *     the specs and the manifest, so that a second run on the same specs need not measure them
     *     again, and each mutant's outcome as soon as it is known ({@code mutate-results/}); null for
     *     none
     * @param resume take the outcome of a mutant from {@code cache} when an earlier run recorded it on
     *     exactly the same inputs (the mutated module, the mutant, and every model it runs on: their
     *     configurations, the modules they use and their manifest entries); a timed-out mutant is
     *     never recorded, so it runs again
     * @param setAsideAfter the least time a model may run on a mutant before it is set aside for the models after
     *     it (it may also run {@link #SET_ASIDE_FACTOR} times what it took unmutated); the models set aside run
     *     again with the time left once the others let the mutant through
     */
    public record Settings(
            int jobs, Duration timeout, Set<String> equivalent, Path cache, boolean resume, Duration setAsideAfter) {
        public Settings {
            equivalent = Set.copyOf(equivalent);
        }

        public Settings(int jobs, Duration timeout, Set<String> equivalent, Path cache, boolean resume) {
            this(jobs, timeout, equivalent, cache, resume, SET_ASIDE_FLOOR);
        }

        public Settings(int jobs, Duration timeout, Set<String> equivalent, Path cache) {
            this(jobs, timeout, equivalent, cache, false);
        }

        public Settings(int jobs, Duration timeout, Set<String> equivalent) {
            this(jobs, timeout, equivalent, null, false);
        }
    }

    /**
     * A model that every mutant is judged against does not give, unmutated, what the manifest expects: the
     * run stops before any mutant runs.
     */
    public static final class ReferenceDiffers extends IllegalStateException {
        ReferenceDiffers(String message) {
            super(message);
        }
    }

    private static final Pattern USES = Pattern.compile("(?m)^\\s*EXTENDS\\s+([^\\n]+)|\\bINSTANCE\\s+(\\w+)");

    private MutationRun() {}

    /** {@link #run(Path, Manifest, List, List, Settings, Consumer)} with no time limit and no equivalent mutants. */
    public static List<Result> run(
            Path tla,
            Manifest manifest,
            List<String> models,
            List<SpecMutants.Mutant> mutants,
            int jobs,
            Consumer<String> progress) {
        return run(tla, manifest, models, mutants, new Settings(jobs, null, Set.of()), progress);
    }

    /**
     * Runs {@code mutants} of the specs in {@code tla} on {@code models} (those that hold and their
     * witnesses), telling {@code progress} one line per finished mutant.
     */
    public static List<Result> run(
            Path tla,
            Manifest manifest,
            List<String> models,
            List<SpecMutants.Mutant> mutants,
            Settings settings,
            Consumer<String> progress) {
        List<String> ordered = byCost(tla, manifest, models);
        boolean anyToRun = mutants.stream().anyMatch(m -> !settings.equivalent().contains(m.key()));
        Map<String, Double> measured = new HashMap<>();
        // Only the models that use a mutated module can tell a mutant from the spec; only they are measured.
        Set<String> mutated = new HashSet<>();
        mutants.forEach(m -> mutated.add(m.module()));
        List<String> measure = ordered.stream()
                .filter(model -> mutated.stream().anyMatch(module -> usesUnchecked(tla, model, module)))
                .toList();
        List<MutantOrder.Uses> uses =
                anyToRun ? baseline(tla, manifest, measure, settings, progress, measured) : List.of();
        Map<String, Double> seconds = measured;
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, settings.jobs()));
        AtomicInteger done = new AtomicInteger();
        try {
            List<Future<Result>> futures = new ArrayList<>();
            for (SpecMutants.Mutant m : mutants) {
                futures.add(pool.submit(() -> {
                    List<String> plan = MutantOrder.order(uses, MutantOrder.key(m.module(), m.definition()));
                    List<String> skipped = new ArrayList<>(ordered);
                    skipped.removeAll(plan);
                    double skippedSeconds = skipped.stream()
                            .mapToDouble(x -> seconds.getOrDefault(x, 0.0))
                            .sum();
                    Path results =
                            settings.cache() == null || settings.equivalent().contains(m.key())
                                    ? null
                                    : settings.cache().resolve("mutate-results");
                    Result recorded = null;
                    if (settings.resume() && results != null) {
                        // A kill depends only on the model that killed it; a survivor on every model of its plan.
                        for (String model : plan) {
                            if (recorded == null) {
                                recorded = readResult(
                                        results.resolve(resultHash(tla, manifest, true, List.of(model), m)), m);
                            }
                        }
                        if (recorded == null) {
                            recorded = readResult(results.resolve(resultHash(tla, manifest, false, plan, m)), m);
                        }
                    }
                    Result r;
                    if (settings.equivalent().contains(m.key())) {
                        r = new Result(m, Outcome.EQUIVALENT, "", "", Duration.ZERO);
                    } else if (recorded != null) {
                        r = recorded.skipping(skipped, skippedSeconds);
                    } else {
                        r = runOne(tla, manifest, plan, seconds, m, settings.timeout(), settings.setAsideAfter())
                                .skipping(skipped, skippedSeconds);
                        String killer = r.outcome().killed() ? decidingModel(r, plan) : null;
                        if (results != null && (killer != null || r.outcome().survived())) {
                            writeResult(
                                    results.resolve(resultHash(
                                            tla, manifest, killer != null, killer != null ? List.of(killer) : plan, m)),
                                    r);
                        }
                    }
                    int n = done.incrementAndGet();
                    progress.accept(String.format(
                            "[%d/%d] %s %s (%s): %s%s [%ds%s]%s",
                            n,
                            mutants.size(),
                            m.where(),
                            m.operator(),
                            m.definition(),
                            r.outcome().text(),
                            r.by().isEmpty() ? "" : " " + r.by(),
                            r.time().toSeconds(),
                            recorded != null ? ", recorded by an earlier run on the same specs" : "",
                            r.outcome() == Outcome.EQUIVALENT
                                    ? ""
                                    : String.format(
                                            " (%d of %d models use %s; %d do not, skipped)",
                                            plan.size(), ordered.size(), m.definition(), skipped.size())));
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
            throw unwrap(e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** What a job threw, as thrown: a file that could not be read or written stays an I/O failure. */
    private static RuntimeException unwrap(ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException re) {
            return re;
        }
        if (cause instanceof IOException io) {
            return new UncheckedIOException(io);
        }
        return new IllegalStateException(cause);
    }

    /**
     * {@code Module!Definition} of every definition that what {@code model}'s configuration names uses,
     * directly or through others (SANY's tree, as for the order of the models per mutant): a mutant of
     * any other definition cannot be told from the spec by this model.
     *
     * @throws IllegalArgumentException naming the file when the model does not parse
     */
    public static Set<String> usedDefinitions(Path tla, String model) {
        return MutantOrder.of(tla, model, List.of(), 0).used();
    }

    /** The key {@link #usedDefinitions} gives a mutant's definition. */
    public static String definitionKey(SpecMutants.Mutant m) {
        return MutantOrder.key(m.module(), m.definition());
    }

    /**
     * Runs every model once on the unmutated specs, with TLC's coverage, {@code settings.jobs()}
     * at a time: each must give what the manifest expects (else every mutant would be judged
     * against a wrong reference), and its time and the actions it took order the models per
     * mutant ({@link MutantOrder}). Kept in {@code settings.cache()} under a hash of the specs and
     * the manifest.
     *
     * @throws IllegalStateException when a model does not give what the manifest expects unmutated
     */
    static List<MutantOrder.Uses> baseline(
            Path tla,
            Manifest manifest,
            List<String> models,
            Settings settings,
            Consumer<String> progress,
            Map<String, Double> seconds) {
        Map<String, List<ActionCoverage>> coverage = new HashMap<>();
        Map<String, Path> cacheFiles = new HashMap<>();
        try {
            if (settings.cache() != null) {
                for (String model : models) {
                    Path f = settings.cache()
                            .resolve("mutate-baseline")
                            .resolve(model + "-" + modelHash(tla, manifest, model) + ".tsv");
                    cacheFiles.put(model, f);
                    if (Files.exists(f)) {
                        readBaseline(f, seconds, coverage);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> missing = new ArrayList<>(models);
        missing.removeAll(seconds.keySet());
        // The most expensive first (by the manifest's counts): the jobs end together.
        java.util.Collections.reverse(missing);
        if (!missing.isEmpty()) {
            progress.accept("ladle mutate: running " + missing.size()
                    + (missing.size() == 1
                            ? " model unmutated (its time and the actions it takes order the models per mutant)"
                            : " models unmutated (their time and the actions they take order the models per mutant)"));
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, settings.jobs()));
            try {
                List<Future<ModelResult>> futures = new ArrayList<>();
                for (String model : missing) {
                    futures.add(pool.submit(() -> {
                        CheckOptions options = CheckOptions.defaults()
                                .withNames(List.of(model))
                                .withWorkers(1)
                                .withCoverage(true)
                                .withManifest(manifest.file());
                        if (settings.timeout() != null) {
                            options = options.withTimeout(settings.timeout());
                        }
                        CheckRun run = Checker.check(tla, options);
                        ModelResult r = run.results().get(0);
                        if (r.verdict() == Verdict.ERROR && r.error().startsWith(ModelResult.TIMED_OUT)) {
                            // Longer than a mutant may take: its cost is the limit, the actions it takes unknown.
                            progress.accept("ladle mutate: " + model + " unmutated: timed out (not kept)");
                            return r;
                        }
                        Manifest.Entry expected = manifest.entry(model).orElse(null);
                        boolean witness = expected != null && expected.expect() == Verdict.VIOLATED;
                        boolean ok = witness
                                ? r.verdict() == Verdict.VIOLATED
                                        && r.violated().equals(expected.invariant())
                                : r.verdict() == Verdict.HOLDS
                                        && (expected == null || r.drift().isEmpty());
                        if (!ok) {
                            throw new ReferenceDiffers(model + " unmutated does not give what the manifest"
                                    + " expects (" + r.describe() + (r.drift().isEmpty() ? "" : "; " + r.drift())
                                    + "): fix the specs or the manifest before mutating them");
                        }
                        progress.accept(String.format(
                                "ladle mutate: %s unmutated: %s in %.1f s", model, r.describe(), secondsOf(r.time())));
                        Path f = cacheFiles.get(model);
                        if (f != null) {
                            Files.createDirectories(f.getParent());
                            writeBaseline(f, model, secondsOf(r.time()), r.coverage());
                        }
                        return r;
                    }));
                }
                for (Future<ModelResult> f : futures) {
                    ModelResult r = f.get();
                    boolean timedOut = r.verdict() == Verdict.ERROR;
                    seconds.put(r.model(), timedOut ? secondsOf(settings.timeout()) : secondsOf(r.time()));
                    coverage.put(r.model(), timedOut ? List.of() : r.coverage());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw unwrap(e);
            } finally {
                pool.shutdownNow();
            }
        }
        List<MutantOrder.Uses> uses = new ArrayList<>();
        for (String model : models) {
            List<ActionCoverage> cov = coverage.getOrDefault(model, List.of());
            double cost = seconds.getOrDefault(model, Double.MAX_VALUE);
            boolean witness = manifest.entry(model)
                    .map(e -> e.expect() == Verdict.VIOLATED)
                    .orElse(false);
            double baseCost = Double.MAX_VALUE;
            if (witness) {
                // A witness runs just before the cheapest model it extends (it only notices a situation no
                // longer reached; the model's invariants and postconditions notice more) and, as it stops at
                // its situation before TLC reports coverage, counts that model's actions as its own.
                for (String base : models) {
                    boolean holds = manifest.entry(base)
                            .map(e -> e.expect() != Verdict.VIOLATED)
                            .orElse(false);
                    if (!base.equals(model) && holds && seconds.containsKey(base) && usesUnchecked(tla, model, base)) {
                        baseCost = Math.min(baseCost, seconds.get(base) - 0.001);
                        if (cov.isEmpty()) {
                            cov = coverage.getOrDefault(base, List.of());
                        }
                    }
                }
            }
            uses.add(MutantOrder.of(tla, model, cov, baseCost < Double.MAX_VALUE ? baseCost : cost));
        }
        return uses;
    }

    private static double secondsOf(Duration d) {
        return d.toMillis() / 1000.0;
    }

    /**
     * A hash of what decides how {@code model} runs unmutated: its configuration, every module it
     * extends or instantiates (directly or through others), and its manifest entry.
     */
    private static String modelHash(Path tla, Manifest manifest, String model) throws IOException {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            java.util.TreeSet<String> modules = new java.util.TreeSet<>(usedModules(tla, model));
            modules.removeIf(m -> !Files.exists(tla.resolve(m + ".tla")));
            for (String m : modules) {
                md.update(m.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update(Files.readAllBytes(tla.resolve(m + ".tla")));
            }
            md.update(Files.readAllBytes(tla.resolve(model + ".cfg")));
            String expected = manifest.entry(model)
                    .map(e -> e.expect().name().toLowerCase(java.util.Locale.ROOT) + "|" + e.invariant() + "|"
                            + e.distinct() + "|" + e.total() + "|" + e.depth())
                    .orElse("");
            md.update(expected.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A hash of what decides a mutant's outcome: the mutant (its place and change), the text of the
     * module it changes, and, for each of {@code models} in order, that model's {@link #modelHash}: the
     * model that killed it, or every model of its plan for a survivor. A model added to a survivor's
     * plan, a changed model or a changed manifest entry gives another hash.
     */
    private static String resultHash(Path tla, Manifest manifest, boolean kill, List<String> plan, SpecMutants.Mutant m)
            throws IOException {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update((kill ? "killed by\n" : "survived on\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            md.update((m.where() + "\n" + m.key() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            md.update(Files.readAllBytes(tla.resolve(m.module() + ".tla")));
            for (String model : plan) {
                md.update(("\n" + model + " " + modelHash(tla, manifest, model))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return java.util.HexFormat.of().formatHex(md.digest()).substring(0, 24) + ".txt";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The model a killed mutant's result names ("by M: ...", "in M: ..."), or null when it names none of the plan. */
    private static String decidingModel(Result r, List<String> plan) {
        Matcher x = Pattern.compile("^(?:by|in) (\\S+?):").matcher(r.by());
        return x.find() && plan.contains(x.group(1)) ? x.group(1) : null;
    }

    /** Writes a finished mutant's outcome: outcome, seconds, what killed it, then the diff. */
    private static void writeResult(Path file, Result r) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(
                tmp,
                r.outcome().name() + "\n" + r.time().toMillis() + "\n" + r.by().replace('\n', ' ') + "\n" + r.diff());
        Files.move(
                tmp,
                file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static final java.util.regex.Pattern JVM_EXIT =
            java.util.regex.Pattern.compile("the TLC JVM stopped \\(exit code (\\d+)\\)");

    /**
     * True for a recorded TLC error that was no verdict on the mutant: a JVM killed by a signal or out
     * of memory (recorded as a kill by earlier versions, which did not tell these apart).
     */
    static boolean stoppedOutsideTheSpec(String by) {
        if (by.contains(ModelResult.JVM_KILLED) || by.contains("ran out of memory")) {
            return true;
        }
        java.util.regex.Matcher exit = JVM_EXIT.matcher(by);
        return exit.find() && TlcRunner.signalName(Integer.parseInt(exit.group(1))) != null;
    }

    /** The outcome recorded for {@code m}, or null when none is (or the record cannot be read). */
    private static Result readResult(Path file, SpecMutants.Mutant m) {
        try {
            if (!Files.exists(file)) {
                return null;
            }
            String text = Files.readString(file);
            String[] f = text.split("\n", 4);
            if (f.length < 3) {
                return null;
            }
            Outcome outcome = Outcome.valueOf(f[0]);
            if (outcome == Outcome.TIMED_OUT || outcome == Outcome.STOPPED || outcome == Outcome.EQUIVALENT) {
                return null;
            }
            if (outcome == Outcome.ERROR && stoppedOutsideTheSpec(f[2])) {
                return null;
            }
            return new Result(m, outcome, f[2], f.length == 4 ? f[3] : "", Duration.ofMillis(Long.parseLong(f[1])));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void readBaseline(Path file, Map<String, Double> seconds, Map<String, List<ActionCoverage>> coverage)
            throws IOException {
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split("\t", -1);
            if (f.length != 3) {
                continue;
            }
            seconds.put(f[0], Double.parseDouble(f[1]));
            List<ActionCoverage> cov = new ArrayList<>();
            for (String a : f[2].split(";")) {
                String[] x = a.split(",");
                if (x.length == 6) {
                    cov.add(new ActionCoverage(
                            x[0],
                            x[1],
                            Integer.parseInt(x[2]),
                            Boolean.parseBoolean(x[3]),
                            Long.parseLong(x[4]),
                            Long.parseLong(x[5])));
                }
            }
            coverage.put(f[0], cov);
        }
    }

    private static void writeBaseline(Path file, String model, double seconds, List<ActionCoverage> coverage)
            throws IOException {
        List<String> cov = new ArrayList<>();
        for (ActionCoverage a : coverage) {
            cov.add(a.module() + "," + a.action() + "," + a.line() + "," + a.init() + "," + a.distinct() + ","
                    + a.generated());
        }
        Files.writeString(file, model + "\t" + seconds + "\t" + String.join(";", cov) + "\n");
    }

    /**
     * The models cheapest first: a model that holds costs the generated states the manifest
     * records for it (unrecorded: last); a witness at most what the model it extends costs, and
     * runs before it (it stops at its situation, and a mutant that hides the situation is killed).
     */
    static List<String> byCost(Path tla, Manifest manifest, List<String> models) {
        Map<String, Long> cost = new HashMap<>();
        for (String m : models) {
            cost.put(
                    m,
                    manifest.entry(m)
                            .filter(e -> e.expect() != Verdict.VIOLATED)
                            .map(e -> e.total() >= 0 ? e.total() : e.distinct() >= 0 ? e.distinct() : Long.MAX_VALUE)
                            .orElse(Long.MAX_VALUE));
        }
        Map<String, Long> witnessCost = new HashMap<>();
        for (String w : models) {
            boolean witness =
                    manifest.entry(w).map(e -> e.expect() == Verdict.VIOLATED).orElse(false);
            if (!witness) {
                continue;
            }
            long c = Long.MAX_VALUE;
            boolean based = false;
            for (String m : models) {
                if (!m.equals(w) && cost.get(m) != Long.MAX_VALUE && usesUnchecked(tla, w, m)) {
                    c = Math.min(c, cost.get(m));
                    based = true;
                }
            }
            // A witness of no model that holds (such as an introduction the model must find) is run first.
            witnessCost.put(w, based ? c : 0);
        }
        List<String> ordered = new ArrayList<>(models);
        ordered.sort(Comparator.<String>comparingLong(m -> witnessCost.getOrDefault(m, cost.get(m)))
                .thenComparing(m -> witnessCost.containsKey(m) ? 0 : 1)
                .thenComparing(m -> m));
        return ordered;
    }

    /**
     * How long a model may run on a mutant, in the first pass over its plan, before it is set aside for the models
     * after it: this many times what it took unmutated, and at least {@link Settings#setAsideAfter} (by default
     * {@link #SET_ASIDE_FLOOR}). A mutant that makes one
     * model's state space explode (a witness whose situation a broken free list keeps refilling) is then still killed
     * by a model after it in a second; the models set aside run again, with all the time left, once the others let
     * the mutant through.
     */
    static final double SET_ASIDE_FACTOR = 20;

    static final Duration SET_ASIDE_FLOOR = Duration.ofSeconds(20);

    private static Result runOne(
            Path tla,
            Manifest manifest,
            List<String> models,
            Map<String, Double> seconds,
            SpecMutants.Mutant m,
            Duration timeout,
            Duration setAsideAfter)
            throws IOException {
        long start = System.nanoTime();
        Path dir = TempFolder.create("ladle-mutant-");
        try {
            copySpecs(tla, dir);
            Path file = dir.resolve(m.module() + ".tla");
            String original = Files.readString(file);
            Files.writeString(file, m.apply(original));
            String diff = m.diff(original);
            List<String> drift = new ArrayList<>();
            List<String> setAside = new ArrayList<>();
            List<String> using = new ArrayList<>();
            for (String model : models) {
                if (uses(dir, model, m.module())) {
                    using.add(model);
                }
            }
            for (int i = 0; i < using.size(); i++) {
                String model = using.get(i);
                Duration left = timeout == null ? null : timeout.minus(TempFolder.since(start));
                // what is left of the limit, to the millisecond: --timeout 1 gives the first model the second less
                // the few milliseconds the copy of the specs took, not nothing
                if (left != null && (left.isNegative() || left.isZero())) {
                    return new Result(m, Outcome.TIMED_OUT, "before " + model, diff, TempFolder.since(start));
                }
                Duration share = left;
                boolean bounded = false;
                boolean last = i == using.size() - 1 && setAside.isEmpty();
                Double unmutated = seconds.get(model);
                if (!last && unmutated != null) {
                    Duration bound = Duration.ofMillis(Math.round(unmutated * SET_ASIDE_FACTOR * 1000));
                    bound = bound.compareTo(setAsideAfter) < 0 ? setAsideAfter : bound;
                    if (share == null || bound.compareTo(share) < 0) {
                        share = bound;
                        bounded = true;
                    }
                }
                Result verdict = runModel(dir, manifest, model, m, share, diff, start, drift);
                if (timedOut(verdict) && bounded) {
                    setAside.add(model); // ran past its share: the models after it first
                    continue;
                }
                if (verdict != null) {
                    return verdict;
                }
            }
            for (String model : setAside) {
                Duration left = timeout == null ? null : timeout.minus(TempFolder.since(start));
                if (left != null && (left.isNegative() || left.isZero())) {
                    return new Result(
                            m, Outcome.TIMED_OUT, "in " + named(setAside, seconds), diff, TempFolder.since(start));
                }
                Result verdict = runModel(dir, manifest, model, m, left, diff, start, drift);
                if (verdict != null) {
                    if (timedOut(verdict)) {
                        return new Result(
                                m, Outcome.TIMED_OUT, "in " + named(setAside, seconds), diff, TempFolder.since(start));
                    }
                    return verdict;
                }
            }
            Duration time = TempFolder.since(start);
            return drift.isEmpty()
                    ? new Result(m, Outcome.SURVIVED, "", diff, time)
                    : new Result(m, Outcome.COUNTS_ONLY, "(" + String.join("; ", drift) + ")", diff, time);
        } finally {
            TempFolder.delete(dir);
        }
    }

    private static boolean timedOut(Result r) {
        return r != null && r.outcome() == Outcome.TIMED_OUT;
    }

    /** The models set aside, named for a mutant that timed out in them. */
    private static String named(List<String> models, Map<String, Double> seconds) {
        List<String> named = new ArrayList<>();
        for (String model : models) {
            Double s = seconds.get(model);
            named.add(model + (s == null ? "" : String.format(" (%.1f s unmutated)", s)));
        }
        return String.join(", ", named) + "; every other model let it through";
    }

    /**
     * Runs {@code model} on the mutant in {@code dir} within {@code limit} (null: none): a result that ends the
     * mutant's run (killed, a TLC error, stopped, timed out), or none (it holds; a change in its counts goes to
     * {@code drift}).
     */
    private static Result runModel(
            Path dir,
            Manifest manifest,
            String model,
            SpecMutants.Mutant m,
            Duration limit,
            String diff,
            long start,
            List<String> drift) {
        CheckOptions options =
                CheckOptions.defaults().withNames(List.of(model)).withWorkers(1).withManifest(manifest.file());
        if (limit != null) {
            options = options.withTimeout(limit);
        }
        CheckRun run = Checker.check(dir, options);
        Manifest.Entry expected = manifest.entry(model).orElse(null);
        for (ModelResult r : run.results()) {
            if (r.verdict() == Verdict.ERROR && r.error().startsWith(ModelResult.TIMED_OUT)) {
                return new Result(m, Outcome.TIMED_OUT, "in " + model, diff, TempFolder.since(start));
            }
            if (r.unfinished()) {
                return new Result(
                        m, Outcome.STOPPED, "in " + model + ": " + firstLine(r), diff, TempFolder.since(start));
            }
            if (expected != null && expected.expect() == Verdict.VIOLATED) {
                // A witness: the mutant must still reach the situation it names.
                if (r.verdict() == Verdict.VIOLATED && r.violated().equals(expected.invariant())) {
                    continue;
                }
                if (r.verdict() == Verdict.ERROR) {
                    return new Result(
                            m, Outcome.ERROR, "in " + model + ": " + firstLine(r), diff, TempFolder.since(start));
                }
                String got = r.verdict() == Verdict.HOLDS ? "no longer reached" : "gave " + r.describe();
                return new Result(
                        m,
                        Outcome.KILLED,
                        "by " + model + ": witness " + expected.invariant() + " " + got,
                        diff,
                        TempFolder.since(start));
            }
            switch (r.verdict()) {
                case VIOLATED -> {
                    return new Result(
                            m, Outcome.KILLED, "by " + model + ": " + r.violated(), diff, TempFolder.since(start));
                }
                case DEADLOCK -> {
                    return new Result(m, Outcome.KILLED, "by " + model + ": deadlock", diff, TempFolder.since(start));
                }
                case ERROR -> {
                    return new Result(
                            m, Outcome.ERROR, "in " + model + ": " + firstLine(r), diff, TempFolder.since(start));
                }
                default -> r.drift().forEach(d -> drift.add(model + ": " + d));
            }
        }
        return null;
    }

    /** Lines of TLC's error text that say nothing about what went wrong. */
    private static final Pattern TLC_BOILERPLATE = Pattern.compile("^(TLC threw an unexpected exception\\.|This was "
            + "probably caused by|See the User Output|The exception was a |The error occurred when TLC was evaluating"
            + "|expressions at the following positions|\\d+\\. Line \\d+)");

    /** The location the first line of a TLC error leads with ({@code ... at Module.tla:line:column: }). */
    private static final Pattern LEADING_LOCATION = Pattern.compile("^(.*? at \\S+\\.tla:\\d+:\\d+: )(.*)$");

    /**
     * A model's error in one line of at most 160 characters: its first line, where TLC's text there is boilerplate
     * ("TLC threw an unexpected exception.") the first line that says what went wrong ("Attempted to apply
     * function: ..."), after the location the first line led with.
     */
    static String firstLine(ModelResult r) {
        List<String> lines = r.error().lines().toList();
        String first = lines.isEmpty() ? "" : lines.get(0);
        Matcher lead = LEADING_LOCATION.matcher(first);
        String prefix = lead.matches() ? lead.group(1) : "";
        String rest = lead.matches() ? lead.group(2) : first;
        if (TLC_BOILERPLATE.matcher(rest).find()) {
            for (String line : lines.subList(1, lines.size())) {
                String l = line.replaceFirst("^:\\s*", "").strip();
                if (!l.isEmpty() && !TLC_BOILERPLATE.matcher(l).find()) {
                    first = prefix + l;
                    break;
                }
            }
        }
        return first.length() > 160 ? first.substring(0, 157) + "..." : first;
    }

    /**
     * True when model's module is {@code module} or uses it, directly or through others: it
     * extends or instantiates it (read from the EXTENDS and INSTANCE lines).
     */
    public static boolean uses(Path dir, String model, String module) throws IOException {
        return usedModules(dir, model).contains(module);
    }

    /**
     * {@code model} and every module it extends or instantiates, directly or through others (read from the EXTENDS
     * and INSTANCE lines of the files in {@code dir}; a name with no file there, a standard module, is listed but
     * not read).
     */
    private static Set<String> usedModules(Path dir, String model) throws IOException {
        Set<String> seen = new HashSet<>();
        List<String> todo = new ArrayList<>(List.of(model));
        while (!todo.isEmpty()) {
            String m = todo.remove(todo.size() - 1);
            Path f = dir.resolve(m + ".tla");
            if (!seen.add(m) || !Files.exists(f)) {
                continue;
            }
            Matcher x = USES.matcher(Files.readString(f));
            while (x.find()) {
                if (x.group(1) != null) {
                    for (String e : x.group(1).split(",")) {
                        todo.add(e.strip());
                    }
                } else {
                    todo.add(x.group(2));
                }
            }
        }
        return seen;
    }

    private static boolean usesUnchecked(Path dir, String model, String module) {
        try {
            return uses(dir, model, module);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
}
