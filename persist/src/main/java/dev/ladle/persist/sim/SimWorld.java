package dev.ladle.persist.sim;

import dev.ladle.kernel.gen.persistence.Kinds;
import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.persist.Operation;
import dev.ladle.persist.Persistent;
import dev.ladle.persist.Recovery;
import dev.ladle.persist.mem.CopyOnWrite;
import dev.ladle.persist.mem.DirtyPages;
import dev.ladle.persist.mem.InMemoryPhysicalMemory;
import dev.ladle.persist.model.KernelObject;
import dev.ladle.persist.model.ObjectRef;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * A small stand-in for the kernel's world, used by the tests and the benchmark of persistence until it is
 * connected to the kernel: processes with address spaces (one page table each, every page mapped to its own
 * frame), threads with registers and capability tables whose entries name other threads, and bounded inboxes
 * of 6-word messages that may carry a frame. Its metadata is one flat int array, as the generated machine's is.
 * User code writes memory (not logged: page deltas carry it); syscalls ({@link #SEND}, {@link #RECV},
 * {@link #GRANT}) go through the operation log before they take effect.
 *
 * <pre>
 * state[0]                        operations applied
 * thread t   (12 words)           alive, process, 10 registers (EAX..EFLAGS)
 * cap (t, s) (1 word)             target thread + 1, 0 empty
 * msg (t, i) (8 words)            used, 6 words, item frame + 1 (0 none)
 * page (p, v) (1 word)            frame + 1, 0 unmapped
 * </pre>
 */
public final class SimWorld implements Persistent {
    public static final int SEND = 1;
    public static final int RECV = 2;
    public static final int GRANT = 3;
    /** Deletes the thread the caller's local id names (not the caller): its table, entries and inbox go with it. */
    public static final int THREAD_DELETE = 4;
    /** Creates a thread in the caller's process, in the lowest free thread slot; the caller gets an entry to it. */
    public static final int THREAD_CREATE = 5;

    private static final int TS = 12;
    private static final int CAPS = 4;
    private static final int INBOX = 4;
    private static final int MS = 8;

    private final int processes;
    private final int threads;
    private final int pages;
    private final int tBase = 1;
    private final int cBase;
    private final int mBase;
    private final int pBase;
    private int[] state;
    private final InMemoryPhysicalMemory memory;
    /** Each frame's contents while it waits for its first touch (null: in place), and how many wait. */
    private Supplier<byte[]>[] lazy;
    /**
     * A lazy recovery's frames, asked on first touch (null: none), the frames settled since (touched or replayed), and
     * those of them replayed before any touch: whether the source held them is asked only when {@link
     * #framesNotPagedIn} counts them (a replayed page does not read the source's index).
     */
    private LazyFrames source;

    private java.util.BitSet settled;
    private java.util.BitSet replayedUnread;

    /** Each process's page table while it waits for its first use after a lazy recovery (null: in place). */
    private Supplier<KernelObject>[] tables;

    private int waiting;
    private final Object lock = new Object();
    private final List<Long> snapshotDigests = new ArrayList<>();
    private long pagedIn;
    private boolean recordDigests;

    /** {@code processes} processes of {@code threadsPerProcess} threads, {@code pages} pages each. */
    public SimWorld(int processes, int threadsPerProcess, int pages) {
        this(processes, threadsPerProcess, pages, 0);
    }

    /**
     * As {@link #SimWorld(int, int, int)}, with {@code spareFrames} frames of memory after those the pages map (free
     * memory): no page maps them, so no checkpoint holds them.
     */
    public SimWorld(int processes, int threadsPerProcess, int pages, int spareFrames) {
        if (spareFrames < 0) {
            throw new IllegalArgumentException("spare frames: " + spareFrames + ", not a count");
        }
        this.processes = processes;
        this.threads = processes * threadsPerProcess;
        this.pages = pages;
        this.cBase = tBase + threads * TS;
        this.mBase = cBase + threads * CAPS;
        this.pBase = mBase + threads * INBOX * MS;
        this.state = new int[pBase + processes * pages];
        this.memory = new InMemoryPhysicalMemory(processes * pages + spareFrames);
        for (int t = 0; t < threads; t++) {
            state[tBase + t * TS] = 1;
            state[tBase + t * TS + 1] = t / threadsPerProcess;
            state[cBase + t * CAPS] = (t + 1) % threads + 1;
            state[cBase + t * CAPS + 1] = (t + threadsPerProcess) % threads + 1;
        }
        for (int p = 0; p < processes; p++) {
            for (int v = 0; v < pages; v++) {
                state[pBase + p * pages + v] = p * pages + v + 1;
            }
        }
    }

    public int threads() {
        return threads;
    }

    public int processes() {
        return processes;
    }

    public InMemoryPhysicalMemory memory() {
        return memory;
    }

    public long memoryBytes() {
        return (long) memory.frames() * PhysicalMemory.PAGE_SIZE;
    }

    @Override
    public Object lock() {
        return lock;
    }

    // ------------------------------------------------------------------ user code and syscalls

    private int frameOf(int t, int vpn) {
        int p = state[tBase + t * TS + 1];
        settleTable(p);
        return state[pBase + p * pages + vpn] - 1;
    }

    /**
     * The frame's contents waiting for its first touch, taken off (null: none). A frame of a lazy recovery's source
     * is settled without reading the source: the caller overwrites it (a replayed page, a frame restored whole).
     */
    private Supplier<byte[]> takeLazy(int f) {
        Supplier<byte[]> s = lazy == null || f < 0 || f >= lazy.length ? null : lazy[f];
        if (s != null) {
            lazy[f] = null;
            waiting--;
        }
        if (fromSource(f)) {
            settled.set(f);
            replayedUnread.set(f);
        }
        return s;
    }

    /**
     * Restores process {@code p}'s page table if it still waits for its first use: read from the log, then checked
     * as {@link #checkInvariants} checks it ({@code PageTableMapsFrames}) before it takes effect. A table whose
     * record is damaged, or whose entries name no frame, fails this use and the next ones with {@link
     * Recovery.ObjectLost}, and is never read as empty.
     */
    private void settleTable(int p) {
        if (tables == null || p < 0 || p >= processes || tables[p] == null) {
            return;
        }
        KernelObject o = tables[p].get();
        byte[] words = o.payload();
        ByteBuffer b = ByteBuffer.wrap(words).order(ByteOrder.LITTLE_ENDIAN);
        boolean fits = words.length == 4 * pages;
        for (int i = 0; fits && i < pages; i++) {
            int w = b.getInt(4 * i);
            fits = w >= 0 && w <= memory.frames();
        }
        if (!fits) {
            throw new Recovery.ObjectLost(
                    o.ref() + ", restored on first use, breaks PageTableMapsFrames (" + words.length + " bytes)", null);
        }
        putWords(pBase + p * pages, words);
        tables[p] = null;
    }

    /** Restores every page table that still waits for its first use. */
    private void settleTables() {
        for (int p = 0; tables != null && p < processes; p++) {
            settleTable(p);
        }
    }

    /** Whether frame {@code f} still waits for its first touch to be read from a lazy recovery's source. */
    private boolean fromSource(int f) {
        return source != null && f >= 0 && f < source.count() && !settled.get(f);
    }

    private void touch(int f) {
        Supplier<byte[]> s = lazy == null || f < 0 || f >= lazy.length ? null : lazy[f];
        if (s != null) {
            lazy[f] = null;
            waiting--;
            memory.adoptFrame(f, s.get());
            pagedIn++;
        } else if (fromSource(f)) {
            // settled only once read: a frame whose record turns out damaged (Recovery.ObjectLost) stays unread, and
            // its next touch fails again rather than reading zeros
            byte[] c = source.contents(f);
            settled.set(f);
            if (c != null) {
                waiting--;
                memory.adoptFrame(f, c);
                pagedIn++;
            }
        }
    }

    /** User code of thread {@code t} stores a word in its memory (not an operation: a page delta will carry it). */
    public void store(int t, int vpn, int offset, int value) {
        synchronized (lock) {
            int f = frameOf(t, vpn);
            touch(f);
            // registers of user code are recorded at the thread's next trap (the operation record carries them),
            // so a store changes memory only
            memory.writeInt((long) f * PhysicalMemory.PAGE_SIZE + (offset & 4092), value);
        }
    }

    /** User code of thread {@code t} reads a word of its memory. */
    public int load(int t, int vpn, int offset) {
        synchronized (lock) {
            int f = frameOf(t, vpn);
            touch(f);
            return memory.readInt((long) f * PhysicalMemory.PAGE_SIZE + (offset & 4092));
        }
    }

    /**
     * Decides a syscall of thread {@code t} without changing anything: the operation record that {@link #apply}
     * then performs (the operation log appends it in between).
     */
    public Operation decide(int t, int code, int... args) {
        int[] regs = Arrays.copyOfRange(state, tBase + t * TS + 2, tBase + t * TS + 12);
        switch (code) {
            case SEND -> {
                int target = state[cBase + t * CAPS + (args[0] & (CAPS - 1))] - 1;
                int slot = target < 0 ? -1 : freeSlot(target);
                if (slot < 0) {
                    return new Operation(code, Operation.Effect.UPDATE, ref(Kinds.THREAD, t), t, args, -1, regs);
                }
                return new Operation(
                        code, Operation.Effect.CREATE, ref(Kinds.MESSAGE, target * INBOX + slot), t, args, 0, regs);
            }
            case RECV -> {
                int slot = firstUsed(t);
                if (slot < 0) {
                    return new Operation(code, Operation.Effect.UPDATE, ref(Kinds.THREAD, t), t, args, -1, regs);
                }
                return new Operation(
                        code, Operation.Effect.DELETE, ref(Kinds.MESSAGE, t * INBOX + slot), t, args, 0, regs);
            }
            case GRANT -> {
                int target = Math.floorMod(args[1], threads);
                if (!alive(target)) {
                    return new Operation(code, Operation.Effect.UPDATE, ref(Kinds.THREAD, t), t, args, -1, regs);
                }
                return new Operation(
                        code,
                        Operation.Effect.UPDATE,
                        ref(Kinds.CAPENTRY, t * CAPS + (args[0] & (CAPS - 1))),
                        t,
                        args,
                        0,
                        regs);
            }
            case THREAD_DELETE -> {
                int victim = state[cBase + t * CAPS + (args[0] & (CAPS - 1))] - 1;
                if (victim < 0 || victim == t) {
                    return new Operation(code, Operation.Effect.UPDATE, ref(Kinds.THREAD, t), t, args, -1, regs);
                }
                return new Operation(code, Operation.Effect.DELETE, ref(Kinds.THREAD, victim), t, args, 0, regs);
            }
            case THREAD_CREATE -> {
                int u = 0;
                while (u < threads && alive(u)) {
                    u++;
                }
                if (u == threads || freeCap(t) < 0) {
                    return new Operation(code, Operation.Effect.UPDATE, ref(Kinds.THREAD, t), t, args, -1, regs);
                }
                return new Operation(code, Operation.Effect.CREATE, ref(Kinds.THREAD, u), t, args, 0, regs);
            }
            default -> throw new IllegalArgumentException("no syscall " + code);
        }
    }

    /** Whether thread slot {@code t} holds a thread. */
    public boolean alive(int t) {
        synchronized (lock) {
            return state[tBase + t * TS] != 0;
        }
    }

    private int freeCap(int t) {
        for (int s = 0; s < CAPS; s++) {
            if (state[cBase + t * CAPS + s] == 0) {
                return s;
            }
        }
        return -1;
    }

    private static ObjectRef ref(Kinds k, int id) {
        return new ObjectRef(k, id);
    }

    private int freeSlot(int t) {
        for (int i = 0; i < INBOX; i++) {
            if (state[mBase + (t * INBOX + i) * MS] == 0) {
                return i;
            }
        }
        return -1;
    }

    private int firstUsed(int t) {
        for (int i = 0; i < INBOX; i++) {
            if (state[mBase + (t * INBOX + i) * MS] != 0) {
                return i;
            }
        }
        return -1;
    }

    /** Performs a decided operation (first run, or replay: the same code). */
    public void apply(Operation op) {
        synchronized (lock) {
            int t = op.thread();
            System.arraycopy(op.regs(), 0, state, tBase + t * TS + 2, 10);
            state[0]++;
            int[] a = op.args();
            if (op.result() == 0) {
                switch (op.code()) {
                    case SEND -> {
                        int m = mBase + op.object().id() * MS;
                        state[m] = 1;
                        for (int i = 0; i < 6; i++) {
                            state[m + 1 + i] = a[1 + i];
                        }
                        state[m + 7] = a[7] < 0 ? 0 : frameOf(t, a[7] % pages) + 1;
                    }
                    case RECV -> {
                        int m = mBase + op.object().id() * MS;
                        for (int i = 0; i < 6; i++) {
                            state[tBase + t * TS + 2 + 1 + i] = state[m + 1 + i];
                        }
                        Arrays.fill(state, m, m + MS, 0);
                    }
                    case GRANT -> state[cBase + t * CAPS + (a[0] & (CAPS - 1))] = Math.floorMod(a[1], threads) + 1;
                    case THREAD_DELETE -> {
                        int v = op.object().id();
                        Arrays.fill(state, tBase + v * TS, tBase + (v + 1) * TS, 0);
                        Arrays.fill(state, cBase + v * CAPS, cBase + (v + 1) * CAPS, 0);
                        Arrays.fill(state, mBase + v * INBOX * MS, mBase + (v + 1) * INBOX * MS, 0);
                        for (int i = 0; i < threads * CAPS; i++) {
                            if (state[cBase + i] == v + 1) {
                                state[cBase + i] = 0;
                            }
                        }
                    }
                    case THREAD_CREATE -> {
                        int u = op.object().id();
                        state[cBase + t * CAPS + freeCap(t)] = u + 1;
                        state[tBase + u * TS] = 1;
                        state[tBase + u * TS + 1] = state[tBase + t * TS + 1];
                    }
                    default -> throw new IllegalStateException("no syscall " + op.code());
                }
            }
            state[tBase + t * TS + 2] = op.result(); // EAX: the result code
            state[tBase + t * TS + 2 + 8] += 2; // EIP after int 0x30
        }
    }

    /** A random syscall of a random thread, with the arguments it would take. */
    public int[] randomSyscall(Random r, int[] out) {
        out[0] = r.nextInt(threads);
        out[1] = 1 + r.nextInt(3);
        return out;
    }

    public int[] argsFor(Random r, int code) {
        return switch (code) {
            case SEND -> {
                int[] a = new int[8];
                a[0] = r.nextInt(2);
                for (int i = 1; i < 7; i++) {
                    a[i] = r.nextInt();
                }
                a[7] = r.nextInt(4) == 0 ? r.nextInt(pages) : -1;
                yield a;
            }
            case RECV, THREAD_CREATE -> new int[0];
            case THREAD_DELETE -> new int[] {r.nextInt(CAPS)};
            default -> new int[] {2 + r.nextInt(2), r.nextInt(threads)};
        };
    }

    // ------------------------------------------------------------------ Persistent

    /** Keeps a digest of the state at every snapshot (tests; it reads all memory, so not in benchmarks). */
    public void recordDigests(boolean on) {
        this.recordDigests = on;
    }

    @Override
    public int frames() {
        return memory.frames();
    }

    @Override
    public int[] copyState() {
        synchronized (lock) {
            settleTables();
            if (recordDigests) {
                snapshotDigests.add(digest());
            }
            return state.clone();
        }
    }

    /**
     * A checkpoint after a lazy recovery: what still waits for its first use (the page tables, which the snapshot
     * copies, and the frames the checkpoint reads from memory: all but {@code referred}) is read now, before the pause.
     */
    @Override
    public void beforeCheckpoint(java.util.BitSet referred) {
        synchronized (lock) {
            settleTables();
            if (lazy == null && source == null) {
                return;
            }
            for (int f = 0; f < frames(); f++) {
                if (!referred.get(f)) {
                    touch(f);
                }
            }
        }
    }

    @Override
    public java.util.BitSet framesWaiting() {
        synchronized (lock) {
            java.util.BitSet w = new java.util.BitSet();
            if (source != null) {
                w.set(0, source.count());
                w.andNot(settled);
            }
            for (int f = 0; lazy != null && f < lazy.length; f++) {
                if (lazy[f] != null) {
                    w.set(f);
                }
            }
            return w;
        }
    }

    @Override
    public int stateWords() {
        synchronized (lock) {
            settleTables(); // restored by beforeCheckpoint already, unless the caller skipped it
            return state.length;
        }
    }

    @Override
    public void copyStateTo(java.nio.IntBuffer into) {
        synchronized (lock) {
            settleTables();
            if (recordDigests) {
                snapshotDigests.add(digest());
            }
            into.put(state);
        }
    }

    @Override
    public List<KernelObject> objects(int[] state) {
        List<KernelObject> objs = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            List<ObjectRef> frames = new ArrayList<>();
            for (int v = 0; v < pages; v++) {
                int f = state[pBase + p * pages + v] - 1;
                if (f >= 0) {
                    frames.add(ref(Kinds.FRAME, f));
                    objs.add(new KernelObject(ref(Kinds.FRAME, f), List.of(), null));
                }
            }
            objs.add(new KernelObject(ref(Kinds.PAGETABLE, p), frames, words(state, pBase + p * pages, pages)));
            objs.add(new KernelObject(ref(Kinds.ADDRESSSPACE, p), List.of(ref(Kinds.PAGETABLE, p)), new byte[0]));
        }
        for (int t = 0; t < threads; t++) {
            if (state[tBase + t * TS] == 0) {
                continue;
            }
            objs.add(new KernelObject(ref(Kinds.CAPTABLE, t), List.of(), new byte[0]));
            objs.add(new KernelObject(
                    ref(Kinds.THREAD, t),
                    List.of(ref(Kinds.ADDRESSSPACE, state[tBase + t * TS + 1]), ref(Kinds.CAPTABLE, t)),
                    words(state, tBase + t * TS, TS)));
            for (int s = 0; s < CAPS; s++) {
                int target = state[cBase + t * CAPS + s] - 1;
                if (target >= 0) {
                    objs.add(new KernelObject(
                            ref(Kinds.CAPENTRY, t * CAPS + s),
                            List.of(ref(Kinds.CAPTABLE, t), ref(Kinds.THREAD, target)),
                            words(state, cBase + t * CAPS + s, 1)));
                }
            }
            for (int i = 0; i < INBOX; i++) {
                int m = mBase + (t * INBOX + i) * MS;
                if (state[m] != 0) {
                    List<ObjectRef> deps = new ArrayList<>(List.of(ref(Kinds.THREAD, t)));
                    if (state[m + 7] != 0) {
                        deps.add(ref(Kinds.FRAME, state[m + 7] - 1));
                    }
                    objs.add(new KernelObject(ref(Kinds.MESSAGE, t * INBOX + i), deps, words(state, m, MS)));
                }
            }
        }
        return objs;
    }

    private static byte[] words(int[] state, int from, int n) {
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putInt(state[from + i]);
        }
        return b.array();
    }

    private void putWords(int at, byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; b.remaining() >= 4; i++) {
            state[at + i] = b.getInt();
        }
    }

    /** The digest taken at each snapshot, in order (tests match them with the checkpoints' LSNs). */
    public List<Long> snapshotDigests() {
        synchronized (lock) {
            return List.copyOf(snapshotDigests);
        }
    }

    @Override
    public CopyOnWrite copyOnWrite() {
        return memory;
    }

    @Override
    public DirtyPages dirtyPages() {
        return memory;
    }

    @Override
    public void readFrame(int frame, byte[] into) {
        touch(frame);
        memory.readFrame(frame, into);
    }

    @Override
    public void beginRestore(int[] machineState) {
        synchronized (lock) {
            memory.wipe();
            lazy = null;
            tables = null;
            source = null;
            settled = null;
            replayedUnread = null;
            waiting = 0;
            // only the global words come from the flat copy; every object's words come from its own record
            state = new int[machineState.length];
            state[0] = machineState[0];
        }
    }

    @Override
    public void restoreObject(KernelObject o) {
        synchronized (lock) {
            int id = o.ref().id();
            switch (o.ref().kind()) {
                case PAGETABLE -> {
                    putWords(pBase + id * pages, o.payload());
                    if (tables != null) {
                        tables[id] = null;
                    }
                }
                case THREAD -> putWords(tBase + id * TS, o.payload());
                case CAPENTRY -> putWords(cBase + id, o.payload());
                case MESSAGE -> putWords(mBase + id * MS, o.payload());
                case ADDRESSSPACE, CAPTABLE -> {}
                default -> throw new IllegalArgumentException("not an object of this world: " + o.ref());
            }
        }
    }

    @Override
    public void restoreFrame(int frame, Supplier<byte[]> contents, boolean lazily) {
        synchronized (lock) {
            if (lazily) {
                if (lazy == null) {
                    @SuppressWarnings("unchecked")
                    Supplier<byte[]>[] none = new Supplier[frames()];
                    lazy = none;
                }
                if (lazy[frame] == null) {
                    waiting++;
                }
                lazy[frame] = contents;
            } else {
                memory.adoptFrame(frame, contents.get());
            }
        }
    }

    /** Keeps a page table's record to read on its process's first use of memory; restores anything else now. */
    @Override
    public void restoreObjectLazily(ObjectRef ref, Supplier<KernelObject> object) {
        synchronized (lock) {
            if (ref.kind() != Kinds.PAGETABLE || ref.id() < 0 || ref.id() >= processes) {
                restoreObject(object.get());
                return;
            }
            if (tables == null) {
                @SuppressWarnings("unchecked")
                Supplier<KernelObject>[] none = new Supplier[processes];
                tables = none;
            }
            tables[ref.id()] = object;
        }
    }

    /** Keeps {@code frames} and asks it on a frame's first touch: nothing is done per frame now. */
    @Override
    public void restoreFramesLazily(LazyFrames frames) {
        synchronized (lock) {
            source = frames;
            settled = new java.util.BitSet(frames.count());
            replayedUnread = new java.util.BitSet(frames.count());
            // the frames it holds wait (not those it covers and does not hold); its index is not read for the count
            waiting += frames.held();
        }
    }

    @Override
    public void restoreFrame(int frame, ByteBuffer from, int offset) {
        synchronized (lock) {
            memory.installFrame(frame, from, offset);
        }
    }

    @Override
    public void replayPage(int frame, byte[] contents) {
        synchronized (lock) {
            takeLazy(frame);
            memory.installFrame(frame, contents);
        }
    }

    @Override
    public void replay(Operation op) {
        apply(op);
    }

    /** Pages in every frame still waiting for its first touch; returns how many. */
    public int pageInAll() {
        synchronized (lock) {
            settleTables();
            int n = framesNotPagedIn();
            for (int f = 0; (lazy != null || source != null) && f < frames(); f++) {
                touch(f);
            }
            return n;
        }
    }

    /** The page tables a lazy recovery left to be restored on their first use, not restored yet. */
    public int pageTablesWaiting() {
        synchronized (lock) {
            int n = 0;
            for (int p = 0; tables != null && p < processes; p++) {
                n += tables[p] == null ? 0 : 1;
            }
            return n;
        }
    }

    /**
     * The frames a lazy recovery restored that are still waiting for their first touch: those the checkpoint holds,
     * neither paged in nor overwritten by a replayed page since. Asks the recovery's source whether it held each frame
     * replayed before it was touched (reading the part of the index that covers it, once).
     */
    public int framesNotPagedIn() {
        synchronized (lock) {
            if (replayedUnread != null) {
                for (int f = replayedUnread.nextSetBit(0); f >= 0; f = replayedUnread.nextSetBit(f + 1)) {
                    if (source.has(f)) {
                        waiting--;
                    }
                    replayedUnread.clear(f); // counted once
                }
            }
            return waiting;
        }
    }

    @Override
    public List<String> checkInvariants() {
        synchronized (lock) {
            List<String> bad = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                for (int s = 0; s < CAPS; s++) {
                    int target = state[cBase + t * CAPS + s] - 1;
                    if (target >= threads || (target >= 0 && state[tBase + target * TS] == 0)) {
                        bad.add("CapEntryTargetsLiveThread");
                    }
                }
                if (state[tBase + t * TS] != 0 && state[tBase + t * TS + 1] >= processes) {
                    bad.add("ThreadHasAddressSpace");
                }
            }
            // a page table still waiting for its first use is checked when it is restored (settleTable)
            for (int i = 0; i < processes * pages; i++) {
                if (tables != null && tables[i / pages] != null) {
                    i += pages - 1;
                } else if (state[pBase + i] < 0 || state[pBase + i] > memory.frames()) {
                    bad.add("PageTableMapsFrames");
                }
            }
            return bad.stream().distinct().toList();
        }
    }

    /** A digest of the whole state: metadata and every frame's contents (frames paged in as needed). */
    public long digest() {
        synchronized (lock) {
            settleTables();
            CRC32C c = new CRC32C();
            ByteBuffer b = ByteBuffer.allocate(4 * state.length).order(ByteOrder.LITTLE_ENDIAN);
            for (int w : state) {
                b.putInt(w);
            }
            c.update(b.array());
            byte[] f = new byte[PhysicalMemory.PAGE_SIZE];
            for (int i = 0; i < memory.frames(); i++) {
                touch(i);
                memory.readFrame(i, f);
                c.update(f);
            }
            return c.getValue() ^ ((long) state[0] << 32);
        }
    }

    /** The flat metadata, copied. */
    public int[] state() {
        synchronized (lock) {
            settleTables();
            return state.clone();
        }
    }

    /**
     * What process {@code p} owns: its address space and page table, its threads with their capability tables,
     * entries and inbox messages (the roots of a per-process checkpoint; its frames come with the page table).
     */
    public List<ObjectRef> processObjects(int p) {
        synchronized (lock) {
            List<ObjectRef> out = new ArrayList<>(List.of(ref(Kinds.ADDRESSSPACE, p), ref(Kinds.PAGETABLE, p)));
            for (int t = 0; t < threads; t++) {
                if (state[tBase + t * TS] == 0 || state[tBase + t * TS + 1] != p) {
                    continue;
                }
                out.add(ref(Kinds.THREAD, t));
                out.add(ref(Kinds.CAPTABLE, t));
                for (int s = 0; s < CAPS; s++) {
                    if (state[cBase + t * CAPS + s] != 0) {
                        out.add(ref(Kinds.CAPENTRY, t * CAPS + s));
                    }
                }
                for (int i = 0; i < INBOX; i++) {
                    if (state[mBase + (t * INBOX + i) * MS] != 0) {
                        out.add(ref(Kinds.MESSAGE, t * INBOX + i));
                    }
                }
            }
            return out;
        }
    }

    public long pagedIn() {
        return pagedIn;
    }
}
