package dev.ladle.cli;

import dev.ladle.kernel.Kernel;
import dev.ladle.kernel.KernelSnapshot;
import dev.ladle.kernel.KernelThread;
import dev.ladle.kernel.gen.persistence.Kinds;
import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.kernel.hw.Reg;
import dev.ladle.kernel.hw.Stop;
import dev.ladle.persist.Operation;
import dev.ladle.persist.Persistent;
import dev.ladle.persist.mem.CheckpointerPages;
import dev.ladle.persist.mem.CopyOnWrite;
import dev.ladle.persist.mem.DirtyPages;
import dev.ladle.persist.mem.WaitingFrames;
import dev.ladle.persist.model.KernelObject;
import dev.ladle.persist.model.ObjectRef;
import dev.ladle.x86.DirtyFrames;
import dev.ladle.x86.X86AddressSpace;
import dev.ladle.x86.X86PhysicalMemory;
import dev.ladle.x86.X86Platform;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Persistence's view of a running kernel: its flat state is the generated machine's state words, every thread's
 * scheduling state and registers, and the scheduler steps made so far (the system's progress); its frames are the
 * kernel's frames {@code 0 .. limits frames}. The driver runs the kernel one scheduler step at a time holding
 * {@link #lock()}, so a checkpoint's stop-the-world copy falls between steps.
 *
 * <p>The checkpoint's frames go to the log through the checkpointer thread ({@link CheckpointerPages}): the kernel maps
 * each into the checkpointer's address space ({@link Kernel#mapSnapshot}), the log writes it from there, and the
 * checkpointer unmaps it; the stop-the-world step copies no frame, and a frame is copied only when something may write
 * it before it is logged. Dirty tracking is the x86 target's ({@link DirtyFrames}): a frame is in both sets (since the
 * last checkpoint, since the last operation record) from its first write after a drain, told by the D bit's first-write
 * stop for user code and by the memory for the kernel's own writes; a drain re-arms the frames it returns. No frame is
 * compared or copied for it, and a drain costs the frames it returns, not the memory.
 *
 * <p>In the modes that log operations, each scheduler step is one operation record ({@link #stepOperation}): the
 * thread that ran, why its slice stopped (a trap with its vector, a page fault with its address, a bad instruction,
 * the quantum, {@code hlt}) and its registers at that moment, which hold a system call's arguments, appended before
 * the kernel acts on it; the pages the step wrote go before it as page deltas. {@link #replay} sets the registers
 * and lets the kernel handle the same stop again ({@link Kernel#replayStep}): a system call goes through the
 * generated machine's actions once more. Each replayed step ends with {@link Kernel#wake}, as each logged step did.
 *
 * <p>Recovery restores frames lazily: from {@link #beginRestore} on every frame waits for its contents ({@link
 * X86Platform#awaitContents}), a lazy recovery's source is kept ({@link #restoreFramesLazily}), and a frame is read
 * from the log on its first touch, by the kernel, by user code (the engine pages it in and runs on) or by the log
 * writer; a frame written whole (a full restore's, a replayed page) is never asked.
 *
 * <pre>
 * state[0]                      n, the machine's state size in words
 * state[1 .. n]                 the machine's words
 * then                          per thread object its scheduling state and registers, per process object its
 *                                read-only pages ({@link KernelSnapshot})
 * last two words                scheduler steps so far (low, high)
 * </pre>
 */
public final class KernelPersistent implements Persistent {
    private static final int REGS = Reg.values().length;

    private final Kernel kernel;
    private final PhysicalMemory memory;
    private final int frames;
    private final Object lock = new Object();
    private final CheckpointerPages cow;
    private final DirtyFrames dirty;
    private final DirtyPages dirtyPages;
    private final X86Platform platform;
    private long stepsBefore;
    private long stepsAtCheckpoint = -1;
    /**
     * A recovery's frames as the memory asks for them on first touch (frames wait from {@link #beginRestore} on; null
     * before a recovery).
     */
    private WaitingFrames waiting;

    /**
     * The kernel booted on {@code platform} (its frames {@code 0 .. limits frames}). Every frame starts dirty in both
     * sets: what was written before (the boot, a recovery's restore) is not known frame by frame.
     */
    public KernelPersistent(Kernel kernel, X86Platform platform) {
        this.kernel = kernel;
        this.memory = platform.memory();
        this.platform = platform;
        this.frames = kernel.limits().frames() + 1;
        X86PhysicalMemory x86 = platform.memory();
        // the log writer reads a frame where it lies; a clean page's first write stops the engine (its D bit clear)
        this.cow = new CheckpointerPages(kernel, x86::frameView, X86AddressSpace::armFirstWrite, lock, frames);
        x86.onFirstWrite(cow::beforeWrite);
        cow.armWritesWith(platform::armWrites); // a snapshot's frames armed through the reverse map when it is taken
        this.dirty = new DirtyFrames(platform, frames);
        DirtyFrames.DrainedSet sinceCheckpoint = dirty.newSet();
        DirtyFrames.DrainedSet sinceRecord = dirty.newSet();
        this.dirtyPages = new DirtyPages() {
            @Override
            public java.util.BitSet drainDirtySinceCheckpoint() {
                return sinceCheckpoint.drain();
            }

            @Override
            public java.util.BitSet drainDirtySinceRecord() {
                return sinceRecord.drain();
            }

            @Override
            public void remarkDirtySinceRecord(java.util.BitSet frames) {
                sinceRecord.remark(frames);
            }
        };
    }

    /** The written frames the dirty sets are drained from (for tests). */
    DirtyFrames dirtyFrames() {
        return dirty;
    }

    public Kernel kernel() {
        return kernel;
    }

    /** The checkpoint's frames as the checkpointer receives them (the platform's hooks call it before writes). */
    CheckpointerPages pages() {
        return cow;
    }

    /** Scheduler steps made by the system so far, across recoveries. */
    public long steps() {
        return stepsBefore + kernel.stats().steps();
    }

    /** The scheduler steps at the checkpoint the last recovery restored (-1: none), before any replay. */
    public long stepsAtCheckpoint() {
        return stepsAtCheckpoint;
    }

    /** The scheduler steps recorded in a flat state. */
    public static long steps(int[] state) {
        return (state[state.length - 2] & 0xffffffffL) | ((long) state[state.length - 1] << 32);
    }

    /** The registers of thread {@code id} recorded in a flat state. */
    public static int[] registers(int[] state, int id) {
        return KernelSnapshot.registers(state, 1 + state[0], id);
    }

    @Override
    public Object lock() {
        return lock;
    }

    @Override
    public int[] copyState() {
        int[] words = kernel.machine().copyState();
        int[] state = new int[1 + words.length + KernelSnapshot.size(kernel) + 2];
        state[0] = words.length;
        System.arraycopy(words, 0, state, 1, words.length);
        int at = KernelSnapshot.write(kernel, state, 1 + words.length);
        long s = steps();
        state[at++] = (int) s;
        state[at] = (int) (s >>> 32);
        return state;
    }

    /**
     * The flat state as {@link #copyState} copies it, but as if the checkpointer held no snapshot page: while a
     * checkpoint streams, the checkpointer's pages are part of the live machine, never of a checkpoint (each is taken
     * when the checkpointer holds none) nor of a recovered system. What a recovery to this point gives; for tests. The
     * machine's words are those of a scratch machine given this one's state, after the checkpointer's unmap of each
     * page it holds.
     */
    int[] copyStateGivenBack() {
        int[] state = copyState();
        int[] words = CheckpointerPages.machineWordsGivenBack(
                kernel, Arrays.copyOfRange(state, 1, 1 + state[0]), kernel.snapshotPages());
        System.arraycopy(words, 0, state, 1, words.length);
        return state;
    }

    @Override
    public List<KernelObject> objects(int[] state) {
        List<KernelObject> objs = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            objs.add(new KernelObject(new ObjectRef(Kinds.FRAME, f), List.of(), null));
        }
        return objs;
    }

    @Override
    public int frames() {
        return frames;
    }

    @Override
    public CopyOnWrite copyOnWrite() {
        return cow;
    }

    @Override
    public DirtyPages dirtyPages() {
        return dirtyPages;
    }

    @Override
    public void readFrame(int frame, byte[] into) {
        long base = (long) frame * PhysicalMemory.PAGE_SIZE;
        if (memory instanceof dev.ladle.x86.X86PhysicalMemory x) {
            x.read(base, into, 0, PhysicalMemory.PAGE_SIZE);
            return;
        }
        for (int i = 0; i < PhysicalMemory.PAGE_SIZE; i += 4) {
            int w = memory.readInt(base + i);
            into[i] = (byte) w;
            into[i + 1] = (byte) (w >>> 8);
            into[i + 2] = (byte) (w >>> 16);
            into[i + 3] = (byte) (w >>> 24);
        }
    }

    private void writeFrame(int frame, byte[] from) {
        long base = (long) frame * PhysicalMemory.PAGE_SIZE;
        if (memory instanceof dev.ladle.x86.X86PhysicalMemory x) {
            x.write(base, from, 0, PhysicalMemory.PAGE_SIZE);
            return;
        }
        for (int i = 0; i < PhysicalMemory.PAGE_SIZE; i += 4) {
            int w = (from[i] & 0xff) | (from[i + 1] & 0xff) << 8 | (from[i + 2] & 0xff) << 16 | from[i + 3] << 24;
            memory.writeInt(base + i, w);
        }
    }

    @Override
    public void beginRestore(int[] state) {
        int n = state[0];
        int[] words = Arrays.copyOfRange(state, 1, 1 + n);
        KernelSnapshot.restore(kernel, words, state, 1 + n, true);
        stepsBefore = steps(state) - kernel.stats().steps();
        stepsAtCheckpoint = steps(state);
        // every frame waits for its contents (zeros unless restored): nothing is cleared or read per frame now, and
        // a frame restored whole (a full restore, a replayed page) is never asked
        WaitingFrames w = new WaitingFrames(frames);
        waiting = w;
        platform.awaitContents(frames, w::contents);
    }

    /**
     * Keeps {@code frames} and asks it for a frame's contents on the frame's first touch ({@link
     * X86Platform#awaitContents}): nothing is read per frame now, so the time to the first instruction does not grow
     * with memory. The source (and the recovery's log reader behind it) is needed until no frame waits.
     */
    @Override
    public void restoreFramesLazily(LazyFrames frames) {
        waiting.restoreFramesLazily(frames);
    }

    /** Frames still waiting for their contents after a lazy recovery (paged in on first touch). */
    int waitingFrameCount() {
        return platform.memory().waitingFrames();
    }

    @Override
    public java.util.BitSet framesWaiting() {
        return platform.memory().framesWaiting();
    }

    /** Frames paged in since the last restore began (asked of the recovery or zeroed on first touch). */
    long framesPagedIn() {
        return platform.memory().pagedIn();
    }

    /** Frames user code paged in: its first touch of a page whose frame waited (the engine's, not the kernel's). */
    long framesPagedInByUserCode() {
        return platform.cpu().framesPagedIn();
    }

    /** The time spent paging frames in since the last restore began, in nanoseconds. */
    long nanosPagingIn() {
        return platform.memory().pagingInNanos();
    }

    /** Pages in every frame that still waits; returns how many. Throws {@code Recovery.ObjectLost} for a damaged one. */
    int pageInAll() {
        return platform.memory().pageInAll();
    }

    @Override
    public void restoreObject(KernelObject object) {
        throw new IllegalStateException("the kernel's checkpoint holds frames only; got " + object.ref());
    }

    /** A frame restored lazily waits for its first touch (it waits from {@link #beginRestore} on); others now. */
    @Override
    public void restoreFrame(int frame, Supplier<byte[]> contents, boolean lazy) {
        if (lazy
                && waiting != null
                && frame >= 0
                && frame < frames
                && platform.memory().waits(frame)) {
            waiting.restoreFrame(frame, contents);
            return;
        }
        writeFrame(frame, contents.get());
    }

    @Override
    public void replayPage(int frame, byte[] contents) {
        writeFrame(frame, contents);
    }

    /**
     * The operation record of one scheduler step: thread {@code t} stopped with {@code stop}, not yet handled. Its code
     * and arguments are the stop's ({@link Stop#code()}, {@link Stop#args()}).
     */
    static Operation stepOperation(KernelThread t, Stop stop) {
        return new Operation(
                stop.code(),
                Operation.Effect.UPDATE,
                new ObjectRef(Kinds.THREAD, t.id()),
                t.id(),
                stop.args(),
                0,
                t.registers());
    }

    /** The stop a step's operation record describes. */
    static Stop stop(Operation op) {
        try {
            return Stop.decode(op.code(), op.args());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("operation record of thread " + op.thread() + ": " + e.getMessage(), e);
        }
    }

    /** Replays one logged scheduler step through the kernel (and so through the generated machine). */
    @Override
    public void replay(Operation op) {
        KernelThread t = kernel.thread(op.thread());
        if (t == null || op.regs().length != REGS) {
            throw new IllegalArgumentException("operation record of thread " + op.thread() + " with "
                    + op.regs().length + " registers does not fit this system ("
                    + kernel.threads().size()
                    + " threads, " + REGS + " registers)");
        }
        kernel.replayStep(t, op.regs(), stop(op));
        kernel.wake(); // as the logged step did at its end
    }

    @Override
    public List<String> checkInvariants() {
        List<String> failed = new ArrayList<>();
        String mismatch = kernel.pageTableMismatch();
        if (mismatch != null) {
            failed.add("page tables: " + mismatch);
        }
        return failed;
    }
}
