package dev.ladle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Two ladle processes started together once broke each other's parse: SANY copies the standard
 * modules into {@code java.io.tmpdir}, and both wrote and read {@code /tmp/Naturals.tla}. Each process
 * now parses in a folder of its own.
 */
class PrivateTempFolderTest {
    @Test
    void eachProcessGetsItsOwnTemporaryFolderUnderTheSharedOne() {
        String before = System.getProperty("java.io.tmpdir");
        try {
            Path first = Ladle.privateTempFolder();
            assertNotNull(first);
            assertEquals(first.toString(), System.getProperty("java.io.tmpdir"));
            assertEquals(Path.of(before), first.getParent());
            assertTrue(Files.isDirectory(first));
            System.setProperty("java.io.tmpdir", before);
            Path second = Ladle.privateTempFolder();
            assertNotEquals(first, second, "two processes never share the folder SANY writes into");
        } finally {
            System.setProperty("java.io.tmpdir", before);
        }
    }
}
