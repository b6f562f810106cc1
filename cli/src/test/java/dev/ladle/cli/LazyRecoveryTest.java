package dev.ladle.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.kernel.KernelThread;
import dev.ladle.kernel.SystemImages;
import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.kernel.hw.Reg;
import dev.ladle.persist.Persistence;
import dev.ladle.persist.Records;
import dev.ladle.persist.Recovery;
import dev.ladle.persist.log.LogReader;
import dev.ladle.persist.log.LogRecord;
import dev.ladle.persist.log.Superblock;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default system on the IA-32 target recovered lazily: the checkpoint's frames wait for their contents, and each is
 * read from the log on its first touch (by the kernel, by user code through the engine, by the checkpointer), so
 * nothing is read per frame before the first instruction. What runs after is what runs after a full recovery.
 */
class LazyRecoveryTest {
    private static final long SEED = 7;
    private static final int QUANTUM = 2000;
    private static final int STEPS = 300;

    @TempDir
    Path dir;

    /** A log of {@link #STEPS} steps of the default system ending with a sealed incremental checkpoint. */
    private Path sealedLog(String name) throws Exception {
        Path log = dir.resolve(name);
        try (PersistentSystem s = PersistentSystem.boot(SEED, QUANTUM)) {
            s.persist(log, Persistence.Mode.CHECKPOINT, 50);
            for (int i = 0; i < STEPS; i++) {
                s.step();
            }
            s.persistence().awaitCheckpoint();
            s.persistence().checkpointNow(true);
        }
        return log;
    }

    private static PersistentSystem.Recovered recover(Path log, boolean lazy) throws Exception {
        return PersistentSystem.recover(
                log, SystemImages.DEFAULT_BOOT, SystemImages.defaultBoot(), null, SEED, QUANTUM, false, lazy);
    }

    private static byte[][] frames(KernelPersistent sys) {
        byte[][] out = new byte[sys.frames()][PhysicalMemory.PAGE_SIZE];
        for (int f = 0; f < out.length; f++) {
            sys.readFrame(f, out[f]);
        }
        return out;
    }

    /**
     * The same flat state (as if the checkpointer held no page: which pages it holds while a checkpoint streams
     * depends on its thread's timing) and the same frames.
     */
    private static void assertSameSystem(KernelPersistent expected, KernelPersistent got, String when) {
        assertArrayEquals(
                expected.copyStateGivenBack(),
                got.copyStateGivenBack(),
                when + ": machine words, threads, registers, steps");
        byte[][] e = frames(expected);
        byte[][] g = frames(got);
        for (int f = 0; f < e.length; f++) {
            assertArrayEquals(e[f], g[f], when + ": frame " + f);
        }
    }

    @Test
    void aLazyRecoveryReadsNoFrameBeforeItsFirstInstructionAndRunsAsAFullOne() throws Exception {
        Path log = sealedLog("ladle.log");
        try (PersistentSystem lazy = recover(log, true).system();
                PersistentSystem full = recover(log, false).system()) {
            assertEquals(0, lazy.sys().framesPagedIn(), "no frame's contents read before the first instruction");
            assertEquals(lazy.sys().frames(), lazy.sys().waitingFrameCount(), "every frame waits for its first touch");
            assertArrayEquals(full.sys().copyState(), lazy.sys().copyState(), "at the resume");
            synchronized (lazy.sys().lock()) {
                lazy.kernel().run(STEPS);
            }
            synchronized (full.sys().lock()) {
                full.kernel().run(STEPS);
            }
            long touched = lazy.sys().framesPagedIn();
            int waiting = lazy.sys().waitingFrameCount();
            assertTrue(lazy.sys().framesPagedInByUserCode() > 0, "user code's first touches paged frames in");
            assertTrue(touched >= lazy.sys().framesPagedInByUserCode(), touched + " paged in in all");
            assertTrue(waiting > 0, "frames nothing touched in " + STEPS + " steps still wait");
            assertSameSystem(full.sys(), lazy.sys(), STEPS + " steps after the recovery");
            assertEquals(0, lazy.sys().waitingFrameCount(), "reading every frame paged the rest in");
        }
    }

