package dev.ladle.properties;

import dev.ladle.kernel.Kernel;
import dev.ladle.kernel.Machine;
import dev.ladle.persist.mem.CopyOnWrite;
import dev.ladle.persist.mem.InMemoryPhysicalMemory;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Example;

/**
 * The ledger that checks the checkpointer's pages must not change how the checkpointer takes the world's lock: once a
 * frame is handed to the log, the checkpointer must not wait for the lock until the log holds it, since a thread that
 * holds the lock and writes the frame waits for the log to write it. A ledger that checked each frame under the lock
 * after the map returned deadlocked {@code persist-kernel-x86} that way (the kernel's thread, running user code, in
 * {@code beforeWrite}; the checkpointer in the ledger, waiting for the lock).
 */
class CheckpointerLedgerTest {
    /** Rounds of map, write and log; a lost race in any of them deadlocked the old ledger. */
    private static final int ROUNDS = 3_000;

    @Example
    void aWriterOfAFrameInFlightAndTheCheckpointerNeverWaitForEachOther() throws Exception {
        AdversaryPlatform platform = new AdversaryPlatform(64);
        Attack a = new Attack(List.of(), false, Islands.CHECKPOINTED, platform);
        KernelWorld w = new KernelWorld(a.kernel(), (InMemoryPhysicalMemory) platform.memory());
        Kernel k = a.kernel();
        Object lock = w.lock();
        CopyOnWrite ledger = w.copyOnWrite();
        int frame = rootedFrame(k);
        check(frame != -1, "no process other than the checkpointer maps a frame");

        AtomicInteger rounds = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> error = new AtomicReference<>();
        // the checkpointer: a checkpoint of one frame, handed to the log, which writes it and gives it back
        Thread checkpointer = new Thread(
                () -> {
                    try {
                        for (int i = 0; i < ROUNDS && !stop.get(); i++) {
                            BitSet one = new BitSet();
                            one.set(frame);
                            synchronized (lock) {
                                ledger.protect(one); // the stop-the-world step
                            }
                            ByteBuffer view = ledger.mapSnapshot(frame);
                            check(view.remaining() == 4096, "a view of " + view.remaining() + " bytes");
                            Thread.onSpinWait(); // the log takes the frame
                            ledger.unmapSnapshot(frame); // the log wrote it
                            ledger.releaseAll(); // sealed
                            rounds.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        error.compareAndSet(null, e);
                    }
                },
                "checkpointer");
        // the kernel's thread: under the world's lock, writes the frame (its first write waits for the log)
        Thread writer = new Thread(
                () -> {
                    while (rounds.get() < ROUNDS && error.get() == null && !stop.get()) {
                        synchronized (lock) {
                            w.pages().beforeWrite(frame);
                        }
                    }
                },
                "kernel");
        checkpointer.setDaemon(true);
        writer.setDaemon(true);
        checkpointer.start();
        writer.start();
        // no round for 10 s: stuck (a round takes microseconds; the whole run well under a second)
        int seen = -1;
        long still = 0;
        while (checkpointer.isAlive() && still < 10) {
            checkpointer.join(1_000);
            int now = rounds.get();
            still = now == seen ? still + 1 : 0;
            seen = now;
        }
        if (checkpointer.isAlive()) {
            String where = "checkpointer " + checkpointer.getState() + ", kernel " + writer.getState();
            stop.set(true);
            w.pages().unmapSnapshot(frame); // as if the log wrote it: unsticks the writer, so the threads end
            throw new AssertionError("the checkpointer and a writer of its frame deadlocked after " + rounds.get()
                    + " of " + ROUNDS + " rounds (" + where + ")");
        }
        writer.join(TimeUnit.MINUTES.toMillis(1));
        if (error.get() != null) {
            throw new AssertionError("the checkpointer failed", error.get());
        }
        check(rounds.get() == ROUNDS, rounds.get() + " of " + ROUNDS + " rounds");
        check(w.checkpointerFailure() == null, "the ledger saw the protocol broken: " + w.checkpointerFailure());
    }

    private static void check(boolean holds, String otherwise) {
        if (!holds) {
            throw new AssertionError(otherwise);
        }
    }

    /** A frame a process other than the checkpointer maps (so a snapshot of it is mapped into the checkpointer). */
    private static int rootedFrame(Kernel k) {
        int own = k.machine().proc(k.checkpointer());
        for (dev.ladle.kernel.Process x : k.processes()) {
            for (int v = 1; v <= k.limits().pages(); v++) {
                int f = k.machine().procPt(x.id(), v);
                if (x.id() != own && f != Machine.NO_FRAME) {
                    return f;
                }
            }
        }
        return -1;
    }
}
