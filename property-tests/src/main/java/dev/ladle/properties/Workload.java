package dev.ladle.properties;

import dev.ladle.persist.Operation;
import dev.ladle.persist.Persistence;
import dev.ladle.persist.ProtocolTrace;
import dev.ladle.persist.log.TransactionLog;
import dev.ladle.persist.sim.SimWorld;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A random workload on persist's in-memory world under {@link Persistence}: memory writes by user code and system
 * calls through the operation log, with checkpoints every few operations. It is also its own reference run: it
 * keeps the digest of the whole state (metadata and every frame's bytes) at every LSN that changes it, and at
 * every checkpoint's snapshot ({@link #reference} says which of them a recovery may resume in).
 */
final class Workload implements AutoCloseable {
    static final long LOG_SIZE = 4L << 20;

    final SimWorld world = newWorld();
    final ProtocolTrace.Recorder trace = new ProtocolTrace.Recorder();
    final TreeMap<Long, Long> digestAt = new TreeMap<>();
    final List<Persistence.Ack> acks = new java.util.concurrent.CopyOnWriteArrayList<>();
    final Persistence persistence;
    private final Random random;

    /** Called after each operation took effect, still under the world's lock (the trace validation's hook). */
    volatile Runnable applied = () -> {};

    Workload(Path file, Persistence.Mode mode, long seed, int checkpointEvery, ProtocolTrace extra) throws Exception {
        random = new Random(seed);
        ProtocolTrace both = (a, x) -> {
            trace.step(a, x);
            extra.step(a, x);
        };
        persistence = Persistence.start(
                file, TransactionLog.Options.defaults().withFileSize(LOG_SIZE), world, mode, checkpointEvery, both);
    }

    static SimWorld newWorld() {
        SimWorld w = new SimWorld(3, 2, 8);
        w.recordDigests(true);
        return w;
    }

    /**
     * One step of a live thread: a memory write (a third of the time) or a system call through the operation log
     * (one in eight of them creates or deletes a thread).
     */
    void step() throws Exception {
        int t = random.nextInt(world.threads());
        while (!world.alive(t)) {
            t = (t + 1) % world.threads();
        }
        if (random.nextInt(3) == 0) {
            world.store(t, random.nextInt(8), random.nextInt(4096), random.nextInt());
            return;
        }
        int code = random.nextInt(8) == 0 ? SimWorld.THREAD_DELETE + random.nextInt(2) : 1 + random.nextInt(3);
        persistence.admit();
        synchronized (world.lock()) {
            Operation op = world.decide(t, code, world.argsFor(random, code));
            long before = world.digest();
            Persistence.Ack a = persistence.operation(op);
            world.apply(op);
            if (a.deltaLsn() > 0) {
                digestAt.put(a.deltaLsn(), before);
            }
            if (a.lsn() > 0) {
                digestAt.put(a.lsn(), world.digest());
            }
            acks.add(a);
            applied.run();
        }
    }

    /** The acknowledgements that have arrived (their operation is durable). */
    List<Persistence.Ack> acknowledged() {
        List<Persistence.Ack> out = new ArrayList<>();
        for (Persistence.Ack a : acks) {
            if (a.durable().isDone() && !a.durable().isCompletedExceptionally()) {
                out.add(a);
            }
        }
        return out;
    }

    /** The digests at the snapshots, by the LSN of their checkpoints' begin records. */
    Map<Long, Long> snapshotDigests() {
        List<Long> ds = world.snapshotDigests();
        List<ProtocolTrace.Step> begins = trace.steps().stream()
                .filter(s -> s.action().equals("BeginCheckpoint"))
                .toList();
        Map<Long, Long> m = new HashMap<>();
        for (int i = 0; i < Math.min(ds.size(), begins.size()); i++) {
            m.put(Long.parseLong(begins.get(i).args().get(0)), ds.get(i));
        }
        return m;
    }

    /**
     * The states of the reference run a recovery from the checkpoint begun at {@code checkpointLsn} may resume in, by
     * LSN: the state each operation left (and, at its page delta's LSN, the memory the delta carries), and that
     * checkpoint's snapshot. No other snapshot: a snapshot also holds the memory user code wrote since the last
     * record, which reaches the log only with the next operation's page delta, so the begin record of a checkpoint
     * not sealed in the crash image makes none of it durable; replayed past, it leaves the state of the operation
     * before it. Fails when the recovered checkpoint is no snapshot of this run.
     */
    TreeMap<Long, Long> reference(long checkpointLsn) {
        Long snapshot = snapshotDigests().get(checkpointLsn);
        if (snapshot == null) {
            throw new AssertionError("recovered checkpoint " + checkpointLsn + " is no snapshot of the run");
        }
        TreeMap<Long, Long> all = new TreeMap<>(digestAt);
        all.put(checkpointLsn, snapshot);
        return all;
    }

    @Override
    public void close() throws Exception {
        persistence.close();
    }
}