    /**
     * A lazily recovered system made durable again on the log it was recovered from: the checkpoint that starts the
     * log again pages no frame in (it refers to those still waiting where the recovered checkpoint holds them, and its
     * seal keeps the log's tail behind those records), nor does the one sealed after the run for the frames the run
     * did not touch; recovered again, it is the system a full recovery made durable the same way. (Before, the first
     * checkpoint read every frame back.)
     */
    @Test
    void aLazilyRecoveredSystemIsMadeDurableOnTheLogItWasRecoveredFrom() throws Exception {
        Path lazyLog = sealedLog("lazy.log");
        Path fullLog = dir.resolve("full.log");
        Files.copy(lazyLog, fullLog);
        int waitingAtStart;
        try (PersistentSystem lazy = recover(lazyLog, true).system();
                PersistentSystem full = recover(fullLog, false).system()) {
            waitingAtStart = lazy.sys().waitingFrameCount();
            for (PersistentSystem s : new PersistentSystem[] {lazy, full}) {
                s.persist(s == lazy ? lazyLog : fullLog, Persistence.Mode.HYBRID, 40);
                if (s == lazy) {
                    assertEquals(
                            waitingAtStart, lazy.sys().waitingFrameCount(), "the first checkpoint paged no frame in");
                }
                for (int i = 0; i < STEPS; i++) {
                    s.step();
                }
                s.persistence().awaitCheckpoint();
                s.persistence().checkpointNow(true);
            }
            assertTrue(
                    lazy.sys().waitingFrameCount() > 0,
                    "frames the run did not touch still wait after its checkpoints");
            assertSameSystem(full.sys(), lazy.sys(), "made durable again");
        }
        assertTrue(waitingAtStart > 0, "the log was reopened while frames waited");
        try (PersistentSystem lazy = recover(lazyLog, false).system();
                PersistentSystem full = recover(fullLog, false).system()) {
            assertSameSystem(full.sys(), lazy.sys(), "recovered again");
        }
    }

