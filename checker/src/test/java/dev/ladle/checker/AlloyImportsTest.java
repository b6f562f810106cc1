package dev.ladle.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An Alloy model importing a relation from a TLA+ spec: the fun is filled in, and a mismatch is found by Alloy. */
class AlloyImportsTest {
    private static final String TLA = "---- MODULE Deps ----\nKinds == {\"a\", \"b\", \"c\"}\n"
            + "Rel == {<<\"b\", \"a\">>, <<\"c\", \"b\">>}\nNotPairs == Kinds \\X Kinds\n====\n";

    private static String als(String name, String own, String imported) {
        return "module " + name + "\nabstract sig K {}\none sig A, B, C extends K {}\n"
                + "fun own: K -> K { " + own + " }\n"
                + "-- ladle:tla ../tla/Deps.tla " + imported + "\n"
                + "fun imported: K -> K { none -> none }\n"
                + "assert Same { own = imported }\ncheck Same\n";
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    @Test
    void theFunBelowTheDirectiveGetsTheTlaRelation(@TempDir Path dir) throws IOException {
        write(dir.resolve("tla/Deps.tla"), TLA);
        Path als = write(dir.resolve("alloy/Same.als"), als("Same", "B -> A + C -> B", "Rel"));
        String text = AlloyImports.expand(als);
        assertTrue(text.contains("fun imported: K -> K { B -> A + C -> B }"), text);
        assertEquals(
                text.split("\n", -1).length, Files.readString(als).split("\n", -1).length, "lines keep their numbers");
    }

    @Test
    void aFileWithoutDirectiveIsLeftAlone(@TempDir Path dir) throws IOException {
        Path als = write(dir.resolve("x/Plain.als"), "module Plain\nsig S {}\nrun {}\n");
        assertNull(AlloyImports.expand(als));
    }

    @Test
    void theCheckerFindsTheRelationsEqualOrNot(@TempDir Path dir) throws IOException {
        write(dir.resolve("tla/Deps.tla"), TLA);
        write(dir.resolve("alloy/Same.als"), als("Same", "B -> A + C -> B", "Rel"));
        write(dir.resolve("alloy/Differs.als"), als("Differs", "B -> A", "Rel"));
        CheckRun run =
                Checker.check(dir.resolve("alloy"), CheckOptions.defaults().withWorkers(1));
        assertTrue(run.parseErrors().isEmpty(), run.parseErrors().toString());
        assertEquals(Verdict.HOLDS, run.result("Same/Same").orElseThrow().verdict());
        assertEquals(Verdict.VIOLATED, run.result("Differs/Same").orElseThrow().verdict());
    }

    @Test
    void aMissingDefinitionOrModuleIsNamedAtTheDirective(@TempDir Path dir) throws IOException {
        write(dir.resolve("tla/Deps.tla"), TLA);
        Path als = write(dir.resolve("alloy/Missing.als"), als("Missing", "B -> A", "Nope"));
        AlloyImports.Bad e = assertThrows(AlloyImports.Bad.class, () -> AlloyImports.expand(als));
        assertEquals(als.getFileName(), e.error.file().getFileName());
        assertEquals(5, e.error.line());
        assertTrue(e.error.message().contains("defines no constant Nope"), e.error.message());
        Path noModule = write(
                dir.resolve("alloy/NoModule.als"),
                als("NoModule", "B -> A", "Rel").replace("../tla/Deps.tla", "../tla/Gone.tla"));
        e = assertThrows(AlloyImports.Bad.class, () -> AlloyImports.expand(noModule));
        assertTrue(e.error.message().contains("no TLA+ module"), e.error.message());
    }

    @Test
    void aDefinitionNotWrittenOutAsPairsIsNamedInTheTlaFile(@TempDir Path dir) throws IOException {
        Path tla = write(dir.resolve("tla/Deps.tla"), TLA);
        Path als = write(dir.resolve("alloy/Computed.als"), als("Computed", "B -> A", "NotPairs"));
        AlloyImports.Bad e = assertThrows(AlloyImports.Bad.class, () -> AlloyImports.expand(als));
        assertEquals(
                tla.toAbsolutePath().normalize(),
                e.error.file().toAbsolutePath().normalize());
        assertEquals(4, e.error.line());
        assertTrue(e.error.message().contains("set of pairs of strings"), e.error.message());
    }
}
