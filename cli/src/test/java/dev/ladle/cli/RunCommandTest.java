package dev.ladle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.persist.log.RecordTooLargeException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ladle run} on the x86 target (needs libunicorn2: without it these tests fail with the message that says
 * what to install). The default system must do what each of its programs checks: every finite program exits with
 * status 0, the pager serves the client's three faults, the worker finishes its computation.
 */
class RunCommandTest {
    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Ladle.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    static long count(String out, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * Every program of the default system checks its own results and exits 0 only when they hold, under
     * several schedules: seeds 3 and 13 once showed two races between the programs (a map to a receiver that
     * had already exited, a capability count taken after the introduction).
     */
    @ParameterizedTest
    @ValueSource(strings = {"3", "7", "13"})
    void theDefaultSystemDoesWhatEachProgramChecks(String seed) {
        Result r = run("run", "--seed", seed, "--check-invariants");
        assertEquals(0, r.code(), r.err() + r.out());
        String out = r.out();
        for (String t : new String[] {
            "ping", "pong", "client", "owner", "reader", "relay", "intro", "alice", "bob", "worker", "checkpointer"
        }) {
            assertTrue(
                    Pattern.compile("^  " + t + " +dead +exit 0$", Pattern.MULTILINE)
                            .matcher(out)
                            .find(),
                    t + " did not exit with status 0:\n" + out);
        }
        assertTrue(
                Pattern.compile("^  pager +waiting", Pattern.MULTILINE)
                        .matcher(out)
                        .find(),
                out);
        assertTrue(out.contains("(every live thread is blocked)"), out);
        assertEquals(3, count(out, "faults (\\d+) \\(3 sent to a pager\\)"), out);
        assertEquals(0, count(out, "killed (\\d+)"), out);
        assertTrue(count(out, "^  SEND +OK +(\\d+)$") >= 400, out);
        assertEquals(1, count(out, "^  UNMAP +OK +(\\d+)$"), out);
        assertEquals(1, count(out, "^  GRANT_PAGE +OK +(\\d+)$"), out);
        assertEquals(1, count(out, "^  MAP_CAP +OK +(\\d+)$"), out);
        assertEquals(3, count(out, "^  COPY_PAGE +OK +(\\d+)$"), out);
        assertEquals(1, count(out, "^  THREAD_CREATE +OK +(\\d+)$"), out);
        assertEquals(1, count(out, "^  THREAD_DELETE +OK +(\\d+)$"), out);
        assertTrue(count(out, "invariants and page tables checked (\\d+) times") > 100, out);
        assertTrue(count(out, "instructions (\\d+)") > 1_000_000, out);
        assertTrue(
                Pattern.compile("^  alice +-> intro\\(send\\) bob\\(send\\)$", Pattern.MULTILINE)
                        .matcher(out)
                        .find(),
                out);
    }

    @Test
    void theSameSeedGivesTheSameSummary() {
        Result a = run("run", "--seed", "11", "--steps", "3000");
        Result b = run("run", "--seed", "11", "--steps", "3000");
        assertEquals(0, a.code(), a.err());
        assertEquals(a.out(), b.out());
    }

    @Test
    void aMalformedBootDescriptionNamesFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path boot = dir.resolve("bad.boot");
        Files.writeString(boot, "process p image ping.elf\nthread t in p faults sometimes\n");
        Result r = run("run", "--boot", boot.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(boot + ":2:22: unknown fault policy 'sometimes'"), r.err());
    }

    @Test
    void aMissingImageIsAnErrorAtItsName(@TempDir Path dir) throws Exception {
        Path boot = dir.resolve("sys.boot");
        Files.writeString(boot, "process p image nowhere.elf\nthread t in p\n");
        Result r = run("run", "--boot", boot.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(boot + ":1:17: image nowhere.elf cannot be read"), r.err());
    }

    @Test
    void theGraphIsWrittenForGraphviz(@TempDir Path dir) throws Exception {
        Path dot = dir.resolve("authority.dot");
        Result r = run("run", "--steps", "10", "--graph", dot.toString());
        assertEquals(0, r.code(), r.err());
        String text = Files.readString(dot);
        assertTrue(text.startsWith("digraph authority {"), text);
        assertTrue(text.contains("\"intro\" -> \"alice\" [label=\"(send,grant)\"]"), text);
    }

