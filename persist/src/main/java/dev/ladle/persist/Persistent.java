package dev.ladle.persist;

import dev.ladle.persist.mem.CopyOnWrite;
import dev.ladle.persist.mem.DirtyPages;
import dev.ladle.persist.model.KernelObject;
import java.util.List;
import java.util.function.Supplier;

/**
 * What persistence needs from the system it makes durable (the kernel, or a stand-in in tests and benchmarks).
 * The caller holds the world's lock ({@link #lock()}) for {@link #snapshot} and during recovery.
 */
public interface Persistent {
    /** The lock that stops the world: held for the stop-the-world step, and by the kernel on every operation. */
    Object lock();

    /**
     * The stop-the-world copy of the metadata: the machine's flat state (registers included). It must be short: it
     * copies words and nothing else.
     */
    int[] copyState();

    /**
     * Called by the checkpointer before each checkpoint's stop-the-world step, by the thread that begins it (which may
     * hold the lock: a periodic checkpoint is begun under it): a system that a lazy recovery left with frames or
     * deferred objects waiting for their first use restores them now, since a checkpoint copies the state and reads
     * every frame it writes (a frame restored after its copy-on-write protection would land as a write after the
     * snapshot), and so that its pause reads nothing from the log. The frames of {@code referred} stay waiting: the
     * checkpoint refers to the records that hold their contents instead of writing them
     * ({@link #framesWaiting}). Nothing by default.
     */
    default void beforeCheckpoint(java.util.BitSet referred) {}

    /**
     * The frames a lazy recovery left waiting for their first touch that still wait (their contents are still those
     * of the checkpoint recovered from, neither paged in nor overwritten since), as a new set; empty by default. A
     * checkpoint of a system recovered from its own log refers to where those contents lie ({@link
     * Checkpointer#continueFrom}) rather than paging each frame in to write it again, so that the first checkpoint
     * after a recovery does not read the whole memory back.
     */
    default java.util.BitSet framesWaiting() {
        return new java.util.BitSet();
    }

    /**
     * The number of words {@link #copyState} copies now (lock held), for {@link #copyStateTo}; -1 (the default) when
     * only {@link #copyState} copies the state. Override both when that copy is large.
     */
    default int stateWords() {
        return -1;
    }

    /**
     * The stop-the-world copy of {@link #copyState} made into memory the caller gives ({@code into}'s remaining room,
     * {@link #stateWords} words): a checkpoint copies the state straight into its begin record's body, once, into
     * memory it reuses. Called only when {@link #stateWords} is not -1.
     */
    default void copyStateTo(java.nio.IntBuffer into) {
        into.put(copyState());
    }

    /**
     * The object graph a copied state describes (frames with a null payload), computed after the world runs again.
     */
    List<KernelObject> objects(int[] state);

    /** Number of physical frames. */
    int frames();

    /** Copy-on-write over the system's frames. */
    CopyOnWrite copyOnWrite();

    /** Dirty tracking over the system's frames. */
    DirtyPages dirtyPages();

    /** Copies one frame's current contents (a page delta). */
    void readFrame(int frame, byte[] into);

    /** Recovery starts: forget everything, take the machine's flat state of the checkpoint. */
    void beginRestore(int[] machineState);

    /** Restores one non-frame object (its dependencies are restored already). */
    void restoreObject(KernelObject object);

    /**
     * Restores a deferred object (one whose kind depends on frames only, a page table) that a lazy recovery reads on
     * its first use: {@code object} reads and checks its record, throwing {@link Recovery.ObjectLost} when the record
     * turns out damaged. By default it is read now; a system that can tell when the object is first used overrides
     * this to keep {@code object} and ask it then (what the object depends on is restored already), so that the time
     * to its first instruction does not grow with the size of its page tables. Such a system checks the invariants
     * over the object when it restores it, and fails that use with {@link Recovery.ObjectLost} if they break.
     */
    default void restoreObjectLazily(dev.ladle.persist.model.ObjectRef ref, Supplier<KernelObject> object) {
        restoreObject(object.get());
    }

    /**
     * Restores a frame: its contents come from {@code contents} now (full restore) or on first touch (lazy). Each
     * array {@code contents} gives is a page the caller keeps no hold of: the system may keep it as the frame.
     */
    void restoreFrame(int frame, Supplier<byte[]> contents, boolean lazy);

    /**
     * A checkpoint's frames as a lazy recovery gives them: each read from the log on its first touch, the index
     * that says where it lies included, so that handing them over costs nothing per frame.
     */
    interface LazyFrames {
        /** The frames it covers: {@code [0, count())}. */
        int count();

        /**
         * How many of the frames it covers the checkpoint holds (those {@link #has} says yes to), known without reading
         * its index.
         */
        int held();

        /** Whether the checkpoint holds {@code frame} (reads the part of its index that covers it). */
        boolean has(int frame);

        /**
         * The frame's contents, a page the caller may keep as the frame; null when the checkpoint does not hold it.
         * Throws {@link Recovery.ObjectLost} when its record (or its index's) turns out damaged.
         */
        byte[] contents(int frame);
    }

    /**
     * Restores every frame of {@code frames} lazily: each is read on its first touch (or overwritten by a replayed
     * page first). By default one {@link #restoreFrame(int, Supplier, boolean)} per frame the checkpoint holds,
     * which reads its whole index; a system that pages frames in by number overrides it to keep {@code frames}
     * and ask it on first touch, so that the time to its first instruction does not grow with memory.
     */
    default void restoreFramesLazily(LazyFrames frames) {
        for (int f = 0; f < frames.count(); f++) {
            if (frames.has(f)) {
                int frame = f;
                restoreFrame(f, () -> frames.contents(frame), true);
            }
        }
    }

    /**
     * Restores a frame now (a full restore) from the page at bytes {@code [offset, offset + 4096)} of {@code from}
     * (read by index), the log reader's buffer, valid during the call only: the system copies it into the frame once.
     * By default a copy of the page goes to {@link #restoreFrame(int, Supplier, boolean)}.
     */
    default void restoreFrame(int frame, java.nio.ByteBuffer from, int offset) {
        byte[] page = new byte[dev.ladle.kernel.hw.PhysicalMemory.PAGE_SIZE];
        from.get(offset, page);
        restoreFrame(frame, () -> page, false);
    }

    /** Replays a page delta: the frame's contents at that point of the log. */
    void replayPage(int frame, byte[] contents);

    /** Replays one operation (re-executes it); it was appended before it took effect. */
    void replay(Operation op);

    /** Runs every invariant checker; returns the names of those that fail (empty: all hold). */
    List<String> checkInvariants();
}
