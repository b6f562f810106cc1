package dev.ladle.properties;

import dev.ladle.kernel.gen.persistence.PersistenceCheckedMachine;
import dev.ladle.kernel.gen.persistence.PersistenceCheckedMachine.Guard;
import dev.ladle.kernel.gen.persistence.PersistenceConfig;
import dev.ladle.persist.ProtocolTrace;
import dev.ladle.persist.model.KernelObject;
import dev.ladle.persist.model.ObjectRef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Online trace validation of the persistence protocol of a running system: the machine generated from
 * Persistence.tla ({@link PersistenceCheckedMachine}) is stepped beside persist as persist reports each step
 * ({@link ProtocolTrace}), and every step must be enabled in the spec and keep every invariant the generator
 * checks. A divergence names the step, the action, its arguments and the guard or invariant that failed.
 *
 * <p>What it covers, and the mapping it applies (property-tests/README.md, "trace validation of the persistence
 * protocol"):
 *
 * <ul>
 *   <li>The spec's objects are those present at boot ({@code PersistInit} makes every object present): steps on
 *       objects outside that set (inbox messages, capability entries in empty slots) are skipped and counted. Their
 *       dependencies are those at boot ({@code Deps} is a constant).
 *   <li>The boot checkpoint (persist's first checkpoint on a fresh log) is the spec's {@code Init}: its steps are
 *       not stepped, only its log records' flushes followed.
 *   <li>LSNs: the spec's count the operation records of boot objects; a page delta is one record for several
 *       frames, so one log LSN maps to one spec record per frame. {@code Flush(l)} makes durable the spec records
 *       of log LSNs up to {@code l} (the flushes must come in log order, one LSN after the other), {@code Ack(l)}
 *       acknowledges those up to {@code l} (never beyond what is durable). A record's flush may be reported before
 *       its append (the flusher and the appender are different threads): it is applied once the append is.
 *   <li>The log's space is not validated ({@code LogSize} is the LSN bound: the log's space is in bytes, not
 *       slots), and neither are crashes and recovery: a recovery step is a divergence here.
 * </ul>
 */
final class PersistenceShadow implements ProtocolTrace {
    /** Where the implementation left the spec: the step (1-based over all reported steps) and why. */
    record Divergence(int step, String action, List<String> args, String why) {
        @Override
        public String toString() {
            return "step " + step + ", " + action + args + ": " + why;
        }
    }

    private final PersistenceCheckedMachine m;
    private final Map<String, Integer> ids = new HashMap<>();
    /** The log LSN of each spec record (spec LSN n at index n - 1). */
    private final List<Long> logLsnOf = new ArrayList<>();
    /** Log LSNs of the spec records appended and not yet flushed, oldest first (the spec's {@code buf}). */
    private final ArrayDeque<Long> unflushed = new ArrayDeque<>();

    private long durableLog;
    private long ackedLog;
    private boolean booted;
    private int steps;
    private int stepped;
    private int skipped;
    private Divergence divergence;

    /** A shadow whose spec objects are {@code boot}, the objects present at boot, with their dependencies. */
    PersistenceShadow(List<KernelObject> boot, int maxLsn) {
        int n = boot.size();
        m = new PersistenceCheckedMachine(new PersistenceConfig(n, 1, 0, maxLsn, maxLsn, 0));
        for (int i = 0; i < n; i++) {
            ids.put(boot.get(i).ref().toString(), i + 1);
        }
        for (KernelObject o : boot) {
            int id = ids.get(o.ref().toString());
            m.setKind(id, o.ref().kind());
            for (ObjectRef d : o.deps()) {
                Integer dep = ids.get(d.toString());
                if (dep == null) {
                    throw new IllegalArgumentException(o.ref() + " depends on " + d + ", not an object at boot");
                }
                m.setDepsContains(id, dep, true);
            }
        }
        m.init();
    }

    @Override
    public synchronized void step(String action, Object... args) {
        step(action, Arrays.stream(args).map(String::valueOf).toList());
    }

    /** Steps a recorded trace (the broken-variant examples feed it altered traces). */
    synchronized void replay(List<ProtocolTrace.Step> trace) {
        for (ProtocolTrace.Step s : trace) {
            step(s.action(), s.args());
        }
    }

    private void step(String action, List<String> args) {
        if (divergence != null) {
            return;
        }
        steps++;
        try {
            apply(action, args);
        } catch (RuntimeException e) {
            diverge(action, args, "the machine threw " + e);
        }
    }

    private void apply(String action, List<String> args) {
        switch (action) {
            case "Flush" -> {
                long l = Long.parseLong(args.get(0));
                if (l != durableLog + 1) {
                    diverge(action, args, "flushed after log LSN " + durableLog + ": the durable log is no prefix");
                    return;
                }
                durableLog = l;
                drain(action, args);
            }
            case "Ack" -> {
                long l = Long.parseLong(args.get(0));
                if (l > durableLog) {
                    diverge(action, args, "acknowledged beyond the durable log (LSN " + durableLog + ")");
                    return;
                }
                ackedLog = Math.max(ackedLog, l);
                drain(action, args);
            }
            case "Create", "Update", "Delete" -> {
                if (!booted) {
                    diverge(action, args, "an operation before the boot checkpoint was sealed");
                    return;
                }
                Integer o = ids.get(args.get(0));
                if (o == null) {
                    skipped++;
                    return;
                }
                Guard g = action.equals("Create") ? m.create(o) : action.equals("Update") ? m.update(o) : m.delete(o);
                if (took(action, args, g)) {
                    long lsn = Long.parseLong(args.get(1));
                    logLsnOf.add(lsn);
                    unflushed.add(lsn);
                    drain(action, args);
                }
            }
            case "BeginCheckpoint" -> {
                if (!booted) {
                    return;
                }
                long begin = Long.parseLong(args.get(0));
                if (took(action, args, m.beginCheckpoint())) {
                    long before = logLsnOf.stream().filter(l -> l < begin).count();
                    if (m.snapLsn() != before || logLsnOf.size() != before) {
                        diverge(
                                action,
                                args,
                                "the snapshot is at spec LSN " + m.snapLsn() + ", but " + before
                                        + " records precede its begin record and " + logLsnOf.size()
                                        + " were appended");
                    }
                }
            }
            case "WriteObject" -> {
                if (!booted) {
                    return;
                }
                Integer o = ids.get(args.get(0));
                if (o == null) {
                    skipped++;
                    return;
                }
                took(action, args, m.writeObject(o));
            }
            case "Seal" -> {
                if (!booted) {
                    booted = true;
                    return;
                }
                took(action, args, m.seal());
            }
            default -> diverge(action, args, "not a step of a running system this validation covers");
        }
    }

    /** Flushes the spec records whose log records are durable, then acknowledges those acknowledged. */
    private void drain(String action, List<String> args) {
        while (!unflushed.isEmpty() && unflushed.peek() <= durableLog) {
            unflushed.poll();
            if (!took("Flush", args, m.flush())) {
                return;
            }
        }
        if (m.acked() < m.durable() && logLsnOf.get(m.acked()) <= ackedLog) {
            took("Ack", args, m.ack());
        }
    }

    /** Whether the step was enabled and kept every invariant; records the divergence otherwise. */
    private boolean took(String action, List<String> args, Guard g) {
        if (g != Guard.OK) {
            diverge(action, args, "not enabled in Persistence.tla (" + g.description + ")");
            return false;
        }
        stepped++;
        String broken = !m.restoreRespectsDeps()
                ? "RestoreRespectsDeps"
                : !m.recoveredStateMatches()
                        ? "RecoveredStateMatches"
                        : !m.nothingAckedLost()
                                ? "NothingAckedLost"
                                : !m.checkpointClosed()
                                        ? "CheckpointClosed"
                                        : !m.logKeepsNeeded() ? "LogKeepsNeeded" : !m.typeOK() ? "TypeOK" : null;
        if (broken != null) {
            diverge(action, args, "breaks " + broken);
            return false;
        }
        return true;
    }

    private void diverge(String action, List<String> args, String why) {
        if (divergence == null) {
            divergence = new Divergence(steps, action, args, why);
        }
    }

    /** The first divergence, or null. */
    synchronized Divergence divergence() {
        return divergence;
    }

    /**
     * At the end of a run whose log was closed: the first divergence, or, when there was none, whether every spec
     * record was flushed (a record appended and never reported durable is a divergence too).
     */
    synchronized Divergence finish() {
        if (divergence == null && !unflushed.isEmpty()) {
            diverge("end", List.of(), "records at log LSNs " + unflushed + " never reported durable");
        }
        return divergence;
    }

    /** Reported steps, machine steps taken, and steps on objects outside the boot set. */
    synchronized int[] counts() {
        return new int[] {steps, stepped, skipped};
    }

    /** Whether the machine's sealed checkpoint is behind its head: a checkpoint now has something to write. */
    synchronized boolean somethingToCheckpoint() {
        return m.head() > m.sealedLsn();
    }
}
