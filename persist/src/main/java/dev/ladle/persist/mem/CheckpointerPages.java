package dev.ladle.persist.mem;

import dev.ladle.kernel.Kernel;
import dev.ladle.kernel.Machine;
import dev.ladle.kernel.hw.AddressSpace;
import dev.ladle.kernel.hw.PhysicalMemory;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * A checkpoint's frames handed to the checkpointer thread by the kernel: copy-on-write over the kernel's frames, and each frame of the snapshot mapped into the checkpointer's address space
 * ({@link Kernel#mapSnapshot}, Kernel.tla's {@code MapSnapshot}) for the log writer to read where it lies, then given
 * back ({@link Kernel#unmapSnapshot}, {@code UnmapSnapshot}) once the log has written it.
 *
 * <p>The stop-the-world step ({@link #protect}) only marks the frames: nothing is copied, no page table is touched. A
 * frame whose snapshot is still its own memory is copied (its pre-image, once) before the first write to it lands
 * ({@link #beforeWrite}): user code's, through the x86 engine's write-protect stop on a clean page (when the
 * checkpoint is taken, {@link #armWritesWith}'s arm clears the D bit of each writable entry naming such a frame, or,
 * without it, {@link #beforeRun} does for the pages of the space about to run, so a first write stops the engine,
 * which reports the frame before it sets D and lets the write go on), and the kernel's
 * (a copy item's target, told by the platform). A frame already handed to the log (mapped, its bytes not yet written)
 * is not copied: the writer waits until the log has written it, which the log's writing thread (its flusher, or its forcer after a force) does without the system's lock.
 * So only frames written while a checkpoint streams are copied; the others are read where they lie.
 *
 * <p>{@link #mapSnapshot} (the checkpointer thread): a frame copied before is read from its pre-image (the frame
 * itself holds newer contents, so the kernel does not map it); otherwise the kernel maps it into the checkpointer's
 * free page at the head of its free list, read-only, and the log writer reads it through that mapping, the frame the checkpointer's page
 * tables name there. A frame no process maps as its root (a free frame: only a copy item takes one, and it overwrites
 * it whole) cannot be mapped (the spec's {@code SnapshotRoot}) and is read from physical memory. Back-pressure: the
 * checkpointer's window has room for as many frames as it has free pages; when the kernel refuses a map for want of
 * one ({@code CheckpointerHasFreePage}), the checkpointer waits for the log to finish a frame it holds, unmaps it and
 * maps again. Nothing is dropped: a refusal with no frame to wait for is an error.
 *
 * <p>{@link #unmapSnapshot} runs on the log's writing thread (flusher or forcer), which must not wait for the system's lock: it only queues the
 * frame, and the checkpointer gives its page back under the lock before its next map, and the last ones at the end of
 * the checkpoint ({@link #releaseAll}), after the seal. A system without a checkpointer thread reads every frame from
 * physical memory, with the same copy-on-write.
 *
 * <p>What depends on the platform is given: how the log writer reads a physical frame where it lies (the x86 target's
 * {@code X86PhysicalMemory.frameView}, the in-memory platform's frame memory), and, on a platform whose engine stops
 * at the first write to a clean page, how a page is armed ({@link PageArming}; {@code cli}'s {@code KernelPersistent}
 * clears the D bit). Whoever writes frames calls {@link #beforeWrite} first (the x86 memory's first-write report and
 * the kernel's own writes; every write of the in-memory platform's memory). Used by {@code cli}'s
 * {@code KernelPersistent} (the IA-32 target) and by {@code property-tests}' {@code KernelWorld} (the in-memory
 * platform).
 */
public final class CheckpointerPages implements CopyOnWrite {
    /** How a platform whose engine stops at the first write to a clean page arms one page of an address space. */
    @FunctionalInterface
    public interface PageArming {
        /** Arms page {@code vpn} of {@code space} (its first write stops the engine); false: not possible here. */
        boolean arm(AddressSpace space, int vpn);
    }

    private final Kernel kernel;
    private final IntFunction<ByteBuffer> frameView;
    private final Object lock;
    private final int frames;
    /** Frames of the snapshot still to be logged whose snapshot is their own memory: a writer copies them first. */
    private final BitSet pending = new BitSet();
    /** Frames whose snapshot the log holds now (between map and the log's release): a writer waits for them. */
    private final BitSet inFlight = new BitSet();
    /** Pre-images of frames written after the snapshot, before they were logged. */
    private final ByteBuffer[] preImage;
    /** The checkpointer's page of each frame mapped into it (0: none), and the frame at each page (-1: none). */
    private final int[] pageOf;

    private final int[] frameAt;
    /** Frames the log is done with whose page the checkpointer has not given back yet. */
    private final ArrayDeque<Integer> released = new ArrayDeque<>();

    private long copied;
    private final BitSet copiedFrames = new BitSet();
    private long maps;
    private long unmaps;
    private long refusals;
    private long readsUnmapped;
    private int held;
    private int mostHeld;
    private Runnable afterCall = () -> {};
    private IntConsumer handedOut = f -> {};
    /**
     * How user code's first write to a clean page is made to reach {@link #beforeWrite} (the x86 engine's D-bit stop);
     * null: user code's writes reach it anyway, or not at all ({@link #beforeRun} then copies before each slice).
     */
    private final PageArming arming;
    /** Arms the frames of each snapshot when it is taken ({@link #armWritesWith}); null: before each slice. */
    private Consumer<BitSet> armWrites;

    /**
     * The checkpointer's pages of {@code kernel}'s frames {@code 0 .. frames - 1}, under the system's {@code lock}.
     *
     * @param frameView a read-only view of exactly a page of physical frame {@code f}'s own memory (no copy)
     * @param arming how a page is armed for a first-write stop, or null (the platform has none)
     */
    public CheckpointerPages(
            Kernel kernel, IntFunction<ByteBuffer> frameView, PageArming arming, Object lock, int frames) {
        this.kernel = kernel;
        this.frameView = frameView;
        this.arming = arming;
        this.lock = lock;
        this.frames = frames;
        this.preImage = new ByteBuffer[frames];
        this.pageOf = new int[frames];
        this.frameAt = new int[kernel.limits().pages() + 1];
        Arrays.fill(frameAt, -1);
    }

    /** How the checkpointer hands frames to the log: as it must, or broken (the examples that show a check bites). */
    public enum Handling {
        FAITHFUL,
        /** The first frame with a root is read in place, never mapped into the checkpointer (and so not held). */
        SKIP_FIRST_MAP,
        /** Each frame's page is given back as soon as it is mapped, before the log has written the frame. */
        GIVE_BACK_UNWRITTEN
    }

    private Handling handling = Handling.FAITHFUL;
    private boolean skipped;

    /** Hands frames to the log as {@code h} says (a broken variant, for the tests that show their checks bite). */
    public void handling(Handling h) {
        this.handling = h;
    }

    /** Whether some live process other than the checkpointer maps {@code frame} (holding the system's lock). */
    private boolean rooted(int frame) {
        if (frame == Machine.NO_FRAME) {
            return false;
        }
        int own = kernel.checkpointer() < 0 ? Machine.NO_OBJ : kernel.machine().proc(kernel.checkpointer());
        for (dev.ladle.kernel.Process x : kernel.processes()) {
            for (int v = 1; v <= kernel.limits().pages(); v++) {
                if (x.id() != own && kernel.machine().procPt(x.id(), v) == frame) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Run after every map and unmap the kernel makes for the checkpointer (under the system's lock): for tests. */
    public void afterEachCall(Runnable r) {
        this.afterCall = r;
    }

    /**
     * Run with each frame {@link #mapSnapshot} hands to the log (mapped, read from its pre-image or in place), under
     * the system's lock, before the lock is let go: for tests that check what was handed out. A check must be made
     * here, not after {@link #mapSnapshot} returns: from then until the log holds the frame, the checkpointer must not
     * wait for the lock, since a writer of the frame waits for the log while it holds the lock.
     */
    public void onHandOut(IntConsumer check) {
        this.handedOut = check;
    }

    @Override
    public void protect(BitSet toProtect) {
        synchronized (this) {
            pending.or(toProtect);
        }
        if (armWrites != null) {
            armWrites.accept(toProtect);
        }
    }

    /**
     * Arms the frames a checkpoint protects when it is taken ({@code arm}: the x86 target's {@code armWrites}, which
     * finds their writable entries through the reverse map of the page tables), so {@link #beforeRun} has nothing to
     * do. An entry written after that is written with its D bit clear ({@code map}), and the engine sets it only after
     * reporting the first write to {@link #beforeWrite}: no entry whose D bit is set names a frame still to be logged
     * from its own memory.
     */
    public void armWritesWith(Consumer<BitSet> arm) {
        this.armWrites = arming != null ? arm : null;
    }

    /**
     * Before a thread runs in {@code space}, unless the frames were armed when the checkpoint was taken
     * ({@link #armWritesWith}): each page it may write whose frame is still to be logged from its own memory is armed (its D bit cleared, so the first write stops the engine and calls {@link #beforeWrite} before it
     * lands); on a platform without that stop, the frame is copied now (or waited for).
     */
    public void beforeRun(AddressSpace space) {
        if (armWrites != null) {
            return; // armed when the checkpoint was taken
        }
        synchronized (this) {
            if (pending.isEmpty() && inFlight.isEmpty()) {
                return;
            }
        }
        for (int v = 1; v <= kernel.limits().pages(); v++) {
            int vpn = kernel.vpn(v);
            int f = space.frameOf(vpn);
            if (f < 0 || f >= frames || !space.writable(vpn)) {
                continue;
            }
            if (arming == null || snapshotPending(f) && !arming.arm(space, vpn)) {
                beforeWrite(f);
            }
        }
    }

    private synchronized boolean snapshotPending(int f) {
        return pending.get(f) || (inFlight.get(f) && preImage[f] == null);
    }

    /** Before frame {@code f} is written: its snapshot is copied if it is still to be logged from the frame itself. */
    public synchronized void beforeWrite(int f) {
        if (f < 0 || f >= frames) {
            return;
        }
        Monitors.awaitUninterruptibly(this, () -> !inFlight.get(f) || preImage[f] != null);
        if (pending.get(f)) {
            ByteBuffer copy = ByteBuffer.allocateDirect(PhysicalMemory.PAGE_SIZE);
            copy.put(view(f)).flip();
            preImage[f] = copy;
            pending.clear(f);
            copied++;
            copiedFrames.set(f);
        }
    }

    @Override
    public ByteBuffer mapSnapshot(int frame) {
        while (true) {
            synchronized (lock) {
                giveBack();
                synchronized (this) {
                    if (preImage[frame] != null) {
                        inFlight.set(frame);
                        handedOut.accept(frame);
                        return preImage[frame].asReadOnlyBuffer();
                    }
                    if (!pending.get(frame)) {
                        throw new IllegalStateException("frame " + frame + " was not protected by this checkpoint");
                    }
                    if (kernel.checkpointer() < 0
                            || handling == Handling.SKIP_FIRST_MAP && !skipped && (skipped = rooted(frame))) {
                        inFlight.set(frame);
                        readsUnmapped++;
                        handedOut.accept(frame);
                        return view(frame);
                    }
                }
                int v = kernel.mapSnapshot(frame);
                if (v > 0) {
                    afterCall.run();
                    int at = kernel.checkpointerFrame(v);
                    if (at != frame) {
                        throw new IllegalStateException("the checkpointer's page " + v + " maps frame " + at
                                + " after the kernel mapped frame " + frame + " there");
                    }
                    synchronized (this) {
                        maps++;
                        pageOf[frame] = v;
                        frameAt[v] = frame;
                        mostHeld = Math.max(mostHeld, ++held);
                        inFlight.set(frame);
                    }
                    if (handling == Handling.GIVE_BACK_UNWRITTEN) {
                        synchronized (this) {
                            released.add(frame);
                        }
                        giveBack(); // before the log was even handed the frame
                    }
                    handedOut.accept(frame);
                    // read through the checkpointer's mapping: the frame its page tables name at page v
                    return view(at);
                }
                if (v == Kernel.SNAPSHOT_NO_ROOT) {
                    synchronized (this) {
                        inFlight.set(frame);
                        readsUnmapped++;
                        handedOut.accept(frame);
                        return view(frame);
                    }
                }
            }
            // the checkpointer's window is full: wait for the log to finish a frame it holds, give it back, map again
            synchronized (this) {
                refusals++;
                if (released.isEmpty() && held == 0) {
                    // no snapshot page held, so none will come back (frames read from a copy or in place hold none)
                    throw new IllegalStateException(
                            "the checkpointer has no free page and holds no snapshot frame to give back");
                }
                Monitors.awaitUninterruptibly(this, () -> !released.isEmpty());
            }
        }
    }

    /** Holding the system's lock: gives back the checkpointer's pages of the frames the log is done with. */
    private void giveBack() {
        while (true) {
            int f;
            int v;
            synchronized (this) {
                Integer next = released.poll();
                if (next == null) {
                    return;
                }
                f = next;
                v = pageOf[f];
                pageOf[f] = 0;
                if (v == 0 || frameAt[v] != f) {
                    continue;
                }
                frameAt[v] = -1;
                held--;
            }
            // refused when the mapping is gone already: a deletion of its root takes what derives from it along
            Machine.Guard g = kernel.unmapSnapshot(v);
            afterCall.run();
            if (g == Machine.Guard.OK) {
                synchronized (this) {
                    unmaps++;
                }
            } else if (g != Machine.Guard.SnapshotDerived) {
                throw new IllegalStateException("UnmapSnapshot of the checkpointer's page " + v + " refused: " + g);
            }
        }
    }

    /** Called by the log (its flusher) once it has written the frame's bytes, or never will: queues the page. */
    @Override
    public synchronized void unmapSnapshot(int frame) {
        inFlight.clear(frame);
        pending.clear(frame);
        preImage[frame] = null;
        if (pageOf[frame] > 0) {
            released.add(frame);
        }
        notifyAll();
    }

    @Override
    public synchronized boolean mapped(int frame) {
        return inFlight.get(frame);
    }

    /** Gives every page back (the checkpoint ended or was abandoned) and drops every mark and pre-image. */
    @Override
    public void releaseAll() {
        synchronized (lock) {
            synchronized (this) {
                for (int v = 1; v < frameAt.length; v++) {
                    if (frameAt[v] >= 0 && !released.contains(frameAt[v])) {
                        released.add(frameAt[v]);
                    }
                }
            }
            giveBack();
            synchronized (this) {
                pending.clear();
                inFlight.clear();
                Arrays.fill(preImage, null);
                notifyAll();
            }
        }
    }

    @Override
    public synchronized long copiedFrames() {
        return copied;
    }

    /** The frames copied so far (each before a write to it landed). */
    public synchronized BitSet copied() {
        return (BitSet) copiedFrames.clone();
    }

    /** What the checkpointer's pages did so far. */
    public record Counts(long maps, long unmaps, long refusals, long readsUnmapped, int held, int mostHeld) {}

    public synchronized Counts counts() {
        return new Counts(maps, unmaps, refusals, readsUnmapped, held, mostHeld);
    }

    private ByteBuffer view(int frame) {
        return frameView.apply(frame);
    }

    /**
     * The machine's state words {@code words} (a {@link Machine#copyState} of {@code kernel}'s machine, taken under the
     * system's lock) as if the checkpointer held no snapshot page, its free list of pages in increasing order: while a
     * checkpoint streams, the checkpointer's pages are part of the live machine, never of a checkpoint (each is taken
     * when the checkpointer holds none) nor of a recovered system. The words of a scratch machine given {@code words},
     * after the checkpointer's unmap ({@code UnmapSnapshot}) of each page in {@code held} ({@link
     * Kernel#snapshotPages} at the same time), in {@link #machineWordsInPageOrder}'s form. What a recovery to this point
     * gives, in that form; what tests compare recovered states with (a recovered state in the same form: this with no
     * page held).
     */
    public static int[] machineWordsGivenBack(Kernel kernel, int[] words, BitSet held) {
        Machine scratch = scratchMachine(kernel, words);
        for (int v = held.nextSetBit(0); v >= 0; v = held.nextSetBit(v + 1)) {
            Machine.Guard g = scratch.unmapSnapshot(kernel.checkpointer(), v);
            if (g != Machine.Guard.OK) {
                throw new IllegalStateException("the checkpointer's page " + v + " is no snapshot page: " + g);
            }
        }
        return machineWordsInPageOrder(kernel, scratch.copyState());
    }

    /**
     * The machine's state words {@code words}, in which the checkpointer holds no snapshot page (a checkpoint's, or
     * {@link #machineWordsGivenBack}'s), with the checkpointer's free list of pages in increasing order. A checkpoint
     * keeps the list as it was at its snapshot, but the live checkpointer maps and gives back pages while the
     * checkpoint streams, in the order the log writes them, and each give-back pushes a page on the list: the live list
     * then holds the same pages in another order. Comparing a recovered state with the live one is comparing them in
     * this form: every other word as it is, the same free pages, their order alone made canonical. The words of a
     * scratch machine given {@code words} after the checkpointer mapped a snapshot root into every free page of its
     * window and gave them back highest first ({@code MapSnapshot}, {@code UnmapSnapshot}: O(window) steps).
     */
    public static int[] machineWordsInPageOrder(Kernel kernel, int[] words) {
        Machine scratch = scratchMachine(kernel, words);
        int c = kernel.checkpointer();
        int root = -1;
        int rootPage = -1;
        Machine.Sizes sizes = kernel.machine().sizes();
        for (int x = 0; x < sizes.threads() && root < 0; x++) {
            for (int v = 1; v <= sizes.pages() && root < 0; v++) {
                if (scratch.nextFreePage(c) != 0 && scratch.mapSnapshot(c, x, v) == Machine.Guard.OK) {
                    root = x;
                    rootPage = v;
                    scratch.restoreState(words);
                }
            }
        }
        if (root < 0) {
            return words; // no free page, or no root to map: the list is empty or cannot be told apart
        }
        BitSet taken = new BitSet();
        for (int p = scratch.nextFreePage(c); p != 0; p = scratch.nextFreePage(c)) {
            if (scratch.mapSnapshot(c, root, rootPage) != Machine.Guard.OK) {
                throw new IllegalStateException("the checkpointer's free page " + p + " takes no snapshot mapping");
            }
            taken.set(p);
        }
        for (int v = taken.length() - 1; v >= 0; v = taken.previousSetBit(v - 1)) {
            if (scratch.unmapSnapshot(c, v) != Machine.Guard.OK) {
                throw new IllegalStateException("the checkpointer's page " + v + " is no snapshot page");
            }
        }
        return scratch.copyState();
    }

    private static Machine scratchMachine(Kernel kernel, int[] words) {
        Machine.Sizes sizes = kernel.machine().sizes();
        int[] noProc = new int[sizes.threads()];
        Arrays.fill(noProc, Machine.NO_OBJ);
        int[][] noPages = new int[sizes.threads()][sizes.pages()];
        for (int[] row : noPages) {
            Arrays.fill(row, Machine.NO_FRAME);
        }
        Machine scratch = new Machine(
                sizes,
                false,
                new int[sizes.threads()][sizes.localIds()][],
                noProc,
                noPages,
                new boolean[sizes.threads()],
                kernel.checkpointer());
        scratch.restoreState(words);
        return scratch;
    }
}
