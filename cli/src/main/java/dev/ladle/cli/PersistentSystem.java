package dev.ladle.cli;

import dev.ladle.kernel.Kernel;
import dev.ladle.kernel.SystemImages;
import dev.ladle.kernel.boot.BootDescription;
import dev.ladle.kernel.boot.BootError;
import dev.ladle.kernel.boot.BootParser;
import dev.ladle.persist.Operation;
import dev.ladle.persist.Persistence;
import dev.ladle.persist.ProtocolTrace;
import dev.ladle.persist.Recovery;
import dev.ladle.persist.log.LogFormat;
import dev.ladle.persist.log.LogReader;
import dev.ladle.persist.log.TransactionLog;
import dev.ladle.x86.X86Platform;
import java.nio.file.Path;

/**
 * The default system on the IA-32 target with persistence on: the kernel runs one scheduler step at a time under
 * the persistent world's lock, and each step is reported to {@link Persistence} as an operation of the thread that
 * ran (the thread the CPU ran, never one whose registers a woken receive changed). In checkpoint mode the step is
 * reported after it (and after {@link Kernel#wake}, as in the other modes), so checkpoints fall between steps and a
 * step is acknowledged when a checkpoint covering it is sealed. The CPU is watched ({@link StepRecorder}) in every mode;
 * in the modes that log operations, when a slice stops, the step's record (why it stopped, the registers: a system call's
 * arguments) is appended before the kernel acts on it, and acknowledged when durable; the step then ends with
 * {@link Kernel#wake} (the waiters it woke receive within it), so that a checkpoint begun as the next step's record is
 * appended snapshots no effect of that step.
 */
final class PersistentSystem implements AutoCloseable {
    /** Log size: room for many checkpoints of the default system's 257 frames. */
    static final long LOG_BYTES = 64L << 20;

    private final X86Platform platform;
    private final StepRecorder recorder;
    private final KernelPersistent sys;
    /** What names this system in a log's file header ({@link BootDigest}). */
    private final byte[] digest;

    private Persistence persistence;
    /** The recovery this system came from, open while its frames may wait for their contents (null: none). */
    private Recovery recovery;
    /** The log {@link #recovery} read (null: none). */
    private Path recoveredLog;

    private Persistence.Ack lastAck;
    private Exception recordFailure;

    private PersistentSystem(X86Platform platform, StepRecorder recorder, KernelPersistent sys, byte[] digest) {
        this.platform = platform;
        this.recorder = recorder;
        this.sys = sys;
        this.digest = digest;
    }

    /** Boots the default system (not yet persistent). */
    static PersistentSystem boot(long seed, int quantum) throws BootError {
        return boot(SystemImages.DEFAULT_BOOT, SystemImages.defaultBoot(), seed, quantum);
    }

    /** Boots the system of boot description {@code text} (read from {@code file}), its images the userland's. */
    static PersistentSystem boot(String file, String text, long seed, int quantum) throws BootError {
        return boot(file, text, seed, quantum, false);
    }

    /**
     * As above; with {@code checkInvariants}, the kernel's machine runs with Kernel.tla's in lockstep and every invariant
     * is checked after each step ({@link Kernel.Options#checkInvariants}).
     */
    static PersistentSystem boot(String file, String text, long seed, int quantum, boolean checkInvariants)
            throws BootError {
        return boot(file, text, null, seed, quantum, checkInvariants);
    }