    @Test
    void aBadInstructionOrAWildWriteKillsOnlyThatThread(@TempDir Path dir) throws Exception {
        Path boot = dir.resolve("crashes.boot");
        Files.writeString(boot, """
                limits localids 2 pages 16 frames 64
                process ping image ping.elf
                process pong image pong.elf
                process crash image crash.elf
                process wild image wild.elf
                thread ping in ping
                thread pong in pong
                thread crash in crash
                thread wild in wild
                cap ping 1 -> pong send
                cap pong 1 -> ping send
                """);
        Result r = run("run", "--boot", boot.toString(), "--check-invariants");
        assertEquals(0, r.code(), r.err() + r.out());
        String out = r.out();
        assertTrue(
                Pattern.compile("^  ping +dead +exit 0$", Pattern.MULTILINE)
                        .matcher(out)
                        .find(),
                out);
        assertTrue(
                Pattern.compile("^  pong +dead +exit 0$", Pattern.MULTILINE)
                        .matcher(out)
                        .find(),
                out);
        assertTrue(
                Pattern.compile("^  crash +dead +killed: invalid instruction", Pattern.MULTILINE)
                        .matcher(out)
                        .find(),
                out);
        assertTrue(
                Pattern.compile("^  wild +dead +killed: page fault at 0x40000000 .*no pager$", Pattern.MULTILINE)
                        .matcher(out)
                        .find(),
                out);
        assertEquals(2, count(out, "killed (\\d+)"), out);
    }

    /** A run with persistence on, then a second run recovering from its log and going on where it stopped. */
    @Test
    void aPersistentRunIsRecoveredByTheNextOne(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("run.log");
        Result first = run("run", "--log", log.toString(), "--steps", "300", "--log-size", "8M");
        assertEquals(0, first.code(), first.err() + first.out());
        assertEquals(8L << 20, Files.size(log));
        assertTrue(
                first.out()
                        .contains("  log " + log + ", mode checkpoint, 8,388,608 bytes: steps 0 to 300 logged and"
                                + " acknowledged"),
                first.out());
        assertTrue(first.out().contains("'ladle run --log " + log + " --recover' resumes from step 300"), first.out());
        Result second = run("run", "--log", log.toString(), "--recover", "--mode", "oplog", "--steps", "100");
        assertEquals(0, second.code(), second.err() + second.out());
        assertTrue(
                second.out().contains("  recovered from " + log + ": step 300 (sealed checkpoint at LSN "),
                second.out());
        assertTrue(second.out().contains("mode oplog, 8,388,608 bytes: steps 300 to 400 logged"), second.out());
        // to the end of the default system (every program checks its own results), still recovered from the log
        Result third = run("run", "--log", log.toString(), "--recover", "--mode", "hybrid", "--every", "20");
        assertEquals(0, third.code(), third.err() + third.out());
        assertTrue(third.out().contains("  recovered from " + log + ": step 400 "), third.out());
        assertTrue(
                Pattern.compile("^  worker +dead +exit 0$", Pattern.MULTILINE)
                        .matcher(third.out())
                        .find(),
                third.out());
    }

