package dev.ladle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.persist.Persistence;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code ladle demo}: a child JVM killed with SIGKILL, recovered in another; acknowledged progress survives. */
class DemoCommandTest {
    private record Run(int code, String out, String err) {}

    private static Run demo(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Ladle.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "demo";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = cl.execute(all);
        return new Run(code, out.toString(), err.toString());
    }

    private static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        assertTrue(m.find(), "no line matching " + regex + " in:\n" + text);
        return Long.parseLong(m.group(1));
    }

    /** Two SIGKILLs per mode: acknowledged progress survives, and the system runs on while checkpoints stream. */
    @ParameterizedTest
    @ValueSource(strings = {"checkpoint", "oplog", "hybrid"})
    void acknowledgedProgressSurvivesASigkill(String mode) {
        long streamedAlong = 0;
        long replayedInHybrid = 0;
        for (long seed : new long[] {3, 11}) {
            Run r = demo("--seed", Long.toString(seed), "--every", "40", "--mode", mode);
            assertEquals(0, r.code(), r.out() + r.err());
            long killAt = number(r.out(), "SIGKILL after step (\\d+)$");
            // the first line says what the mode logs and when it checkpoints (oplog: not every N steps)
            String plan = switch (mode) {
                case "checkpoint" -> "a checkpoint every 40 steps";
                case "oplog" -> "every step logged, a checkpoint when half the log is in use";
                default -> "every step logged, a checkpoint every 40 steps";
            };
            assertTrue(
                    r.out().startsWith("ladle demo: seed " + seed + ", mode " + mode + ", " + plan + "; SIGKILL"),
                    r.out());
            long before = number(r.out(), "^before the crash: +step (\\d+)");
            long acked = number(r.out(), "^acknowledged: +step (\\d+)");
            long atCheckpoint = number(r.out(), "^at the checkpoint: +step (\\d+)");
            long after = number(r.out(), "^after recovery: +step (\\d+)");
            long replayed = number(r.out(), "; (\\d+) log records replayed");
            long resumed = number(r.out(), "resumed and ran on to step (\\d+)");
            long lost = number(r.out(), "^lost \\(never acknowledged\\): (\\d+) steps");
            assertTrue(r.out().contains("killed with SIGKILL"), r.out());
            assertTrue(
                    java.util.regex.Pattern.compile(
                                    "^the log names its system by the digest of the boot description and"
                                            + " its images: [0-9a-f]{64}$",
                                    java.util.regex.Pattern.MULTILINE)
                            .matcher(r.out())
                            .find(),
                    r.out());
            assertTrue(before >= killAt, r.out());
            assertTrue(acked <= before, r.out());
            assertTrue(after >= acked, "acknowledged progress is not lost:\n" + r.out());
            if (mode.equals("checkpoint")) {
                // nothing is logged but checkpoints: recovery ends where the checkpoint is
                assertEquals(atCheckpoint, after, r.out());
                assertEquals(0, replayed, r.out());
            } else if (mode.equals("oplog")) {
                // the durable steps after the checkpoint (the first, at boot) are replayed through the kernel
                assertTrue(after > atCheckpoint && replayed > 0, r.out());
            } else {
                assertTrue(after >= atCheckpoint, r.out());
                replayedInHybrid += replayed;
            }
            // the first JVM runs on between its last reported step and the kill landing: "before" is a lower bound
            assertEquals(Math.max(0, before - after), lost, r.out());
            assertEquals(
                    after > before,
                    r.out().contains("ran on to at least step " + after + " before the SIGKILL landed"),
                    "a recovered step past the last one reported is explained:\n" + r.out());
            assertTrue(resumed > after, "the recovered system runs on:\n" + r.out());
            assertTrue(r.out().contains("acknowledged progress kept: yes"), r.out());
            streamedAlong += number(r.out(), "^while checkpoints streamed: (\\d+) of");
        }
        if (mode.equals("hybrid")) {
            assertTrue(replayedInHybrid > 0, "hybrid recovery replays the steps after its checkpoint");
        }
        if (!mode.equals("oplog")) { // oplog checkpoints only when half the log is in use
            assertTrue(streamedAlong > 0, "the system runs on while a checkpoint streams");
        }
    }

    @Test
    void theFirstLineSaysWhatIsLoggedAndWhenCheckpointsAreTaken() {
        assertEquals("a checkpoint after every step", DemoCommand.plan(Persistence.Mode.CHECKPOINT, 1));
        assertEquals("a checkpoint every 50 steps", DemoCommand.plan(Persistence.Mode.CHECKPOINT, 50));
        assertEquals(
                "every step logged, a checkpoint when half the log is in use",
                DemoCommand.plan(Persistence.Mode.OPLOG, 50));
        assertEquals("every step logged, a checkpoint after every step", DemoCommand.plan(Persistence.Mode.HYBRID, 1));
    }

    @Test
    void anUnknownModeIsRefusedWithTheChoices() {
        Run bad = demo("--mode", "sometimes");
        assertEquals(Ladle.EXIT_USAGE, bad.code());
        assertTrue(bad.err().contains("expected checkpoint, oplog or hybrid"), bad.err());
    }

    /**
     * The recovering JVM's own failure (a log with no sealed checkpoint, a file that is no log): one line naming the
     * file and the problem, never a stack trace.
     */
    @Test
    void aLogRecoveryCannotUseIsOneLineNotAStackTrace(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // a new log of the default system (its digest), with nothing in it yet
        String boot = dev.ladle.kernel.SystemImages.defaultBoot();
        byte[] digest = BootDigest.of(
                boot,
                dev.ladle.kernel.boot.BootParser.parse(dev.ladle.kernel.SystemImages.DEFAULT_BOOT, boot),
                dev.ladle.kernel.SystemImages.images(null));
        java.nio.file.Path empty = dir.resolve("new.log");
        dev.ladle.persist.log.TransactionLog.create(
                        empty,
                        dev.ladle.persist.log.TransactionLog.Options.defaults()
                                .withFileSize(dev.ladle.persist.log.LogFormat.MIN_FILE_SIZE)
                                .withSystemDigest(digest))
                .close();
        // a log of no system: its header holds no digest
        java.nio.file.Path nameless = dir.resolve("nameless.log");
        dev.ladle.persist.log.TransactionLog.create(
                        nameless,
                        dev.ladle.persist.log.TransactionLog.Options.defaults()
                                .withFileSize(dev.ladle.persist.log.LogFormat.MIN_FILE_SIZE))
                .close();
        java.nio.file.Path foreign = dir.resolve("passwd");
        java.nio.file.Files.writeString(foreign, "root:x:0:0:root:/root:/bin/bash\n");
        for (String[] c : new String[][] {
            {empty.toString(), empty + ": the log holds no sealed checkpoint to recover from"},
            {
                nameless.toString(),
                nameless + " names no boot description (its header holds no system digest: it was not written by"
                        + " 'ladle run --log' or 'ladle demo'); only their logs can be recovered"
            },
            {foreign.toString(), foreign + ": not a ladle log (no LADLELOG magic at offset 0)"}
        }) {
            Run r = demo("--role", "recover", "--log", c[0]);
            assertEquals(1, r.code(), r.out() + r.err());
            assertEquals("ladle demo: recovery failed: " + c[1], r.err().strip());
        }
    }

    @Test
    void theCrashedLogIsKeptForInspection(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path kept = dir.resolve("crashed.log");
        // a mode in capitals is taken, and printed (and passed to the children) as the help spells it
        Run r = demo("--seed", "3", "--mode", "OPLOG", "--keep-log", kept.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("ladle demo: seed 3, mode oplog, every step logged"), r.out());
        assertTrue(r.out().contains("the log as the crash left it: " + kept), r.out());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Ladle.run(new PrintWriter(out), new PrintWriter(err), "log", "inspect", kept.toString());
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("(in use)") && out.toString().contains("operation"), out.toString());
        // the digest the demo printed is the one in the log's header
        java.util.regex.Matcher printed =
                java.util.regex.Pattern.compile("images: ([0-9a-f]{64})\n").matcher(r.out());
        assertTrue(printed.find(), r.out());
        assertTrue(out.toString().contains("  system digest " + printed.group(1) + " "), out.toString());
    }

    @Test
    void keepLogIntoAMissingFolderIsRefusedBeforeTheDemoRuns(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Run r = demo("--keep-log", dir.resolve("no/such/crashed.log").toString());
        assertEquals(Ladle.EXIT_USAGE, r.code(), r.out() + r.err());
        assertEquals(
                "ladle demo: --keep-log " + dir.resolve("no/such/crashed.log") + ": no folder "
                        + dir.resolve("no/such"),
                r.err().strip());
        assertEquals("", r.out(), "nothing ran");
    }

    /**
     * The lines the first JVM wrote before the SIGKILL landed are read after it: an acknowledgement printed just
     * before (a checkpoint sealed late) counts, and the kill is sent once.
     */
    @Test
    void theChildsLinesWrittenBeforeTheKillAreRead() throws Exception {
        int[] kills = {0};
        String lines = "DIGEST ab\nSTEP 1 0x1 0\nACK 1\nSTEP 2 0x2 1\nSTEP 3 0x3 1\nACK 3\nSTEP 4 0x4 0\n";
        DemoCommand.ChildReport r = DemoCommand.ChildReport.read(
                new java.io.BufferedReader(new java.io.StringReader(lines)), 2, () -> kills[0]++, d -> {});
        assertEquals(1, kills[0]);
        assertEquals(3, r.acked);
        assertEquals(4, r.lastStep);
        assertEquals("0x4", r.eip);
        assertEquals(2, r.duringCheckpoint);
    }
}
