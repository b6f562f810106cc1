package dev.ladle.checker;

import edu.mit.csail.sdg.alloy4.A4Reporter;
import edu.mit.csail.sdg.alloy4.Err;
import edu.mit.csail.sdg.ast.Command;
import edu.mit.csail.sdg.ast.ExprVar;
import edu.mit.csail.sdg.ast.Sig;
import edu.mit.csail.sdg.translator.A4Options;
import edu.mit.csail.sdg.translator.A4Solution;
import edu.mit.csail.sdg.translator.A4Tuple;
import edu.mit.csail.sdg.translator.A4TupleSet;
import edu.mit.csail.sdg.translator.TranslateAlloyToKodkod;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs one Alloy command in this JVM with SAT4J (pure Java, no native solver, no window).
 *
 * <p>A {@code check} holds when there is no counterexample; a {@code run} succeeds when an
 * instance exists. The first counterexample or instance is kept as its relations, skolem
 * constants included; further ones are only counted, up to {@link #COUNT_CAP}, so the count
 * stays cheap and comparable across runs.
 */
final class AlloyRunner {
    /**
     * Instances beyond this many are not enumerated: each one is another SAT call, and the count
     * must stay deterministic (a time budget would not be) for the manifest to compare it.
     */
    static final int COUNT_CAP = 20;

    private AlloyRunner() {}

    static ModelResult run(ModelRef model, edu.mit.csail.sdg.ast.Module world) {
        Set<Path> before = solverLeftovers();
        try {
            return solve(model, world);
        } finally {
            // Alloy's solver factory leaves empty CNF files in the temporary folder; remove ours.
            for (Path p : solverLeftovers()) {
                if (!before.contains(p)) {
                    try {
                        if (Files.size(p) == 0) {
                            Files.deleteIfExists(p);
                        }
                    } catch (IOException e) {
                        // Someone else's file, or already gone: nothing to clean.
                    }
                }
            }
        }
    }

    private static Set<Path> solverLeftovers() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Set<Path> out = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp, "alloy-*.cnf")) {
            ds.forEach(out::add);
        } catch (IOException e) {
            // No temporary folder to look at: nothing to clean either.
        }
        return out;
    }

    private static ModelResult solve(ModelRef model, edu.mit.csail.sdg.ast.Module world) {
        long start = System.nanoTime();
        int index = Discovery.commandLabels(world).indexOf(model.command());
        if (index < 0) {
            return ModelResult.error(
                    model, "no command " + model.command() + " in " + model.file(), TempFolder.since(start));
        }
        Command command = world.getAllCommands().get(index);
        A4Options options = new A4Options();
        options.solver = kodkod.engine.satlab.SATFactory.get("sat4j");
        try {
            A4Solution solution = TranslateAlloyToKodkod.execute_command(
                    A4Reporter.NOP, world.getAllReachableSigs(), command, options);
            boolean found = solution.satisfiable();
            List<Relation> relations = found ? relations(solution, world) : List.of();
            long count = 0;
            A4Solution s = solution;
            while (s.satisfiable() && count < COUNT_CAP) {
                count++;
                A4Solution next = s.next();
                if (next == s) {
                    break;
                }
                s = next;
            }
            Verdict verdict = command.check
                    ? (found ? Verdict.VIOLATED : Verdict.HOLDS)
                    : (found ? Verdict.INSTANCE : Verdict.NO_INSTANCE);
            String violated = command.check && found ? model.command() : "";
            return new ModelResult(
                    model.name(),
                    Engine.ALLOY,
                    verdict,
                    violated,
                    count,
                    count,
                    0,
                    TempFolder.since(start),
                    List.of(),
                    0,
                    "",
                    relations,
                    "",
                    List.of(),
                    List.of());
        } catch (Err e) {
            return ModelResult.error(
                    model, Discovery.alloyError(model.file(), e).toString(), TempFolder.since(start));
        } catch (OutOfMemoryError e) {
            return ModelResult.error(model, "Alloy ran out of memory", TempFolder.since(start));
        }
    }

    private static List<Relation> relations(A4Solution solution, edu.mit.csail.sdg.ast.Module world) {
        List<Relation> out = new ArrayList<>();
        for (Sig sig : world.getAllReachableUserDefinedSigs()) {
            out.add(new Relation(strip(sig.label), "sig", tuples(solution.eval(sig))));
            for (Sig.Field f : sig.getFields()) {
                out.add(new Relation(strip(sig.label) + "." + f.label, "field", tuples(solution.eval(f))));
            }
        }
        for (ExprVar skolem : solution.getAllSkolems()) {
            try {
                Object value = solution.eval(skolem);
                if (value instanceof A4TupleSet ts) {
                    out.add(new Relation(skolem.label, "skolem", tuples(ts)));
                }
            } catch (Err e) {
                out.add(new Relation(skolem.label, "skolem", List.of(List.of("?" + e.msg))));
            }
        }
        return out;
    }

    private static List<List<String>> tuples(A4TupleSet set) {
        List<List<String>> out = new ArrayList<>();
        for (A4Tuple t : set) {
            List<String> atoms = new ArrayList<>();
            for (int i = 0; i < t.arity(); i++) {
                atoms.add(t.atom(i));
            }
            out.add(atoms);
        }
        return out;
    }

    private static String strip(String label) {
        return label.startsWith("this/") ? label.substring(5) : label;
    }
}