    /** Persistence options are checked before anything runs; an existing file is never written without --recover. */
    @Test
    void badPersistenceOptionsAreRefusedNamingOptionAndValue(@TempDir Path dir) throws Exception {
        Path exists = dir.resolve("exists.log");
        Files.writeString(exists, "precious");
        Path folder = Files.createDirectory(dir.resolve("folder.log"));
        Path fresh = dir.resolve("fresh.log");
        String[][] cases = new String[][] {
            {
                "2",
                "--log " + exists + ": the file exists; --recover resumes from it, another name starts a new"
                        + " log (an existing file is never overwritten)",
                "--log",
                exists.toString()
            },
            {
                "2",
                "--log " + fresh + ": no such file to recover from (without --recover a new log is made)",
                "--log",
                fresh.toString(),
                "--recover"
            },
            {"2", "--log " + folder + ": a folder, not a log file", "--log", folder.toString()},
            {
                "3",
                "--log " + dir.resolve("no/x.log") + ": cannot be written: " + dir.resolve("no") + " does not exist",
                "--log",
                dir.resolve("no/x.log").toString()
            },
            {
                "2",
                "--mode chekpoint: expected checkpoint, oplog or hybrid",
                "--log",
                fresh.toString(),
                "--mode",
                "chekpoint"
            },
            {"2", "--every takes a number of 1 or more, not 0", "--log", fresh.toString(), "--every", "0"},
            {
                "2",
                "--log-size abc: give a size in bytes, or a number with K, M or G (powers of 1,024), such"
                        + " as 64M or 1G",
                "--log",
                fresh.toString(),
                "--log-size",
                "abc"
            },
            {
                "2",
                "--log-size -5: give a size in bytes, or a number with K, M or G (powers of 1,024), such"
                        + " as 64M or 1G",
                "--log",
                fresh.toString(),
                "--log-size",
                "-5"
            },
            {"2", "--log-size 0: less than the smallest log, 28K", "--log", fresh.toString(), "--log-size", "0"},
            {"2", "--log-size 5000: not a multiple of 4K (4096 bytes)", "--log", fresh.toString(), "--log-size", "5000"
            },
            {"2", "--log-size 99999999999G: too large", "--log", fresh.toString(), "--log-size", "99999999999G"},
            {
                "2",
                "--log-size 1g: sets the size of a new log; with --recover the log keeps the size it has",
                "--log",
                exists.toString(),
                "--recover",
                "--log-size",
                "1g"
            },
            {
                "2",
                "--check-invariants with --recover: a kernel checked in lockstep with Kernel.tla cannot be restored"
                        + " from a log (recovery itself checks every invariant before the system resumes); leave one"
                        + " out",
                "--log",
                exists.toString(),
                "--recover",
                "--check-invariants"
            },
            {"2", "--mode applies to a persistent run: give --log FILE too", "--mode", "oplog"},
            {"2", "--recover applies to a persistent run: give --log FILE too", "--recover"},
        };
        for (String[] c : cases) {
            String[] args = new String[c.length - 1];
            args[0] = "run";
            System.arraycopy(c, 2, args, 1, c.length - 2);
            Result r = run(args);
            assertEquals(Integer.parseInt(c[0]), r.code(), String.join(" ", args) + "\n" + r.err() + r.out());
            assertEquals("ladle run: " + c[1], r.err().strip(), String.join(" ", args));
            assertEquals("", r.out(), "nothing ran");
        }
        assertEquals("precious", Files.readString(exists));
        assertTrue(!Files.exists(fresh), "no log was made");
    }

