package dev.ladle.cli;

import dev.ladle.kernel.Kernel;
import dev.ladle.kernel.Summary;
import dev.ladle.kernel.SystemImages;
import dev.ladle.kernel.boot.BootDescription;
import dev.ladle.kernel.boot.BootError;
import dev.ladle.kernel.boot.BootParser;
import dev.ladle.persist.Checkpointer;
import dev.ladle.persist.Persistence;
import dev.ladle.persist.Recovery;
import dev.ladle.persist.log.LogException;
import dev.ladle.persist.log.LogFormat;
import dev.ladle.persist.log.LogFullException;
import dev.ladle.persist.log.RecordTooLargeException;
import dev.ladle.x86.UnicornMissingException;
import dev.ladle.x86.X86Platform;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ladle run}: boots a system on the IA-32 target (user programs on Unicorn, every trap into the kernel,
 * every state change through the generated machine), runs it under the seeded scheduler and prints the summary.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Boots a system on the x86 target and prints a summary: system calls by kind and result, messages,"
                    + " faults, refusals, instructions, and the authority graph. Without --boot: the default system.",
            "",
            "Exit codes: 0 ran; 1 an invariant or the page tables broke, or --recover failed (no valid superblock,"
                    + " the sealed checkpoint not intact, a log written with another boot description); 2 bad boot"
                    + " description, image or option (a --log file that is no ladle log, or too small); 3 the x86 CPU (libunicorn2) is not installed, or the --graph"
                    + " or --log file cannot be read or written."
        })
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--boot", paramLabel = "FILE", description = "Boot description (default: the default system).")
    Path boot;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "1",
            description = "Scheduler seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--steps",
            paramLabel = "N",
            defaultValue = "200000",
            description = "At most this many scheduler steps (default: ${DEFAULT-VALUE}).")
    long steps;

    @Option(
            names = "--quantum",
            paramLabel = "N",
            defaultValue = "5000",
            description = "Longest slice in instructions (default: ${DEFAULT-VALUE}).")
    int quantum;

    @Option(
            names = "--check-invariants",
            description = "After every step, check every generated invariant and that the page tables decode to the"
                    + " machine's page map.")
    boolean checkInvariants;

    @Option(
            names = "--graph",
            paramLabel = "FILE.svg",
            description = "Write the authority graph: FILE.svg drawn by Graphviz's dot, FILE.dot the DOT text.")
    Path graph;

    @Option(
            names = "--log",
            paramLabel = "FILE",
            description = "Run with persistence on, logging to FILE, a new file (an existing one is refused: --recover"
                    + " resumes from it). At the end a checkpoint seals the whole run. Default: no persistence.")
    Path log;

    @Option(
            names = "--recover",
            description = "Recover the system from the --log FILE an earlier 'ladle run --log' wrote, then run on,"
                    + " logging to the same file. Give the boot description the log was written with: the log"
                    + " records its digest (and its images'), and another is refused.")
    boolean recover;

    @Option(
            names = "--mode",
            paramLabel = "MODE",
            description = "With --log: checkpoint (snapshots only), oplog (every step logged before the kernel acts on"
                    + " it, a checkpoint when half the log is in use) or hybrid (the log plus a checkpoint every N"
                    + " steps) (default: checkpoint).")
    String mode;

    @Option(
            names = "--every",
            paramLabel = "N",
            description = "With --log: a checkpoint every N scheduler steps (checkpoint and hybrid modes; default: "
                    + DEFAULT_EVERY + ").")
    Integer every;

    @Option(
            names = "--log-size",
            paramLabel = "SIZE",
            description = "With --log: the size of a new log file, in bytes or with K, M or G (powers of 1,024): a"
                    + " multiple of 4K, at least 28K, and room for a checkpoint of the system (default: 64M).")
    String logSize;

    static final int DEFAULT_EVERY = 50;

    /** How often a persistent run prints its progress. */
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(10);

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (steps < 1 || quantum < 1) {
            err.println("ladle run: " + (steps < 1 ? "--steps" : "--quantum") + " takes a number of 1 or more, not "
                    + (steps < 1 ? steps : quantum));
            return Ladle.EXIT_USAGE;
        }
        if (graph != null
                && !graph.toString().endsWith(".svg")
                && !graph.toString().endsWith(".dot")) {
            err.println("ladle run: --graph " + graph + ": give a FILE.svg (drawn by Graphviz) or a FILE.dot (the DOT"
                    + " text)");
            return Ladle.EXIT_USAGE;
        }
        if (graph != null) {
            // checked before the run, with one message whatever the extension (dot's own error said it another way)
            Path folder = graph.toAbsolutePath().getParent();
            if (folder != null && !Files.isDirectory(folder)) {
                err.println("ladle run: --graph " + graph + ": cannot be written: " + folder
                        + (Files.exists(folder) ? " is not a folder" : " does not exist"));
                return dev.ladle.checker.ExitCode.IO;
            }
        }
        Persistence.Mode persistMode = Persistence.Mode.CHECKPOINT;
        long logBytes = PersistentSystem.LOG_BYTES;
        if (log == null) {
            String needsLog = recover
                    ? "--recover"
                    : mode != null ? "--mode" : every != null ? "--every" : logSize != null ? "--log-size" : null;
            if (needsLog != null) {
                err.println("ladle run: " + needsLog + " applies to a persistent run: give --log FILE too");
                return Ladle.EXIT_USAGE;
            }
        } else {
            if (mode != null) {
                try {
                    persistMode = Persistence.Mode.valueOf(mode.toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    err.println("ladle run: --mode " + mode + ": expected checkpoint, oplog or hybrid");
                    return Ladle.EXIT_USAGE;
                }
            }
            if (every != null && every < 1) {
                err.println("ladle run: --every takes a number of 1 or more, not " + every);
                return Ladle.EXIT_USAGE;
            }
            if (recover && checkInvariants) {
                // Kernel.tla's machine, run in lockstep to check every invariant, has no state to restore into
                err.println("ladle run: --check-invariants with --recover: a kernel checked in lockstep with"
                        + " Kernel.tla cannot be restored from a log (recovery itself checks every invariant before the"
                        + " system resumes); leave one out");
                return Ladle.EXIT_USAGE;
            }
            if (logSize != null) {
                if (recover) {
                    err.println("ladle run: --log-size " + logSize + ": sets the size of a new log; with --recover"
                            + " the log keeps the size it has");
                    return Ladle.EXIT_USAGE;
                }
                String why = sizeProblem(logSize);
                if (why != null) {
                    err.println("ladle run: --log-size " + logSize + ": " + why);
                    return Ladle.EXIT_USAGE;
                }
                logBytes = parseSize(logSize);
            }
            Path folder = log.toAbsolutePath().getParent();
            if (Files.isDirectory(log)) {
                err.println("ladle run: --log " + log + ": a folder, not a log file");
                return Ladle.EXIT_USAGE;
            }
            if (recover && !Files.exists(log)) {
                err.println("ladle run: --log " + log + ": no such file to recover from (without --recover a new log"
                        + " is made)");
                return Ladle.EXIT_USAGE;
            }
            if (!recover && Files.exists(log)) {
                err.println("ladle run: --log " + log + ": the file exists; --recover resumes from it, another name"
                        + " starts a new log (an existing file is never overwritten)");
                return Ladle.EXIT_USAGE;
            }
            if (!recover && folder != null && !Files.isDirectory(folder)) {
                err.println("ladle run: --log " + log + ": cannot be written: " + folder
                        + (Files.exists(folder) ? " is not a folder" : " does not exist"));
                return dev.ladle.checker.ExitCode.IO;
            }
        }
        BootDescription description;
        String bootText;
        String bootName;
        try {
            String text;
            String name;
            if (boot == null) {
                text = SystemImages.defaultBoot();
                name = SystemImages.DEFAULT_BOOT;
            } else {
                if (!Files.isRegularFile(boot)) {
                    err.println("ladle run: " + boot
                            + (Files.isDirectory(boot) ? " is a folder, not a boot description" : ": no such file"));
                    return Ladle.EXIT_USAGE;
                }
                text = readText(boot);
                name = boot.toString();
            }
            description = BootParser.parse(name, text);
            bootText = text;
            bootName = name;
        } catch (BootError e) {
            err.println("ladle run: " + e.getMessage());
            return Ladle.EXIT_USAGE;
        }
        Path dir = boot == null ? null : boot.toAbsolutePath().getParent();
        if (log != null) {
            return persistentRun(
                    bootName, bootText, dir, persistMode, every == null ? DEFAULT_EVERY : every, logBytes, out, err);
        }
        Kernel.Options options = new Kernel.Options(seed, quantum, checkInvariants, false);
        try (X86Platform platform = new X86Platform()) {
            Kernel kernel = Kernel.boot(platform, description, SystemImages.images(dir), options);
            kernel.run(steps);
            Summary.print(kernel, out);
            if (graph != null) {
                return writeGraph(Summary.dot(kernel), err);
            }
            return 0;
        } catch (BootError e) {
            err.println("ladle run: " + e.getMessage());
            return Ladle.EXIT_USAGE;
        } catch (UnicornMissingException e) {
            err.println("ladle run: " + e.getMessage());
            return 3;
        } catch (Kernel.InvariantViolation e) {
            err.println("ladle run: " + e.getMessage());
            return 1;
        }
    }

    /**
     * The run with persistence on: a new log (its first checkpoint the booted system), or the system recovered from
     * the log and the log reopened; the steps one at a time as {@code ladle demo} runs them; at the end a checkpoint
     * seals the whole run (in every mode), so that {@code --recover} resumes where this run stopped.
     */
    private int persistentRun(
            String bootName,
            String bootText,
            Path dir,
            Persistence.Mode m,
            int checkpointEvery,
            long logBytes,
            PrintWriter out,
            PrintWriter err)
            throws Exception {
        boolean created = false;
        PersistentSystem s = null;
        try {
            PersistentSystem.Recovered r = null;
            if (recover) {
                try {
                    r = PersistentSystem.recover(log, bootName, bootText, dir, seed, quantum, checkInvariants);
                } catch (Recovery.RecoveryFailed | PersistentSystem.OtherSystem | Recovery.ObjectLost e) {
                    // ObjectLost: a lazily restored frame the replay touched, its record damaged
                    err.println("ladle run: --recover: " + e.getMessage());
                    return 1;
                } catch (RuntimeException e) {
                    // a log whose state does not fit the booted system: written for another boot description
                    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                    err.println("ladle run: --recover: " + log + ": its checkpoint does not fit the system of "
                            + bootName + ": " + why + " (was the log written with another boot description?)");
                    return 1;
                }
                s = r.system();
                if (!r.result().violations().isEmpty()) {
                    err.println("ladle run: --recover: " + log + ": the recovered state breaks "
                            + String.join(", ", r.result().violations()));
                    return 1;
                }
                // the frames wait for their first touch, also by the checkpoint this run begins with, which refers to
                // those still waiting where the recovered checkpoint holds them and streams while the run goes on (a
                // damaged frame record is reported when the frame is first touched)
            } else {
                s = PersistentSystem.boot(bootName, bootText, dir, seed, quantum, checkInvariants);
            }
            created = !recover;
            long persistStart = System.nanoTime();
            try {
                s.persist(log, m, checkpointEvery, logBytes, dev.ladle.persist.ProtocolTrace.NONE);
            } catch (RecordTooLargeException e) {
                err.println(
                        "ladle run: --log " + log + ": " + tooSmall(e, logBytes) + " for a checkpoint of this system");
                return Ladle.EXIT_USAGE;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                created = false; // made by someone else since the check: not this run's to remove
                throw e;
            } catch (LogFullException e) {
                err.println("ladle run: --log " + log + ": a log of " + String.format("%,d", logBytes)
                        + " bytes has no room for a checkpoint of this system (" + e.getMessage()
                        + "): give a larger --log-size");
                return Ladle.EXIT_USAGE;
            }
            created = false; // it holds a sealed checkpoint from here on
            long reopenNanos = System.nanoTime() - persistStart;
            long startStep = s.sys().steps();
            long ran = 0;
            Persistence.Ack last = null;
            long nextProgress = System.nanoTime() + PROGRESS_NANOS;
            while (ran < steps) {
                Persistence.Ack a;
                try {
                    a = s.step();
                } catch (Recovery.ObjectLost e) {
                    // a frame a lazy recovery left waiting, its record damaged: the step stopped at its first touch
                    // checkpoint mode logs no step: the log holds what its checkpoints sealed
                    err.println("ladle run: --recover: " + e.getMessage() + "; the log holds the run up to "
                            + (m == Persistence.Mode.CHECKPOINT
                                    ? "its last sealed checkpoint"
                                    : "step " + s.sys().steps()));
                    return 1;
                } catch (RecordTooLargeException e) {
                    // the step was not logged, and the kernel did not act on it: the log holds the run up to here
                    err.println("ladle run: --log " + log + ": " + tooSmall(e, Files.size(log)) + " for step "
                            + (s.sys().steps() + 1) + "'s record; the log holds the run up to step "
                            + s.sys().steps()
                            + " ('--recover' resumes from its last sealed checkpoint)");
                    return Ladle.EXIT_USAGE;
                }
                if (a == null) {
                    break;
                }
                last = a;
                ran++;
                if (System.nanoTime() > nextProgress) {
                    // a long run says how far it got, on the error stream (the summary alone goes to the output)
                    nextProgress = System.nanoTime() + PROGRESS_NANOS;
                    err.printf(
                            "ladle run: step %d of at most %d, log %d%% in use%n",
                            s.sys().steps(),
                            startStep + steps,
                            100
                                    * s.persistence().log().usedBytes()
                                    / s.persistence().log().capacity());
                    err.flush();
                }
            }
            Checkpointer.Result sealed;
            try {
                s.persistence().awaitCheckpoint();
                sealed = s.persistence().checkpointNow(true);
            } catch (Recovery.ObjectLost | java.util.concurrent.ExecutionException e) {
                // a frame a lazy recovery left waiting that no step touched, its record or index record damaged: the
                // checkpoints of the run, which read it to write it, fail (the one the reopened log began with
                // streamed in the background)
                Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
                if (!(cause instanceof Recovery.ObjectLost lost)) {
                    throw e;
                }
                err.println("ladle run: --recover: " + lost.getMessage() + "; no checkpoint of the run after step "
                        + startStep + " could be sealed");
                return 1;
            }
            if (last != null) {
                last.durable().get(60, TimeUnit.SECONDS);
            }
            String recovered = null;
            if (r != null) {
                // what a full restore takes: the frames still waiting are paged in now (on their first touch before)
                long inFull;
                try {
                    inFull = r.nanosInFull();
                } catch (Recovery.ObjectLost e) {
                    err.println("ladle run: --recover: " + e.getMessage() + " (the run's steps are sealed in the log;"
                            + " the frame's record was damaged before the run)");
                    return 1;
                }
                recovered = String.format(
                        "recovered from %s: step %d (sealed checkpoint at LSN %d, %d log records replayed):"
                                + " %.1f ms to the first instruction (recovery %.1f ms, the log reopened and its first"
                                + " checkpoint begun %.1f ms, streamed while the run goes on; frames paged in on first"
                                + " touch), %.1f ms in full (boot, recovery and every frame paged in)",
                        log,
                        startStep,
                        r.result().checkpointLsn(),
                        r.result().recordsReplayed(),
                        (r.result().nanosToResume() + reopenNanos) / 1e6,
                        r.result().nanosToResume() / 1e6,
                        reopenNanos / 1e6,
                        inFull / 1e6);
            }
            Summary.print(s.kernel(), out);
            out.println();
            out.println("persistence:");
            if (recovered != null) {
                out.println("  " + recovered);
            }
            out.printf(
                    "  log %s, mode %s, %,d bytes: steps %d to %d logged and acknowledged; %s%n",
                    log,
                    m.name().toLowerCase(java.util.Locale.ROOT),
                    Files.size(log),
                    startStep,
                    s.sys().steps(),
                    sealed != null
                            ? "the last sealed by a checkpoint at the end"
                            : "nothing new to checkpoint at the end");
            out.printf(
                    "  'ladle run --log %s --recover' resumes from step %d%n",
                    log, s.sys().steps());
            if (graph != null) {
                return writeGraph(Summary.dot(s.kernel()), err);
            }
            return 0;
        } catch (BootError e) {
            err.println("ladle run: " + e.getMessage());
            return Ladle.EXIT_USAGE;
        } catch (UnicornMissingException e) {
            err.println("ladle run: " + e.getMessage());
            return 3;
        } catch (Kernel.InvariantViolation e) {
            err.println("ladle run: " + e.getMessage());
            return 1;
        } catch (LogException e) {
            err.println("ladle run: --log " + e.getMessage());
            return switch (e.kind()) {
                case NO_VALID_SUPERBLOCK, BAD_GEOMETRY -> 1;
                case IO -> dev.ladle.checker.ExitCode.IO;
                default -> Ladle.EXIT_USAGE;
            };
        } finally {
            if (s != null) {
                s.close();
            }
            if (created) {
                Files.deleteIfExists(log); // made by this run and holding no sealed checkpoint: nothing to keep
            }
        }
    }

    /**
     * A log of {@code logBytes} too small for a record, and the size that would take it; or, for a record larger than
     * any log's largest record ({@link LogFormat#maxRecord}: 16 MiB whatever the size), that no size would.
     */
    static String tooSmall(RecordTooLargeException e, long logBytes) {
        if (LogFormat.recordSize(e.bytes()) > LogFormat.maxRecord(Long.MAX_VALUE)) {
            return String.format(
                    "a record of %,d bytes is larger than the largest record of any log (%,d bytes): no --log-size"
                            + " takes it",
                    e.bytes(), LogFormat.maxRecord(Long.MAX_VALUE));
        }
        // the largest record is a quarter of the data area: four times the record, rounded up to a MiB
        long needed = LogFormat.DATA_OFFSET + 4L * LogFormat.recordSize(e.bytes());
        long mib = (needed + (1 << 20) - 1) >> 20;
        return String.format(
                "a log of %,d bytes is too small (its largest record is %,d bytes, a quarter of it): give --log-size"
                        + " %dM or more",
                logBytes, e.maxRecord(), mib);
    }

    /** Why {@code text} is not a log size, or null: bytes, or a number with K, M or G (powers of 1,024). */
    static String sizeProblem(String text) {
        if (!text.matches("\\d+[kKmMgG]?")) {
            return "give a size in bytes, or a number with K, M or G (powers of 1,024), such as 64M or 1G";
        }
        long n;
        try {
            n = parseSize(text);
        } catch (ArithmeticException | NumberFormatException e) {
            return "too large";
        }
        if (n % LogFormat.BLOCK != 0) {
            return "not a multiple of 4K (" + LogFormat.BLOCK + " bytes)";
        }
        if (n < LogFormat.MIN_FILE_SIZE) {
            return "less than the smallest log, " + LogFormat.MIN_FILE_SIZE / 1024 + "K";
        }
        return null;
    }

    static long parseSize(String text) {
        char last = Character.toUpperCase(text.charAt(text.length() - 1));
        int shift = last == 'K' ? 10 : last == 'M' ? 20 : last == 'G' ? 30 : 0;
        long n = Long.parseLong(shift == 0 ? text : text.substring(0, text.length() - 1));
        return Math.multiplyExact(n, 1L << shift);
    }

    /**
     * The boot description's text; a byte that is not UTF-8 is a {@link BootError} at its line and column (counted
     * in bytes), not an I/O failure.
     */
    static String readText(Path file) throws IOException, BootError {
        byte[] bytes = Files.readAllBytes(file);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer chars = java.nio.CharBuffer.allocate(bytes.length);
        java.nio.charset.CoderResult r = java.nio.charset.StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                .decode(in, chars, true);
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new BootError(
                    file.toString(),
                    line,
                    at - lineStart + 1,
                    String.format(
                            "byte 0x%02x is not UTF-8 text: a boot description is a text file", bytes[at] & 0xff));
        }
        return chars.flip().toString();
    }

    private int writeGraph(String dot, PrintWriter err) throws IOException, InterruptedException {
        Path target = graph.toAbsolutePath();
        if (!target.toString().endsWith(".svg")) {
            Files.writeString(target, dot);
            return 0;
        }
        Process p;
        try {
            p = new ProcessBuilder("dot", "-Tsvg", "-o", target.toString())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            Path dotFile = Path.of(target.toString().replaceFirst("\\.svg$", ".dot"));
            Files.writeString(dotFile, dot);
            err.println("ladle run: Graphviz's dot is not installed (apt-get install -y graphviz); wrote " + dotFile);
            return 0;
        }
        try (var in = p.getOutputStream()) {
            in.write(dot.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String msg = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            err.println("ladle run: dot failed: " + msg.trim());
            return dev.ladle.checker.ExitCode.IO;
        }
        return 0;
    }
}
