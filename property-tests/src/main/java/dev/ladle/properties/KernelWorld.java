package dev.ladle.properties;

import dev.ladle.kernel.Kernel;
import dev.ladle.kernel.KernelSnapshot;
import dev.ladle.kernel.KernelThread;
import dev.ladle.kernel.Machine;
import dev.ladle.kernel.gen.kernel.KernelCheckedMachine;
import dev.ladle.kernel.gen.persistence.Kinds;
import dev.ladle.kernel.hw.Reg;
import dev.ladle.kernel.hw.Stop;
import dev.ladle.persist.Operation;
import dev.ladle.persist.Persistent;
import dev.ladle.persist.mem.CheckpointerPages;
import dev.ladle.persist.mem.CopyOnWrite;
import dev.ladle.persist.mem.DirtyPages;
import dev.ladle.persist.mem.InMemoryPhysicalMemory;
import dev.ladle.persist.mem.WaitingFrames;
import dev.ladle.persist.model.KernelObject;
import dev.ladle.persist.model.ObjectRef;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Persistence's view of the islands' kernel ({@link Islands}, on the {@link AdversaryPlatform}, or on the IA-32 target
 * running real code: {@link X86Threads}), with its objects as
 * Persistence.tla's kinds so that recovery restores a real dependency graph, the graph PersistentKernel.tla's
 * {@code ObjectsOf} and {@code DepsOf} read off a kernel state: per process object a page table (depending on the
 * frames it maps) and an address space (on its page table); per thread object a capability table, the thread (its
 * registers; a free thread object too, and a live one depending on its process's address space and its table), an
 * entry per held local id (depending on its table and the thread it names) and a message per queued message
 * (depending on its receiver, its sender and the frame or entry its item landed in); the frames depend on nothing.
 *
 * <p>The flat state is the kernel's {@code KernelImpl} words, the {@code Kernel.tla} words of the machine run in
 * lockstep (the abstract state, ghosts included), and every thread's scheduling state and registers. Recovery puts
 * the flat state back at once ({@link #beginRestore}); each thread's registers come back from its own object record
 * ({@link #restoreObject}), the frames from theirs.
 *
 * <p>In the modes that log operations, each scheduler step is one operation record ({@link #stepOperation}): the
 * thread that ran, why its slice stopped and its registers at that moment (which hold a system call's number and
 * arguments), appended when the slice stops and before the kernel acts on it. {@link #replay} sets the registers and
 * lets the kernel handle the same stop again ({@link Kernel#replayStep}, then {@link Kernel#wake} as the run does at
 * the end of every step): a system call goes through the generated
 * machine's actions once more, in lockstep with {@code Kernel.tla}'s when the recovered kernel checks invariants (its
 * words then come back from the flat state with the machine's).
 *
 * <pre>
 * state[0]            n, KernelImpl's words; then the n words
 * then                m, Kernel.tla's words; then the m words
 * then                per thread object its scheduling state and registers, per process object its read-only
 *                     pages ({@link KernelSnapshot}; a thread object's record is its payload)
 * </pre>
 */
final class KernelWorld implements Persistent {

    private final Kernel kernel;
    private final Frames memory;
    private final Object lock = new Object();
    private int[] restoredFrom;
    private int[] recoveredSpec;
    private final List<ObjectRef> restoreOrder = new ArrayList<>();

    /**
     * How recovery puts this world back ({@link #replay} applies logged steps, {@link #replayPage} page deltas, {@link
     * #restoreObject} thread records): faithfully, or broken (the examples that show the checks bite).
     */
    enum Replay {
        FAITHFUL,
        /** The first logged step replayed is skipped. */
        SKIP_FIRST,
        /**
         * The first logged step replayed that changes the machine's state, and changes it again when handled a second
         * time, is handled twice (it is not idempotent); a step whose second handling is refused (a send to a full
         * inbox) changes nothing, and the next step that changes the state is tried.
         */
        FIRST_TWICE,
        /** No logged step is replayed. */
        NONE,
        /**
         * The last page delta replayed that changed a frame is lost: at the end of the replay the frame is put back as
         * it was before that delta (a recovery that loses one frame's last write).
         */
        LOSE_LAST_PAGE_WRITE,
        /** Every live thread restored from a checkpoint gets its EFLAGS wrong (the carry flag flipped). */
        WRONG_EFLAGS,
        /**
         * A lazy recovery pages the first frame asked for whose contents are not all zeros in as zeros (a page-in that
         * loses a frame's contents).
         */
        PAGE_IN_ZEROS
    }

    private Replay replayAs = Replay.FAITHFUL;
    /** Whether recovery leaves frames waiting for their contents ({@link #restoringLazily}). */
    private boolean lazily;
    /** A lazy recovery's frames as the memory asks for them (null: frames restored now). */
    private WaitingFrames waiting;
    /** For {@link Replay#PAGE_IN_ZEROS}: whether a frame was paged in as zeros already. */
    private boolean zeroed;
    /** For {@link Replay#LOSE_LAST_PAGE_WRITE}: the frame of the last delta that changed one, and its bytes before. */
    private int lostFrame = -1;

    private byte[] lostBefore;
    private long replayed;
    private boolean doubled;

    /** The kernel's checkpointer pages, the copy-on-write of a world over the in-memory platform (else null). */
    private final CheckpointerPages pages;
    /** The log's view of {@link #pages}, checked against the machine at every map, unmap and kernel step. */
    private final CheckpointerLedger ledger;

    /**
     * The kernel on the in-memory platform: a checkpoint's frames reach the log through the kernel's checkpointer
     * pages ({@link CheckpointerPages}, as on the IA-32 target: each frame mapped into the checkpointer thread's
     * address space by {@link Kernel#mapSnapshot}, read there, and given back by {@link Kernel#unmapSnapshot}), with
     * every write of the memory reported to it first; the memory's own copy-on-write is not used. A kernel booted
     * without a checkpointer thread reads every frame in place, with the same copy-on-write.
     */
    KernelWorld(Kernel kernel, InMemoryPhysicalMemory memory) {
        this.kernel = kernel;
        this.pages = new CheckpointerPages(kernel, memory::frameView, null, lock, memory.frames());
        memory.beforeEachWrite(pages::beforeWrite);
        this.ledger = new CheckpointerLedger(kernel, pages, lock);
        this.memory = Frames.of(memory, ledger);
    }

    /**
     * A kernel over an engine's memory whose checkpoint's frames reach the log through the kernel's checkpointer pages
     * ({@code pagesUnder} builds them under the world's lock), checked by the ledger as {@link
     * #KernelWorld(Kernel, InMemoryPhysicalMemory)} checks them; {@code framesWith} gives the frames, their
     * copy-on-write the ledger.
     */
    KernelWorld(
            Kernel kernel,
            java.util.function.Function<Object, CheckpointerPages> pagesUnder,
            java.util.function.Function<CopyOnWrite, Frames> framesWith) {
        this.kernel = kernel;
        this.pages = pagesUnder.apply(lock);
        this.ledger = new CheckpointerLedger(kernel, pages, lock);
        this.memory = framesWith.apply(ledger);
    }

    KernelWorld(Kernel kernel, Frames memory) {
        this.kernel = kernel;
        this.memory = memory;
        this.pages = null;
        this.ledger = null;
    }

    /**
     * After each kernel step (holding the world's lock): the checkpointer's ledger notes the pages the step took along
     * (a deleted root takes what derives from it).
     */
    void afterStep() {
        if (ledger != null) {
            ledger.afterStep();
        }
    }

    /** The most snapshot pages the checkpointer may hold at once (0: no ledger). */
    int checkpointerWindow() {
        return ledger == null ? 0 : ledger.window();
    }

    /** The first break of the checkpointer's protocol seen ({@link CheckpointerLedger}); null: none, or no ledger. */
    String checkpointerFailure() {
        return ledger == null ? null : ledger.failure();
    }

    /** The kernel's checkpointer pages (null for a world built from frames alone, which has none). */
    CheckpointerPages pages() {
        return pages;
    }

    /**
     * The world's frames {@code 0 .. frames() - 1}: their bytes, and how persist snapshots them and finds those written
     * (the kernel's checkpointer pages and the in-memory platform's dirty sets, or, over an engine's memory, the
     * checkpointer pages and the D bits' {@code DirtyFrames}).
     */
    interface Frames {
        int frames();

        void readFrame(int frame, byte[] into);

        void installFrame(int frame, byte[] from);

        /** Every frame zeroed (recovery's start). */
        void wipe();

        /**
         * Whether frames can wait for their contents ({@link #awaitContents}): true on the IA-32 target, whose memory
         * pages a waiting frame in on its first touch; false on the in-memory platform, where a lazy recovery restores
         * every frame now.
         */
        default boolean pagesIn() {
            return false;
        }

        /**
         * Every frame waits for its contents, given by {@code contents.apply(frame)} (null: zeros) on its first touch
         * (a lazy recovery's start, instead of {@link #wipe}). Only where {@link #pagesIn}.
         */
        default void awaitContents(java.util.function.IntFunction<byte[]> contents) {
            throw new UnsupportedOperationException("these frames cannot wait for their contents");
        }

        /** Whether {@code frame} still waits for its contents. */
        default boolean waits(int frame) {
            return false;
        }

        /** The frames that still wait for their contents. */
        default int waitingFrames() {
            return 0;
        }

        /** Frames paged in since the last {@link #awaitContents} (by the kernel, by user code or by a read of them). */
        default long pagedIn() {
            return 0;
        }

        CopyOnWrite copyOnWrite();

        DirtyPages dirtyPages();

        static Frames of(InMemoryPhysicalMemory m, CopyOnWrite cow) {
            return new Frames() {
                @Override
                public int frames() {
                    return m.frames();
                }

                @Override
                public void readFrame(int frame, byte[] into) {
                    m.readFrame(frame, into);
                }

                @Override
                public void installFrame(int frame, byte[] from) {
                    m.installFrame(frame, from);
                }

                @Override
                public void wipe() {
                    m.wipe();
                }

                @Override
                public CopyOnWrite copyOnWrite() {
                    return cow;
                }

                @Override
                public DirtyPages dirtyPages() {
                    return m;
                }
            };
        }
    }

    Kernel kernel() {
        return kernel;
    }

    /** The flat state recovery began from (null before a recovery). */
    int[] restoredFrom() {
        return restoredFrom;
    }

    /**
     * The recovered abstract state: the {@code Kernel.tla} words recovery put back or, for a kernel with the spec in
     * lockstep, its words now (after the replayed steps).
     */
    int[] recoveredSpecState() {
        return kernel.machine().withSpec() && recoveredSpec != null
                ? kernel.machine().copySpecState()
                : recoveredSpec;
    }

    /** Replays logged steps as {@code as} says (a broken variant for the examples). */
    void replayAs(Replay as) {
        replayAs = as;
    }

    /**
     * Recovery into this world leaves its frames waiting for their contents, each paged in on its first touch (over a
     * memory that {@link Frames#pagesIn}: the IA-32 target's), as {@code cli}'s {@code KernelPersistent} recovers:
     * with {@code Recovery.run(true)}, nothing is read per frame before the kernel resumes. Returns this world.
     */
    KernelWorld restoringLazily() {
        if (!memory.pagesIn()) {
            throw new IllegalStateException("this world's frames cannot wait for their contents");
        }
        lazily = true;
        return this;
    }

    /** The frames that still wait for their contents (a lazy recovery's, not yet touched). */
    int waitingFrameCount() {
        return memory.waitingFrames();
    }

    /** The frames paged in since the last lazy recovery began. */
    long framesPagedIn() {
        return memory.pagedIn();
    }

    /** The logged steps {@link #replay} was given. */
    long replayed() {
        return replayed;
    }

    /** Replaces the recovered abstract state (the examples that show the checks bite). */
    void recoveredSpec(int[] words) {
        recoveredSpec = words.clone();
    }

    /** The objects in the order recovery restored them (frames included). */
    List<ObjectRef> restoreOrder() {
        return List.copyOf(restoreOrder);
    }

    @Override
    public Object lock() {
        return lock;
    }

    @Override
    public int[] copyState() {
        int[] impl = kernel.machine().copyState();
        int[] spec = kernel.machine().copySpecState();
        int[] state = new int[2 + impl.length + spec.length + KernelSnapshot.size(kernel)];
        int at = 0;
        state[at++] = impl.length;
        System.arraycopy(impl, 0, state, at, impl.length);
        at += impl.length;
        state[at++] = spec.length;
        System.arraycopy(spec, 0, state, at, spec.length);
        at += spec.length;
        KernelSnapshot.write(kernel, state, at);
        return state;
    }

    /**
     * The flat state as {@link #copyState} copies it, but as if the checkpointer held no snapshot page (KernelImpl's
     * words and Kernel.tla's, after the checkpointer's {@code UnmapSnapshot} of each page it holds): while a checkpoint
     * streams, the checkpointer's pages are part of the live machine, never of a checkpoint nor of a recovered system,
     * as {@code cli}'s {@code KernelPersistent.copyStateGivenBack}; the checkpointer's free list of pages in increasing
     * order ({@link CheckpointerPages#machineWordsInPageOrder}: a checkpoint keeps its snapshot's order, the live list
     * the order the log gave the pages back in). Under the world's lock.
     */
    int[] copyStateGivenBack() {
        int[] state = copyState();
        if (kernel.checkpointer() < 0) {
            return state;
        }
        java.util.BitSet held = kernel.snapshotPages();
        int[] impl = CheckpointerPages.machineWordsGivenBack(kernel, implWords(state), held);
        System.arraycopy(impl, 0, state, 1, impl.length);
        KernelCheckedMachine spec = spec(state);
        for (int v = held.nextSetBit(0); v >= 0; v = held.nextSetBit(v + 1)) {
            KernelCheckedMachine.Guard g = spec.unmapSnapshot(kernel.checkpointer(), v);
            if (g != KernelCheckedMachine.Guard.OK) {
                throw new IllegalStateException(
                        "Kernel.tla's UnmapSnapshot of the checkpointer's page " + v + " refused: " + g.description);
            }
        }
        int[] words = new int[spec.stateSize()];
        spec.copyStateTo(words);
        System.arraycopy(words, 0, state, 2 + state[0], words.length);
        return state;
    }

    /** The world's whole state: the flat state ({@link #copyStateGivenBack}) and every frame's bytes. */
    record State(int[] words, byte[][] frames) {}

    /**
     * The world's state now (as if the checkpointer held no snapshot page); frames whose bytes equal {@code previous}'s
     * share its arrays (null: none to share).
     */
    State capture(State previous) {
        byte[][] frames = new byte[memory.frames()][];
        for (int f = 0; f < frames.length; f++) {
            byte[] b = new byte[dev.ladle.kernel.hw.PhysicalMemory.PAGE_SIZE];
            memory.readFrame(f, b);
            frames[f] = previous != null && Arrays.equals(previous.frames()[f], b) ? previous.frames()[f] : b;
        }
        return new State(copyStateGivenBack(), frames);
    }

    /**
     * Where {@code got} differs from {@code want} (states of this world's kernel), named: a word of KernelImpl's
     * state, the variables of {@code Kernel.tla} that differ, a thread's scheduling state or register, a process's
     * read-only pages, a frame's byte; null when they are equal.
     */
    String difference(State want, State got) {
        int[] a = want.words();
        int[] b = got.words();
        List<String> out = new ArrayList<>();
        if (a.length != b.length || a[0] != b[0] || a[1 + a[0]] != b[1 + b[0]]) {
            return "the flat states differ in size (" + a.length + " and " + b.length + " words)";
        }
        int i = Arrays.mismatch(implWords(a), implWords(b));
        if (i >= 0) {
            out.add("KernelImpl's state word " + i);
        }
        if (!Arrays.equals(specWords(a), specWords(b))) {
            if (kernel.machine().withSpec()) {
                SpecShadow s = new SpecShadow(kernel.machine());
                s.spec.copyStateFrom(specWords(a));
                out.add("Kernel.tla's " + s.differingVariables(specWords(b)));
            } else {
                out.add("Kernel.tla's state words");
            }
        }
        int at = threadsAt(a);
        for (int t = 0; t < kernel.machine().sizes().threads(); t++) {
            int r = KernelSnapshot.threadAt(at, t);
            for (int k = 0; k < KernelSnapshot.THREAD_RECORD; k++) {
                if (a[r + k] != b[r + k]) {
                    out.add("thread object " + t + "'s "
                            + (k < KernelSnapshot.REGISTERS
                                    ? new String[] {"scheduling state", "fault page", "write fault"}[k]
                                    : Reg.values()[k - KernelSnapshot.REGISTERS].name())
                            + " (" + a[r + k] + " in the reference, " + b[r + k] + " recovered)");
                }
            }
        }
        int pages = KernelSnapshot.threadAt(at, kernel.machine().sizes().threads());
        if (Arrays.mismatch(a, pages, a.length, b, pages, b.length) >= 0) {
            out.add("read-only pages");
        }
        for (int f = 0; f < want.frames().length; f++) {
            int x = Arrays.mismatch(want.frames()[f], got.frames()[f]);
            if (x >= 0) {
                out.add(String.format(
                        "frame %d byte 0x%x (0x%02x in the reference, 0x%02x recovered)",
                        f, x, want.frames()[f][x], got.frames()[f][x]));
            }
        }
        return out.isEmpty() ? null : String.join("; ", out);
    }

    static int[] implWords(int[] state) {
        return Arrays.copyOfRange(state, 1, 1 + state[0]);
    }

    static int[] specWords(int[] state) {
        int m = state[1 + state[0]];
        int from = 2 + state[0];
        return Arrays.copyOfRange(state, from, from + m);
    }

    private static int threadsAt(int[] state) {
        return 2 + state[0] + state[1 + state[0]];
    }

    private KernelCheckedMachine spec(int[] state) {
        KernelCheckedMachine m =
                new KernelCheckedMachine(SpecShadow.config(kernel.machine().sizes()));
        m.copyStateFrom(specWords(state));
        return m;
    }

    @Override
    public List<KernelObject> objects(int[] state) {
        Machine.Sizes sz = kernel.machine().sizes();
        KernelCheckedMachine s = spec(state);
        List<KernelObject> objs = new ArrayList<>();
        for (int f = 0; f < memory.frames(); f++) {
            objs.add(new KernelObject(ref(Kinds.FRAME, f), List.of(), null));
        }
        // per process object (numbered like the threads): its page table, after the frames it maps, and its
        // address space, after its page table
        for (int q = 0; q < sz.threads(); q++) {
            List<ObjectRef> frames = new ArrayList<>();
            for (int v = 1; v <= sz.pages(); v++) {
                if (s.pt(q, v) != Machine.NO_FRAME) {
                    frames.add(ref(Kinds.FRAME, s.pt(q, v)));
                }
            }
            objs.add(new KernelObject(ref(Kinds.PAGETABLE, q), frames, new byte[0]));
            objs.add(new KernelObject(ref(Kinds.ADDRESSSPACE, q), List.of(ref(Kinds.PAGETABLE, q)), new byte[0]));
        }
        int at = threadsAt(state);
        for (int t = 0; t < sz.threads(); t++) {
            objs.add(new KernelObject(ref(Kinds.CAPTABLE, t), List.of(), new byte[0]));
            // every thread object, a free one too (its generation must survive); a live one after its process's
            // address space
            int q = s.proc(t);
            List<ObjectRef> threadDeps = new ArrayList<>(List.of(ref(Kinds.CAPTABLE, t)));
            if (q != Machine.NO_OBJ) {
                threadDeps.add(ref(Kinds.ADDRESSSPACE, q));
            }
            int record = KernelSnapshot.threadAt(at, t);
            int[] thread = Arrays.copyOfRange(state, record, record + KernelSnapshot.THREAD_RECORD);
            objs.add(new KernelObject(ref(Kinds.THREAD, t), threadDeps, words(thread)));
            for (int l = 1; l <= sz.localIds(); l++) {
                int o = s.cspaceObj(t, l);
                if (o != Machine.NO_OBJ) {
                    objs.add(new KernelObject(
                            entry(t, l), List.of(ref(Kinds.CAPTABLE, t), ref(Kinds.THREAD, o)), new byte[0]));
                }
            }
            for (int i = 1; i <= s.inboxLength(t); i++) {
                // its receiver, its sender, and its item where it landed (if still there)
                List<ObjectRef> deps = new ArrayList<>(List.of(ref(Kinds.THREAD, t)));
                ObjectRef from = ref(Kinds.THREAD, s.inboxFrom(t, i));
                if (!deps.contains(from)) {
                    deps.add(from);
                }
                int slot = s.inboxItemSlot(t, i);
                String kind = s.inboxItemKind(t, i).name().toLowerCase();
                if (kind.endsWith("page") && slot >= 1 && q != Machine.NO_OBJ && s.pt(q, slot) != Machine.NO_FRAME) {
                    deps.add(ref(Kinds.FRAME, s.pt(q, slot)));
                } else if (kind.endsWith("cap") && slot >= 1 && s.cspaceObj(t, slot) != Machine.NO_OBJ) {
                    deps.add(entry(t, slot));
                }
                objs.add(new KernelObject(ref(Kinds.MESSAGE, t * sz.vector() + i - 1), deps, new byte[0]));
            }
        }
        return objs;
    }

    private ObjectRef entry(int t, int l) {
        return ref(Kinds.CAPENTRY, t * kernel.machine().sizes().localIds() + l - 1);
    }

    private static ObjectRef ref(Kinds k, int id) {
        return new ObjectRef(k, id);
    }

    private static byte[] words(int[] w) {
        ByteBuffer b = ByteBuffer.allocate(4 * w.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : w) {
            b.putInt(x);
        }
        return b.array();
    }

    @Override
    public int frames() {
        return memory.frames();
    }

    @Override
    public CopyOnWrite copyOnWrite() {
        return memory.copyOnWrite();
    }

    @Override
    public DirtyPages dirtyPages() {
        return memory.dirtyPages();
    }

    @Override
    public void readFrame(int frame, byte[] into) {
        memory.readFrame(frame, into);
    }

    @Override
    public void beginRestore(int[] state) {
        restoredFrom = state.clone();
        restoreOrder.clear();
        // each thread's registers come back with its own record
        recoveredSpec = specWords(state);
        KernelSnapshot.restore(
                kernel,
                implWords(state),
                kernel.machine().withSpec() ? recoveredSpec : null,
                state,
                threadsAt(state),
                false);
        if (lazily) {
            // every frame waits for its contents: a frame restored whole (a replayed page) is never asked
            WaitingFrames w = new WaitingFrames(memory.frames());
            waiting = w;
            memory.awaitContents(f -> pagedIn(w, f));
        } else {
            waiting = null;
            memory.wipe();
        }
    }

    /** Frame {@code f}'s contents on its first touch (as {@link Replay#PAGE_IN_ZEROS} breaks them); null: zeros. */
    private byte[] pagedIn(WaitingFrames w, int f) {
        byte[] c = w.contents(f);
        if (replayAs == Replay.PAGE_IN_ZEROS && !zeroed && c != null && !Arrays.equals(c, new byte[c.length])) {
            zeroed = true;
            return null;
        }
        return c;
    }

    @Override
    public void restoreObject(KernelObject o) {
        restoreOrder.add(o.ref());
        if (o.ref().kind() == Kinds.THREAD) {
            ByteBuffer b = ByteBuffer.wrap(o.payload()).order(ByteOrder.LITTLE_ENDIAN);
            b.position(4 * KernelSnapshot.REGISTERS); // scheduling state and fault page: in the flat state
            KernelThread t = kernel.thread(o.ref().id());
            for (Reg r : Reg.values()) {
                if (t == null) {
                    break; // a free thread object: only its generation, in the machine's words
                }
                t.set(r, b.getInt());
            }
            if (t != null && replayAs == Replay.WRONG_EFLAGS && t.state() != KernelThread.State.DEAD) {
                t.set(Reg.EFLAGS, t.get(Reg.EFLAGS) ^ 1);
            }
        }
    }

    @Override
    public void restoreFrame(int frame, Supplier<byte[]> contents, boolean lazy) {
        restoreOrder.add(ref(Kinds.FRAME, frame));
        if (lazy && waiting != null && memory.waits(frame)) {
            waiting.restoreFrame(frame, contents); // asked on its first touch
            return;
        }
        memory.installFrame(frame, contents.get());
    }

    /**
     * A lazy recovery's frames: kept and asked for on first touch where frames wait ({@link #restoringLazily}), else
     * restored now, one by one.
     */
    @Override
    public void restoreFramesLazily(LazyFrames frames) {
        if (waiting == null) {
            Persistent.super.restoreFramesLazily(frames);
            return;
        }
        waiting.restoreFramesLazily(frames);
    }

    @Override
    public void replayPage(int frame, byte[] contents) {
        if (replayAs == Replay.LOSE_LAST_PAGE_WRITE) {
            byte[] before = new byte[dev.ladle.kernel.hw.PhysicalMemory.PAGE_SIZE];
            memory.readFrame(frame, before);
            if (!Arrays.equals(before, contents)) {
                lostFrame = frame;
                lostBefore = before;
            }
        }
        memory.installFrame(frame, contents);
    }

    /**
     * The operation record of one scheduler step: thread {@code t} stopped with {@code stop}, its registers as they
     * are at the stop, not yet handled by the kernel. An update of the thread's object (every thread object is an
     * object of this world, a free one too); its code and arguments are the stop's ({@link Stop#code()}, {@link
     * Stop#args()}), as the command line's persistent system logs them.
     */
    static Operation stepOperation(KernelThread t, Stop stop) {
        return new Operation(
                stop.code(), Operation.Effect.UPDATE, ref(Kinds.THREAD, t.id()), t.id(), stop.args(), 0, t.registers());
    }

    /** Replays one logged scheduler step through the kernel (and so through the generated machines). */
    @Override
    public void replay(Operation op) {
        KernelThread t = kernel.thread(op.thread());
        if (t == null || op.regs().length != Reg.COUNT) {
            throw new IllegalArgumentException("operation record of thread " + op.thread() + " with " + op.regs().length
                    + " registers does not fit this system");
        }
        Stop stop;
        try {
            stop = Stop.decode(op.code(), op.args());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("operation record of thread " + op.thread() + ": " + e.getMessage(), e);
        }
        replayed++;
        if (replayAs == Replay.NONE || replayAs == Replay.SKIP_FIRST && replayed == 1) {
            return;
        }
        int[] before =
                replayAs == Replay.FIRST_TWICE && !doubled ? kernel.machine().copyState() : null;
        kernel.replayStep(t, op.regs(), stop);
        if (before != null && !Arrays.equals(before, kernel.machine().copyState())) {
            // handled again; a second handling the machine refuses (a full inbox) changes nothing: the next step then
            int[] once = kernel.machine().copyState();
            kernel.replayStep(t, op.regs(), stop);
            doubled = !Arrays.equals(once, kernel.machine().copyState());
        }
        kernel.wake(); // as the run did at the end of the step
    }

    /** The generated checkers: KernelImpl's on the kernel, Kernel.tla's on the recovered abstract state. */
    @Override
    public List<String> checkInvariants() {
        if (lostFrame >= 0) { // recovery calls this once, at the end of the replay
            memory.installFrame(lostFrame, lostBefore);
            lostFrame = -1;
        }
        List<String> failed = new ArrayList<>(kernel.machine().failingInvariants());
        String pages = kernel.pageTableMismatch();
        if (pages != null) {
            failed.add("page tables: " + pages);
        }
        if (recoveredSpec != null && !kernel.machine().withSpec()) { // in lockstep: among the machine's own
            KernelCheckedMachine s =
                    new KernelCheckedMachine(SpecShadow.config(kernel.machine().sizes()));
            s.copyStateFrom(recoveredSpec);
            for (int i = 0; i < KernelCheckedMachine.INVARIANTS.length; i++) {
                if (!s.invariant(i)) {
                    failed.add("Kernel!" + KernelCheckedMachine.INVARIANTS[i]);
                }
            }
            if (!s.typeOK()) {
                failed.add("Kernel!TypeOK");
            }
        }
        return failed;
    }
}
