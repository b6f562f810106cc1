package dev.ladle.properties;

import dev.ladle.kernel.Kernel;
import dev.ladle.kernel.Machine;
import dev.ladle.persist.mem.CheckpointerPages;
import dev.ladle.persist.mem.CopyOnWrite;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kernel's checkpointer pages ({@link CheckpointerPages}) as the log sees them, checked against the machine at every
 * map and unmap the kernel makes for the checkpointer and after every kernel step (all under the world's lock):
 *
 * <ul>
 *   <li>after each map and unmap, the machine's invariants hold (KernelImpl's and, in lockstep, Kernel.tla's), the
 *       page tables say what the machine's page map says, and the checkpointer holds at most its free pages (its page
 *       window less what it had at boot);
 *   <li>every frame handed to the log is mapped into the checkpointer at a page its page tables name the frame at,
 *       unless it was copied before a write (read from its pre-image) or no other process maps it (no root: read in
 *       place);
 *   <li>a page leaves the checkpointer during one of its own calls only once the log has written its frame (the log's
 *       {@link #unmapSnapshot}); during a kernel step only when the step took the mapping along (its root deleted).
 * </ul>
 *
 * <p>The first break is kept, named with the checkpointer's call and the kernel step it followed ({@link #failure}).
 */
final class CheckpointerLedger implements CopyOnWrite {
    private final Kernel kernel;
    private final CheckpointerPages pages;
    private final Object lock;
    /** The checkpointer's free pages at boot: the most snapshot pages it may hold. */
    private final int window;
    /** Frames the log has written (or never will), since the current checkpoint's stop-the-world step. */
    private final Set<Integer> written = ConcurrentHashMap.newKeySet();
    /** The checkpointer's snapshot pages and the frame at each, as last seen (under the lock). */
    private TreeMap<Integer, Integer> held = new TreeMap<>();

    private long calls;
    private volatile String failure;

    CheckpointerLedger(Kernel kernel, CheckpointerPages pages, Object lock) {
        this.kernel = kernel;
        this.pages = pages;
        this.lock = lock;
        int c = kernel.checkpointer();
        int own = 0;
        if (c >= 0) {
            int q = kernel.machine().proc(c);
            for (int v = 1; v <= kernel.limits().pages(); v++) {
                own += kernel.machine().procPt(q, v) == Machine.NO_FRAME ? 0 : 1;
            }
        }
        this.window = kernel.limits().pages() - own;
        pages.afterEachCall(this::afterCall);
        pages.onHandOut(this::handedOut);
    }

    /** The first break of the checkpointer's protocol seen (null: none). */
    String failure() {
        return failure;
    }

    /** The most snapshot pages the checkpointer may hold at once. */
    int window() {
        return window;
    }

    private void fail(String what) {
        if (failure == null) {
            failure = what + " (the checkpointer's call " + calls + ", after kernel step "
                    + kernel.stats().steps() + ")";
        }
    }

    /** After each map and unmap the kernel made for the checkpointer (its thread, holding the world's lock). */
    private void afterCall() {
        calls++;
        List<String> failing = kernel.machine().failingInvariants();
        if (!failing.isEmpty()) {
            fail("the machine's invariants " + failing + " fail after a map or unmap of the checkpointer's");
        }
        String mismatch = kernel.pageTableMismatch();
        if (mismatch != null) {
            fail("the page tables after a map or unmap of the checkpointer's: " + mismatch);
        }
        observe(true);
    }

    /** After each kernel step (holding the world's lock): pages a step took along are passed over. */
    void afterStep() {
        observe(false);
    }

    private void observe(boolean call) {
        if (kernel.checkpointer() < 0) {
            return;
        }
        BitSet pagesNow = kernel.snapshotPages();
        if (pagesNow.cardinality() > window) {
            fail("the checkpointer holds " + pagesNow.cardinality() + " snapshot pages, more than its " + window
                    + " free pages");
        }
        TreeMap<Integer, Integer> now = new TreeMap<>();
        for (int v = pagesNow.nextSetBit(0); v >= 0; v = pagesNow.nextSetBit(v + 1)) {
            now.put(v, kernel.checkpointerFrame(v));
        }
        for (var e : held.entrySet()) {
            int f = e.getValue();
            if (call && !Integer.valueOf(f).equals(now.get(e.getKey())) && !written.contains(f)) {
                fail("the checkpointer's page " + e.getKey() + " (frame " + f
                        + ") was given back before the log wrote the frame");
            }
        }
        held = now;
    }

    @Override
    public void protect(BitSet frames) {
        written.clear();
        pages.protect(frames);
    }

    /**
     * The checkpointer hands {@code frame} to the log: called by the pages under the world's lock, before they let it
     * go ({@link CheckpointerPages#onHandOut}). Checked here, not once {@link #mapSnapshot} returns: taking the lock
     * again before the log holds the frame deadlocks with a thread that holds the lock and writes the frame (it waits
     * for the log to write it).
     */
    private void handedOut(int frame) {
        if (kernel.checkpointer() >= 0
                && !held.containsValue(frame)
                && !pages.copied().get(frame)) {
            String root = rootOf(frame);
            if (root != null) {
                fail("frame " + frame + " was handed to the log without being mapped into the checkpointer,"
                        + " though " + root + " maps it");
            }
        }
    }

    @Override
    public ByteBuffer mapSnapshot(int frame) {
        return pages.mapSnapshot(frame);
    }

    /** A live process other than the checkpointer's that maps {@code frame}, named with its page; null: none. */
    private String rootOf(int frame) {
        if (frame == Machine.NO_FRAME) {
            return null; // no machine frame (the frame numbers start at 1)
        }
        int own = kernel.machine().proc(kernel.checkpointer());
        for (dev.ladle.kernel.Process x : kernel.processes()) {
            for (int v = 1; v <= kernel.limits().pages(); v++) {
                if (x.id() != own && kernel.machine().procPt(x.id(), v) == frame) {
                    return "process " + x.id() + " (page " + v + ")";
                }
            }
        }
        return null;
    }

    /** The log has written {@code frame} (its flusher; it never waits for the world's lock). */
    @Override
    public void unmapSnapshot(int frame) {
        written.add(frame);
        pages.unmapSnapshot(frame);
    }

    @Override
    public int snapshotGroup() {
        return pages.snapshotGroup();
    }

    @Override
    public boolean mapped(int frame) {
        return pages.mapped(frame);
    }

    @Override
    public void releaseAll() {
        pages.releaseAll();
    }

    @Override
    public long copiedFrames() {
        return pages.copiedFrames();
    }
}