    /** As above, the images in {@code images} first, then the userland's ({@link SystemImages#images}). */
    static PersistentSystem boot(String file, String text, Path images, long seed, int quantum, boolean checkInvariants)
            throws BootError {
        BootDescription description = BootParser.parse(file, text);
        X86Platform platform = new X86Platform();
        try {
            StepRecorder recorder = new StepRecorder(platform);
            Kernel kernel = Kernel.boot(
                    recorder,
                    description,
                    SystemImages.images(images),
                    new Kernel.Options(seed, quantum, checkInvariants, false));
            KernelPersistent sys = new KernelPersistent(kernel, platform);
            // copy-on-write of a checkpoint streaming meanwhile: told what a slice or the kernel may write, first
            recorder.beforeRun(sys.pages()::beforeRun);
            recorder.beforeWrite(sys.pages()::beforeWrite);
            byte[] digest;
            try {
                digest = BootDigest.of(text, description, SystemImages.images(images));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e); // the boot has just read the same images
            }
            return new PersistentSystem(platform, recorder, sys, digest);
        } catch (BootError | RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    /** The digest of the boot description and images this system was booted from ({@link BootDigest}). */
    byte[] digest() {
        return digest.clone();
    }

    KernelPersistent sys() {
        return sys;
    }

    Kernel kernel() {
        return sys.kernel();
    }

    Persistence persistence() {
        return persistence;
    }

    /** Starts persistence on {@code log} (a full checkpoint of the system as it is first). */
    void persist(Path log, Persistence.Mode mode, int checkpointEvery) throws Exception {
        persist(log, mode, checkpointEvery, ProtocolTrace.NONE);
    }

    /** As {@link #persist(Path, Persistence.Mode, int)}, each protocol step reported to {@code trace}. */
    void persist(Path log, Persistence.Mode mode, int checkpointEvery, ProtocolTrace trace) throws Exception {
        persist(log, mode, checkpointEvery, LOG_BYTES, trace);
    }

    /** As above, a new log made {@code logBytes} long (an existing one keeps its size). */
    void persist(Path log, Persistence.Mode mode, int checkpointEvery, long logBytes, ProtocolTrace trace)
            throws Exception {
        // made durable on the log it was recovered from: the frames still waiting are referred to where the recovered
        // checkpoint holds them, and the log reopens without reading them (Persistence.start)
        Recovery from = recovery != null && log.toAbsolutePath().equals(recoveredLog) ? recovery : null;
        persistence = Persistence.start(
                log,
                TransactionLog.Options.defaults().withFileSize(logBytes).withSystemDigest(digest),
                sys,
                mode,
                checkpointEvery,
                trace,
                from);
    }

    /**
     * One scheduler step with persistence on; returns its acknowledgement, or null when no thread could run (the
     * system stopped).
     */
    Persistence.Ack step() throws Exception {
        persistence.admit();
        if (persistence.mode() != Persistence.Mode.CHECKPOINT) {
            synchronized (sys.lock()) {
                long before = sys.kernel().stats().steps();
                lastAck = null;
                recordFailure = null;
                recorder.onStop((t, stop) -> {
                    try {
                        lastAck = persistence.operation(KernelPersistent.stepOperation(t, stop));
                    } catch (Exception e) {
                        recordFailure = e;
                        throw new IllegalStateException("the step's record could not be appended", e);
                    }
                });
                try {
                    sys.kernel().run(1);
                } catch (IllegalStateException e) {
                    if (recordFailure != null) {
                        throw recordFailure; // the kernel did not act on a step it could not log
                    }
                    throw e;
                } finally {
                    recorder.onStop(null);
                }
                // the waiters the step woke complete their receive now, within the step: the next step's wake comes
                // before its record is appended, and a checkpoint begun as that record is appended would snapshot a
                // receive that no record before it accounts for
                sys.kernel().wake();
                return sys.kernel().stats().steps() == before ? null : lastAck;
            }
        }
        synchronized (sys.lock()) {
            long before = sys.kernel().stats().steps();
            // the step is credited to the thread the CPU ran, as its record would be in the modes that log operations
            // (KernelPersistent.stepOperation: the thread, why it stopped, its registers at the stop), not to a thread
            // whose registers changed: a waiter woken during the step (its receive completed) changes its registers too
            Operation[] ran = {null};
            recorder.onStop((t, stop) -> ran[0] = KernelPersistent.stepOperation(t, stop));
            try {
                sys.kernel().run(1);
            } finally {
                recorder.onStop(null);
            }
            // as in the modes that log operations, the waiters the step woke complete their receive within it, so a
            // checkpoint begun after the step snapshots the step whole
            sys.kernel().wake();
            if (sys.kernel().stats().steps() == before) {
                return null;
            }
            // the step has taken effect: a checkpoint due now snapshots it, and its seal acknowledges it
            return persistence.operationApplied(ran[0]);
        }
    }

    /** Recovers the default system from {@code log} into a freshly booted kernel. */
    static Recovered recover(Path log, long seed, int quantum) throws Exception {
        return recover(log, SystemImages.DEFAULT_BOOT, SystemImages.defaultBoot(), seed, quantum);
    }

    /** Recovers the system of boot description {@code text} from {@code log} into a freshly booted kernel. */
    static Recovered recover(Path log, String file, String text, long seed, int quantum) throws Exception {
        return recover(log, file, text, null, seed, quantum, false);
    }

    /**
     * As above, the images in {@code images} first, invariants checked after each step with {@code checkInvariants};
     * lazily ({@link #recover(Path, String, String, Path, long, int, boolean, boolean)}).
     */
    static Recovered recover(
            Path log, String file, String text, Path images, long seed, int quantum, boolean checkInvariants)
            throws Exception {
        return recover(log, file, text, images, seed, quantum, checkInvariants, true);
    }

    /**
     * As above; with {@code lazy}, the checkpoint's frames wait for their contents and each is read from the log on
     * its first touch (by the kernel, by user code, or by the checkpointer), so the time to the first instruction does
     * not grow with memory; the log stays open for them until this system closes. A frame whose record turns out
     * damaged throws {@link Recovery.ObjectLost} when first touched. Without {@code lazy}, every frame is read now.
     */
    static Recovered recover(
            Path log,
            String file,
            String text,
            Path images,
            long seed,
            int quantum,
            boolean checkInvariants,
            boolean lazy)
            throws Exception {
        long t0 = System.nanoTime();
        PersistentSystem s = boot(file, text, images, seed, quantum, checkInvariants);
        try {
            byte[] written;
            try (LogReader reader = LogReader.open(log)) {
                written = reader.systemDigest();
            }
            if (!java.util.Arrays.equals(written, s.digest)) {
                throw new OtherSystem(log, file, written, s.digest);
            }
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
        try {
            s.recovery = Recovery.open(log, s.sys, ProtocolTrace.NONE);
            s.recoveredLog = log.toAbsolutePath();
            Recovery.Result result = s.recovery.run(lazy);
            return new Recovered(s, result, System.nanoTime() - t0);
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
    }

    /**
     * A log whose file header names another system than the one booted to recover it: its system digest is not the
     * boot description's (or it has none: not written by {@code ladle run --log} or {@code ladle demo}). Recovery
     * would put the log's state under the options of another description, so it is refused before the log is read
     * further; nothing is written.
     */
    static final class OtherSystem extends Exception {
        OtherSystem(Path log, String boot, byte[] written, byte[] booted) {
            super(
                    written.length == 0
                            ? log + " names no boot description (its header holds no system digest: it was not"
                                    + " written by 'ladle run --log' or 'ladle demo'); only their logs can be recovered"
                            : log + " was written by a system booted from a different description (digest "
                                    + LogFormat.hex(written) + "); " + shown(boot) + " gives " + LogFormat.hex(booted)
                                    + ": recover with the description the log was written with (--boot FILE; no"
                                    + " --boot for the default system)");
        }

        private static String shown(String boot) {
            return boot.equals(SystemImages.DEFAULT_BOOT) ? "the default system (" + boot + ")" : boot;
        }
    }

    /**
     * A recovered system, what recovery did, and how long the boot and the recovery took up to the resume (the first
     * instruction may run then; {@link Recovery.Result#nanosToResume} is the recovery's part).
     */
    record Recovered(PersistentSystem system, Recovery.Result result, long nanosBootAndRecovery) {
        /**
         * Pages in every frame a lazy recovery left waiting (none after a full one) and returns what a full restore
         * takes: the boot and the recovery plus the time spent paging frames in (on first touch, or now). Throws
         * {@link Recovery.ObjectLost} when a frame's record turns out damaged.
         */
        long nanosInFull() {
            system.sys.pageInAll();
            return nanosBootAndRecovery + system.sys.nanosPagingIn();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (persistence != null) {
                persistence.close();
            }
        } finally {
            try {
                if (recovery != null) {
                    recovery.close();
                }
            } finally {
                platform.close();
            }
        }
    }
}
