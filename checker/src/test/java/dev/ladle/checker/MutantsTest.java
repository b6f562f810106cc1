package dev.ladle.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every invariant and property of the specs must bite: for each one a mutant (a copy of the spec
 * with one deliberate break, under {@code src/test/mutants}) must make the checker report exactly
 * that invariant violated. An invariant no mutant breaks would be vacuous.
 */
class MutantsTest {

    private static final Path MUTANTS = Fixtures.SPECS.resolve("src/test/mutants");
    private static final Path TLA = Fixtures.SPECS.resolve("src/main/tla");
    private static final Path ALLOY = Fixtures.SPECS.resolve("src/main/alloy");

    /** Mutant model name -> the invariant, property or assertion it must violate. */
    private static Map<String, String> expected;

    @BeforeAll
    static void readManifest() throws IOException {
        JsonNode models = new ObjectMapper()
                .readTree(MUTANTS.resolve("manifest.json").toFile())
                .get("models");
        expected = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = models.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            assertEquals("violated", e.getValue().get("expect").asText(), e.getKey() + " must expect a violation");
            expected.put(e.getKey(), e.getValue().get("invariant").asText());
        }
    }

    @Test
    void everyMutantIsReportedViolatingItsOwnInvariant() {
        CheckRun run = Checker.check(MUTANTS, CheckOptions.defaults().withWorkers(1));
        // A syntax error in one mutant stops every mutant from running: name it, not the mutants it kept from running.
        assertTrue(
                run.parseErrors().isEmpty(),
                "a mutant does not parse (regenerate with python3 src/test/mutants/mutate.py after fixing its "
                        + "replacement):\n"
                        + run.parseErrors().stream().map(Object::toString).collect(Collectors.joining("\n")));
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            ModelResult r = run.result(e.getKey()).orElse(null);
            if (r == null) {
                wrong.add(e.getKey() + ": not run");
            } else if (r.verdict() != Verdict.VIOLATED || !r.violated().equals(e.getValue())) {
                wrong.add(e.getKey() + ": expected " + e.getValue() + " violated, got " + r.describe());
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertEquals(expected.size(), run.results().size(), "every mutant in the folder is in its manifest");
        assertEquals(ExitCode.OK, run.exitCode());
    }

    @Test
    void everyInvariantAndPropertyOfTheSpecsHasAMutant() throws IOException {
        Set<String> targets = new TreeSet<>(expected.values());
        Set<String> missing = new TreeSet<>(specInvariants());
        missing.removeAll(targets);
        assertTrue(missing.isEmpty(), "invariants without a mutant: " + missing);
    }

    @Test
    void eachTlaMutantBreaksExactlyOneModuleOfTheCurrentSpecs() throws IOException {
        try (Stream<Path> dirs = Files.list(MUTANTS)) {
            List<Path> folders = dirs.filter(Files::isDirectory).sorted().toList();
            assertFalse(folders.isEmpty());
            for (Path folder : folders) {
                List<String> changed = new ArrayList<>();
                try (Stream<Path> files = Files.list(folder)) {
                    for (Path f :
                            files.filter(p -> p.toString().endsWith(".tla")).toList()) {
                        String name = f.getFileName().toString();
                        if (name.startsWith("MC")) {
                            continue;
                        }
                        Path spec = TLA.resolve(name);
                        assertTrue(Files.exists(spec), folder + ": " + name + " is not a spec module");
                        if (!Files.readString(spec).equals(Files.readString(f))) {
                            changed.add(name);
                        }
                    }
                }
                assertEquals(
                        1,
                        changed.size(),
                        folder + " must differ from the specs in exactly one module "
                                + "(regenerate with python3 src/test/mutants/mutate.py), differs in " + changed);
            }
        }
    }

    /**
     * The invariants and properties the default models check (the introduction witness excepted:
     * it is meant to fail), read with TLC's own configuration parser, and the assertions of the
     * Alloy models, read with Alloy's parser.
     */
    private static Set<String> specInvariants() throws IOException {
        Set<String> names = new TreeSet<>();
        // Witnesses (MCIntroduction's among them) are meant to fail: the manifest expects them violated.
        Manifest manifest = Manifest.read(Fixtures.SPECS.resolve("manifest.json"));
        Set<String> witnesses = new TreeSet<>();
        for (String m : manifest.models()) {
            if (manifest.entry(m).orElseThrow().expect() == Verdict.VIOLATED) {
                witnesses.add(m);
            }
        }
        try (Stream<Path> files = Files.list(TLA)) {
            for (Path cfg : files.filter(p -> p.toString().endsWith(".cfg")).toList()) {
                // A witness model (violated in the manifest, or its cfg opens "\\* Expected violation") checks a
                // predicate TLC must refute.
                String model = cfg.getFileName().toString().replaceFirst("\\.cfg$", "");
                if (witnesses.contains(model) || Files.readString(cfg).startsWith("\\* Expected violation")) {
                    continue;
                }
                CfgCheck.Cfg read = CfgCheck.read(cfg);
                names.addAll(read.invariants());
                names.addAll(read.properties());
            }
        }
        try (Stream<Path> files = Files.list(ALLOY)) {
            for (Path als : files.filter(p -> p.toString().endsWith(".als")).toList()) {
                for (edu.mit.csail.sdg.ast.Command c : Discovery.parseAlloy(als).getAllCommands()) {
                    if (c.check) {
                        names.add(c.label);
                    }
                }
            }
        }
        assertTrue(names.size() > 10, "found the specs' invariants: " + names);
        return names;
    }

    @Test
    void oneLineInvariantDeclarationsAreFound(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path cfg = Files.writeString(dir.resolve("M.cfg"), "INIT Init\nNEXT Next\nINVARIANT Foo\nINVARIANTS Bar Baz\n");
        assertEquals(List.of("Foo", "Bar", "Baz"), CfgCheck.read(cfg).invariants());
    }
}
