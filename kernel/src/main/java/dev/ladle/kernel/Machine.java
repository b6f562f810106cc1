package dev.ladle.kernel;

import dev.ladle.kernel.gen.kernel.KernelCheckedMachine;
import dev.ladle.kernel.gen.kernel.KernelConfig;
import dev.ladle.kernel.gen.kernelimpl.KernelImplConfig;
import dev.ladle.kernel.gen.kernelimpl.KernelImplMachine;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that knows the generated machines' API: the kernel calls the spec's actions and reads the spec's
 * variables through this class only, so a change of the generator's API touches this file alone.
 *
 * <p>The kernel runs {@link KernelImplMachine}, generated from {@code KernelImpl.tla} (linked derivation lists,
 * message rings, free bitmaps and free lists; revoke and unmap as walks of O(1) steps run to completion here). With
 * {@code withSpec}, the abstract {@link KernelCheckedMachine} of {@code Kernel.tla} (with its ghost variables)
 * runs in lockstep: every action is applied to both, both must accept or refuse alike, and
 * {@link #failingInvariants()} also reports where the implementation's state no longer maps to the spec's (the
 * refinement TLC checks on small models, checked here on every run) besides every generated invariant of both.
 *
 * <p>Ids: threads are {@code 0..threads-1} (the spec's model values), local ids {@code 1..localIds}, the spec's
 * virtual pages {@code 1..pages}, frames {@code 1..frames}; {@link #NO_OBJ} is the empty slot's object and 0 the
 * spec's {@code NoFrame}.
 */
public final class Machine {
    /** The object of an empty capability slot (the spec's {@code NoObj}: the id just below the threads). */
    public static final int NO_OBJ = -1;

    /** The spec's {@code NoFrame}. */
    public static final int NO_FRAME = 0;

    /** Bit of {@code "send"} in a rights mask (the ordinal of the generated {@code Rights.SEND}). */
    public static final int SEND = 1;

    /** Bit of {@code "grant"} in a rights mask. */
    public static final int GRANT = 2;

    /**
     * How many times a thread object may be deleted (the spec's {@code MaxGen}): generations are 32-bit, the
     * capability of an older generation refuses ({@code ObjectExists}).
     */
    public static final int MAX_GEN = Integer.MAX_VALUE - 1;

    /** The sizes the machine is built with: the spec's constants. */
    public record Sizes(int threads, int localIds, int pages, int frames, int vector) {
        public Sizes {
            if (threads < 1 || localIds < 1 || pages < 1 || frames < 1 || vector < 1) {
                throw new IllegalArgumentException("every size must be at least 1: " + this);
            }
        }
    }

    /**
     * Why an action was refused: the spec's guard predicate, by its name in the spec (the part of the generated
     * guard's description after the action name). {@link #OK}: applied.
     */
    public enum Guard {
        OK,
        Running,
        CanSend,
        CanGrant,
        HasRoom,
        PageMapped,
        ReceiverHasFreePage,
        FrameAvailable,
        HoldsCap,
        RightsWithin,
        ReceiverHasFreeSlot,
        InboxNonEmpty,
        InboxEmpty,
        /** The capability names an object of an older generation: the thread was deleted ("no such object"). */
        ObjectExists,
        /** KernelImpl's kernel lock: no revoke, unmap or delete walk is under way (always true between calls). */
        Idle,
        /** Creation: the thread object to create is free. */
        FreeThread,
        /** Creation of a process: the process object is free. */
        FreeProcess,
        /** Creation: the creator has a free local id for the new thread's capability. */
        CallerHasFreeSlot,
        /** Deletion needs every right on the capability. */
        CanDelete,
        /** The thread object may still be deleted (its generation is below {@link #MAX_GEN}). */
        GenerationLeft,
        /** Every thread of the process may still be deleted. */
        ProcessGenerationsLeft,
        /** A snapshot call: the thread is the system's checkpointer. */
        IsCheckpointer,
        /** A snapshot call: the checkpointer lives (belongs to a process). */
        CheckpointerLive,
        /** A snapshot map: the page is its frame's root (the allocator's mapping). */
        SnapshotRoot,
        /** A snapshot map: the checkpointer has a free page. */
        CheckpointerHasFreePage,
        /** A snapshot unmap: the checkpointer's page is a derived mapping. */
        SnapshotDerived,
        /** A snapshot unmap: nothing is derived from the checkpointer's page. */
        SnapshotLeaf,
        /** A guard this kernel does not know yet (a newer spec); {@link #lastRefusal()} names it. */
        Other
    }

    private static final Guard[] IMPL = guards(KernelImplMachine.Guard.values(), g -> g.description);
    private static final Guard[] SPEC = guards(KernelCheckedMachine.Guard.values(), g -> g.description);

    private final Sizes sizes;
    private final KernelImplMachine impl;
    private final KernelCheckedMachine spec;
    private final int[] rightsWords = new int[1];
    private String lastRefusal = "";
    private String divergence;

    /**
     * Builds the machine and sets it to the spec's {@code Init}.
     *
     * @param withSpec also run Kernel.tla's checked machine in lockstep (for {@code --check-invariants})
     * @param initCSpace {@code [thread][localId - 1]} -> {object, rights mask}, or null for an empty slot
     * @param initProc {@code [thread]} -> the thread's process ({@code 0..threads-1}: the spec's {@code InitProc}), or
     *     {@link #NO_OBJ} for a free thread object
     * @param initPages {@code [process][page - 1]} -> frame or {@link #NO_FRAME}
     * @param confined the confined group (Kernel.tla's {@code Confined}, checked by its {@code Confinement})
     */
    public Machine(
            Sizes sizes,
            boolean withSpec,
            int[][][] initCSpace,
            int[] initProc,
            int[][] initPages,
            boolean[] confined) {
        this(sizes, withSpec, initCSpace, initProc, initPages, confined, NO_OBJ);
    }

    /**
     * As above, with a checkpointer.
     *
     * @param checkpointer the checkpointer's thread object (the specs' {@code Checkpointers}, one thread), or
     *     {@link #NO_OBJ} for a system without one (then {@link #mapSnapshot} and {@link #unmapSnapshot} refuse)
     */
    public Machine(
            Sizes sizes,
            boolean withSpec,
            int[][][] initCSpace,
            int[] initProc,
            int[][] initPages,
            boolean[] confined,
            int checkpointer) {
        this.sizes = sizes;
        if (checkpointer != NO_OBJ && (checkpointer < 0 || checkpointer >= sizes.threads())) {
            throw new IllegalArgumentException(
                    "checkpointer " + checkpointer + " is no thread object (0.." + (sizes.threads() - 1) + ")");
        }
        int maxSlot = Math.max(sizes.pages(), sizes.localIds());
        // the frames no boot page maps, chained in increasing order: KernelImpl's free list of frames
        boolean[] bootFrame = new boolean[sizes.frames() + 1];
        for (int[] pages : initPages) {
            for (int f : pages) {
                if (f != NO_FRAME) {
                    bootFrame[f] = true;
                }
            }
        }
        int[] freeFrameNext = new int[sizes.frames() + 1];
        int freeFrameHead = NO_FRAME;
        for (int f = sizes.frames(); f >= 1; f--) {
            freeFrameNext[f] = bootFrame[f] ? NO_FRAME : freeFrameHead;
            freeFrameHead = bootFrame[f] ? freeFrameHead : f;
        }
        impl = new KernelImplMachine(KernelImplConfig.builder()
                .nThreads(sizes.threads())
                .loThreads(0)
                .nLocalIds(sizes.localIds())
                .loLocalIds(1)
                .NoObj(NO_OBJ)
                .MaxMsgs(sizes.vector())
                .MaxSlot(maxSlot)
                .nVPages(sizes.pages())
                .loVPages(1)
                .nFrames(sizes.frames())
                .loFrames(1)
                .nProcs(sizes.threads())
                .loProcs(0)
                .MaxGen(MAX_GEN)
                .InitFreeFrameHead(freeFrameHead)
                .build());
        for (int f = 1; f <= sizes.frames(); f++) {
            impl.setInitFreeFrameNext(f, freeFrameNext[f]);
        }
        spec = withSpec
                ? new KernelCheckedMachine(KernelConfig.builder()
                        .nThreads(sizes.threads())
                        .loThreads(0)
                        .nLocalIds(sizes.localIds())
                        .loLocalIds(1)
                        .NoObj(NO_OBJ)
                        .MaxMsgs(sizes.vector())
                        .MaxSlot(maxSlot)
                        .nVPages(sizes.pages())
                        .loVPages(1)
                        .nFrames(sizes.frames())
                        .loFrames(1)
                        .nProcs(sizes.threads())
                        .loProcs(0)
                        .MaxGen(MAX_GEN)
                        .build())
                : null;
        for (int t = 0; t < sizes.threads(); t++) {
            for (int l = 1; l <= sizes.localIds(); l++) {
                int[] cap = initCSpace[t][l - 1];
                int obj = cap == null ? NO_OBJ : cap[0];
                int rights = cap == null ? 0 : cap[1];
                impl.setInitCSpaceObj(t, l, obj);
                for (var r : dev.ladle.kernel.gen.kernelimpl.Rights.values()) {
                    impl.setInitCSpaceRightsContains(t, l, r, (rights & (1 << r.ordinal())) != 0);
                }
                if (spec != null) {
                    spec.setInitCSpaceObj(t, l, obj);
                    for (var r : dev.ladle.kernel.gen.kernel.Rights.values()) {
                        spec.setInitCSpaceRightsContains(t, l, r, (rights & (1 << r.ordinal())) != 0);
                    }
                }
            }
            // t's free slots chained in increasing order: KernelImpl's free list of t's slots
            int freeSlotHead = 0;
            for (int l = sizes.localIds(); l >= 1; l--) {
                boolean used = initCSpace[t][l - 1] != null;
                impl.setInitFreeSlotNext(t, l, used ? 0 : freeSlotHead);
                freeSlotHead = used ? freeSlotHead : l;
            }
            impl.setInitFreeSlotHead(t, freeSlotHead);
            impl.setInitProc(t, initProc[t]);
            // each process's list of threads (KernelImpl's thrNext): its threads in id order; the free thread
            // objects are chained the same way (the free list creation takes its head from)
            int next = NO_OBJ;
            for (int x = sizes.threads() - 1; x > t; x--) {
                next = initProc[x] == initProc[t] ? x : next;
            }
            impl.setInitThrNext(t, next);
            if (spec != null) {
                spec.setInitProc(t, initProc[t]);
            }
            // processes are numbered like the threads (there are as many): t is also process t here
            for (int v = 1; v <= sizes.pages(); v++) {
                impl.setInitPages(t, v, initPages[t][v - 1]);
                if (spec != null) {
                    spec.setInitPages(t, v, initPages[t][v - 1]);
                }
            }
            // process t's free pages chained in increasing order: KernelImpl's free list of its pages
            int freePageHead = 0;
            for (int v = sizes.pages(); v >= 1; v--) {
                boolean mapped = initPages[t][v - 1] != NO_FRAME;
                impl.setInitFreePageNext(t, v, mapped ? 0 : freePageHead);
                freePageHead = mapped ? freePageHead : v;
            }
            impl.setInitFreePageHead(t, freePageHead);
            if (spec != null) {
                spec.setConfinedContains(t, confined[t]);
            }
            impl.setCheckpointersContains(t, t == checkpointer);
            if (spec != null) {
                spec.setCheckpointersContains(t, t == checkpointer);
            }
        }
        // the free process objects (no thread at boot), chained in id order: KernelImpl's free list of processes
        boolean[] used = new boolean[sizes.threads()];
        for (int t = 0; t < sizes.threads(); t++) {
            if (initProc[t] != NO_OBJ) {
                used[initProc[t]] = true;
            }
        }
        int nextFree = NO_OBJ;
        for (int q = sizes.threads() - 1; q >= 0; q--) {
            impl.setInitFreeProcNext(q, used[q] ? NO_OBJ : nextFree);
            nextFree = used[q] ? nextFree : q;
        }
        impl.init();
        if (spec != null) {
            spec.init();
            compare("Init");
        }
    }

    /** The constants KernelImpl's machine runs with (the boot's free list of frames among them). */
    public KernelImplConfig implConfig() {
        return impl.config();
    }

    public Sizes sizes() {
        return sizes;
    }

    /** Whether Kernel.tla's machine runs in lockstep. */
    public boolean withSpec() {
        return spec != null;
    }

    /** The spec's guard description of the last refusal ("Send: HasRoom"). */
    public String lastRefusal() {
        return lastRefusal;
    }

    // ---------------------------------------------------------------- actions

    public Guard send(int t, int d, int[] w) {
        Guard g = g(impl.send(t, d, w));
        return spec == null ? g : both(g, s(spec.send(t, d, w)), "Send");
    }

    /**
     * MapPage into the page KernelImpl chooses: the head of the free list of the receiver's address space, read
     * before the step (no search), and passed to Kernel.tla's machine as its choice. The same for GrantPage and
     * CopyPage.
     */
    public Guard mapPage(int t, int d, int[] w, int v) {
        changed = 0;
        int p = nextFreePageOfReceiver(t, d);
        Guard g = g(impl.mapPage(t, d, w, v, p));
        if (g == Guard.OK) {
            changedReceiverPage(t, d);
        }
        return spec == null ? g : both(g, s(spec.mapPage(t, d, w, v, p)), "MapPage");
    }

    public Guard grantPage(int t, int d, int[] w, int v) {
        changed = 0;
        int p = nextFreePageOfReceiver(t, d);
        Guard g = g(impl.grantPage(t, d, w, v, p));
        if (g == Guard.OK) {
            changed(impl.proc(t), v);
            changedReceiverPage(t, d);
        }
        return spec == null ? g : both(g, s(spec.grantPage(t, d, w, v, p)), "GrantPage");
    }

    /**
     * CopyPage into the frame KernelImpl chooses: the head of its free list, read before the step (no search), and
     * passed to Kernel.tla's machine as its choice; the page is chosen as {@link #mapPage}'s.
     */
    public Guard copyPage(int t, int d, int[] w, int v) {
        changed = 0;
        int f = impl.freeFrameHead();
        int p = nextFreePageOfReceiver(t, d);
        Guard g = g(impl.copyPage(t, d, w, v, f, p));
        if (g == Guard.OK) {
            changedReceiverPage(t, d);
        }
        return spec == null ? g : both(g, s(spec.copyPage(t, d, w, v, f, p)), "CopyPage");
    }

    /**
     * The page a page item sent through thread {@code t}'s local id {@code d} lands in: the head of the free list of
     * the address space of the thread {@code d} names, 0 when {@code t} or {@code d} is out of range, names nothing
     * or no live thread, or the list is empty (then the call is refused before the page matters).
     */
    private int nextFreePageOfReceiver(int t, int d) {
        if (t < 0 || t >= sizes.threads() || d < 1 || d > sizes.localIds()) {
            return 0;
        }
        int r = impl.cspaceObj(t, d);
        return r == NO_OBJ ? 0 : nextFreePageOf(impl.proc(r));
    }

    /**
     * KernelImpl's {@code NextFreePage(q)}: the head of process {@code q}'s free list of pages, or its mark when the
     * list is empty; 0 when {@code q} is no process or none is free.
     */
    private int nextFreePageOf(int q) {
        if (q == NO_OBJ) {
            return 0;
        }
        int head = impl.freePageHead(q);
        return head != 0 ? head : impl.freePageMark(q);
    }

    /** The free frame a copy takes next (the head of KernelImpl's free list), {@link #NO_FRAME} if none. */
    public int nextFreeFrame() {
        return impl.freeFrameHead();
    }

    /**
     * MapCap into the slot KernelImpl chooses: the head of the receiver's free list of slots, read before the step
     * (no search), and passed to Kernel.tla's machine as its choice. The same for GrantCap and CopyCap.
     */
    public Guard mapCap(int t, int d, int[] w, int l, int rights) {
        int s = nextFreeSlotOfReceiver(t, d);
        Guard g = g(impl.mapCap(t, d, w, l, rightsWords(rights), s));
        return spec == null ? g : both(g, s(spec.mapCap(t, d, w, l, rightsWords(rights), s)), "MapCap");
    }

    public Guard grantCap(int t, int d, int[] w, int l) {
        int s = nextFreeSlotOfReceiver(t, d);
        Guard g = g(impl.grantCap(t, d, w, l, s));
        return spec == null ? g : both(g, s(spec.grantCap(t, d, w, l, s)), "GrantCap");
    }

    public Guard copyCap(int t, int d, int[] w, int l, int rights) {
        int s = nextFreeSlotOfReceiver(t, d);
        Guard g = g(impl.copyCap(t, d, w, l, rightsWords(rights), s));
        return spec == null ? g : both(g, s(spec.copyCap(t, d, w, l, rightsWords(rights), s)), "CopyCap");
    }

    /**
     * The slot an entry sent through thread {@code t}'s local id {@code d} lands in: the head of the free list of
     * the thread {@code d} names, 0 when {@code t} or {@code d} is out of range, names nothing, or the list is empty
     * (then the call is refused before the slot matters).
     */
    private int nextFreeSlotOfReceiver(int t, int d) {
        if (t < 0 || t >= sizes.threads() || d < 1 || d > sizes.localIds()) {
            return 0;
        }
        int r = impl.cspaceObj(t, d);
        return r == NO_OBJ ? 0 : impl.freeSlotHead(r);
    }

    public Guard receive(int t) {
        Guard g = g(impl.receive(t));
        return spec == null ? g : both(g, s(spec.receive(t)), "Receive");
    }

    public Guard await(int t) {
        Guard g = g(impl.wait(t));
        return spec == null ? g : both(g, s(spec.wait(t)), "Wait");
    }

    /** Unmap: KernelImpl's walk (Unmap, UnmapStep until no descendant is left, UnmapDone), run to completion. */
    public Guard unmap(int t, int v) {
        changed = 0;
        Guard g = g(impl.unmap(t, v));
        if (g == Guard.OK) {
            int wq = impl.pageWalkAt1();
            int wv = impl.pageWalkAt2();
            while (true) {
                // UnmapStep removes the node after the walked one: one descendant mapping per step
                int nq = impl.mdbNextAt1(wq, wv);
                int nv = impl.mdbNextAt2(wq, wv);
                if (impl.unmapStep() != KernelImplMachine.Guard.OK) {
                    break;
                }
                changed(nq, nv);
            }
            if (impl.unmapDone() != KernelImplMachine.Guard.OK) {
                throw new IllegalStateException("KernelImpl's UnmapDone refused after the walk");
            }
        }
        return spec == null ? g : both(g, s(spec.unmap(t, v)), "Unmap");
    }

    /**
     * MapSnapshot: the kernel maps the frame of process {@code x}'s page {@code v}, its frame's root, into
     * checkpointer {@code c}'s free page KernelImpl chooses (the head of the free list of its address space, read
     * before the step: no search, and passed to Kernel.tla's machine as its choice), derived from the root (no
     * message, no capability). O(1). The page it landed at is {@link #changedPage}{@code (0)}.
     */
    public Guard mapSnapshot(int c, int x, int v) {
        changed = 0;
        int q = c >= 0 && c < sizes.threads() ? impl.proc(c) : NO_OBJ;
        int p = nextFreePageOf(q);
        Guard g = g(impl.mapSnapshot(c, x, v, p));
        if (g == Guard.OK) {
            changed(q, p);
        }
        return spec == null ? g : both(g, s(spec.mapSnapshot(c, x, v, p)), "MapSnapshot");
    }

    /** UnmapSnapshot: checkpointer {@code c} drops its mapping at {@code v}, a derived leaf, and only it. O(1). */
    public Guard unmapSnapshot(int c, int v) {
        changed = 0;
        Guard g = g(impl.unmapSnapshot(c, v));
        if (g == Guard.OK) {
            changed(impl.proc(c), v);
        }
        return spec == null ? g : both(g, s(spec.unmapSnapshot(c, v)), "UnmapSnapshot");
    }

    /** Revoke: KernelImpl's walk (Revoke, RevokeStep until no descendant is left, RevokeDone). */
    public Guard revoke(int t, int l) {
        Guard g = g(impl.revoke(t, l));
        if (g == Guard.OK) {
            while (impl.revokeStep() == KernelImplMachine.Guard.OK) {
                // one derived capability removed per step
            }
            if (impl.revokeDone() != KernelImplMachine.Guard.OK) {
                throw new IllegalStateException("KernelImpl's RevokeDone refused after the walk");
            }
        }
        return spec == null ? g : both(g, s(spec.revoke(t, l)), "Revoke");
    }

    /** CreateThread: thread object {@code u} (free) becomes a thread of {@code t}'s process. */
    public Guard createThread(int t, int u) {
        int s = nextFreeSlot(t);
        Guard g = g(impl.createThread(t, u, s));
        return spec == null ? g : both(g, s(spec.createThread(t, u, s)), "CreateThread");
    }

    /** CreateProcess: thread object {@code u} becomes the first thread of the free process object {@code q}. */
    public Guard createProcess(int t, int u, int q) {
        int s = nextFreeSlot(t);
        Guard g = g(impl.createProcess(t, u, q, s));
        return spec == null ? g : both(g, s(spec.createProcess(t, u, q, s)), "CreateProcess");
    }

    /** DeleteThread: KernelImpl's deletion walk, run to completion. */
    public Guard deleteThread(int t, int d) {
        deleted = 0;
        changed = 0;
        Guard g = g(impl.deleteThread(t, d));
        if (g == Guard.OK) {
            deleteWalk();
        }
        return spec == null ? g : both(g, s(spec.deleteThread(t, d)), "DeleteThread");
    }

    /** DeleteProcess: KernelImpl's deletion walk over every thread of the process, run to completion. */
    public Guard deleteProcess(int t, int d) {
        deleted = 0;
        changed = 0;
        Guard g = g(impl.deleteProcess(t, d));
        if (g == Guard.OK) {
            deleteWalk();
        }
        return spec == null ? g : both(g, s(spec.deleteProcess(t, d)), "DeleteProcess");
    }

    /**
     * The deletion walk: at each point exactly one of its steps is enabled (the slots of each dying thread, each
     * with its descendants first, then the thread; then the pages of a dying address space, each with the mappings
     * derived from it first, then the process object), until the kernel lock is free again.
     */
    private void deleteWalk() {
        final var ok = KernelImplMachine.Guard.OK;
        while (true) {
            if (impl.revokeStep() == ok || impl.deleteCapDone() == ok || impl.deleteCapStep() == ok) {
                continue; // one O(1) step of the walk
            }
            // DeleteThreadDone parks the thread being emptied (delThread) and moves on to the next one
            int parked = impl.delThread();
            if (impl.deleteThreadDone() == ok) {
                if (deleted == deletedThreads.length) {
                    deletedThreads = java.util.Arrays.copyOf(deletedThreads, 2 * deleted);
                }
                deletedThreads[deleted++] = parked;
                continue;
            }
            // UnmapStep removes the node after the walked page, DeletePageDone the walked page itself
            int wq = impl.pageWalkAt1();
            int wv = impl.pageWalkAt2();
            if (wq != NO_OBJ) {
                int nq = impl.mdbNextAt1(wq, wv);
                int nv = impl.mdbNextAt2(wq, wv);
                if (impl.unmapStep() == ok) {
                    changed(nq, nv);
                    continue;
                }
                if (impl.deletePageDone() == ok) {
                    changed(wq, wv);
                    continue;
                }
            }
            if (impl.deletePageStep() == ok || impl.deleteSpaceDone() == ok) {
                continue;
            }
            break;
        }
        if (impl.delThread() != NO_OBJ || impl.delSpace() != NO_OBJ) {
            throw new IllegalStateException("KernelImpl's deletion walk stopped before its end");
        }
    }

    /** The threads the last deletion walk parked, in the order it parked them ({@link #deletedCount()} of them). */
    private int[] deletedThreads = new int[4];

    private int deleted;

    /** How many threads the last {@link #deleteThread} or {@link #deleteProcess} deleted. */
    public int deletedCount() {
        return deleted;
    }

    /** The {@code i}-th thread (from 0) the last deletion deleted: what the kernel retires, and nothing else. */
    public int deletedThread(int i) {
        if (i < 0 || i >= deleted) {
            throw new IndexOutOfBoundsException("deleted thread " + i + " of " + deleted);
        }
        return deletedThreads[i];
    }

    // ---------------------------------------------------------------- the pages the last page operation changed

    private int[] changedProcs = new int[8];
    private int[] changedPages = new int[8];
    private int changed;

    private void changed(int q, int v) {
        if (changed == changedPages.length) {
            changedProcs = java.util.Arrays.copyOf(changedProcs, 2 * changed);
            changedPages = java.util.Arrays.copyOf(changedPages, 2 * changed);
        }
        changedProcs[changed] = q;
        changedPages[changed++] = v;
    }

    /** The receiver's page a page item just landed at: the slot the delivered message names (its newest). */
    private void changedReceiverPage(int t, int d) {
        int r = impl.cspaceObj(t, d);
        changed(impl.proc(r), inboxItemSlot(r, inboxLength(r)));
    }

    /**
     * How many pages the last page operation ({@link #mapPage}, {@link #grantPage}, {@link #copyPage},
     * {@link #unmap}, {@link #deleteThread}, {@link #deleteProcess}, {@link #mapSnapshot}, {@link #unmapSnapshot})
     * mapped or unmapped, as the machine's steps
     * name them: the receiver's page an item landed at, the sender's granted page, each mapping a walk removed.
     * What the kernel's page tables must follow, and nothing else (a page may be named twice).
     */
    public int changedPageCount() {
        return changed;
    }

    /** The process of the {@code i}-th (from 0) page the last page operation changed. */
    public int changedPageProcess(int i) {
        if (i < 0 || i >= changed) {
            throw new IndexOutOfBoundsException("changed page " + i + " of " + changed);
        }
        return changedProcs[i];
    }

    /** The {@code i}-th (from 0) page the last page operation changed, in its process. */
    public int changedPage(int i) {
        if (i < 0 || i >= changed) {
            throw new IndexOutOfBoundsException("changed page " + i + " of " + changed);
        }
        return changedPages[i];
    }

    private int[] rightsWords(int rights) {
        rightsWords[0] = rights;
        return rightsWords;
    }

    private Guard g(KernelImplMachine.Guard guard) {
        if (guard == KernelImplMachine.Guard.OK) {
            return Guard.OK;
        }
        lastRefusal = guard.description;
        return IMPL[guard.ordinal()];
    }

    private static Guard s(KernelCheckedMachine.Guard guard) {
        return SPEC[guard.ordinal()];
    }

    /** The lockstep: both machines must agree on the outcome, and after an applied action on the state. */
    private Guard both(Guard impl, Guard spec, String action) {
        if (impl != spec && divergence == null) {
            divergence = action + ": KernelImpl says " + impl + ", Kernel says " + spec;
        }
        if (impl == Guard.OK) {
            compare(action);
        }
        return impl;
    }

    private static <E extends Enum<E>> Guard[] guards(E[] generated, java.util.function.Function<E, String> text) {
        Guard[] out = new Guard[generated.length];
        for (E e : generated) {
            String description = text.apply(e);
            int colon = description.indexOf(": ");
            Guard mine = Guard.Other;
            if (colon < 0) {
                mine = Guard.OK;
            } else {
                String name = description.substring(colon + 2);
                for (Guard candidate : Guard.values()) {
                    if (candidate.name().equals(name)) {
                        mine = candidate;
                    }
                }
            }
            out[e.ordinal()] = mine;
        }
        return out;
    }

    // ---------------------------------------------------------------- readers (KernelImpl's state, as Kernel's)

    /** The object local id {@code l} of thread {@code t} names, or {@link #NO_OBJ}. */
    public int cspaceObj(int t, int l) {
        return impl.cspaceObj(t, l);
    }

    /** The rights mask ({@link #SEND}, {@link #GRANT}) of thread {@code t}'s local id {@code l}. */
    public int cspaceRights(int t, int l) {
        int mask = 0;
        for (var r : dev.ladle.kernel.gen.kernelimpl.Rights.values()) {
            mask |= impl.cspaceRightsContains(t, l, r) ? 1 << r.ordinal() : 0;
        }
        return mask;
    }

    public boolean waiting(int t) {
        return impl.waiting(t);
    }

    /** Thread object {@code t}'s process, or {@link #NO_OBJ} for a free thread object. */
    public int proc(int t) {
        return impl.proc(t);
    }

    /** Thread object {@code t}'s generation (how often it was deleted). */
    public int gen(int t) {
        return impl.gen(t);
    }

    /** The generation local id {@code l} of thread {@code t} names. */
    public int cspaceGen(int t, int l) {
        return impl.cspaceGen(t, l);
    }

    /**
     * The free local id of thread {@code t} an item or a creation fills next (the head of KernelImpl's free list of
     * {@code t}'s slots, read without a search), or 0 when none is free or {@code t} is no thread object.
     */
    public int nextFreeSlot(int t) {
        return t < 0 || t >= sizes.threads() ? 0 : impl.freeSlotHead(t);
    }

    /**
     * The free page of thread {@code t}'s address space a page item or a snapshot mapping fills next (the head of
     * KernelImpl's free list of its process's pages, read without a search), or 0 when none is free or {@code t} is no
     * live thread.
     */
    public int nextFreePage(int t) {
        return t < 0 || t >= sizes.threads() ? 0 : nextFreePageOf(impl.proc(t));
    }

    /** The free thread object a creation takes next (the head of KernelImpl's free list), {@link #NO_OBJ} if none. */
    public int nextFreeThread() {
        return impl.freeThrHead();
    }

    /** The free process object {@code CreateProcess} takes next, {@link #NO_OBJ} if none. */
    public int nextFreeProcess() {
        return impl.freeProcHead();
    }

    /** Whether process object {@code q} is free (no thread belongs to it). */
    public boolean freeProcess(int q) {
        return impl.freeProcsContains(q);
    }

    public int inboxLength(int t) {
        return impl.msgCount(t);
    }

    /** The ring slot (1-based) of message {@code i} (1 = oldest) in {@code t}'s vector. */
    private int ring(int t, int i) {
        // head is 0..vector-1 and i 1..vector: one subtraction wraps it (no division on the receive path)
        int k = impl.msgHead(t) + i;
        return k > sizes.vector() ? k - sizes.vector() : k;
    }

    /**
     * Where {@link #peekOldest} puts the message's six words, its sender, the item's kind (an {@code Abi} item
     * kind) and slot, and the sender's generation when it sent it: the positions of KernelImpl's ring slot
     * ({@code msgBuf[t][k]}) among the words of its generated bulk reader.
     */
    public static final int PEEK_WORDS = KernelImplMachine.MSG_BUF_WORDS;

    public static final int PEEK_FROM = KernelImplMachine.MSG_BUF_FROM;

    public static final int PEEK_KIND = KernelImplMachine.MSG_BUF_ITEM_KIND;

    public static final int PEEK_SLOT = KernelImplMachine.MSG_BUF_ITEM_SLOT;

    public static final int PEEK_GEN = KernelImplMachine.MSG_BUF_GEN;

    /** The length of {@link #peekOldest}'s array. */
    public static final int PEEK_SIZE = KernelImplMachine.MSG_BUF_LENGTH;

    /**
     * Copies the oldest message of {@code t}'s vector into {@code out} (its six words from {@link #PEEK_WORDS}, and
     * {@link #PEEK_FROM}, {@link #PEEK_KIND}, {@link #PEEK_SLOT}, {@link #PEEK_GEN}) with one ring lookup and one
     * copy of the ring slot (the generated {@code copyMsgBuf}); false when the vector is empty. What
     * {@link #receive} is about to take, read as the readers {@link #inboxWord} etc. read it.
     */
    public boolean peekOldest(int t, int[] out) {
        if (impl.msgCount(t) == 0) {
            return false;
        }
        impl.copyMsgBuf(t, ring(t, 1), out, 0);
        return true;
    }

    /** The sender of message {@code i} (1 = oldest) in {@code t}'s vector. */
    public int inboxFrom(int t, int i) {
        return impl.msgBufFrom(t, ring(t, i));
    }

    /** The generation its sender had when it sent message {@code i} (1 = oldest) of {@code t}'s vector. */
    public int inboxGen(int t, int i) {
        return impl.msgBufGen(t, ring(t, i));
    }

    /** Word {@code w} (1..6) of message {@code i} in {@code t}'s vector. */
    public int inboxWord(int t, int i, int w) {
        return impl.msgBufWords(t, ring(t, i), w);
    }

    /** The item kind (ordinal of the spec's ItemKinds) of message {@code i}. */
    public int inboxItemKind(int t, int i) {
        return impl.msgBufItemKind(t, ring(t, i)).ordinal();
    }

    /** Where message {@code i}'s item landed in the receiver (a page or a local id), 0 for none. */
    public int inboxItemSlot(int t, int i) {
        return impl.msgBufItemSlot(t, ring(t, i));
    }

    /**
     * The frame at page {@code v} of thread {@code t}'s address space (its process's), or {@link #NO_FRAME} (also for
     * a free thread object, which has no address space).
     */
    public int pt(int t, int v) {
        int q = impl.proc(t);
        return q == NO_OBJ ? NO_FRAME : impl.pt(q, v);
    }

    /** The frame at page {@code v} of process {@code p}'s address space, or {@link #NO_FRAME}. */
    public int procPt(int p, int v) {
        return impl.pt(p, v);
    }

    /** Whether frame {@code f} is still in the allocator's free pool. */
    public boolean free(int f) {
        return impl.freeContains(f);
    }

    /** A copy of the whole state's words: equal copies are equal states. */
    public int[] copyState() {
        int[] words = new int[impl.stateSize()];
        impl.copyStateTo(words);
        return words;
    }

    /**
     * A copy of the state words of the abstract {@code Kernel.tla} machine run in lockstep ({@link #withSpec()}
     * only): what an independent {@link KernelCheckedMachine} is compared with.
     */
    public int[] copySpecState() {
        if (spec == null) {
            throw new IllegalStateException("the machine runs without the spec (withSpec false)");
        }
        int[] words = new int[spec.stateSize()];
        spec.copyStateTo(words);
        return words;
    }

    /**
     * Replaces the whole state with {@code words} (a {@link #copyState} of a machine built from equal sizes and boot
     * data): what recovery from a checkpoint does. Refused when the checked machine runs in lockstep, whose ghost
     * variables a copy of the implementation's words does not carry.
     */
    public void restoreState(int[] words) {
        if (spec != null) {
            throw new IllegalStateException("a machine checked in lockstep cannot be restored from a copy");
        }
        if (words.length != impl.stateSize()) {
            throw new IllegalArgumentException(
                    "a state of " + words.length + " words; this machine has " + impl.stateSize());
        }
        impl.copyStateFrom(words);
    }

    /**
     * Replaces the whole state of a machine checked in lockstep: {@code words} a {@link #copyState} and
     * {@code specWords} a {@link #copySpecState} (ghost variables included) of a machine built from equal sizes and
     * boot data, taken together. What recovery does when the recovered kernel replays logged steps in lockstep.
     */
    public void restoreState(int[] words, int[] specWords) {
        if (spec == null) {
            throw new IllegalStateException("the machine runs without the spec (withSpec false)");
        }
        if (words.length != impl.stateSize() || specWords.length != spec.stateSize()) {
            throw new IllegalArgumentException("a state of " + words.length + " and " + specWords.length
                    + " words; this machine has " + impl.stateSize() + " and " + spec.stateSize());
        }
        impl.copyStateFrom(words);
        spec.copyStateFrom(specWords);
        compare("restoreState");
    }

    /** Records the first place where KernelImpl's state does not map to Kernel's. */
    private void compare(String after) {
        if (divergence != null) {
            return;
        }
        String d = difference();
        if (d != null) {
            divergence = "after " + after + ": " + d;
        }
    }

    private String difference() {
        for (int t = 0; t < sizes.threads(); t++) {
            for (int l = 1; l <= sizes.localIds(); l++) {
                int rights = 0;
                for (var r : dev.ladle.kernel.gen.kernel.Rights.values()) {
                    rights |= spec.cspaceRightsContains(t, l, r) ? 1 << r.ordinal() : 0;
                }
                if (spec.cspaceObj(t, l) != cspaceObj(t, l) || rights != cspaceRights(t, l)) {
                    return "cspace[" + t + "][" + l + "]";
                }
            }
            if (spec.proc(t) != impl.proc(t) || spec.gen(t) != impl.gen(t)) {
                return "proc[" + t + "] or gen[" + t + "]";
            }
            // processes are numbered like the threads
            for (int v = 1; v <= sizes.pages(); v++) {
                if (spec.pt(t, v) != impl.pt(t, v)) {
                    return "pt[" + t + "][" + v + "]: KernelImpl " + impl.pt(t, v) + ", Kernel " + spec.pt(t, v);
                }
            }
            if (spec.waiting(t) != waiting(t)) {
                return "waiting[" + t + "]";
            }
            if (spec.inboxLength(t) != inboxLength(t)) {
                return "Len(inbox[" + t + "]): KernelImpl " + inboxLength(t) + ", Kernel " + spec.inboxLength(t);
            }
            for (int i = 1; i <= inboxLength(t); i++) {
                boolean same = spec.inboxFrom(t, i) == inboxFrom(t, i)
                        && spec.inboxGen(t, i) == inboxGen(t, i)
                        && spec.inboxItemKind(t, i).ordinal() == inboxItemKind(t, i)
                        && spec.inboxItemSlot(t, i) == inboxItemSlot(t, i);
                for (int w = 1; w <= 6 && same; w++) {
                    same = spec.inboxWords(t, i, w) == inboxWord(t, i, w);
                }
                if (!same) {
                    return "inbox[" + t + "][" + i + "]";
                }
            }
        }
        for (int f = 1; f <= sizes.frames(); f++) {
            if (spec.freeContains(f) != free(f) || spec.frameData(f) != impl.frameData(f)) {
                return "frame " + f + " (free or frameData)";
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- invariants

    /**
     * Kernel.tla's invariants stated for a system without creation, which a created thread legitimately breaks:
     * {@code Confinement} keeps the boot's confined group fixed, while the confined thread's capability to a thread
     * it created leads into its group as {@code ConfinementLive} states it (checked instead, as MCKernelLifecycle
     * does).
     */
    private static final java.util.Set<String> STATIC_GROUP_ONLY = java.util.Set.of("Confinement");

    /**
     * What does not hold in the current state: KernelImpl's generated invariants and TypeOK; with the spec in
     * lockstep, also Kernel's (ghost-variable invariants included) and any divergence between the two.
     */
    public List<String> failingInvariants() {
        List<String> failing = new ArrayList<>();
        for (int i = 0; i < KernelImplMachine.INVARIANTS.length; i++) {
            if (!impl.invariant(i)) {
                failing.add("KernelImpl!" + KernelImplMachine.INVARIANTS[i]);
            }
        }
        if (!impl.typeOK()) {
            failing.add("KernelImpl!TypeOK");
        }
        if (spec != null) {
            for (int i = 0; i < KernelCheckedMachine.INVARIANTS.length; i++) {
                if (STATIC_GROUP_ONLY.contains(KernelCheckedMachine.INVARIANTS[i])) {
                    continue;
                }
                if (!spec.invariant(i)) {
                    failing.add("Kernel!" + KernelCheckedMachine.INVARIANTS[i]);
                }
            }
            if (!spec.typeOK()) {
                failing.add("Kernel!TypeOK");
            }
            if (divergence != null) {
                failing.add("refinement (" + divergence + ")");
            }
        }
        return failing;
    }
}
