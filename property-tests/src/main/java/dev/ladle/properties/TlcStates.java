package dev.ladle.properties;

import dev.ladle.checker.CheckOptions;
import dev.ladle.checker.CheckRun;
import dev.ladle.checker.Checker;
import dev.ladle.checker.ModelResult;
import dev.ladle.checker.Verdict;
import dev.ladle.codegen.Parse;
import dev.ladle.persist.model.KernelObject;
import dev.ladle.persist.model.ObjectRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tla2sany.semantic.OpDeclNode;

/**
 * TLC on recovered states, in a child JVM (TLC's evaluator is one per JVM): a module that extends the spec has the
 * recovered states as its initial states and stutters, and its cfg names every invariant of the spec, so TLC
 * evaluates each invariant on each state (those the generator has no checker for included). The same module checks
 * each restore order against Persistence.tla, instantiated with the recovered object graph: every edge of the graph
 * must be in the spec's {@code KindDeps}, and every prefix of the order must satisfy its {@code RestoreRespectsDeps}
 * (checked as invariants of the module: an instance of Persistence is not constant-level for SANY). A state or an
 * order that breaks them is reported with the invariant's name.
 */
final class TlcStates {
    /** One recovered state (every variable of the spec) with the order its objects were restored in. */
    record Sample(Map<String, String> state, List<KernelObject> graph, List<ObjectRef> order) {}

    /** TLC's verdict; {@code failure} is null when everything holds. */
    record Outcome(int states, int invariants, long distinct, String failure) {}

    private TlcStates() {}

    /** The checks of each restore order (state predicates of the module, checked as invariants by name). */
    static final List<String> ORDER_CHECKS = List.of("EdgesInKindDeps", "OrderRestoresEachOnce", "OrderRespectsDeps");