    /** A file --recover cannot use: one line naming it and what is wrong, and the file is left as it was. */
    @Test
    void aFileRecoveryCannotUseIsNamedWithTheProblem(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("picture.png");
        Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13});
        Path empty = Files.createFile(dir.resolve("empty.log"));
        Path log = dir.resolve("run.log");
        assertEquals(
                0,
                run("run", "--log", log.toString(), "--steps", "50", "--log-size", "4M")
                        .code());
        // the same log, its header declaring the format version after this build's (with a valid CRC)
        int current = dev.ladle.persist.log.LogFormat.CURRENT_VERSION;
        Path later = dir.resolve("later.log");
        byte[] bytes = Files.readAllBytes(log);
        java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        h.putInt(8, current + 1);
        h.putInt(36, dev.ladle.persist.log.LogFormat.crc(bytes, 0, 36));
        Files.write(later, bytes);
        // a log of format version 1 (no system digest: its header ended at byte 40)
        Path v1 = dir.resolve("v1.log");
        h.putInt(8, 1);
        h.putInt(36, dev.ladle.persist.log.LogFormat.crc(bytes, 0, 36));
        java.util.Arrays.fill(bytes, 40, 80, (byte) 0);
        Files.write(v1, bytes);
        // the same log cut short before its sealed checkpoint
        Path cut = dir.resolve("cut.log");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(log), 64 << 10));
        String[][] cases = {
            {"2", png + ": not a ladle log (no LADLELOG magic at offset 0)", png.toString()},
            {"2", empty + ": empty file, not a log", empty.toString()},
            {
                "2",
                later + ": log format version " + (current + 1) + "; this build reads version " + current,
                later.toString()
            },
            {"2", v1 + ": log format version 1; this build reads version " + current, v1.toString()},
            {"1", "--recover: " + cut + ": the sealed checkpoint's begin record", cut.toString()},
        };
        for (String[] c : cases) {
            Path f = Path.of(c[2]);
            byte[] before = Files.readAllBytes(f);
            Result r = run("run", "--log", c[2], "--recover");
            assertEquals(Integer.parseInt(c[0]), r.code(), r.err() + r.out());
            assertTrue(r.err().startsWith("ladle run: " + (c[0].equals("1") ? "" : "--log ") + c[1]), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(f)), c[2] + " was changed");
        }
    }

    private static String defaultBoot() throws Exception {
        try (var in = RunCommandTest.class.getClassLoader().getResourceAsStream("ladle/default.boot")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static final Pattern DIGEST = Pattern.compile("system digest ([0-9a-f]{64}) ");

    /**
     * A log recovered with another boot description, whether its machine has another size or the same (a heap of one
     * page instead of two, another fault policy, another pager, one of its images changed, a comment added): one line
     * naming the log, both digests and the description given, exit 1, the log neither read further nor written.
     */
    @Test
    void aLogOfAnotherBootDescriptionIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("run.log");
        assertEquals(
                0,
                run("run", "--log", log.toString(), "--steps", "50", "--log-size", "4M")
                        .code());
        Result inspect = run("log", "inspect", log.toString());
        Matcher m = DIGEST.matcher(inspect.out());
        assertTrue(m.find(), inspect.out());
        String written = m.group(1);
        String defaultBoot = defaultBoot();
        java.util.Map<String, String> others = new java.util.LinkedHashMap<>();
        others.put("frames 250", defaultBoot.replace("frames 256", "frames 250")); // another size
        others.put("heap 1", defaultBoot.replace("image owner.elf  heap 2", "image owner.elf  heap 1"));
        others.put(
                "faults to nobody",
                defaultBoot.replace("thread client in client pager 1 faults pager", "thread client in client"));
        others.put("a comment", defaultBoot + "# the same system, one more comment\n");
        others.put("another worker.elf", defaultBoot); // an image beside the file, one byte longer than userland's
        for (var e : others.entrySet()) {
            if (!e.getKey().startsWith("another")) {
                assertFalse(e.getValue().equals(defaultBoot), e.getKey() + " changes the description's text");
            }
            Path folder = Files.createDirectories(dir.resolve(e.getKey().replace(' ', '-')));
            Path other = folder.resolve("other.boot");
            Files.writeString(other, e.getValue());
            if (e.getKey().startsWith("another")) {
                byte[] image;
                try (var in = RunCommandTest.class.getClassLoader().getResourceAsStream("userland/worker.elf")) {
                    image = in.readAllBytes();
                }
                Files.write(folder.resolve("worker.elf"), java.util.Arrays.copyOf(image, image.length + 1));
            }
            byte[] before = Files.readAllBytes(log);
            java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(log);
            Result r = run("run", "--boot", other.toString(), "--log", log.toString(), "--recover");
            assertEquals(1, r.code(), e.getKey() + ": " + r.err() + r.out());
            Matcher given = Pattern.compile(
                            "^ladle run: --recover: " + Pattern.quote(log.toString()) + " was written by a system"
                                    + " booted from a different description \\(digest " + written + "\\); "
                                    + Pattern.quote(other.toString()) + " gives ([0-9a-f]{64}): recover with the"
                                    + " description the log was written with \\(--boot FILE; no --boot for the default system\\)$")
                    .matcher(r.err().strip());
            assertTrue(given.matches(), e.getKey() + ": " + r.err());
            assertFalse(given.group(1).equals(written), e.getKey());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(log)), e.getKey() + ": the log was changed");
            assertEquals(modified, Files.getLastModifiedTime(log), e.getKey() + ": the log was written");
        }
    }

    /**
     * The digest is of the description's text and images, not of its file's name: a log written from a copy of the
     * default description in another folder is recovered with the copy and without --boot alike.
     */
    @Test
    void theSameDescriptionRecoversWhereverItsFileLies(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("copy.boot");
        Files.writeString(copy, defaultBoot());
        Path log = dir.resolve("run.log");
        Result first =
                run("run", "--boot", copy.toString(), "--log", log.toString(), "--steps", "40", "--log-size", "4M");
        assertEquals(0, first.code(), first.err() + first.out());
        Result withCopy = run("run", "--boot", copy.toString(), "--log", log.toString(), "--recover", "--steps", "10");
        assertEquals(0, withCopy.code(), withCopy.err() + withCopy.out());
        assertTrue(withCopy.out().contains("recovered from " + log + ": step 40 "), withCopy.out());
        Result withDefault = run("run", "--log", log.toString(), "--recover", "--steps", "10");
        assertEquals(0, withDefault.code(), withDefault.err() + withDefault.out());
        assertTrue(withDefault.out().contains("recovered from " + log + ": step 50 "), withDefault.out());
    }

    /** A log too small for a checkpoint, or for a step's record, says so and gives the size that fits. */
    @Test
    void aLogTooSmallSaysWhichSizeWouldDo(@TempDir Path dir) throws Exception {
        Path tiny = dir.resolve("tiny.log");
        Result r = run("run", "--log", tiny.toString(), "--log-size", "28K");
        assertEquals(2, r.code(), r.err() + r.out());
        assertTrue(
                r.err()
                        .startsWith("ladle run: --log " + tiny + ": a log of 28,672 bytes is too small (its largest"
                                + " record is 4,096 bytes, a quarter of it): give --log-size 1M or more for a checkpoint of"
                                + " this system"),
                r.err());
        assertTrue(!Files.exists(tiny), "the log this run made holds nothing to keep");
        // a step's record too large for the log: the size that takes it; none, past any log's largest record
        assertEquals(
                "a log of 1,048,576 bytes is too small (its largest record is 262,144 bytes, a quarter of it): give"
                        + " --log-size 5M or more",
                RunCommand.tooSmall(new RecordTooLargeException(1 << 20, 262_144), 1 << 20));
        assertEquals(
                "a record of 61,500,004 bytes is larger than the largest record of any log (16,777,216 bytes): no"
                        + " --log-size takes it",
                RunCommand.tooSmall(new RecordTooLargeException(61_500_004, 16 << 20), 1L << 30));
    }

    /**
     * The modes that log operations on a machine of 15,000 frames (59 MiB, more than the largest record): the
     * start's checkpoint holds every frame the boot wrote, so a step's page delta carries only what was written after
     * it, before and after a recovery; a 1M log (its largest record 256 KiB, less than the boot's pages) takes the
     * default system's steps too.
     */
    @Test
    void theModesThatLogOperationsRunAMemoryLargerThanARecord(@TempDir Path dir) throws Exception {
        String defaultBoot;
        try (var in = RunCommandTest.class.getClassLoader().getResourceAsStream("ladle/default.boot")) {
            defaultBoot = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        Path boot = dir.resolve("large.boot");
        Files.writeString(boot, defaultBoot.replace("frames 256", "frames 15000"));
        Path log = dir.resolve("large.log");
        Result first =
                run("run", "--boot", boot.toString(), "--log", log.toString(), "--mode", "oplog", "--steps", "50");
        assertEquals(0, first.code(), first.err() + first.out());
        assertTrue(first.out().contains("steps 0 to 50 logged"), first.out());
        Result second = run(
                "run",
                "--boot",
                boot.toString(),
                "--log",
                log.toString(),
                "--recover",
                "--mode",
                "hybrid",
                "--steps",
                "50");
        assertEquals(0, second.code(), second.err() + second.out());
        assertTrue(second.out().contains("recovered from " + log + ": step 50 "), second.out());
        assertTrue(second.out().contains("steps 50 to 100 logged"), second.out());

        Path small = dir.resolve("small.log");
        Result r = run("run", "--log", small.toString(), "--log-size", "1M", "--mode", "oplog", "--steps", "100");
        assertEquals(0, r.code(), r.err() + r.out());
        Result again = run("run", "--log", small.toString(), "--recover", "--steps", "10");
        assertEquals(0, again.code(), again.err() + again.out());
        assertTrue(again.out().contains("recovered from " + small + ": step 100 "), again.out());
    }
}
