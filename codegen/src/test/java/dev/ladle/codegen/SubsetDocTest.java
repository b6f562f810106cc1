package dev.ladle.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/tla-subset.md is rendered from the table in {@link Subset}; a stale committed copy fails the build. */
class SubsetDocTest {
    static final Path DOC = Path.of("../docs/tla-subset.md");

    @Test
    void committedDocMatchesTheTable() throws Exception {
        String expected = Subset.markdown();
        if (Boolean.getBoolean("ladle.writeDocs")) {
            Files.createDirectories(DOC.getParent());
            Files.writeString(DOC, expected);
        }
        assertEquals(
                expected,
                Files.readString(DOC),
                "docs/tla-subset.md is stale: run mvn -pl codegen test -Dtest=SubsetDocTest -Dladle.writeDocs=true");
    }
}