    /**
     * Checks the samples' states against every invariant of {@code spec}; with {@code orders}, also their restore
     * orders against Persistence.tla.
     */
    static Outcome check(
            SpecText spec, Map<String, String> data, List<Sample> samples, String name, Path work, boolean orders) {
        List<String> invariants = new ArrayList<>();
        invariants.add(spec.ir.typeOKName());
        spec.ir.invariants().forEach(i -> invariants.add(i.name()));
        // those without a generated checker, as the spec's own models name them (the generator's list of unchecked
        // definitions also holds state functions that are no predicates)
        Set<String> modelled = modelInvariants(spec);
        spec.ir.uncheckedInvariants().stream().filter(modelled::contains).forEach(invariants::add);
        String module = module(spec, data, samples, name, orders);
        List<String> orderChecks = new ArrayList<>();
        for (int i = 1; orders && i <= samples.size(); i++) {
            for (String c : ORDER_CHECKS) {
                orderChecks.add("Tr" + i + c);
            }
        }
        try {
            Files.createDirectories(work);
            try (Stream<Path> specs = Files.list(spec.file.getParent())) {
                for (Path f : specs.filter(p -> p.toString().endsWith(".tla")).toList()) {
                    Files.copy(f, work.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.writeString(work.resolve(name + ".tla"), module);
            Files.writeString(
                    work.resolve(name + ".cfg"),
                    TlcTraces.constantsConfig(spec) + "INIT TrStates0\nNEXT TrStutter\nINVARIANTS\n    "
                            + String.join("\n    ", invariants)
                            + orderChecks.stream().map(c -> "\n    " + c).collect(Collectors.joining())
                            + "\nCHECK_DEADLOCK FALSE\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CheckRun run = Checker.check(
                work, CheckOptions.defaults().withoutManifest().withWorkers(1).withNames(List.of(name)));
        if (!run.parseErrors().isEmpty()) {
            return new Outcome(
                    samples.size(),
                    invariants.size(),
                    0,
                    "the state module does not parse: "
                            + run.parseErrors().stream().limit(3).toList());
        }
        ModelResult r = run.result(name).orElseThrow();
        String failure = null;
        if (r.verdict() == Verdict.VIOLATED) {
            String k = r.trace().get(r.trace().size() - 1).vars().get("trI");
            failure = "recovered state " + (k == null ? "?" : k.strip()) + " violates " + r.violated();
        } else if (r.verdict() != Verdict.HOLDS) {
            failure = "TLC: " + r.verdict().id() + " " + r.error();
        } else if (r.distinct() != samples.size()) {
            failure = "TLC found " + r.distinct() + " distinct states for " + samples.size() + " recovered states";
        }
        return new Outcome(samples.size(), invariants.size(), r.distinct(), failure);
    }

    /** The names the INVARIANT sections of the spec's models ({@code MC<module>*.cfg} beside it) list. */
    static Set<String> modelInvariants(SpecText spec) {
        Set<String> out = new java.util.TreeSet<>();
        try (Stream<Path> cfgs = Files.list(spec.file.getParent())) {
            for (Path cfg : cfgs.filter(p -> {
                        String n = p.getFileName().toString();
                        return n.startsWith("MC" + spec.module()) && n.endsWith(".cfg");
                    })
                    .toList()) {
                boolean in = false;
                for (String line : Files.readAllLines(cfg)) {
                    String l = line.replaceAll("\\\\\\*.*", "").strip();
                    if (l.isEmpty()) {
                        continue;
                    }
                    String[] words = l.split("\\s+");
                    if (words[0].matches("[A-Z_]+") && !words[0].matches("INVARIANTS?")) {
                        in = false;
                        continue;
                    }
                    for (int i = words[0].matches("INVARIANTS?") ? 1 : 0; i < words.length; i++) {
                        if (in || words[0].matches("INVARIANTS?")) {
                            out.add(words[i]);
                        }
                    }
                    in = in || words[0].matches("INVARIANTS?");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String obj(ObjectRef r) {
        return "\"" + r + "\"";
    }

    static String module(SpecText spec, Map<String, String> data, List<Sample> samples, String name, boolean orders) {
        List<String> vars = spec.variables();
        StringBuilder b = new StringBuilder();
        b.append("---- MODULE ").append(name).append(" ----\n");
        b.append("(* Generated: recovered states of ").append(spec.module()).append(" and their restore orders. *)\n");
        b.append("EXTENDS ").append(spec.module()).append(", TLC, Sequences, Integers, FiniteSets\n\n");
        b.append("VARIABLE trI\n\n");
        b.append(SpecText.FUNCTION_DEFINITION).append("\n\n");
        b.append(TlcTraces.constantDefinitions(spec, data));
        b.append("\nTrStates == <<\n");
        for (int i = 0; i < samples.size(); i++) {
            b.append(i == 0 ? "    " : "  , ")
                    .append(samples.get(i).state().entrySet().stream()
                            .map(e -> e.getKey() + " |-> " + e.getValue())
                            .collect(Collectors.joining(", ", "[", "]")))
                    .append('\n');
        }
        b.append(">>\n\nTrStates0 ==\n    /\\ trI \\in 1..Len(TrStates)\n");
        for (String v : vars) {
            b.append("    /\\ ").append(v).append(" = TrStates[trI].").append(v).append('\n');
        }
        b.append("\nTrStutter == UNCHANGED <<trI, ")
                .append(String.join(", ", vars))
                .append(">>\n\n");
        if (!orders) {
            return b.append("====\n").toString();
        }
        // the restore orders, against Persistence.tla instantiated with each recovered object graph
        Path persistence = spec.file.getParent().resolve("Persistence.tla");
        Parse.Result p = Parse.parse(persistence);
        if (p.root() == null) {
            throw new IllegalStateException(persistence + " does not parse: " + p.errors());
        }
        List<String> pvars = new ArrayList<>();
        for (OpDeclNode d : p.root().getVariableDecls()) {
            pvars.add(d.getName().toString());
        }
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            String k = "Tr" + (i + 1);
            b.append(k)
                    .append("Objects == {")
                    .append(s.graph().stream().map(o -> obj(o.ref())).collect(Collectors.joining(", ")))
                    .append("}\n");
            b.append(k)
                    .append("Kind == (")
                    .append(s.graph().stream()
                            .map(o -> obj(o.ref()) + " :> \"" + o.ref().kind().tla + "\"")
                            .collect(Collectors.joining(" @@ ")))
                    .append(")\n");
            b.append(k)
                    .append("Deps == (")
                    .append(s.graph().stream()
                            .map(o -> obj(o.ref()) + " :> {"
                                    + o.deps().stream().map(TlcStates::obj).collect(Collectors.joining(", ")) + "}")
                            .collect(Collectors.joining(" @@ ")))
                    .append(")\n");
            b.append(k)
                    .append("Order == <<")
                    .append(s.order().stream().map(TlcStates::obj).collect(Collectors.joining(", ")))
                    .append(">>\n");
            StringBuilder with = new StringBuilder();
            with.append("Objects <- ")
                    .append(k)
                    .append("Objects, BootObjects <- ")
                    .append(k)
                    .append("Objects, Kind <- ")
                    .append(k)
                    .append("Kind, Deps <- ");
            with.append(k).append("Deps, NoObject <- \"none\", LogSize <- 1, MaxLsn <- 0, MaxCrashes <- 0");
            for (String v : pvars) {
                with.append(", ").append(v).append(" <- ").append(v.equals("restored") ? "r" : "0");
            }
            b.append(k)
                    .append("P(r) == INSTANCE Persistence WITH ")
                    .append(with)
                    .append('\n');
            b.append(k)
                    .append("EdgesInKindDeps == \\A o \\in ")
                    .append(k)
                    .append("Objects : \\A d \\in ")
                    .append(k)
                    .append("Deps[o] : <<")
                    .append(k)
                    .append("Kind[o], ")
                    .append(k)
                    .append("Kind[d]>> \\in ")
                    .append(k)
                    .append("P({})!KindDeps\n");
            b.append(k)
                    .append("OrderRestoresEachOnce == Len(")
                    .append(k)
                    .append("Order) = Cardinality(")
                    .append(k)
                    .append("Objects) /\\ {")
                    .append(k)
                    .append("Order[j] : j \\in 1..Len(")
                    .append(k)
                    .append("Order)} = ")
                    .append(k)
                    .append("Objects\n");
            b.append(k)
                    .append("OrderRespectsDeps == \\A n \\in 0..Len(")
                    .append(k)
                    .append("Order) : ")
                    .append(k)
                    .append("P({")
                    .append(k)
                    .append("Order[j] : j \\in 1..n})!RestoreRespectsDeps\n\n");
        }
        b.append("====\n");
        return b.toString();
    }
}
