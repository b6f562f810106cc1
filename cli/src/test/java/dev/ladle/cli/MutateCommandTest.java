package dev.ladle.cli;

import static dev.ladle.cli.BadInputTest.ladle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.cli.BadInputTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ladle mutate} as a new user meets it: each bad option, model, place or equivalent-mutants file is
 * one line naming what and where with exit 2 (3 for a file that cannot be written), never a stack trace;
 * a model named alone gets the mutants it can tell from the spec. All but one list the mutants (SANY, no
 * TLC run).
 */
class MutateCommandTest {
    @TempDir
    Path dir;

    private static void noStackTrace(Run r) {
        assertFalse(r.err().contains("\tat "), "a stack trace:\n" + r.err());
        assertFalse(r.err().contains("Exception"), "an exception:\n" + r.err());
    }

    private static <T> T withProperty(String key, String value, Callable<T> body) throws Exception {
        String before = System.getProperty(key);
        System.setProperty(key, value);
        try {
            return body.call();
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }

    private static Path specs() {
        return Path.of(System.getProperty("ladle.specs"));
    }

    @Test
    void versionPrintsLadlesVersionInEveryCommand() {
        String top = ladle("-V").out().strip();
        assertTrue(top.startsWith("ladle "), top);
        for (String[] args : new String[][] {{"mutate", "-V"}, {"check", "--version"}, {"log", "inspect", "-V"}}) {
            Run r = ladle(args);
            assertEquals(0, r.code(), r.err());
            assertEquals(top, r.out().strip(), String.join(" ", args));
        }
    }

    @Test
    void aLineNumberPastAnIntIsFarFromEverySiteNotAStackTrace() {
        Run r = ladle("mutate", "--list", "--module", "Ipc", "--at", "Ipc.tla:99999999999:1");
        noStackTrace(r);
        assertEquals(2, r.code(), r.err());
        assertTrue(
                r.err().startsWith("ladle mutate: --at Ipc.tla:99999999999:1: no mutant there (nearest: Ipc.tla:"),
                r.err());
    }

    @Test
    void aPlaceWithTheSpecsFolderIsTheFilesPlace() {
        Run all = ladle("mutate", "--list", "--module", "Ipc");
        assertEquals(0, all.code(), all.err());
        String place = all.out().lines().findFirst().orElseThrow().split(" ")[0];
        Run bare = ladle("mutate", "--list", "--module", "Ipc", "--at", place);
        Run path = ladle("mutate", "--list", "--module", "Ipc", "--at", "specs/src/main/tla/" + place);
        assertEquals(0, path.code(), path.err());
        assertTrue(path.out().startsWith(place + " "), path.out());
        assertEquals(bare.out(), path.out());
    }

    @Test
    void aPlaceInAFileWithNoMutantsNamesTheFilesThatHaveThem() {
        Run r = ladle("mutate", "--list", "--module", "Ipc", "--at", "Ipcc.tla:59:43");
        assertEquals(2, r.code(), r.err());
        assertEquals(
                "ladle mutate: --at Ipcc.tla:59:43: no mutant there (Ipcc.tla has no mutants among the modules"
                        + " mutated for these models: Ipc.tla)",
                r.err().strip());
    }

    @Test
    void eachNumberOptionSaysWhichItIsAndTheValue() {
        Run jobs = ladle("mutate", "--list", "--jobs", "0");
        assertEquals(2, jobs.code(), jobs.err());
        assertEquals(
                "ladle mutate: --jobs takes a number of mutants of 1 or more, not 0",
                jobs.err().strip());
        Run timeout = ladle("mutate", "--list", "--timeout", "-1");
        assertEquals(2, timeout.code(), timeout.err());
        assertEquals(
                "ladle mutate: --timeout takes a number of seconds of 1 or more (0: no limit), not -1",
                timeout.err().strip());
        Run limit = ladle("mutate", "--list", "--limit", "-2");
        assertEquals(2, limit.code(), limit.err());
        assertEquals(
                "ladle mutate: --limit takes a number of mutants of 1 or more (0: no limit), not -2",
                limit.err().strip());
    }

    @Test
    void aModelThatMutantsDoNotRunOnSaysWhy() {
        Run unknown = ladle("mutate", "--list", "MCFoo");
        assertEquals(2, unknown.code(), unknown.err());
        assertTrue(unknown.err().startsWith("ladle mutate: no model MCFoo in "), unknown.err());
        Run witness = ladle("mutate", "--list", "MCIntroduction");
        assertEquals(2, witness.code(), witness.err());
        assertEquals(
                "ladle mutate: MCIntroduction is a witness (the manifest expects NoIntroduction violated): it runs"
                        + " with the models it extends; name one of those",
                witness.err().strip());
        Run large = ladle("mutate", "--list", "MCIpcLarge");
        assertEquals(2, large.code(), large.err());
        assertTrue(large.err().startsWith("ladle mutate: MCIpcLarge is not a default model"), large.err());
        Run alloy = ladle("mutate", "--list", "Confinement/Introduction");
        assertEquals(2, alloy.code(), alloy.err());
        assertTrue(alloy.err().contains("is an Alloy command"), alloy.err());
    }

    @Test
    void aModelOfOnePartAloneGetsTheMutantsOfThatPartItUses() throws java.io.IOException {
        // MCIpc extends IpcPost, not Kernel: its mutants come from Kernel.tla's tree all the same
        Run r = ladle("mutate", "--list", "--module", "Ipc", "MCIpc");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.size() > 5, r.out());
        for (String line : lines.subList(0, lines.size() - 1)) {
            assertTrue(line.startsWith("Ipc.tla:"), line);
        }
        // a mutant no named model can tell from the spec is not run (it would be reported as a survivor)
        Run none = ladle("mutate", "--list", "--module", "Persistence", "MCIpc");
        assertEquals(2, none.code(), none.out() + none.err());
        assertEquals(
                "ladle mutate: no mutant to run: MCIpc uses no mutated definition of Persistence",
                none.err().strip());
        // MapCap's HoldsCap(t, l) guard: MCIpc uses none of MapCap (the place is read off the spec, not hard-coded)
        List<String> kernel = java.nio.file.Files.readAllLines(specs().resolve("src/main/tla/Kernel.tla"));
        int mapCap = kernel.indexOf("MapCap(t, d, w, l, m, s) ==");
        assertTrue(mapCap >= 0, "MapCap's definition in Kernel.tla");
        int guard = kernel.subList(mapCap, kernel.size()).indexOf("    /\\ HoldsCap(t, l)") + mapCap;
        assertTrue(guard > mapCap, "HoldsCap(t, l) in MapCap");
        Run unused = ladle("mutate", "--list", "--at", "Kernel.tla:" + (guard + 1) + ":8", "MCIpc");
        assertEquals(2, unused.code(), unused.err());
        assertTrue(unused.err().contains(", which none of MCIpc uses"), unused.err());
    }

