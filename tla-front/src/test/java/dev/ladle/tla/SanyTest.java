package dev.ladle.tla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SANY's own messages, each with the file, line and column it is about. */
class SanyTest {
    private static final String BODY = "VARIABLE x\nInit == x = 0\nNext == x' = x\n====\n";

    private static SourceError onlyError(Path tla) {
        List<SourceError> errors = Sany.parse(tla);
        assertEquals(1, errors.size(), errors.toString());
        return errors.get(0);
    }

    @Test
    void wellFormedModuleResolves(@TempDir Path dir) throws Exception {
        Path tla = Files.writeString(dir.resolve("Good.tla"), "---- MODULE Good ----\nEXTENDS Naturals\n" + BODY);
        Sany.Parsed parsed = Sany.resolve(tla);
        assertEquals(List.of(), parsed.errors());
        assertNotNull(parsed.root());
    }

    @Test
    void missingExtendedModuleIsNamedWhereItIsImported(@TempDir Path dir) throws Exception {
        Path tla = Files.writeString(
                dir.resolve("A.tla"), "---- MODULE A ----\n\\* uses Missing below\nEXTENDS Naturals, Missing\n" + BODY);
        SourceError e = onlyError(tla);
        assertEquals(tla, e.file());
        assertEquals(3, e.line());
        assertEquals(19, e.column());
        assertEquals(
                "Cannot find source file for module Missing imported in module A"
                        + " (no Missing.tla beside it, and it is not a standard module)",
                e.message());
    }

    @Test
    void moduleNameDifferentFromItsFileIsNamedAtTheHeader(@TempDir Path dir) throws Exception {
        Path tla = Files.writeString(dir.resolve("B.tla"), "\n---- MODULE Other ----\n" + BODY);
        SourceError e = onlyError(tla);
        assertEquals(tla, e.file());
        assertEquals(2, e.line());
        assertEquals(13, e.column());
        assertEquals("File name 'B' does not match the name 'Other' of the top level module it contains", e.message());
    }

    @Test
    void junkFileHasNoModuleHeader(@TempDir Path dir) throws Exception {
        Path tla = Files.writeString(dir.resolve("J.tla"), "hello world, this is not TLA+\n");
        SourceError e = onlyError(tla);
        assertEquals(1, e.line());
        assertEquals("no module header: a TLA+ file starts with a line like ---- MODULE J ----", e.message());
    }

    @Test
    void moduleWithoutHeaderIsTheSameError(@TempDir Path dir) throws Exception {
        SourceError e = onlyError(Files.writeString(dir.resolve("N.tla"), BODY));
        assertEquals("N.tla", e.file().getFileName().toString());
        assertEquals("no module header: a TLA+ file starts with a line like ---- MODULE N ----", e.message());
    }

    @Test
    void syntaxErrorKeepsSanysLocation(@TempDir Path dir) throws Exception {
        Path tla = Files.writeString(dir.resolve("S.tla"), "---- MODULE S ----\nVARIABLE x\nInit == x = = 1\n====\n");
        SourceError e = onlyError(tla);
        assertEquals(3, e.line());
        assertEquals(15, e.column(), "SANY points at the token after the second '='");
        assertNull(Sany.resolve(tla).root());
    }
}
