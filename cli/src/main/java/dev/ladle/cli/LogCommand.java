package dev.ladle.cli;

import dev.ladle.persist.log.LogException;
import dev.ladle.persist.log.LogInspection;
import dev.ladle.persist.log.LogReader;
import dev.ladle.persist.log.LogRecord;
import dev.ladle.persist.log.ScanEnd;
import dev.ladle.persist.log.Superblock;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ladle log}: tools for the persistence log file. */
@Command(
        name = "log",
        mixinStandardHelpOptions = true,
        description = "Tools for the persistence log (a circular transaction log file).",
        subcommands = {LogCommand.Inspect.class})
public final class LogCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Without a subcommand: a usage error (exit 2), the usage on the error stream. */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("ladle log: which tool? (ladle log inspect FILE)");
        spec.commandLine().usage(err);
        err.flush();
        return 2;
    }

    /** {@code ladle log inspect FILE [--json]}. */
    @Command(
            name = "inspect",
            mixinStandardHelpOptions = true,
            description = {
                "Shows a log file without changing it (opened read-only): the file header, both superblocks,"
                        + " the records from the tail by type, the checkpoints, CRC status and where and why the"
                        + " log ends (its torn tail), with any intact records found beyond that end.",
                "",
                "Exit codes: 0 the file is a readable log (a torn tail included); 1 a ladle log too damaged to"
                        + " read (no valid superblock, impossible geometry); 2 usage or input error (no such file, a"
                        + " folder, not a ladle log, a format version this build does not know); 3 the file cannot be"
                        + " read."
            })
    public static final class Inspect implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The log file.")
        Path file;

        @Option(names = "--json", description = "Print one JSON object instead of text.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!Files.exists(file)) {
                err.println("ladle log inspect: " + file + ": no such file");
                return Ladle.EXIT_USAGE;
            }
            if (!Files.isRegularFile(file)) {
                err.println("ladle log inspect: " + file
                        + (Files.isDirectory(file) ? ": a folder, not a log file" : ": not a regular file"));
                return Ladle.EXIT_USAGE;
            }
            LogInspection in;
            try {
                in = LogInspection.of(file);
            } catch (LogException e) {
                err.println("ladle log inspect: " + e.getMessage());
                return switch (e.kind()) {
                    case NO_VALID_SUPERBLOCK, BAD_GEOMETRY -> 1;
                    case IO -> dev.ladle.checker.ExitCode.IO;
                    default -> Ladle.EXIT_USAGE;
                };
            }
            if (json) {
                out.println(json(in));
            } else {
                text(in, out);
            }
            return 0;
        }
    }

    static void text(LogInspection in, PrintWriter out) {
        out.printf("log %s%n", in.file());
        out.printf(
                "  format version %d, %,d bytes declared (%,d on disk), data area %,d bytes%n",
                in.version(), in.declaredSize(), in.sizeOnDisk(), in.capacity());
        out.println(
                in.systemDigest().length == 0
                        ? "  no system digest (not written by 'ladle run --log' or 'ladle demo')"
                        : "  system digest " + dev.ladle.persist.log.LogFormat.hex(in.systemDigest())
                                + " (of the boot description and its images; 'ladle run --recover' needs the same)");
        if (in.sizeOnDisk() < in.declaredSize()) {
            out.printf(
                    "  cut short: the file ends at offset %,d, %,d bytes before the size its header declares (a"
                            + " truncated copy?); nothing past offset %,d can be read%n",
                    in.sizeOnDisk(), in.declaredSize() - in.sizeOnDisk(), in.sizeOnDisk());
        }
        out.println("superblocks");
        for (Superblock.Status s : in.superblocks()) {
            String name = s.slot() == 0 ? "A" : "B";
            if (!s.valid()) {
                out.printf("  %s  invalid: %s%n", name, s.problem());
                continue;
            }
            Superblock b = s.superblock();
            out.printf(
                    "  %s  generation %d, epoch %d, tail %d (LSN %d), head %d (LSN %d), checkpoint %s%s%n",
                    name,
                    b.generation(),
                    b.epoch(),
                    b.tailPos(),
                    b.tailLsn(),
                    b.headPos(),
                    b.headLsn(),
                    b.hasCheckpoint()
                            ? "LSN " + b.checkpointLsn() + " at " + b.checkpointPos()
                                    + (b.namesEnd() ? ", its end LSN " + b.endLsn() + " at " + b.endPos() : "")
                            : "none",
                    b.generation() == in.chosen().generation() ? "  (in use)" : "");
        }
        LogReader.ScanResult sc = in.scan();
        out.printf("records from the tail (position %d, LSN %d)%n", sc.startPos(), sc.firstLsn());
        out.printf("  %-20s %10s %14s%n", "type", "records", "bytes");
        long n = 0;
        long bytes = 0;
        for (Map.Entry<String, LogInspection.TypeCount> e : in.byType().entrySet()) {
            out.printf(
                    "  %-20s %10d %14d%n",
                    e.getKey(), e.getValue().records(), e.getValue().bytes());
            n += e.getValue().records();
            bytes += e.getValue().bytes();
        }
        out.printf("  %-20s %10d %14d%n", "total", n, bytes);
        out.printf(
                "  %s; LSNs %s%n",
                sc.end() == ScanEnd.BAD_CRC
                        ? "every record above passes its CRC32C; the one at the end below fails it"
                        : "every record's CRC32C holds",
                sc.records() == 0 ? "none" : sc.firstLsn() + ".." + sc.lastLsn());
        out.println("checkpoints");
        Superblock chosen = in.chosen();
        boolean checkpointBeyondEnd = chosen.hasCheckpoint() && chosen.checkpointPos() >= sc.endPos();
        if (in.checkpoints().isEmpty()) {
            out.println(
                    checkpointBeyondEnd
                            ? "  none before the end below; the superblock's sealed checkpoint (LSN "
                                    + chosen.checkpointLsn() + " at position " + chosen.checkpointPos()
                                    + ") lies beyond it"
                            : "  none in the log");
        }
        for (LogInspection.Checkpoint c : in.checkpoints()) {
            if (c.beginBehindTail()) {
                out.printf(
                        "  begin behind the tail (before LSN %d; freed when a later checkpoint was sealed): %d objects,"
                                + " %s%n",
                        sc.firstLsn(), c.objects(), c.complete() ? "end LSN " + c.endLsn() : "no end record");
                continue;
            }
            out.printf(
                    "  begin LSN %d at position %d: %d objects, %s%s%n",
                    c.beginLsn(),
                    c.position(),
                    c.objects(),
                    c.complete() ? "end LSN " + c.endLsn() : "no end record (incomplete)",
                    c.sealed() ? ", sealed" : "");
        }
        if (!in.checkpoints().isEmpty() && checkpointBeyondEnd) {
            out.println("  the superblock's sealed checkpoint (LSN " + chosen.checkpointLsn() + " at position "
                    + chosen.checkpointPos() + ") lies beyond the end below");
        }
        out.println("end of log");
        out.printf("  %s: %s%n", sc.end().label(), sc.end().description());
        out.printf("  %s%n", sc.detail());
        List<LogRecord> beyond = in.beyond();
        if (!beyond.isEmpty()) {
            out.printf(
                    "  %s%d intact records beyond the end (LSNs %d..%d%s): the log was damaged before its end;%s%n",
                    beyond.size() >= LogInspection.BEYOND_LIMIT ? "the first " : "",
                    beyond.size(),
                    beyond.get(0).lsn(),
                    beyond.get(beyond.size() - 1).lsn(),
                    beyond.size() >= LogInspection.BEYOND_LIMIT ? "; the search stops there, more may follow" : "",
                    checkpointBeyondEnd
                            ? " recovery starts at the sealed checkpoint (position " + chosen.checkpointPos()
                                    + "), beyond the damage, and reads the damaged part only for frames that"
                                    + " checkpoint refers to"
                            : " recovery stops at the damage");
        } else {
            String why = switch (sc.end()) {
                // a crash never shortens the file (it is written out in full when made): these ends are where
                // a copy was cut
                case CUT ->
                    "  the file holds nothing of it: the file was cut short before it (a crash leaves"
                            + " the file its full size)";
                case SHORT_READ ->
                    in.sizeOnDisk() < in.declaredSize()
                            ? "  no intact record beyond it: the torn end of the log, where the file was cut short"
                                    + " (a crash leaves the file its full size)"
                            : "  no intact record beyond it: the torn end of the log";
                case BAD_CRC, BAD_LENGTH ->
                    "  no intact record beyond it: the torn end of the log (what a"
                            + " crash during a write leaves), or damage to its last record";
                case STALE_EPOCH ->
                    "  beyond it only what an earlier writer left past its durable end (the"
                            + " log was reopened after a crash): not damage";
                case LSN_GAP, UNKNOWN_TYPE -> "  no intact record beyond it: a damaged record ends the log";
                default -> null;
            };
            if (why != null) {
                out.println(why);
            }
        }
        if (!chosen.hasCheckpoint()) {
            out.println("  no sealed checkpoint: recovery has nothing to start from");
        } else if (!in.sealedCheckpointIntact()) {
            long at = dev.ladle.persist.log.LogFormat.DATA_OFFSET + chosen.checkpointPos() % in.capacity();
            out.printf(
                    "  recovery fails: the sealed checkpoint it starts from (LSN %d at position %d, file offset %,d) is"
                            + " not intact%s%n",
                    chosen.checkpointLsn(),
                    chosen.checkpointPos(),
                    at,
                    at >= in.sizeOnDisk() ? ": it lies beyond the end of the file" : "");
        }
    }

    static String json(LogInspection in) {
        StringBuilder b = new StringBuilder();
        b.append('{');
        field(b, "file", in.file()).append(',');
        b.append("\"version\":").append(in.version()).append(',');
        // the file header's system digest in hex (ladle run and demo: the boot description's); null: none
        b.append("\"systemDigest\":")
                .append(
                        in.systemDigest().length == 0
                                ? "null"
                                : "\"" + dev.ladle.persist.log.LogFormat.hex(in.systemDigest()) + "\"")
                .append(',');
        b.append("\"declaredSize\":").append(in.declaredSize()).append(',');
        b.append("\"sizeOnDisk\":").append(in.sizeOnDisk()).append(',');
        b.append("\"capacity\":").append(in.capacity()).append(',');
        b.append("\"superblocks\":[");
        for (int i = 0; i < in.superblocks().size(); i++) {
            Superblock.Status s = in.superblocks().get(i);
            b.append(i > 0 ? "," : "").append('{');
            field(b, "slot", s.slot() == 0 ? "A" : "B").append(',');
            b.append("\"valid\":").append(s.valid());
            if (s.valid()) {
                Superblock x = s.superblock();
                b.append(",\"inUse\":").append(x.generation() == in.chosen().generation());
                b.append(",\"generation\":").append(x.generation());
                b.append(",\"epoch\":").append(x.epoch());
                b.append(",\"tailPos\":").append(x.tailPos());
                b.append(",\"tailLsn\":").append(x.tailLsn());
                b.append(",\"headPos\":").append(x.headPos());
                b.append(",\"headLsn\":").append(x.headLsn());
                b.append(",\"checkpointLsn\":").append(x.checkpointLsn());
                b.append(",\"checkpointPos\":").append(x.checkpointPos());
                if (x.namesEnd()) {
                    b.append(",\"checkpointEndLsn\":").append(x.endLsn());
                    b.append(",\"checkpointEndPos\":").append(x.endPos());
                }
            } else {
                b.append(',');
                field(b, "problem", s.problem());
            }
            b.append('}');
        }
        b.append("],\"records\":{");
        int i = 0;
        for (Map.Entry<String, LogInspection.TypeCount> e : in.byType().entrySet()) {
            b.append(i++ > 0 ? "," : "");
            field(b, e.getKey(), null);
            b.append("{\"records\":")
                    .append(e.getValue().records())
                    .append(",\"bytes\":")
                    .append(e.getValue().bytes())
                    .append('}');
        }
        b.append("},\"checkpoints\":[");
        i = 0;
        for (LogInspection.Checkpoint c : in.checkpoints()) {
            b.append(i++ > 0 ? "," : "");
            // a checkpoint whose begin record lies behind the tail has no begin LSN or position in the log
            b.append("{\"beginLsn\":").append(c.beginBehindTail() ? "null" : Long.toString(c.beginLsn()));
            b.append(",\"position\":").append(c.beginBehindTail() ? "null" : Long.toString(c.position()));
            b.append(",\"objects\":").append(c.objects());
            b.append(",\"endLsn\":").append(c.endLsn());
            b.append(",\"complete\":").append(c.complete());
            b.append(",\"sealed\":").append(c.sealed());
            if (c.beginBehindTail()) {
                b.append(",\"beginBehindTail\":true");
            }
            b.append('}');
        }
        LogReader.ScanResult sc = in.scan();
        b.append("],\"scan\":{");
        b.append("\"startPos\":").append(sc.startPos());
        b.append(",\"endPos\":").append(sc.endPos());
        b.append(",\"firstLsn\":").append(sc.firstLsn());
        b.append(",\"lastLsn\":").append(sc.lastLsn());
        b.append(",\"records\":").append(sc.records());
        b.append(",\"paddingRecords\":").append(sc.paddingRecords());
        // false when the scan stopped at a record failing its CRC (every record before it passes)
        b.append(",\"crcOk\":").append(sc.end() != ScanEnd.BAD_CRC).append(',');
        field(b, "end", sc.end().name()).append(',');
        b.append("\"clean\":").append(sc.end().clean()).append(',');
        field(b, "label", sc.end().label()).append(',');
        field(b, "detail", sc.detail()).append(',');
        b.append("\"intactBeyond\":").append(in.beyond().size());
        // true when the search for intact records stopped at its limit: intactBeyond is then a lower bound
        b.append(",\"intactBeyondCapped\":").append(in.beyond().size() >= LogInspection.BEYOND_LIMIT);
        // false when the superblock's sealed checkpoint is not there intact (recovery, which starts there, fails)
        b.append(",\"sealedCheckpointIntact\":").append(in.sealedCheckpointIntact());
        b.append("}}");
        return b.toString();
    }

    /** Appends {@code "name":"value"} (or {@code "name":} when value is null), JSON-escaped. */
    private static StringBuilder field(StringBuilder b, String name, String value) {
        quote(b, name).append(':');
        if (value != null) {
            quote(b, value);
        }
        return b;
    }

    private static StringBuilder quote(StringBuilder b, String s) {
        b.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }
}