    @Test
    void listSaysWhichRunOptionsItIgnores() {
        Run r = ladle("mutate", "--list", "--module", "Ipc", "--resume", "--jobs", "2");
        assertEquals(0, r.code(), r.err());
        assertEquals(
                "ladle mutate: --list runs no mutant: --jobs, --resume have no effect",
                r.err().strip());
    }

    @Test
    void anEquivalentFileThatIsAFolderOrMissingIsAUsageError() {
        Run folder = ladle("mutate", "--list", "--module", "Ipc", "--equivalent", dir.toString());
        noStackTrace(folder);
        assertEquals(2, folder.code(), folder.err());
        assertEquals(
                "ladle mutate: --equivalent " + dir + " is a folder: give the file of the equivalent mutants' keys",
                folder.err().strip());
        Path missing = dir.resolve("eq.txt");
        Run gone = ladle("mutate", "--list", "--module", "Ipc", "--equivalent", missing.toString());
        assertEquals(2, gone.code(), gone.err());
        assertEquals(
                "ladle mutate: --equivalent " + missing + ": no such file",
                gone.err().strip());
    }

    @Test
    void anEquivalentFileWithALineThatIsNotAKeyNamesTheLine() throws Exception {
        Path eq = Files.writeString(dir.resolve("eq.txt"), "# comment\n\nnot a key\n");
        Run r = ladle("mutate", "--list", "--module", "Ipc", "--equivalent", eq.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("ladle mutate: " + eq + ":3: not a mutant's key ("), r.err());
        assertEquals("", r.out(), "nothing listed");
        // the whole --list line, place included
        Files.writeString(
                eq, "Ipc.tla:59:43  Ipc.tla (HasRoom) < -> <=: < -> <= in \"HasRoom(t, d) == x < MaxMsgs\"\n");
        Run placed = ladle("mutate", "--list", "--module", "Ipc", "--equivalent", eq.toString());
        assertEquals(2, placed.code(), placed.err());
        assertEquals(
                "ladle mutate: " + eq + ":1: starts with a place (Ipc.tla:59:43): a key is what --list prints after"
                        + " the place",
                placed.err().strip());
        Files.write(eq, new byte[] {'I', 'p', 'c', (byte) 0xff, '\n'});
        Run binary = ladle("mutate", "--list", "--module", "Ipc", "--equivalent", eq.toString());
        noStackTrace(binary);
        assertEquals(2, binary.code(), binary.err());
        assertTrue(binary.err().contains(eq + ": not UTF-8 text"), binary.err());
    }

