package dev.ladle.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.kernel.Abi;
import dev.ladle.kernel.Kernel;
import dev.ladle.kernel.KernelThread;
import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.persist.Persistence;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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
            durable = s.sys().copyStateGivenBack(); // the checkpointer's list in page order (a checkpoint keeps its
            // snapshot's order, the live list is in the order the log gave the pages back)
            durableFrames = frames(s.sys());
            // steps after the last checkpoint, before another is due (run past persistence, which in checkpoint
            // mode only decides when a checkpoint is due); nothing seals them: a crash now loses them
            synchronized (s.sys().lock()) {
                s.kernel().run(30);
                lost = s.sys().copyState();
            }
        }
        int worker = 10;
        int helper = 12; // the thread the worker creates (the one free thread object) and deletes at its end
        assertNotEquals(
                KernelPersistent.steps(durable), KernelPersistent.steps(lost), "steps ran after the checkpoint");
        PersistentSystem.Recovered r = PersistentSystem.recover(log, SEED, QUANTUM);
        try (PersistentSystem s = r.system()) {
            assertEquals("worker", s.kernel().threads().get(worker).name());
            assertEquals(
                    Kernel.createdThreadName(helper),
                    s.kernel().thread(helper).name(),
                    "the thread created before the checkpoint is made again");
            int[] got = s.sys().copyStateGivenBack();
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
            assertEquals(null, s.kernel().thread(helper), "the worker deleted its thread after recovery");
            assertEquals(1, s.kernel().stats().count(Abi.OP_THREAD_DELETE, Abi.OK));
        }
    }

    /**
     * Checkpoint mode: the seal of a checkpoint acknowledges every step its snapshot holds, and none after. A step is
     * reported once it ran; the periodic checkpoint it makes due is begun after it is handed over. Before, the
     * checkpoint was begun first, with the step's effects already in the machine: the snapshot held the step and its
     * seal left it to the next one ({@code ladle demo}: "acknowledged 688", the checkpoint at step 689).
     */
    @Test
    void aSealAcknowledgesEveryStepItsCheckpointHolds() throws Exception {
        Path log = dir.resolve("ladle.log");
        Path image = dir.resolve("image.log");
        java.util.List<Persistence.Ack> acks = new java.util.ArrayList<>();
        boolean[] done;
        try (PersistentSystem s = PersistentSystem.boot(SEED, QUANTUM)) {
            s.persist(log, Persistence.Mode.CHECKPOINT, 10);
            for (int i = 0; i < 25; i++) {
                acks.add(s.step());
                // each checkpoint sealed before the next step: every periodic one begins at the step that made it
                // due (none is owed and begun later, between steps, by the checkpointer's requester)
                s.persistence().awaitCheckpoint();
            }
            java.nio.file.Files.copy(log, image); // a crash now: no seal after the last periodic checkpoint
            done = new boolean[acks.size()];
            for (int i = 0; i < done.length; i++) {
                done[i] = acks.get(i).durable().isDone();
            }
        }
        PersistentSystem.Recovered r = PersistentSystem.recover(image, SEED, QUANTUM);
        long held;
        try (PersistentSystem s = r.system()) {
            held = s.sys().steps();
        }
        assertEquals(20, held, "checkpoints every 10 steps: the last sealed one holds steps 1..20");
        for (int i = 0; i < done.length; i++) {
            assertEquals(
                    i < held,
                    done[i],
                    "step " + (i + 1) + " is acknowledged exactly when the sealed checkpoint (steps 1.." + held
                            + ") holds it");
        }
    }

    private static long frameDigest(KernelPersistent sys) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        byte[] b = new byte[PhysicalMemory.PAGE_SIZE];
        for (int f = 0; f < sys.frames(); f++) {
            sys.readFrame(f, b);
            crc.update(b);
        }
        return crc.getValue();
    }

    /**
     * Oplog and hybrid: every step is logged before the kernel acts on it and replayed through the kernel on
     * recovery. Crash images taken while the system runs recover to exactly the state (machine words, thread states,
     * registers, steps, every frame's bytes) the system had after the last durable step, and keep every step
     * acknowledged before the image was taken.
     */
    @ParameterizedTest
    @EnumSource(
            value = Persistence.Mode.class,
            names = {"OPLOG", "HYBRID"})
    void loggedStepsAreReplayedThroughTheKernelToTheStateAtTheLastDurableStep(Persistence.Mode mode) throws Exception {
        Path log = dir.resolve(mode + ".log");
        java.util.Map<Long, int[]> states = new java.util.HashMap<>();
        java.util.Map<Long, Long> memory = new java.util.HashMap<>();
        java.util.List<Path> images = new java.util.ArrayList<>();
        java.util.List<Long> ackedAtImage = new java.util.ArrayList<>();
        java.util.List<Persistence.Ack> acks = new java.util.ArrayList<>();
        java.util.List<Long> stepOf = new java.util.ArrayList<>();
        try (PersistentSystem s = PersistentSystem.boot(SEED, QUANTUM)) {
            s.persist(log, mode, 40);
            synchronized (s.sys().lock()) {
                states.put(s.sys().steps(), s.sys().copyStateGivenBack());
                memory.put(s.sys().steps(), frameDigest(s.sys()));
            }
            for (int i = 1; i <= 300; i++) {
                Persistence.Ack a = s.step();
                synchronized (s.sys().lock()) {
                    states.put(s.sys().steps(), s.sys().copyStateGivenBack());
                    memory.put(s.sys().steps(), frameDigest(s.sys()));
                    acks.add(a);
                    stepOf.add(s.sys().steps());
                }
                if (i % 75 == 0) {
                    long acked = -1;
                    for (int k = 0; k < acks.size(); k++) {
                        if (acks.get(k).durable().isDone()) {
                            acked = Math.max(acked, stepOf.get(k));
                        }
                    }
                    Path image = dir.resolve(mode + "-" + i + ".crash");
                    java.nio.file.Files.copy(log, image);
                    images.add(image);
                    ackedAtImage.add(acked);
                }
            }
        }
        int compared = 0;
        for (int k = 0; k < images.size(); k++) {
            PersistentSystem.Recovered r = PersistentSystem.recover(images.get(k), SEED, QUANTUM);
            try (PersistentSystem s = r.system()) {
                long at = s.sys().steps();
                assertTrue(at >= ackedAtImage.get(k), "acknowledged step " + ackedAtImage.get(k) + " kept: " + at);
                if (mode == Persistence.Mode.OPLOG || at > s.sys().stepsAtCheckpoint()) {
                    assertTrue(r.result().recordsReplayed() > 0, r.result().toString());
                }
                assertArrayEquals(states.get(at), s.sys().copyStateGivenBack(), "the state after step " + at);
                assertEquals(memory.get(at), frameDigest(s.sys()), "the frames after step " + at);
                assertEquals(null, s.kernel().pageTableMismatch());
                assertEquals(
                        Kernel.createdThreadName(12),
                        s.kernel().thread(12).name(),
                        "the worker's thread, created in a replayed step or restored from a checkpoint");
                compared++;
            }
        }
        assertEquals(4, compared);
    }

    /**
     * Regression: in the modes that log operations, a send that wakes a waiting thread completes that thread's receive
     * within the step (the step ends with {@link Kernel#wake}), not at the start of the next step, before that step's
     * record. Here every step begins a checkpoint as its record is appended (hybrid, one every operation, each waited
     * for): each snapshot's machine words are those the system had after the last logged step before it, so no
     * snapshot holds a receive that no record before it accounts for (Persistence.tla would refuse its seal:
     * {@code AllWritten}). Without the wake at the end of the step, the snapshots after a wake-up differ.
     */
    @Test
    void aCheckpointBegunAfterAWakeUpSnapshotsNoUnloggedReceive() throws Exception {
        Path log = dir.resolve("wake.log");
        java.util.Map<Long, int[]> words = new java.util.HashMap<>();
        int wakeUps = 0;
        try (PersistentSystem s = PersistentSystem.boot(SEED, QUANTUM)) {
            s.persist(log, Persistence.Mode.HYBRID, 1);
            synchronized (s.sys().lock()) {
                words.put(s.sys().steps(), machineWords(s.sys().copyStateGivenBack()));
            }
            for (int i = 0; i < 150; i++) {
                s.persistence().awaitCheckpoint(); // the next step's record begins a checkpoint
                java.util.Map<Integer, KernelThread.State> before = threadStates(s.kernel());
                if (s.step() == null) {
                    break;
                }
                synchronized (s.sys().lock()) {
                    words.put(s.sys().steps(), machineWords(s.sys().copyStateGivenBack()));
                    java.util.Map<Integer, KernelThread.State> after = threadStates(s.kernel());
                    for (var e : before.entrySet()) {
                        if (e.getValue() == KernelThread.State.WAITING
                                && after.get(e.getKey()) == KernelThread.State.READY) {
                            wakeUps++;
                        }
                    }
                }
            }
            s.persistence().awaitCheckpoint();
        }
        assertTrue(wakeUps > 0, "the run has a send that wakes a waiting thread");
        java.util.List<int[]> snapshots = new java.util.ArrayList<>();
        try (dev.ladle.persist.log.LogReader reader = dev.ladle.persist.log.LogReader.open(log)) {
            reader.scan(r -> {
                if (r.type() == dev.ladle.persist.log.RecordType.CHECKPOINT_BEGIN) {
                    snapshots.add(dev.ladle.persist.Records.begin(r.payload()).machineState());
                }
            });
        }
        assertTrue(snapshots.size() > 100, snapshots.size() + " checkpoints begun");
        Kernel kernel;
        try (PersistentSystem s = PersistentSystem.boot(SEED, QUANTUM)) {
            kernel = s.kernel(); // only its sizes and its checkpointer, to put a snapshot's list of pages in order
        }
        for (int[] snapshot : snapshots) {
            long at = KernelPersistent.steps(snapshot);
            assertArrayEquals(
                    words.get(at),
                    dev.ladle.persist.mem.CheckpointerPages.machineWordsInPageOrder(kernel, machineWords(snapshot)),
                    "the machine words of the checkpoint begun after step " + at
                            + " are those the logged steps up to it left");
        }
    }

    /**
     * Regression: in checkpoint mode each scheduler step is reported as an update of the thread the CPU ran, never of
     * a waiter the step woke (its receive, completed by {@link Kernel#wake}, changes its registers too). The reference
     * is a twin of the system, the same boot and seed without persistence, whose CPU is watched: the thread it ran at
     * each step is the thread the step's {@code Update} names. The run has steps that wake a waiter other than the
     * thread that ran.
     */
    @Test
    void aCheckpointModeStepIsCreditedToTheThreadThatRan() throws Exception {
        int steps = 300;
        java.util.List<Integer> ran = new java.util.ArrayList<>();
        int wakeUps = 0;
        try (dev.ladle.x86.X86Platform platform = new dev.ladle.x86.X86Platform()) {
            StepRecorder recorder = new StepRecorder(platform);
            Kernel twin = Kernel.boot(
                    recorder,
                    dev.ladle.kernel.boot.BootParser.parse(
                            dev.ladle.kernel.SystemImages.DEFAULT_BOOT, dev.ladle.kernel.SystemImages.defaultBoot()),
                    dev.ladle.kernel.SystemImages.images(null),
                    new Kernel.Options(SEED, QUANTUM, false, false));
            int[] thread = {-1};
            recorder.onStop((t, stop) -> thread[0] = t.id());
            for (int i = 0; i < steps; i++) {
                java.util.Map<Integer, KernelThread.State> before = threadStates(twin);
                thread[0] = -1;
                twin.run(1);
                twin.wake();
                if (thread[0] < 0) {
                    break;
                }
                ran.add(thread[0]);
                java.util.Map<Integer, KernelThread.State> after = threadStates(twin);
                for (var e : before.entrySet()) {
                    if (e.getKey() != thread[0]
                            && e.getValue() == KernelThread.State.WAITING
                            && after.get(e.getKey()) == KernelThread.State.READY) {
                        wakeUps++;
                    }
                }
            }
        }
        assertTrue(wakeUps > 0, "the run has a step that wakes a waiter other than the thread that ran");
        java.util.List<Integer> credited = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (PersistentSystem s = PersistentSystem.boot(SEED, QUANTUM)) {
            s.persist(dir.resolve("credit.log"), Persistence.Mode.CHECKPOINT, 50, (action, args) -> {
                if (action.equals("Update")) {
                    credited.add(((dev.ladle.persist.model.ObjectRef) args[0]).id());
                }
            });
            credited.clear(); // the boot checkpoint's steps, if any
            for (int i = 0; i < ran.size(); i++) {
                assertTrue(s.step() != null, "step " + i + " ran");
            }
            s.persistence().awaitCheckpoint();
        }
        assertEquals(ran.size(), credited.size(), "one Update per step");
        for (int i = 0; i < ran.size(); i++) {
            assertEquals(ran.get(i), credited.get(i), "step " + i + " ran thread " + ran.get(i));
        }
    }

    private static int[] machineWords(int[] state) {
        return java.util.Arrays.copyOfRange(state, 1, 1 + state[0]);
    }

    /** The scheduling state of every thread, by thread object. */
    private static java.util.Map<Integer, KernelThread.State> threadStates(Kernel kernel) {
        java.util.Map<Integer, KernelThread.State> out = new java.util.HashMap<>();
        for (KernelThread t : kernel.threads()) {
            out.put(t.id(), t.state());
        }
        return out;
    }

    /** The reader of a page mapped read-only, and its owner (roreader.c, roowner.c). */
    private static final String READ_ONLY_BOOT = """
            process o image roowner.elf heap 1
            process r image roreader.elf
            thread owner in o
            thread reader in r faults kill
            cap owner 1 -> reader send grant
            cap reader 1 -> owner send
            """;

    /**
     * A page received read-only stays read-only through a crash: the owner maps a page of its heap read-only to the
     * reader, the system crashes before the reader writes to it, and in the recovered system (from a checkpoint's
     * snapshot, or by replaying the logged steps from the boot) the page is read-only in the kernel and in the page
     * tables, and the reader's write is a page fault that ends it, as in a run without the crash (roreader.c exits 9
     * when its write succeeds).
     */
    @ParameterizedTest
    @EnumSource(Persistence.Mode.class)
    void aPageReceivedReadOnlyIsStillReadOnlyAfterRecovery(Persistence.Mode mode) throws Exception {
        Path log = dir.resolve("ro-" + mode + ".log");
        int page = -1;
        try (PersistentSystem s = PersistentSystem.boot("ro.boot", READ_ONLY_BOOT, SEED, QUANTUM)) {
            s.persist(log, mode, 1_000);
            dev.ladle.kernel.Process reader = s.kernel().thread("reader").process();
            java.util.BitSet loaded = readOnlyPages(s.kernel(), reader);
            Persistence.Ack last = null;
            for (int i = 0; i < 1_000 && page < 0; i++) {
                last = s.step();
                java.util.BitSet now = readOnlyPages(s.kernel(), reader);
                now.andNot(loaded);
                page = now.nextSetBit(0);
            }
            assertTrue(page > 0, "the owner mapped a page to the reader read-only");
            assertNotEquals(KernelThread.State.DEAD, s.kernel().thread("reader").state(), "before its write");
            if (mode == Persistence.Mode.OPLOG) {
                last.durable().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } else {
                s.persistence().awaitCheckpoint();
                s.persistence().checkpointNow(true);
            }
        }
        PersistentSystem.Recovered r = PersistentSystem.recover(log, "ro.boot", READ_ONLY_BOOT, SEED, QUANTUM);
        try (PersistentSystem s = r.system()) {
            Kernel k = s.kernel();
            KernelThread reader = k.thread("reader");
            assertTrue(reader.process().readOnly(page), "the kernel holds page " + page + " read-only");
            assertTrue(!reader.process().space().writable(k.vpn(page)), "the page tables map it read-only");
            assertEquals(null, k.pageTableMismatch());
            k.run(100_000);
            assertTrue(reader.end().contains("a write to a read-only page"), reader.end());
            assertEquals("exit 0", k.thread("owner").end());
        }
    }

    /** The pages of {@code p} the kernel holds read-only. */
    private static java.util.BitSet readOnlyPages(Kernel k, dev.ladle.kernel.Process p) {
        java.util.BitSet out = new java.util.BitSet();
        for (int v = 1; v <= k.limits().pages(); v++) {
            out.set(v, p.readOnly(v));
        }
        return out;
    }
}
