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
 * A workload on persist's in-memory world under {@link Persistence}: memory writes by user code and system calls
 * through the operation log ({@link WorkloadStep}s, given or drawn from a seed), with checkpoints every few
 * operations. It is also its own reference run: it
 * keeps the digest of the whole state (metadata and every frame's bytes) at every LSN that changes it, and at
 * every checkpoint's snapshot ({@link #reference} says which of them a recovery may resume in).
 */
final class Workload implements AutoCloseable {
    static final long LOG_SIZE = 4L << 20;
    /** The world's threads (three processes of two) and each process's pages. */
    static final int THREADS = 6;

    static final int PAGES = 8;

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
        SimWorld w = new SimWorld(3, THREADS / 3, PAGES);
        w.recordDigests(true);
        return w;
    }

    /** One step drawn from the workload's seed ({@link WorkloadStep#random}). */
    void step() throws Exception {
        step(WorkloadStep.random(random, world));
    }

    /**
     * One step of the first live thread from {@code s}'s slot on: a memory write, or a system call through the
     * operation log.
     */
    void step(WorkloadStep s) throws Exception {
        int t = Math.floorMod(s.thread(), world.threads());
        while (!world.alive(t)) {
            t = (t + 1) % world.threads();
        }
        int[] args = s.args().clone();
        if (s.code() == WorkloadStep.STORE) {
            world.store(t, args[0], args[1], args[2]);
            return;
        }
        persistence.admit();
        synchronized (world.lock()) {
            Operation op = world.decide(t, s.code(), args);
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