    /**
     * A damaged frame record in the sealed checkpoint (the worker's code): a lazy recovery resumes, and the frame's
     * first touch (by user code) fails with a message naming the log, the frame and the record's LSN, at every touch,
     * never reading zeros; the kernel, whose step that touch aborted in its middle, refuses every later step naming
     * the frame; a full recovery refuses the log before it resumes; {@code ladle run --recover} says it in one line at
     * the step that first touches the frame and exits 1; the log it reopened still names the same damaged record for
     * that frame (a full recovery refuses it as before), and nothing else of it was lost.
     */
    @Test
    void aDamagedFrameRecordFailsTheFramesFirstTouchNeverReadingZeros() throws Exception {
        Path log = sealedLog("ladle.log");
        int frame;
        try (PersistentSystem s = recover(log, true).system()) {
            KernelThread worker = s.kernel().thread("worker");
            frame = worker.process().space().frameOf(worker.get(Reg.EIP) >>> 12);
        }
        Records.FrameRef ref;
        try (LogReader reader = LogReader.open(log)) {
            Superblock sb = reader.superblock();
            LogRecord endRecord = reader.readAt(sb.endPos(), sb.endLsn());
            Records.End end = Records.end(endRecord.payload());
            Records.IndexPart part = end.index().get(frame / Records.INDEX_FRAMES);
            ref = Records.index(reader.readAt(part.position(), part.lsn()).payload(), part)[frame - part.firstFrame()];
            assertTrue(ref.position() >= 0, "the worker's code frame has a record of its own");
            byte[] bytes = Files.readAllBytes(log);
            bytes[(int) reader.offsetOf(ref.position()) + 2048] ^= 0x40; // inside the page the record holds
            Files.write(log, bytes);
        }
        String says = log + ": frame " + frame + ": its record (LSN " + ref.lsn();
        try (PersistentSystem s = recover(log, true).system()) {
            assertEquals(0, s.sys().framesPagedIn(), "the lazy recovery resumed without reading the frame");
            Recovery.ObjectLost lost = assertThrows(Recovery.ObjectLost.class, () -> {
                synchronized (s.sys().lock()) {
                    s.kernel().run(STEPS);
                }
            });
            assertTrue(lost.getMessage().startsWith(says), lost.getMessage());
            // the step that touched the frame was aborted in its middle: the kernel runs no further step, each refused
            // naming the frame
            String stopped = "the kernel stopped because frame " + frame + " could not be paged in during thread "
                    + s.kernel().thread("worker").id() + "'s scheduler step (" + says;
            long steps = s.kernel().stats().steps();
            for (int i = 0; i < 2; i++) {
                IllegalStateException refused = assertThrows(IllegalStateException.class, () -> {
                    synchronized (s.sys().lock()) {
                        s.kernel().run(STEPS);
                    }
                });
                assertTrue(refused.getMessage().startsWith(stopped), refused.getMessage());
                assertEquals(refused.getMessage(), s.kernel().stopped());
            }
            assertEquals(steps, s.kernel().stats().steps(), "no step after the aborted one");
            assertTrue(s.sys().framesPagedInByUserCode() > 0, "user code ran up to the frame");
            Recovery.ObjectLost e = assertThrows(
                    Recovery.ObjectLost.class, () -> s.sys().readFrame(frame, new byte[PhysicalMemory.PAGE_SIZE]));
            assertTrue(e.getMessage().startsWith(says), e.getMessage());
        }
        Recovery.RecoveryFailed refused = assertThrows(Recovery.RecoveryFailed.class, () -> recover(log, false));
        assertTrue(refused.getMessage().startsWith(says), refused.getMessage());
        RunCommandTest.Result r = RunCommandTest.run("run", "--log", log.toString(), "--recover", "--steps", "10");
        assertEquals(1, r.code(), r.err() + r.out());
        assertTrue(r.err().startsWith("ladle run: --recover: " + says), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        // checkpoint mode logs no step: what the log holds of the run is what a checkpoint sealed
        assertTrue(r.err().strip().endsWith("the log holds the run up to its last sealed checkpoint"), r.err());
        Recovery.RecoveryFailed again = assertThrows(Recovery.RecoveryFailed.class, () -> recover(log, false));
        assertTrue(again.getMessage().startsWith(says), again.getMessage());
        try (PersistentSystem s = recover(log, true).system()) {
            assertThrows(Recovery.ObjectLost.class, () -> {
                synchronized (s.sys().lock()) {
                    s.kernel().run(STEPS);
                }
            });
        }
    }

    /**
     * A damaged index record of the sealed checkpoint that covers only frames no step of the resumed run touches: the
     * checkpoint the reopened log begins with cannot refer to those frames (their records are unknown) and cannot read
     * them, so it fails while it streams; {@code ladle run --recover} says so in one line naming the log, the frame and
     * the index record, and exits 1, rather than printing the background checkpoint's stack trace.
     */
    @Test
    void aDamagedIndexRecordOfFramesNoStepTouchesIsReportedInOneLine() throws Exception {
        Path boot = dir.resolve("large.boot");
        Files.writeString(boot, SystemImages.defaultBoot().replace("frames 256", "frames 2048"));
        Path log = dir.resolve("large.log");
        RunCommandTest.Result first = RunCommandTest.run(
                "run", "--boot", boot.toString(), "--log", log.toString(), "--steps", "50", "--mode", "hybrid");
        assertEquals(0, first.code(), first.err() + first.out());
        Records.IndexPart part;
        try (LogReader reader = LogReader.open(log)) {
            Superblock sb = reader.superblock();
            Records.End end =
                    Records.end(reader.readAt(sb.endPos(), sb.endLsn()).payload());
            assertTrue(end.index().size() >= 3, "the frames run past the first index records");
            // frames of free memory, which no step touches (the last index record lies next to the end record: a
            // damage there ends the scan the recovery reads the end record by)
            part = end.index().get(end.index().size() - 2);
            byte[] bytes = Files.readAllBytes(log);
            bytes[(int) reader.offsetOf(part.position()) + 64] ^= 0x40;
            Files.write(log, bytes);
        }
        RunCommandTest.Result r = RunCommandTest.run(
                "run",
                "--boot",
                boot.toString(),
                "--log",
                log.toString(),
                "--recover",
                "--steps",
                "10",
                "--mode",
                "hybrid");
        assertEquals(1, r.code(), r.err() + r.out());
        String says = "ladle run: --recover: " + log + ": frame " + part.firstFrame() + ": the index record of frames";
        assertTrue(r.err().startsWith(says), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
