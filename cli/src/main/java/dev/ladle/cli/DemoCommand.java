package dev.ladle.cli;

import dev.ladle.kernel.KernelThread;
import dev.ladle.persist.Persistence;
import dev.ladle.persist.Recovery;
import dev.ladle.persist.log.LogException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ladle demo}: the default system in a child JVM with persistence on, killed with SIGKILL at a seeded
 * moment, recovered in a new JVM; prints progress before the crash, at the checkpoint and after recovery, what
 * was acknowledged and what was lost. Progress is counted in scheduler steps. In checkpoint mode a step is
 * acknowledged when a sealed checkpoint covers it; in oplog and hybrid modes when its operation record is durable,
 * and recovery replays the durable steps after the checkpoint through the kernel.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the default system with persistence on in a child JVM, kills it with SIGKILL at a moment drawn"
                    + " from the seed, recovers it in a new JVM and prints what was acknowledged, kept and lost.",
            "Exit codes: 0 acknowledged progress survived; 1 it did not, or a child failed; 2 bad option."
        })
public final class DemoCommand implements Callable<Integer> {
    static final int QUANTUM = 2000;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "1",
            description = "Seed of the scheduler and of the crash moment (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--mode",
            paramLabel = "MODE",
            defaultValue = "checkpoint",
            description = "checkpoint (snapshots only), oplog (every step logged before the kernel acts on it, a"
                    + " checkpoint when half the log is in use) or hybrid (the log plus a checkpoint every N steps)"
                    + " (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(
            names = "--every",
            paramLabel = "N",
            defaultValue = "50",
            description =
                    "Checkpoint every N scheduler steps (checkpoint and hybrid modes; default: ${DEFAULT-VALUE}).")
    int every;

    @Option(
            names = "--keep-log",
            paramLabel = "FILE",
            description = "Copy the log as the crash left it to FILE (for 'ladle log inspect FILE'); the demo's own"
                    + " log is removed.")
    Path keepLog;

    @Option(names = "--role", hidden = true, description = "run | recover (the child JVMs).")
    String role;

    @Option(names = "--log", hidden = true, description = "The children's log file.")
    Path childLog;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Persistence.Mode m;
        try {
            m = Persistence.Mode.valueOf(mode.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println("ladle demo: --mode " + mode + ": expected checkpoint, oplog or hybrid");
            return Ladle.EXIT_USAGE;
        }
        mode = m.name().toLowerCase(java.util.Locale.ROOT); // as the children are told it, and as printed
        if (every < 1) {
            err.println("ladle demo: --every takes a number of 1 or more, not " + every);
            return Ladle.EXIT_USAGE;
        }
        if (keepLog != null) {
            Path parent = keepLog.toAbsolutePath().getParent();
            if (Files.isDirectory(keepLog) || parent == null || !Files.isDirectory(parent)) {
                err.println("ladle demo: --keep-log " + keepLog + ": "
                        + (Files.isDirectory(keepLog) ? "a folder: give a file name" : "no folder " + parent));
                return Ladle.EXIT_USAGE;
            }
        }
        if ("run".equals(role) && childLog != null) {
            return childRun(childLog, m);
        }
        if ("recover".equals(role) && childLog != null) {
            return childRecover(childLog);
        }
        if (role != null) {
            err.println("ladle demo: --role expects run or recover, with --log FILE");
            return Ladle.EXIT_USAGE;
        }
        return parent(out, err, m);
    }

    /** The first child: runs with persistence on, reports each step and each acknowledgement, until killed. */
    private int childRun(Path log, Persistence.Mode m) throws Exception {
        PrintStream o = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (PersistentSystem s = PersistentSystem.boot(seed, QUANTUM)) {
            s.persist(log, m, every);
            o.println("DIGEST " + dev.ladle.persist.log.LogFormat.hex(s.digest()));
            o.println("READY");
            while (true) {
                Persistence.Ack a = s.step();
                if (a == null) {
                    o.println("END " + s.sys().steps());
                    return 0;
                }
                long step = s.sys().steps();
                boolean streaming = s.persistence().checkpointStreaming();
                a.durable().thenAccept(lsn -> {
                    synchronized (o) {
                        o.println("ACK " + step);
                    }
                });
                synchronized (o) {
                    o.println("STEP " + step + " " + workerEip(s) + " " + (streaming ? 1 : 0));
                }
            }
        }
    }

    /**
     * What the first JVM reported on its standard output. The kill (SIGKILL on Unix) comes once a step at or after
     * {@code killAt} is read; the lines the child wrote before it died are still read afterwards, so an
     * acknowledgement it printed just before (a checkpoint sealed late) is counted.
     */
    static final class ChildReport {
        long lastStep = -1;
        long acked = -1;
        String eip = "?";
        boolean ended;
        long duringCheckpoint;

        static ChildReport read(
                BufferedReader in, long killAt, Runnable kill, java.util.function.Consumer<String> digest)
                throws IOException {
            ChildReport r = new ChildReport();
            boolean killed = false;
            String line;
            while ((line = in.readLine()) != null) {
                String[] w = line.split(" ");
                if (w[0].equals("STEP")) {
                    r.lastStep = Long.parseLong(w[1]);
                    r.eip = w[2];
                    r.duringCheckpoint += Long.parseLong(w[3]);
                } else if (w[0].equals("ACK")) {
                    r.acked = Math.max(r.acked, Long.parseLong(w[1]));
                } else if (w[0].equals("DIGEST")) {
                    digest.accept(w[1]);
                } else if (w[0].equals("END")) {
                    r.ended = true;
                }
                if (!killed && r.lastStep >= killAt) {
                    kill.run();
                    killed = true;
                }
            }
            return r;
        }
    }

    private static String workerEip(PersistentSystem s) {
        KernelThread w = s.kernel().thread("worker");
        return String.format("0x%08x", w.get(dev.ladle.kernel.hw.Reg.EIP));
    }

    /** The second child: recovers, reports, resumes for a while. */
    private int childRecover(Path log) throws Exception {
        PrintStream o = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PersistentSystem.Recovered r;
        try {
            r = PersistentSystem.recover(log, seed, QUANTUM);
        } catch (LogException | Recovery.RecoveryFailed | PersistentSystem.OtherSystem | Recovery.ObjectLost e) {
            // a log recovery cannot use (not a log, no sealed checkpoint, its begin record damaged): one line
            spec.commandLine().getErr().println("ladle demo: recovery failed: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
        try (PersistentSystem s = r.system()) {
            if (!r.result().violations().isEmpty()) {
                o.println("VIOLATIONS " + r.result().violations());
                return 1;
            }
            long at = s.sys().steps();
            String eip = workerEip(s);
            long waiting = s.sys().waitingFrameCount();
            // the first instructions page in what they touch; the rest is paged in after, to time a full restore
            try {
                s.kernel().run(200);
                o.println("RECOVERED " + at + " " + eip + " " + r.result().nanosToResume() + " " + r.nanosInFull()
                        + " " + r.result().checkpointLsn() + " " + s.sys().stepsAtCheckpoint() + " "
                        + r.result().recordsReplayed() + " " + waiting);
            } catch (Recovery.ObjectLost e) {
                spec.commandLine().getErr().println("ladle demo: recovery failed: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return 1;
            }
            KernelThread w = s.kernel().thread("worker");
            o.println("RESUMED " + s.sys().steps() + " " + w.state() + " "
                    + w.end().replace(' ', '_'));
            return 0;
        }
    }

    /** What the mode logs and when it checkpoints, as the demo's first line says it. */
    static String plan(Persistence.Mode m, int every) {
        String checkpoints = every == 1 ? "a checkpoint after every step" : "a checkpoint every " + every + " steps";
        return switch (m) {
            case CHECKPOINT -> checkpoints;
            case OPLOG -> "every step logged, a checkpoint when half the log is in use";
            case HYBRID -> "every step logged, " + checkpoints;
        };
    }

    private Process child(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Ladle.class.getName(),
                "demo",
                "--seed",
                Long.toString(seed),
                "--mode",
                mode,
                "--every",
                Integer.toString(every)));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private int parent(PrintWriter out, PrintWriter err, Persistence.Mode m) throws Exception {
        Path dir = Files.createTempDirectory("ladle-demo");
        try {
            Path log = dir.resolve("ladle.log");
            long killAt = 100 + new Random(seed).nextInt(1500);
            out.printf("ladle demo: seed %d, mode %s, %s; SIGKILL after step %d%n", seed, mode, plan(m, every), killAt);
            Process p = child("--role", "run", "--log", log.toString());
            ChildReport report;
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                // the handle's kill sends SIGKILL (on Unix) and leaves the pipe open (Process.destroyForcibly closes
                // it):
                // what the child wrote before it died is still read
                report = ChildReport.read(in, killAt, () -> p.toHandle().destroyForcibly(), digest -> {
                    out.printf(
                            "the log names its system by the digest of the boot description and its images: %s%n",
                            digest);
                    out.flush();
                });
            }
            long lastStep = report.lastStep;
            long acked = report.acked;
            String eip = report.eip;
            boolean ended = report.ended;
            long duringCheckpoint = report.duringCheckpoint;
            p.waitFor();
            if (lastStep < 0) {
                err.println("ladle demo: the first JVM stopped before running a step (exit " + p.exitValue() + ")");
                return 1;
            }
            out.printf(
                    "before the crash:    step %d, the last the first JVM reported (worker eip %s)%s%n",
                    lastStep, eip, ended ? ", the system had ended" : ", killed with SIGKILL");
            out.printf("acknowledged:        step %s%n", acked < 0 ? "none" : Long.toString(acked));
            if (keepLog != null) {
                Files.copy(log, keepLog, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                out.printf("the log as the crash left it: %s%n", keepLog);
            }
            out.printf(
                    "while checkpoints streamed: %d of %d steps ran (the system does not wait for the checkpointer)%n",
                    duringCheckpoint, lastStep);
            Process q = child("--role", "recover", "--log", log.toString());
            List<String> lines = new ArrayList<>();
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(q.getInputStream(), StandardCharsets.UTF_8))) {
                in.lines().forEach(lines::add);
            }
            int rc = q.waitFor();
            String[] rec = lines.stream()
                    .filter(l -> l.startsWith("RECOVERED "))
                    .findFirst()
                    .map(l -> l.split(" "))
                    .orElse(null);
            String[] res = lines.stream()
                    .filter(l -> l.startsWith("RESUMED "))
                    .findFirst()
                    .map(l -> l.split(" "))
                    .orElse(null);
            if (rc != 0 || rec == null || res == null) {
                err.println("ladle demo: recovery failed (exit " + rc + "): " + String.join("; ", lines));
                return 1;
            }
            long recovered = Long.parseLong(rec[1]);
            out.printf("at the checkpoint:   step %s (checkpoint at LSN %s)%n", rec[6], rec[5]);
            out.printf(
                    "after recovery:      step %d (worker eip %s; %s log records replayed), resumed and ran on to step"
                            + " %s (worker %s%s)%n",
                    recovered,
                    rec[2],
                    rec[7],
                    res[1],
                    res[2].toLowerCase(),
                    res.length > 3 ? " " + res[3].replace('_', ' ') : "");
            if (recovered > lastStep) {
                // the kill lands a little after the step the parent read: the log shows how far the JVM really got
                out.printf(
                        "the first JVM ran on to at least step %d before the SIGKILL landed (the recovered log holds"
                                + " it; it last reported step %d)%n",
                        recovered, lastStep);
            }
            out.printf("lost (never acknowledged): %d steps%n", Math.max(0, lastStep - recovered));
            out.printf(
                    "recovery: %.1f ms to the first instruction (%s frames waiting to be paged in on first touch),"
                            + " %.1f ms in full (boot, recovery and every frame paged in)%n",
                    Long.parseLong(rec[3]) / 1e6, rec[8], Long.parseLong(rec[4]) / 1e6);
            boolean kept = recovered >= acked;
            out.println("acknowledged progress kept: " + (kept ? "yes" : "NO"));
            return kept ? 0 : 1;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