    @Test
    void anEquivalentKeyNoMutantHasIsNamedWithItsLineAlsoInTheList() throws Exception {
        String stale = "Ipc.tla (HasRoom) < -> <=: < -> <= in \"HasRoom(t, d) == nothing like it\"";
        String other = "Persistence.tla (Flush) drop conjunct: Running -> TRUE in \"/\\ Running\"";
        Path eq = Files.writeString(dir.resolve("eq.txt"), other + "\n" + stale + "\n");
        Run r = ladle("mutate", "--list", "--module", "Ipc", "--equivalent", eq.toString());
        assertEquals(0, r.code(), r.err());
        // only the modules mutated in this run are checked: Persistence's key is not judged
        assertEquals(
                "ladle mutate: " + eq + ":2: lists a mutant that is no longer made (not run, not counted): " + stale,
                r.err().strip());
    }

    @Test
    void aMalformedManifestIsAUsageErrorNamingTheFile() throws Exception {
        Path s = dir.resolve("specs");
        Files.createDirectories(s.resolve("src/main/tla"));
        Files.writeString(s.resolve("manifest.json"), "{ \"models\": ");
        Run r = withProperty("ladle.specs", s.toString(), () -> ladle("mutate", "--list"));
        noStackTrace(r);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("ladle mutate: " + s.resolve("manifest.json") + ":"), r.err());
    }

    @Test
    void aResultsFolderThatCannotBeMadeIsAnIoErrorBeforeAnythingRuns() throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home);
        Files.writeString(home.resolve("target"), "a file where the folder goes");
        Run r = withProperty(
                "ladle.home",
                home.toString(),
                () -> ladle("mutate", "--module", "Ipc", "--at", "Ipc.tla:59:43", "MCIpc"));
        noStackTrace(r);
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().startsWith("ladle mutate: " + home.resolve("target")), r.err());
        assertFalse(r.err().contains("unmutated"), "no model ran:\n" + r.err());
    }

    @Test
    void aModelThatDiffersFromTheManifestUnmutatedStopsTheRunWithExitOne() throws Exception {
        Path s = dir.resolve("specs");
        Path tla = Files.createDirectories(s.resolve("src/main/tla"));
        try (var files = Files.list(specs().resolve("src/main/tla"))) {
            for (Path f : files.toList()) {
                Files.copy(f, tla.resolve(f.getFileName()));
            }
        }
        String manifest = Files.readString(specs().resolve("manifest.json"));
        String ipc = "\"MCIpc\" : {\n      \"engine\" : \"tlc\",\n      \"expect\" : \"holds\",\n      \"distinct\" : ";
        assertTrue(manifest.contains(ipc), "the manifest's MCIpc entry");
        Files.writeString(s.resolve("manifest.json"), manifest.replace(ipc, ipc + "1"));
        Path home = Files.createDirectories(dir.resolve("home"));
        Run r = withProperty(
                "ladle.home",
                home.toString(),
                () -> withProperty(
                        "ladle.specs", s.toString(), () -> ladle("mutate", "--at", "Ipc.tla:59:43", "MCIpc")));
        noStackTrace(r);
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("ladle mutate: MCIpc unmutated does not give what the manifest expects"), r.err());
        assertEquals("", r.out(), "no report");
    }
}
