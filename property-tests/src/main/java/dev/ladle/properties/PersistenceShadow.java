package dev.ladle.properties;

import dev.ladle.kernel.gen.persistence.Kinds;
import dev.ladle.kernel.gen.persistence.PersistenceCheckedMachine;
import dev.ladle.kernel.gen.persistence.PersistenceCheckedMachine.Guard;
import dev.ladle.kernel.gen.persistence.PersistenceConfig;
import dev.ladle.kernel.gen.persistence.SysPhase;
import dev.ladle.persist.ProtocolTrace;
import dev.ladle.persist.model.KernelObject;
import dev.ladle.persist.model.ObjectRef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Online trace validation of the persistence protocol of a running system, its crash and its recovery: the machine
 * generated from Persistence.tla ({@link PersistenceCheckedMachine}) is stepped beside persist as persist reports
 * each step ({@link ProtocolTrace}), and every step must be enabled in the spec and keep every invariant the
 * generator checks. A divergence names the step, the action, its arguments and the guard or invariant that failed.
 *
 * <p>The mapping (property-tests/README.md, "Trace validation of the persistence protocol"):
 *
 * <ul>
 *   <li>Objects: the spec's {@code Objects} is a universe of {@code capacity} ids, {@code BootObjects} the objects
 *       of the world at boot. Each lifetime of an object of the world is one spec object: an object created after
 *       boot (or re-created after a deletion) takes the next unused id, with the dependencies it has in the world
 *       after the operation ({@code Deps} of an id no step touched yet is read by no guard and no invariant, so
 *       fixing it at the id's creation is fixing it up front). An operation that changes an object's dependencies
 *       (a capability entry granted another target) is a {@code Delete} of the old object and a {@code Create} of a
 *       new one; an {@code Update} of an object that does not exist (an entry granted into an empty slot) is a
 *       {@code Create}. Operations are resolved when they have taken effect ({@link #applied}, under the world's
 *       lock), since an object's dependencies are known only then.
 *   <li>LSNs: a page delta is one log record for several frames, one spec record per frame. The records of an
 *       operation's step (its page delta and its own record) are made durable together, once the operation's own
 *       record is ({@code Flush(l)} flushes the spec records of the complete steps up to log LSN {@code l}):
 *       recovery replays a page delta only with the operation after it, so a delta whose operation never became
 *       durable is not durable in the spec's sense either. {@code Ack(l)} acknowledges what is durable up to
 *       {@code l}. The log's space is not validated ({@code LogSize} is the LSN bound).
 *   <li>Checkpoint-only mode (operations not logged): the spec's records of the operations before a snapshot are
 *       flushed, and acknowledged, at its seal. They are never in the log, so the durable log after the sealed
 *       checkpoint stays empty and recovery replays nothing, which is what the spec does with it.
 *   <li>A crash is reported by the recovering process ({@code Crash(torn, lastLsn)}, from the scan of the crash
 *       image): the run's steps up to the crash image ({@link #crashImageTaken}) are joined with the recovery's
 *       steps. The image holds the log up to {@code lastLsn}: flushes not yet reported when it was taken are
 *       applied first, and a checkpoint whose seal (the superblock switch) the image holds but the run did not
 *       report yet is sealed first. {@code torn} is the spec's when the torn record is one of the spec's.
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

    /** The spec records of one step of the system (page delta, then operation), made durable together. */
    private record Group(int records, long firstLsn, long lastLsn) {}

    private record Pending(String action, String ref, long lsn) {}

    private final PersistenceCheckedMachine m;
    private final boolean logged;
    private final Supplier<List<KernelObject>> world;
    private final int capacity;
    /** The object of the world each spec id stands for (index id - 1). */
    private final List<String> refOf = new ArrayList<>();
    /** Each spec id's dependencies, as objects of the world (index id - 1). */
    private final List<List<String>> depsOf = new ArrayList<>();
    /** The spec id of each live object of the world. */
    private final Map<String, Integer> live = new HashMap<>();
    /** The spec ids of the objects of the snapshot being written. */
    private Map<String, Integer> snapIds = Map.of();
    /** The log LSN of each spec record (spec LSN n at index n - 1; -1 in checkpoint-only mode). */
    private final List<Long> logLsnOf = new ArrayList<>();
    /** Steps appended and not yet flushed in the spec, oldest first. */
    private final ArrayDeque<Group> unflushed = new ArrayDeque<>();
    /** Operations reported and not yet taken effect. */
    private final List<Pending> pending = new ArrayList<>();

    private final List<ProtocolTrace.Step> seen = new ArrayList<>();

    private long durableLog;
    private long ackedLog;
    private boolean booted;
    private boolean frozen;
    private long sealedBegin = -1;
    private long writingBegin = -1;
    private boolean crashTorn;
    private long crashLast = -1;
    private int steps;
    private int stepped;
    private int created;
    private int threadsCreatedOrDeleted;
    private int recoverySteps;
    private int ignored;
    private Divergence divergence;

    /**
     * A shadow whose spec objects are {@code boot} (the objects at boot, with their dependencies) and room for
     * {@code capacity} objects in all; {@code world} lists the live objects of the running world (read in
     * {@link #applied}); {@code logged}: operations are logged (oplog and hybrid modes), else checkpoint-only.
     */
    PersistenceShadow(
            List<KernelObject> boot, int capacity, int maxLsn, boolean logged, Supplier<List<KernelObject>> world) {
        this.capacity = capacity;
        this.logged = logged;
        this.world = world;
        m = new PersistenceCheckedMachine(new PersistenceConfig(capacity, 1, 0, maxLsn, maxLsn, 1 << 20));
        for (KernelObject o : boot) {
            live.put(o.ref().toString(), refOf.size() + 1);
            refOf.add(o.ref().toString());
            depsOf.add(o.deps().stream().map(ObjectRef::toString).sorted().toList());
        }
        for (KernelObject o : boot) {
            int id = live.get(o.ref().toString());
            m.setKind(id, o.ref().kind());
            m.setBootObjectsContains(id, true);
            for (ObjectRef d : o.deps()) {
                Integer dep = live.get(d.toString());
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

    /**
     * Steps a trace this shadow saw ({@link #seen}), which the broken-variant examples alter: its {@code Applied}
     * steps carry the objects the operations left, each as {@code kind#id=dep+dep} ({@code kind#id=-}: gone).
     */
    synchronized void replay(List<ProtocolTrace.Step> trace) {
        for (ProtocolTrace.Step s : trace) {
            step(s.action(), s.args());
        }
    }

    /** The steps this shadow took in, in order, with an {@code Applied} step where operations took effect. */
    synchronized List<ProtocolTrace.Step> seen() {
        return List.copyOf(seen);
    }

    /**
     * The operations reported since the last call have taken effect in the world (called under the world's lock):
     * their spec steps are taken, read off the change of the world's objects and their dependencies.
     */
    synchronized void applied() {
        if (frozen || pending.isEmpty()) {
            return;
        }
        List<String> args = new ArrayList<>();
        for (KernelObject o : world.get()) {
            args.add(o.ref() + "="
                    + String.join(
                            "+", o.deps().stream().map(ObjectRef::toString).toList()));
        }
        step("Applied", args);
    }

    /**
     * The pending operations (a page delta's frames, then one operation) took effect and left the world's objects
     * {@code args} ({@code kind#id=dep+dep} each). The spec's records, in this order: an {@code Update} per frame
     * of the delta; a {@code Delete} of every object that is gone or whose dependencies changed, and of every object
     * depending on one of those (dependents first); a {@code Create} of every object that is new or was deleted so
     * (dependencies first); an {@code Update} of the operation's object when none of these touched it. The operation
     * must agree: a {@code Create} creates its object, a {@code Delete} deletes it, an {@code Update} leaves it there.
     */
    private void resolvePending(List<String> args) {
        if (pending.isEmpty()) {
            diverge("Applied", args, "no operation was reported");
            return;
        }
        Map<String, List<String>> now = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            String deps = a.substring(eq + 1);
            now.put(
                    a.substring(0, eq),
                    deps.isEmpty()
                            ? List.of()
                            : Arrays.stream(deps.split("\\+")).sorted().toList());
        }
        List<Pending> group = List.copyOf(pending);
        pending.clear();
        Pending op = group.get(group.size() - 1);
        List<String> opArgs = op.lsn() < 0 ? List.of(op.ref()) : List.of(op.ref(), Long.toString(op.lsn()));
        int before = logLsnOf.size();
        for (Pending d : group.subList(0, group.size() - 1)) { // the page delta: frames, unchanged in the graph
            Integer id = live.get(d.ref());
            List<String> dArgs = List.of(d.ref(), Long.toString(d.lsn()));
            if (id == null || !depsOf.get(id - 1).equals(now.get(d.ref()))) {
                diverge(d.action(), dArgs, "a page delta of a frame that is not there, or changed");
                return;
            }
            if (!append(d.action(), dArgs, spec("Update", () -> m.update(id), id), d.lsn())) {
                return;
            }
        }
        // deleted: gone, or with other dependencies, or depending on one deleted
        Set<String> deleted = new TreeSet<>();
        for (Map.Entry<String, Integer> e : live.entrySet()) {
            if (!depsOf.get(e.getValue() - 1).equals(now.get(e.getKey()))) {
                deleted.add(e.getKey());
            }
        }
        for (boolean grew = true; grew; ) {
            grew = false;
            for (Map.Entry<String, Integer> e : live.entrySet()) {
                if (!deleted.contains(e.getKey())
                        && depsOf.get(e.getValue() - 1).stream().anyMatch(deleted::contains)) {
                    grew |= deleted.add(e.getKey());
                }
            }
        }
        Set<String> toCreate = new TreeSet<>();
        for (String r : now.keySet()) {
            if (!live.containsKey(r) || deleted.contains(r)) {
                toCreate.add(r);
            }
        }
        boolean touched = deleted.contains(op.ref()) || toCreate.contains(op.ref());
        String disagree = switch (op.action()) {
            case "Create" -> toCreate.contains(op.ref()) ? null : "it creates nothing new";
            case "Delete" -> now.containsKey(op.ref()) ? "the object is still there after it" : null;
            default -> now.containsKey(op.ref()) ? null : "the object is not there after it";
        };
        if (disagree == null && op.action().equals("Delete") && !deleted.contains(op.ref())) {
            disagree = "no such object";
        }
        if (disagree != null) {
            diverge(op.action(), opArgs, disagree);
            return;
        }
        if (op.ref().startsWith("thread#") && !op.action().equals("Update")) {
            threadsCreatedOrDeleted++;
        }
        Set<String> left = new TreeSet<>(deleted);
        while (!left.isEmpty()) { // dependents first
            String next = null;
            for (String r : left) {
                boolean needed = false;
                for (String x : left) {
                    needed |= !x.equals(r) && depsOf.get(live.get(x) - 1).contains(r);
                }
                if (!needed) {
                    next = r;
                    break;
                }
            }
            if (next == null) {
                diverge(op.action(), opArgs, "objects " + left + " depend on one another in a cycle");
                return;
            }
            left.remove(next);
            int gone = live.remove(next);
            if (!append("Delete", List.of(next), spec("Delete", () -> m.delete(gone), gone), op.lsn())) {
                return;
            }
        }
        while (!toCreate.isEmpty()) { // dependencies first
            String next = null;
            for (String r : toCreate) {
                if (now.get(r).stream().allMatch(live::containsKey)) {
                    next = r;
                    break;
                }
            }
            if (next == null) {
                diverge(op.action(), opArgs, "objects " + toCreate + " depend on objects that do not exist");
                return;
            }
            toCreate.remove(next);
            if (!create(next, now.get(next), op.lsn())) {
                return;
            }
        }
        if (!touched
                && !append(
                        op.action(),
                        opArgs,
                        spec("Update", () -> m.update(live.get(op.ref())), live.get(op.ref())),
                        op.lsn())) {
            return;
        }
        if (logged) {
            unflushed.add(new Group(logLsnOf.size() - before, group.get(0).lsn(), op.lsn()));
            drain("Applied", List.of());
        }
    }

    /** A new spec object for {@code ref}: the next unused id, with the dependencies {@code deps}. */
    private boolean create(String ref, List<String> deps, long lsn) {
        int id = refOf.size() + 1;
        if (id > capacity) {
            diverge("Create", List.of(ref), "more objects than the spec's universe of " + capacity);
            return false;
        }
        refOf.add(ref);
        depsOf.add(deps);
        m.setKind(id, kindOf(ref));
        for (String d : deps) {
            m.setDepsContains(id, live.get(d), true);
        }
        live.put(ref, id);
        created++;
        return append("Create", List.of(ref), spec("Create", () -> m.create(id), id), lsn);
    }

    /** The crash image was taken: the run's later steps are not part of the crashed system's trace. */
    synchronized void crashImageTaken() {
        frozen = true;
        pending.clear();
    }

    /** The recovery of the crash image starts: its steps are the trace's continuation. */
    synchronized void recovering() {
        frozen = false;
    }

    private void step(String action, List<String> args) {
        if (divergence != null) {
            return;
        }
        if (frozen) {
            ignored++;
            return;
        }
        steps++;
        seen.add(new ProtocolTrace.Step(action, args));
        try {
            apply(action, args);
        } catch (RuntimeException e) {
            diverge(action, args, "the machine threw " + e);
        }
    }

    private void apply(String action, List<String> args) {
        switch (action) {
            case "Applied" -> resolvePending(args);
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
                if (logged != (args.size() > 1)) {
                    diverge(action, args, logged ? "an operation without its log LSN" : "a logged operation");
                    return;
                }
                pending.add(new Pending(action, args.get(0), logged ? Long.parseLong(args.get(1)) : -1));
            }
            case "BeginCheckpoint" -> {
                long begin = Long.parseLong(args.get(0));
                if (!booted) {
                    sealedBegin = begin;
                    return;
                }
                if (!pending.isEmpty()) {
                    diverge(action, args, "a snapshot in the middle of an operation " + pending);
                    return;
                }
                if (took(action, args, spec("BeginCheckpoint", () -> m.beginCheckpoint()))) {
                    writingBegin = begin;
                    snapIds = new HashMap<>(live);
                    long before = logLsnOf.stream().filter(l -> l < begin).count();
                    if (logged && (m.snapLsn() != before || logLsnOf.size() != before)) {
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
                Integer o = snapIds.get(args.get(0));
                if (o == null) {
                    diverge(action, args, "not an object of the snapshot");
                    return;
                }
                took(action, args, spec("WriteObject", () -> m.writeObject(o), o));
            }
            case "Seal" -> {
                if (!booted) {
                    booted = true;
                    return;
                }
                seal(action, args);
            }
            case "Crash" -> {
                crashTorn = Boolean.parseBoolean(args.get(0));
                crashLast = Long.parseLong(args.get(1));
            }
            case "LoadCheckpoint" -> {
                recoverySteps++;
                if (crashLast < 0) {
                    diverge(action, args, "a recovery with no crash before it");
                    return;
                }
                crash(action, args, Long.parseLong(args.get(0)));
            }
            case "RestoreObject" -> {
                recoverySteps++;
                Integer o = null;
                for (int id = 1; id <= refOf.size(); id++) {
                    if (refOf.get(id - 1).equals(args.get(0)) && m.sealedVals(id) != 0) {
                        o = id;
                    }
                }
                if (o == null) {
                    diverge(action, args, "not an object of the sealed checkpoint");
                    return;
                }
                int restored = o;
                took(action, args, spec("RestoreObject", () -> m.restoreObject(restored), restored));
            }
            case "StartReplay" -> {
                recoverySteps++;
                if (Long.parseLong(args.get(0)) != sealedBegin) {
                    diverge(
                            action,
                            args,
                            "replays from the checkpoint begun at log LSN " + args.get(0)
                                    + ", the spec's sealed one was begun at " + sealedBegin);
                    return;
                }
                took(action, args, spec("StartReplay", () -> m.startReplay()));
            }
            case "ReplayRecord" -> {
                recoverySteps++;
                long l = Long.parseLong(args.get(0));
                int n = m.replayPos() + 1;
                if (n > logLsnOf.size() || logLsnOf.get(n - 1) != l) {
                    diverge(
                            action,
                            args,
                            "the spec's next record (spec LSN " + n + ") is "
                                    + (n > logLsnOf.size() ? "none" : "at log LSN " + logLsnOf.get(n - 1)));
                    return;
                }
                while (n <= logLsnOf.size() && logLsnOf.get(n - 1) == l) {
                    if (!took(action, args, spec("ReplayRecord", () -> m.replayRecord()))) {
                        return;
                    }
                    n++;
                }
            }
            case "Resume" -> {
                recoverySteps++;
                if (!took(action, args, spec("Resume", () -> m.resume()))) {
                    return;
                }
                long l = Long.parseLong(args.get(0));
                if (m.head() > 0 && logged && logLsnOf.get(m.head() - 1) > l) {
                    diverge(
                            action,
                            args,
                            "resumed at log LSN " + l + ", after the spec replayed log LSN "
                                    + logLsnOf.get(m.head() - 1));
                    return;
                }
                logLsnOf.subList(m.head(), logLsnOf.size()).clear();
                live.clear();
                for (int id = 1; id <= refOf.size(); id++) {
                    if (m.mem(id) != 0 && live.put(refOf.get(id - 1), id) != null) {
                        diverge(action, args, "two live spec objects for " + refOf.get(id - 1));
                        return;
                    }
                }
                durableLog = l;
                crashLast = -1;
            }
            default -> diverge(action, args, "not a step of Persistence.tla");
        }
    }

    /** The kind of an object named {@code kind#id}. */
    private static Kinds kindOf(String ref) {
        String k = ref.substring(0, ref.indexOf('#'));
        return Arrays.stream(Kinds.values())
                .filter(x -> x.tla.equals(k))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no kind " + k));
    }

    private boolean append(String action, List<String> args, Guard g, long lsn) {
        if (!took(action, args, g)) {
            return false;
        }
        logLsnOf.add(lsn);
        return true;
    }

    /** The spec records of the steps whose operation is durable are flushed, then those acknowledged acked. */
    private void drain(String action, List<String> args) {
        if (!logged) {
            return;
        }
        while (!unflushed.isEmpty() && unflushed.peek().lastLsn() <= durableLog) {
            Group g = unflushed.poll();
            for (int i = 0; i < g.records(); i++) {
                if (!took("Flush", args, spec("Flush", () -> m.flush()))) {
                    return;
                }
            }
        }
        if (m.acked() < m.durable() && logLsnOf.get(m.durable() - 1) <= ackedLog) {
            took("Ack", args, spec("Ack", () -> m.ack()));
        }
    }

    private void seal(String action, List<String> args) {
        if (!logged) { // checkpoint-only: the snapshot's operations become durable with it
            while (m.durable() < m.snapLsn()) {
                if (!took("Flush", args, spec("Flush", () -> m.flush()))) {
                    return;
                }
            }
        }
        if (!took(action, args, spec("Seal", () -> m.seal()))) {
            return;
        }
        sealedBegin = writingBegin;
        writingBegin = -1;
        if (!logged && m.acked() < m.durable()) {
            took("Ack", args, spec("Ack", () -> m.ack()));
        }
    }

    /** The crash the recovery reported, joined to the run's trace, then the load of checkpoint {@code load}. */
    private void crash(String action, List<String> args, long load) {
        boolean tornInSpec = false;
        if (m.sysPhase() == SysPhase.RUNNING) {
            if (crashLast < durableLog) {
                diverge(
                        action,
                        args,
                        "the crash image ends at log LSN " + crashLast + ", before the durable LSN " + durableLog);
                return;
            }
            durableLog = crashLast;
            drain("Crash", args);
            if (load == writingBegin && load != sealedBegin) {
                seal("Seal", List.of(Long.toString(load))); // the image holds the superblock switch
            }
            Group first = unflushed.peek();
            tornInSpec = crashTorn
                    && logged
                    && first != null
                    && (first.firstLsn() == crashLast + 1 || first.lastLsn() == crashLast + 1);
        }
        boolean torn = tornInSpec;
        if (!took("Crash", List.of(Boolean.toString(tornInSpec)), spec("Crash", () -> m.crash(torn), torn ? 1 : 0))) {
            return;
        }
        unflushed.clear();
        pending.clear();
        writingBegin = -1;
        snapIds = Map.of();
        if (load != sealedBegin) {
            diverge(
                    action,
                    args,
                    "loads the checkpoint begun at log LSN " + load + ", the spec's sealed one was begun at "
                            + sealedBegin);
            return;
        }
        took(action, args, spec("LoadCheckpoint", () -> m.loadCheckpoint()));
    }

    /** A step of the spec's machine: the action, its arguments as the machine took them, enabled or not, the state after. */
    record SpecStep(String action, Object[] args, boolean enabled, int[] after) {}

    /** The machine's state when recording began, and its steps since; null: not recorded. */
    private int[] recordedFrom;

    private List<SpecStep> specSteps;

    /**
     * From now on, records each step of the spec's machine (its action, arguments and the state after), so the run
     * can be checked by TLC as well ({@link #specTrace}).
     */
    synchronized void recordSpecSteps() {
        recordedFrom = words();
        specSteps = new ArrayList<>();
    }

    private int[] words() {
        int[] w = new int[m.stateSize()];
        m.copyStateTo(w);
        return w;
    }

    /** Takes the spec's {@code action} on the machine ({@code call}) and records it when recording. */
    private Guard spec(String action, java.util.function.Supplier<Guard> call, Object... args) {
        Guard g = call.get();
        if (specSteps != null) {
            specSteps.add(new SpecStep(action, args, g == Guard.OK, words()));
        }
        return g;
    }

    /**
     * The recorded run as a trace of {@code spec} (Persistence.tla read by {@link SpecText}) for {@link TlcTraces},
     * with the spec's constant data (every object's kind and dependencies, the boot objects) as they are now: an
     * object created after boot has its kind and dependencies fixed at its creation, and no guard or invariant reads
     * those of an object before it is created, so the data at the end are the data of the whole run.
     */
    synchronized TlcTraces.Trace specTrace(SpecText spec) {
        if (specSteps == null) {
            throw new IllegalStateException("the shadow did not record its spec steps");
        }
        Map<String, String> before = spec.state(recordedFrom);
        Map<String, String> initial = before;
        List<TlcTraces.Step> steps = new ArrayList<>();
        for (SpecStep st : specSteps) {
            Map<String, String> after = spec.state(st.after());
            steps.add(new TlcTraces.Step(
                    st.action(),
                    spec.arguments(st.action(), st.args()),
                    st.enabled(),
                    TlcTraces.changes(before, after)));
            before = after;
        }
        return new TlcTraces.Trace(initial, steps);
    }

    /** The spec's constant data now (kinds, dependencies, boot objects), as {@link #specTrace} says. */
    synchronized Map<String, String> specData(SpecText spec) {
        return spec.data(words());
    }

    /** The configuration the shadow's machine runs with (for {@link SpecText}). */
    PersistenceConfig specConfig() {
        return m.config();
    }

    /** Whether the step was enabled and kept every invariant; records the divergence otherwise. */
    private boolean took(String action, List<String> args, Guard g) {
        if (g != Guard.OK) {
            diverge(action, args, "not enabled in Persistence.tla (" + g.description + ")");
            return false;
        }
        stepped++;
        for (int i = 0; i < PersistenceCheckedMachine.INVARIANTS.length; i++) {
            if (!m.invariant(i)) {
                diverge(action, args, "breaks " + PersistenceCheckedMachine.INVARIANTS[i]);
                return false;
            }
        }
        if (!m.typeOK()) {
            diverge(action, args, "breaks TypeOK");
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
        if (divergence == null && !pending.isEmpty()) {
            diverge("end", List.of(), "operations " + pending + " never took effect");
        }
        if (divergence == null && !unflushed.isEmpty()) {
            diverge("end", List.of(), "steps ending at log LSNs " + unflushed + " never reported durable");
        }
        return divergence;
    }

    /**
     * After a recovery: the first divergence, or, when there was none, whether the recovered world holds exactly the
     * objects the spec's state has (each with the dependencies of its spec object).
     */
    synchronized Divergence finishRecovery(List<KernelObject> recovered) {
        if (divergence == null && m.sysPhase() != SysPhase.RUNNING) {
            diverge("end", List.of(), "the recovery did not resume (" + m.sysPhase() + ")");
        }
        if (divergence != null) {
            return divergence;
        }
        TreeSet<String> back = new TreeSet<>();
        for (KernelObject o : recovered) {
            String r = o.ref().toString();
            back.add(r);
            Integer id = live.get(r);
            List<String> deps =
                    o.deps().stream().map(ObjectRef::toString).sorted().toList();
            if (id != null && !deps.equals(depsOf.get(id - 1))) {
                diverge(
                        "end",
                        List.of(),
                        r + " came back depending on " + deps + ", its spec object on " + depsOf.get(id - 1));
                return divergence;
            }
        }
        if (!back.equals(new TreeSet<>(live.keySet()))) {
            TreeSet<String> extra = new TreeSet<>(back);
            extra.removeAll(live.keySet());
            TreeSet<String> missing = new TreeSet<>(live.keySet());
            missing.removeAll(back);
            diverge(
                    "end",
                    List.of(),
                    "the recovered world has " + extra + " the spec's state lacks, and lacks " + missing);
        }
        return divergence;
    }

    /**
     * Reported steps, machine steps taken, objects created after boot (spec objects beyond the boot set), recovery
     * steps, the run's steps after the crash image (not part of the crashed system's trace), and threads created or
     * deleted.
     */
    synchronized int[] counts() {
        return new int[] {steps, stepped, created, recoverySteps, ignored, threadsCreatedOrDeleted};
    }
}
