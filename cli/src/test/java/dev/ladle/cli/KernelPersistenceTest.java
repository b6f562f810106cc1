package dev.ladle.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.kernel.KernelThread;
import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.persist.Persistence;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default system on the IA-32 target made durable by checkpoints, recovered into a freshly booted kernel. */
class KernelPersistenceTest {
    private static final long SEED = 7;
    private static final int QUANTUM = 2000;

    @TempDir
    Path dir;

    private static byte[][] frames(KernelPersistent sys) {
        byte[][] out = new byte[sys.frames()][PhysicalMemory.PAGE_SIZE];
        for (int f = 0; f < out.length; f++) {
            sys.readFrame(f, out[f]);
        }
        return out;
    }

    @Test
    void recoveryRestoresTheLastSealedCheckpointAndLosesWhatCameAfter() throws Exception {
        Path log = dir.resolve("ladle.log");
        int[] durable;
        byte[][] durableFrames;
        int[] lost;
        try (PersistentSystem s = PersistentSystem.boot(SEED, QUANTUM)) {
            s.persist(log, Persistence.Mode.CHECKPOINT, 50);
            Persistence.Ack last = null;
            for (int i = 0; i < 400; i++) {
                last = s.step();
            }
            s.persistence().awaitCheckpoint();
            s.persistence().checkpointNow(true);
            assertTrue(last.durable().isDone(), "a step before a sealed checkpoint is acknowledged");
            durable = s.sys().copyState();
            durableFrames = frames(s.sys());
            // steps after the last checkpoint, before another is due (run past persistence, which in checkpoint
            // mode only decides when a checkpoint is due); nothing seals them: a crash now loses them
            synchronized (s.sys().lock()) {
                s.kernel().run(30);
                lost = s.sys().copyState();
            }
        }
        int worker = 10;
        assertNotEquals(
                KernelPersistent.steps(durable), KernelPersistent.steps(lost), "steps ran after the checkpoint");
        PersistentSystem.Recovered r = PersistentSystem.recover(log, SEED, QUANTUM);
        try (PersistentSystem s = r.system()) {
            assertEquals("worker", s.kernel().threads().get(worker).name());
            int[] got = s.sys().copyState();
            assertArrayEquals(durable, got, "machine words, thread states, registers and steps of the checkpoint");
            assertArrayEquals(
                    KernelPersistent.registers(durable, worker),
                    s.kernel().threads().get(worker).registers());
            byte[][] now = frames(s.sys());
            for (int f = 0; f < now.length; f++) {
                assertArrayEquals(durableFrames[f], now[f], "frame " + f);
            }
            assertEquals(null, s.kernel().pageTableMismatch());
            assertTrue(
                    r.result().violations().isEmpty(), r.result().violations().toString());
            // the recovered kernel resumes: the worker runs on and the system ends as a fresh run does
            s.kernel().run(1_000_000);
            KernelThread w = s.kernel().threads().get(worker);
            assertEquals(KernelThread.State.DEAD, w.state());
            assertEquals("exit 0", w.end(), "the long computation finishes its checks after recovery");
        }
    }

    @Test
    void operationLoggingModesAreRefusedWithAReason() throws Exception {
        try (PersistentSystem s = PersistentSystem.boot(SEED, QUANTUM)) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> s.persist(dir.resolve("x.log"), Persistence.Mode.OPLOG, 10));
            assertTrue(e.getMessage().contains("only checkpoint mode"), e.getMessage());
        }
    }
}
