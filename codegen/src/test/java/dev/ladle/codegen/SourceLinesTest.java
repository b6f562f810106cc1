package dev.ladle.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** No line of the generator's hand-written code is longer than 120 characters (the formatter leaves long strings). */
class SourceLinesTest {
    @Test
    void noLineOver120Characters() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertFalse(sources.isEmpty(), "no sources found under src/main/java");
        List<String> longLines = new ArrayList<>();
        for (Path f : sources) {
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).length() > 120) {
                    longLines.add(f + ":" + (i + 1) + ": " + lines.get(i).length() + " characters");
                }
            }
        }
        assertEquals(List.of(), longLines);
    }
}
