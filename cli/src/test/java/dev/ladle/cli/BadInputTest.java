package dev.ladle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to the commands: each is refused with one line naming what and where, and the exit code the
 * README gives (2 usage or input, 3 a file that cannot be read or written), never a stack trace.
 */
class BadInputTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run ladle(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Ladle.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    private static void noStackTrace(Run r) {
        assertFalse(r.err().contains("\tat "), "a stack trace:\n" + r.err());
        assertFalse(r.out().contains("\tat "), "a stack trace:\n" + r.out());
    }

    @Test
    void runGraphWithAnotherExtensionIsAUsageErrorBeforeAnythingRuns() throws Exception {
        Path png = dir.resolve("g.png");
        Run r = ladle("run", "--steps", "1", "--graph", png.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--graph " + png + ": give a FILE.svg"), r.err());
        assertEquals("", r.out(), "nothing ran");
        assertFalse(Files.exists(png), "no DOT text written under a .png name");
    }

    @Test
    void runGraphIntoAMissingFolderIsAnIoErrorNamingTheFileBeforeAnythingRuns() {
        Path dot = dir.resolve("no/such/folder/g.dot");
        Run r = ladle("run", "--steps", "1", "--graph", dot.toString());
        noStackTrace(r);
        assertEquals(3, r.code(), r.err());
        assertEquals(
                "ladle run: --graph " + dot + ": cannot be written: " + dot.getParent() + " does not exist",
                r.err().strip());
        assertEquals("", r.out(), "nothing ran");
    }

    @Test
    void runGraphBelowAFileSaysSoTheSameWayForSvgAndDot() throws Exception {
        Path file = Files.writeString(dir.resolve("plain.txt"), "a file");
        for (String name : new String[] {"g.svg", "g.dot"}) {
            Path graph = file.resolve(name);
            Run r = ladle("run", "--steps", "1", "--graph", graph.toString());
            noStackTrace(r);
            assertEquals(3, r.code(), r.err());
            assertEquals(
                    "ladle run: --graph " + graph + ": cannot be written: " + file + " is not a folder",
                    r.err().strip());
        }
        assertEquals("a file", Files.readString(file));
    }

    @Test
    void demoEveryZeroEchoesTheValue() {
        Run r = ladle("demo", "--every", "0");
        assertEquals(2, r.code(), r.err());
        assertEquals(
                "ladle demo: --every takes a number of 1 or more, not 0",
                r.err().strip());
    }

    @Test
    void runBootGivenAFolderSaysItIsAFolder() {
        Run r = ladle("run", "--boot", dir.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(
                "ladle run: " + dir + " is a folder, not a boot description",
                r.err().strip());
    }

    @Test
    void runBootMissingSaysNoSuchFile() {
        Path missing = dir.resolve("sys.boot");
        Run r = ladle("run", "--boot", missing.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("ladle run: " + missing + ": no such file", r.err().strip());
    }

    @Test
    void theCommandListGivesEveryCommandAWholeShortSentence() {
        Run r = ladle("--help");
        assertEquals(0, r.code());
        String commands = r.out().substring(r.out().indexOf("Commands:"));
        java.util.List<StringBuilder> entries = new java.util.ArrayList<>();
        java.util.List<Integer> lines = new java.util.ArrayList<>();
        for (String line : commands.lines().skip(1).toList()) {
            if (line.startsWith("  ") && !line.startsWith("   ")) {
                entries.add(new StringBuilder(line.strip()));
                lines.add(1);
            } else if (!line.isBlank() && !entries.isEmpty()) {
                entries.get(entries.size() - 1).append(' ').append(line.strip());
                lines.set(lines.size() - 1, lines.get(lines.size() - 1) + 1);
            }
        }
        assertTrue(entries.size() >= 10, commands);
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i).toString();
            assertTrue(entry.endsWith("."), "cut mid-sentence: " + entry);
            assertTrue(lines.get(i) <= 4, "runs to " + lines.get(i) + " lines: " + entry);
        }
    }

    @Test
    void testListKeepsTheDescriptionsInOneColumn() {
        Run r = ladle("test", "--list");
        assertEquals(0, r.code(), r.err());
        java.util.Set<Integer> columns = new java.util.TreeSet<>();
        for (String line : r.out().lines().toList()) {
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("^\\S+\\s+").matcher(line);
            assertTrue(m.find(), line);
            columns.add(m.end());
        }
        assertEquals(1, columns.size(), "descriptions start at columns " + columns + ":\n" + r.out());
    }

    @Test
    void testHelpNamesEveryProperty() {
        Run help = ladle("test", "--help");
        assertEquals(0, help.code(), help.err());
        String flat = help.out().replaceAll("\\s+", " ");
        for (dev.ladle.properties.PropertyRunner.Named n : dev.ladle.properties.PropertyRunner.PROPERTIES) {
            assertTrue(
                    flat.matches("(?s).*[ :,]" + java.util.regex.Pattern.quote(n.name()) + "[ ,(].*"),
                    "ladle test --help does not name " + n.name() + ":\n" + help.out());
        }
    }

    @Test
    void mutateAtAPlaceThatIsNotFileLineColumnIsAUsageError() {
        for (String bad : new String[] {"Kernel.tla", "Kernel.tla:x:1", "Kernel.tla:0:3", "Kernel:50:8"}) {
            Run r = ladle("mutate", "--list", "--at", bad);
            assertEquals(2, r.code(), bad + ": " + r.out() + r.err());
            assertEquals(
                    "ladle mutate: --at " + bad + ": expected FILE.tla:LINE:COLUMN as --list prints it"
                            + " (Kernel.tla:50:8)",
                    r.err().strip());
        }
    }

    @Test
    void mutateAtAPlaceWithNoMutantNamesTheNearestOnes() {
        Run r = ladle("mutate", "--list", "--at", "Kernel.tla:1:1");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(
                r.err().startsWith("ladle mutate: --at Kernel.tla:1:1: no mutant there (nearest: Kernel.tla:"),
                r.err());
        Run other = ladle("mutate", "--list", "--at", "Nope.tla:5:5");
        assertEquals(2, other.code(), other.out() + other.err());
        assertTrue(other.err().contains("Nope.tla has no mutants"), other.err());
    }

    @Test
    void mutateModuleThatIsNotMutatedIsAUsageError() {
        Run r = ladle("mutate", "--list", "--module", "Kernal");
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(
                "ladle mutate: --module Kernal: not a mutated module (CSpace, Ipc, Kernel, KernelImpl, Memory,"
                        + " Persistence)",
                r.err().strip());
    }

    @Test
    void generateFuzzWithoutAPositiveCountIsAUsageError() {
        for (String n : new String[] {"-3", "0"}) {
            Run r = ladle("generate", "--fuzz", n);
            assertEquals(2, r.code(), r.out() + r.err());
            assertEquals(
                    "ladle generate: --fuzz takes a number of expressions of 1 or more, not " + n,
                    r.err().strip());
            assertEquals("", r.out(), "nothing generated");
        }
    }

    @Test
    void generateOfAnUnknownSpecNamesTheDefaultOnes() {
        Run r = ladle("generate", "Nope");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith("ladle generate: no spec Nope (no file "), r.err());
        assertTrue(r.err().contains("the default specs are ") && r.err().contains("Kernel"), r.err());
        assertFalse(r.err().contains(":0:0"), r.err());
    }

    @Test
    void generateOfEveryDefaultSpecNeverEndsInAStackTrace() {
        Run r = ladle("generate");
        noStackTrace(r);
        assertTrue(r.code() == 0 || r.err().contains("the generator failed (a bug in the generator"), r.err());
    }

    @Test
    void checkManifestGivenAFolderIsAUsageError() {
        Run r = ladle("check", "--list", "--manifest", dir.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--manifest " + dir + " is a folder: give the manifest's file"), r.err());
    }

    @Test
    void aBadOptionIsOneLineTheSynopsisAndWhereTheHelpIs() {
        Run r = ladle("run", "--seed", "abc");
        assertEquals(2, r.code(), r.err());
        java.util.List<String> lines = r.err().lines().toList();
        assertEquals("ladle run: Invalid value for option '--seed': 'abc' is not a long", lines.get(0));
        assertTrue(lines.get(1).startsWith("Usage: ladle run "), r.err());
        assertEquals("'ladle run --help' explains every option.", lines.get(lines.size() - 1));
        assertTrue(lines.size() <= 6, "the whole help is not repeated:\n" + r.err());
        Run typo = ladle("check", "--lsit");
        assertEquals(2, typo.code(), typo.err());
        assertTrue(typo.err().startsWith("ladle check: Unknown option: '--lsit'"), typo.err());
        assertTrue(typo.err().contains("[--list]"), "the synopsis names the options:\n" + typo.err());
    }

    @Test
    void generateOutGivenAFileIsAUsageError() throws Exception {
        Path file = Files.writeString(dir.resolve("Kernel.java"), "not a folder");
        Run r = ladle("generate", "Kernel", "--out", file.toString());
        noStackTrace(r);
        assertEquals(2, r.code(), r.err());
        assertEquals(
                "ladle generate: --out " + file + " is a file: give the folder the sources go under",
                r.err().strip());
        assertEquals("not a folder", Files.readString(file));
    }

    @Test
    void generateOutUnderAFileIsAUsageErrorNamingTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "not a folder");
        Path out = file.resolve("gen");
        Run r = ladle("generate", "Kernel", "--out", out.toString());
        noStackTrace(r);
        assertEquals(2, r.code(), r.err());
        assertEquals(
                "ladle generate: --out " + out + ": " + file
                        + " is a file, not a folder: give a folder the sources can go under",
                r.err().strip());
        assertEquals("", r.out(), "nothing generated");
    }

    @Test
    void generateOutWhereNoFolderCanBeMadeIsAnIoError() {
        Path out = Path.of("/proc/ladle-generate-out");
        Run r = ladle("generate", "Kernel", "--out", out.toString());
        noStackTrace(r);
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().startsWith("ladle generate: " + out), r.err());
    }

    @Test
    void runBootThatIsNotUtf8TextNamesTheLineAndColumnOfTheBadByte() throws Exception {
        Path boot = dir.resolve("sys.boot");
        Files.write(boot, new byte[] {'#', ' ', 'o', 'k', '\n', 'p', 'r', (byte) 0xff, 'c', '\n'});
        Run r = ladle("run", "--boot", boot.toString());
        noStackTrace(r);
        assertEquals(2, r.code(), r.err());
        assertEquals(
                "ladle run: " + boot + ":2:3: byte 0xff is not UTF-8 text: a boot description is a text file",
                r.err().strip());
        assertEquals("", r.out(), "nothing ran");
    }

    @Test
    void runStepsOrQuantumBelowOneSaysWhichAndTheValue() {
        Run steps = ladle("run", "--steps", "0");
        assertEquals(2, steps.code(), steps.err());
        assertEquals(
                "ladle run: --steps takes a number of 1 or more, not 0",
                steps.err().strip());
        Run quantum = ladle("run", "--quantum", "-4");
        assertEquals(2, quantum.code(), quantum.err());
        assertEquals(
                "ladle run: --quantum takes a number of 1 or more, not -4",
                quantum.err().strip());
    }

    @Test
    void workerForAnUnknownHostIsAnIoErrorSayingWhy() {
        // .invalid never resolves (RFC 2606): TLC's worker gives up at once and exits 0 on its own
        Run r = ladle("worker", "ladle-test.invalid", "--wait", "20");
        noStackTrace(r);
        assertEquals(3, r.code(), r.err());
        assertTrue(
                r.err()
                        .contains("ladle worker: no TLC server reached on ladle-test.invalid, port 10997 (Unknown host:"
                                + " ladle-test.invalid): check the address and port"),
                r.err());
    }

    @Test
    void benchHelpListsEveryBenchmarkInTheIndentedColumnOfItsParameter() {
        Run r = ladle("bench", "--help");
        assertEquals(0, r.code(), r.err());
        java.util.List<String> lines = r.out().lines().toList();
        int from = -1;
        int to = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("[BENCHMARK]") && !lines.get(i).startsWith("Usage:")) {
                from = i;
            } else if (from >= 0 && to < 0 && lines.get(i).contains("--help")) {
                to = i;
            }
        }
        assertTrue(from >= 0 && to > from, r.out());
        String block = String.join("\n", lines.subList(from, to));
        for (String line : lines.subList(from, to)) {
            assertTrue(line.startsWith("  "), "a wrapped line left the column:\n" + r.out());
        }
        for (String name : BenchCommand.KNOWN) {
            assertTrue(block.contains(name + ": "), name + " is not listed under BENCHMARK:\n" + r.out());
        }
    }

    @Test
    void benchOnlyWithAnUnknownPartOrAnotherBenchmarkIsAUsageErrorNamingIt() {
        Run r = ladle("bench", "persist", "--only", "fsync");
        noStackTrace(r);
        assertEquals(2, r.code(), r.err());
        assertEquals(
                "ladle bench: --only takes one of streaming, group-commit, not 'fsync'",
                r.err().strip());
        r = ladle("bench", "ipc", "--only", "group-commit");
        noStackTrace(r);
        assertEquals(2, r.code(), r.err());
        assertEquals("ladle bench: --only applies to persist, not ipc", r.err().strip());
    }
}
