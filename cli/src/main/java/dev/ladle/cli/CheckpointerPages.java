package dev.ladle.cli;

import dev.ladle.kernel.Kernel;
import dev.ladle.kernel.Machine;
import dev.ladle.kernel.hw.AddressSpace;
import dev.ladle.kernel.hw.PhysicalMemory;
import dev.ladle.persist.mem.CopyOnWrite;
import dev.ladle.x86.X86AddressSpace;
import dev.ladle.x86.X86PhysicalMemory;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.BitSet;

/**
 * A checkpoint's frames handed to the checkpointer thread by the kernel, on the IA-32 target: copy-on-write over the
 * kernel's frames, and each frame of the snapshot mapped into the checkpointer's address space
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
 * is not copied: the writer waits until the log has written it, which the flusher does without the system's lock.
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
 * <p>{@link #unmapSnapshot} runs on the log's flusher, which must not wait for the system's lock: it only queues the
 * frame, and the checkpointer gives its page back under the lock before its next map, and the last ones at the end of
 * the checkpoint ({@link #releaseAll}), after the seal. A system without a checkpointer thread reads every frame from
 * physical memory, with the same copy-on-write.
 */
final class CheckpointerPages implements CopyOnWrite {
    private final Kernel kernel;
    private final PhysicalMemory memory;
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
    /** Whether user code's first write to a clean page reaches {@link #beforeWrite} (the x86 engine's D-bit stop). */
    private final boolean writesTrapped;
    /** Arms the frames of each snapshot when it is taken ({@link #armWritesWith}); null: before each slice. */
    private java.util.function.Consumer<BitSet> armWrites;

    CheckpointerPages(Kernel kernel, PhysicalMemory memory, Object lock, int frames) {
        this.kernel = kernel;
        this.memory = memory;
        this.lock = lock;
        this.frames = frames;
        this.preImage = new ByteBuffer[frames];
        this.pageOf = new int[frames];
        this.frameAt = new int[kernel.limits().pages() + 1];
        java.util.Arrays.fill(frameAt, -1);
        if (memory instanceof X86PhysicalMemory x) {
            x.onFirstWrite(this::beforeWrite);
            writesTrapped = true;
        } else {
            writesTrapped = false;
        }
    }

    /** Run after every map and unmap the kernel makes for the checkpointer (under the system's lock): for tests. */
    void afterEachCall(Runnable r) {
        this.afterCall = r;
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
    void armWritesWith(java.util.function.Consumer<BitSet> arm) {
        this.armWrites = writesTrapped ? arm : null;
    }

    /**
     * Before a thread runs in {@code space}, unless the frames were armed when the checkpoint was taken
     * ({@link #armWritesWith}): each page it may write whose frame is still to be logged from its own memory is armed (its D bit cleared, so the first write stops the engine and calls {@link #beforeWrite} before it
     * lands); on a platform without that stop, the frame is copied now (or waited for).
     */
    void beforeRun(AddressSpace space) {
        if (armWrites != null) {
            return; // armed when the checkpoint was taken
        }
        synchronized (this) {
            if (pending.isEmpty() && inFlight.isEmpty()) {
                return;
            }
        }
        X86AddressSpace x = writesTrapped && space instanceof X86AddressSpace s ? s : null;
        for (int v = 1; v <= kernel.limits().pages(); v++) {
            int vpn = kernel.vpn(v);
            int f = space.frameOf(vpn);
            if (f < 0 || f >= frames || !space.writable(vpn)) {
                continue;
            }
            if (x == null) {
                beforeWrite(f);
            } else if (snapshotPending(f)) {
                x.clearDirty(vpn);
            }
        }
    }

    private synchronized boolean snapshotPending(int f) {
        return pending.get(f) || (inFlight.get(f) && preImage[f] == null);
    }

    /** Before frame {@code f} is written: its snapshot is copied if it is still to be logged from the frame itself. */
    synchronized void beforeWrite(int f) {
        if (f < 0 || f >= frames) {
            return;
        }
        boolean interrupted = false;
        while (inFlight.get(f) && preImage[f] == null) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
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
                        return preImage[frame].asReadOnlyBuffer();
                    }
                    if (!pending.get(frame)) {
                        throw new IllegalStateException("frame " + frame + " was not protected by this checkpoint");
                    }
                    if (kernel.checkpointer() < 0) {
                        inFlight.set(frame);
                        readsUnmapped++;
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
                        // read through the checkpointer's mapping: the frame its page tables name at page v
                        return view(at);
                    }
                }
                if (v == Kernel.SNAPSHOT_NO_ROOT) {
                    synchronized (this) {
                        inFlight.set(frame);
                        readsUnmapped++;
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
                boolean interrupted = false;
                while (released.isEmpty()) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
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
                java.util.Arrays.fill(preImage, null);
                notifyAll();
            }
        }
    }

    @Override
    public synchronized long copiedFrames() {
        return copied;
    }

    /** The frames copied so far (each before a write to it landed). */
    synchronized BitSet copied() {
        return (BitSet) copiedFrames.clone();
    }

    /** What the checkpointer's pages did so far. */
    record Counts(long maps, long unmaps, long refusals, long readsUnmapped, int held, int mostHeld) {}

    synchronized Counts counts() {
        return new Counts(maps, unmaps, refusals, readsUnmapped, held, mostHeld);
    }

    private ByteBuffer view(int frame) {
        if (memory instanceof X86PhysicalMemory x) {
            return x.frameView(frame);
        }
        ByteBuffer b = ByteBuffer.allocate(PhysicalMemory.PAGE_SIZE);
        for (int i = 0; i < PhysicalMemory.PAGE_SIZE; i += 4) {
            b.putInt(i, Integer.reverseBytes(memory.readInt((long) frame * PhysicalMemory.PAGE_SIZE + i)));
        }
        return b.asReadOnlyBuffer();
    }
}
