package dev.ladle.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.kernel.gen.kernel.KernelConfig;
import dev.ladle.kernel.gen.kernel.KernelMachine;
import dev.ladle.kernel.gen.kernelimpl.KernelImplConfig;
import dev.ladle.kernel.gen.kernelimpl.KernelImplMachine;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The refinement mapping of KernelImpl.tla (its Abs operators), evaluated in Java: the generated KernelImpl
 * machine and the generated Kernel machine run the same random kernel calls, each revoke and unmap walk run
 * to completion as the kernel does under its lock, and after every call the KernelImpl state, seen through the
 * mapping, equals the Kernel state, both accept or refuse the call alike, and KernelImpl's own invariants hold
 * (the free bitmaps hold exactly the free entries, ...). A larger configuration than TLC's (4 threads, 3 local
 * ids, 2 pages, 5 frames, vectors of 2), so deeper derivation trees are reached; thread 1 holds a capability to
 * itself, so pages and capabilities are granted to oneself (a grant whose sender's and receiver's bitmap entries
 * are one: the generator once lost the first of its two updates). Threads are created (in the creator's process or
 * a free one) and deleted (a thread, or its whole process), each deletion walk run to completion; a thread object is
 * deleted at most once (MaxGen = 1), so capabilities outlive their objects and meet their reuse.
 */
class KernelImplRefinesKernelTest {

    static final int THREADS = 4;
    static final int IDS = 3;
    static final int PAGES = 2;
    static final int FRAMES = 5;
    /**
     * The boot's free list of frames is 5, 3, 4 (frames 1 and 2 are mapped): out of order, so a copy takes a frame
     * while a lower one is free, which Kernel must accept (it takes the frame as an argument).
     */
    static final int FREE_FRAME_HEAD = 5;

    static final int[] FREE_FRAME_NEXT = {0, 0, 0, 4, 0, 3};
    static final int MAX_MSGS = 2;
    static final int MAX_SLOT = 3;
    static final int NO_OBJ = -1;
    static final int MAX_GEN = 1;

    @Test
    void bothMachinesAgreeOnTheAbstractionAfterRandomCalls() {
        Random rnd = new Random(2026L);
        int calls = 0;
        int applied = 0;
        int walkSteps = 0;
        int selfGrants = 0;
        int copiesAboveFree = 0;
        int entriesAboveFree = 0;
        int pagesAboveFree = 0;
        int created = 0;
        int deleted = 0;
        for (int run = 0; run < 300; run++) {
            KernelMachine k = new KernelMachine(new KernelConfig(
                    THREADS, 0, IDS, 1, NO_OBJ, MAX_MSGS, MAX_SLOT, MAX_GEN, PAGES, 1, FRAMES, 1, THREADS, 0));
            KernelImplMachine i = new KernelImplMachine(new KernelImplConfig(
                    THREADS,
                    0,
                    IDS,
                    1,
                    NO_OBJ,
                    PAGES,
                    1,
                    FRAMES,
                    1,
                    THREADS,
                    0,
                    FREE_FRAME_HEAD,
                    MAX_GEN,
                    MAX_MSGS,
                    MAX_SLOT));
            boot(k, i);
            k.init();
            i.init();
            assertAbstractionEqual(k, i, "after init");
            for (int step = 0; step < 60; step++) {
                int t = rnd.nextInt(THREADS);
                int d = 1 + rnd.nextInt(IDS);
                int l = 1 + rnd.nextInt(IDS);
                int v = 1 + rnd.nextInt(PAGES);
                int[] w = {rnd.nextInt(9), 0, 0, 0, 0, rnd.nextInt(9)};
                int[] m = {1 + rnd.nextInt(3)};
                // maps a third of the time, so that revoke and unmap find subtrees to walk
                int op = rnd.nextInt(3) == 0 ? (rnd.nextBoolean() ? 1 : 4) : rnd.nextInt(15);
                int u = rnd.nextInt(THREADS);
                int q = rnd.nextInt(THREADS);
                String call;
                Enum<?> a;
                Enum<?> b;
                switch (op) {
                    case 0 -> {
                        call = "send";
                        a = k.send(t, d, w);
                        b = i.send(t, d, w);
                    }
                    case 1 -> {
                        call = "mapPage";
                        // KernelImpl's choice (the head of the receiver's free list of pages) is Kernel's argument
                        int p = receiverPage(i, t, d);
                        boolean above = pageAboveFree(i, t, d, p);
                        a = k.mapPage(t, d, w, v, p);
                        b = i.mapPage(t, d, w, v, p);
                        pagesAboveFree += above && b == KernelImplMachine.Guard.OK ? 1 : 0;
                    }
                    case 2 -> {
                        call = "grantPage";
                        boolean self = i.cspaceObj(t, d) == t;
                        int p = receiverPage(i, t, d);
                        a = k.grantPage(t, d, w, v, p);
                        b = i.grantPage(t, d, w, v, p);
                        selfGrants += self && b == KernelImplMachine.Guard.OK ? 1 : 0;
                    }
                    case 3 -> {
                        call = "copyPage";
                        // KernelImpl's choice (the head of its free list of frames) is Kernel's argument
                        int f = i.freeFrameHead();
                        boolean lowerFree = false;
                        for (int g = 1; g < f; g++) {
                            lowerFree |= i.freeContains(g);
                        }
                        int p = receiverPage(i, t, d);
                        a = k.copyPage(t, d, w, v, f, p);
                        b = i.copyPage(t, d, w, v, f, p);
                        copiesAboveFree += lowerFree && b == KernelImplMachine.Guard.OK ? 1 : 0;
                    }
                    case 4 -> {
                        call = "mapCap";
                        // KernelImpl's choice (the head of the receiver's free list of slots) is Kernel's argument
                        int s = receiverSlot(i, t, d);
                        boolean above = aboveFree(i, t, d, s);
                        a = k.mapCap(t, d, w, l, m, s);
                        b = i.mapCap(t, d, w, l, m, s);
                        entriesAboveFree += above && b == KernelImplMachine.Guard.OK ? 1 : 0;
                    }
                    case 5 -> {
                        call = "copyCap";
                        int s = receiverSlot(i, t, d);
                        boolean above = aboveFree(i, t, d, s);
                        a = k.copyCap(t, d, w, l, m, s);
                        b = i.copyCap(t, d, w, l, m, s);
                        entriesAboveFree += above && b == KernelImplMachine.Guard.OK ? 1 : 0;
                    }
                    case 6 -> {
                        call = "grantCap";
                        boolean self = i.cspaceObj(t, d) == t;
                        int s = receiverSlot(i, t, d);
                        a = k.grantCap(t, d, w, l, s);
                        b = i.grantCap(t, d, w, l, s);
                        selfGrants += self && b == KernelImplMachine.Guard.OK ? 1 : 0;
                    }
                    case 7 -> {
                        call = "receive";
                        a = k.receive(t);
                        b = i.receive(t);
                    }
                    case 8 -> {
                        // wait only now and then, or every thread soon blocks
                        if (rnd.nextInt(4) == 0) {
                            call = "wait";
                            a = k.wait(t);
                            b = i.wait(t);
                        } else {
                            call = "receive";
                            a = k.receive(t);
                            b = i.receive(t);
                        }
                    }
                    case 9 -> {
                        call = "unmap";
                        a = k.unmap(t, v);
                        b = i.unmap(t, v);
                        if (b == KernelImplMachine.Guard.OK) {
                            while (i.unmapStep() == KernelImplMachine.Guard.OK) {
                                walkSteps++;
                            }
                            assertEquals(KernelImplMachine.Guard.OK, i.unmapDone());
                        }
                    }
                    case 11 -> {
                        call = "createThread";
                        // KernelImpl creates from the head of its free list; Kernel from any free object
                        u = i.freeThrHead() == NO_OBJ ? u : i.freeThrHead();
                        int s = i.freeSlotHead(t);
                        a = k.createThread(t, u, s);
                        b = i.createThread(t, u, s);
                        created += b == KernelImplMachine.Guard.OK ? 1 : 0;
                    }
                    case 12 -> {
                        call = "createProcess";
                        u = i.freeThrHead() == NO_OBJ ? u : i.freeThrHead();
                        q = i.freeProcHead() == NO_OBJ ? q : i.freeProcHead();
                        int s = i.freeSlotHead(t);
                        a = k.createProcess(t, u, q, s);
                        b = i.createProcess(t, u, q, s);
                        created += b == KernelImplMachine.Guard.OK ? 1 : 0;
                    }
                    case 13 -> {
                        call = "deleteThread";
                        a = k.deleteThread(t, d);
                        b = i.deleteThread(t, d);
                        if (b == KernelImplMachine.Guard.OK) {
                            walkSteps += deleteWalk(i);
                            deleted++;
                        }
                    }
                    case 14 -> {
                        call = "deleteProcess";
                        a = k.deleteProcess(t, d);
                        b = i.deleteProcess(t, d);
                        if (b == KernelImplMachine.Guard.OK) {
                            walkSteps += deleteWalk(i);
                            deleted++;
                        }
                    }
                    default -> {
                        call = "revoke";
                        a = k.revoke(t, l);
                        b = i.revoke(t, l);
                        if (b == KernelImplMachine.Guard.OK) {
                            while (i.revokeStep() == KernelImplMachine.Guard.OK) {
                                walkSteps++;
                            }
                            assertEquals(KernelImplMachine.Guard.OK, i.revokeDone());
                        }
                    }
                }
                String where = "run " + run + " step " + step + ": " + call + "(t=" + t + ", d=" + d + ", l=" + l
                        + ", v=" + v + ", u=" + u + ", q=" + q + ")";
                assertEquals(a.name(), b.name(), where + ": Kernel and KernelImpl differ on the result");
                calls++;
                if (a.name().equals("OK")) {
                    applied++;
                }
                assertAbstractionEqual(k, i, where);
                for (int n = 0; n < KernelImplMachine.INVARIANTS.length; n++) {
                    assertTrue(i.invariant(n), where + ": KernelImpl's " + KernelImplMachine.INVARIANTS[n]);
                }
            }
        }
        System.out.println("KernelImpl refines Kernel: " + calls + " calls, " + applied + " applied, " + walkSteps
                + " walk steps, " + selfGrants + " grants to oneself, " + copiesAboveFree
                + " copies into a frame above a free one, " + entriesAboveFree
                + " entries into a slot above a free one, " + pagesAboveFree + " maps into a page above a free one, "
                + created + " threads created, " + deleted
                + " deletions");
        assertTrue(applied > 2_000, "applied " + applied);
        assertTrue(walkSteps > 100, "walk steps " + walkSteps);
        assertTrue(selfGrants > 20, "grants to oneself " + selfGrants);
        assertTrue(copiesAboveFree > 20, "copies into a frame above a free one " + copiesAboveFree);
        assertTrue(entriesAboveFree > 20, "entries into a slot above a free one " + entriesAboveFree);
        assertTrue(pagesAboveFree > 20, "maps into a page above a free one " + pagesAboveFree);
        assertTrue(created > 100, "threads created " + created);
        assertTrue(deleted > 100, "deletions " + deleted);
    }

    /**
     * KernelImpl's deletion walk run to completion, as the kernel runs it: exactly one step is enabled at a time.
     * Returns how many steps it took.
     */
    static int deleteWalk(KernelImplMachine i) {
        var ok = KernelImplMachine.Guard.OK;
        int steps = 0;
        while (i.revokeStep() == ok
                || i.deleteCapDone() == ok
                || i.deleteCapStep() == ok
                || i.deleteThreadDone() == ok
                || i.unmapStep() == ok
                || i.deletePageDone() == ok
                || i.deletePageStep() == ok
                || i.deleteSpaceDone() == ok) {
            steps++;
        }
        assertEquals(NO_OBJ, i.delThread(), "the walk ends with no thread left to delete");
        assertEquals(NO_OBJ, i.delSpace(), "the walk ends with no address space left to delete");
        return steps;
    }

    /** The slot an entry sent through t's local id d lands in: the head of the receiver's free list (0 if none). */
    private static int receiverSlot(KernelImplMachine i, int t, int d) {
        int r = i.cspaceObj(t, d);
        return r == NO_OBJ ? 0 : i.freeSlotHead(r);
    }

    /**
     * The page a page item sent through t's local id d lands in: KernelImpl's NextFreePage of the receiver's address
     * space, the head of its free list or its mark (0 if none).
     */
    private static int receiverPage(KernelImplMachine i, int t, int d) {
        int r = i.cspaceObj(t, d);
        int x = r == NO_OBJ ? NO_OBJ : i.proc(r);
        if (x == NO_OBJ) {
            return 0;
        }
        return i.freePageHead(x) != 0 ? i.freePageHead(x) : i.freePageMark(x);
    }

    /** Whether the receiver of t's local id d has a free page below p in its address space. */
    private static boolean pageAboveFree(KernelImplMachine i, int t, int d, int p) {
        int r = i.cspaceObj(t, d);
        int x = r == NO_OBJ ? NO_OBJ : i.proc(r);
        boolean lower = false;
        for (int v = 1; x != NO_OBJ && v < p; v++) {
            lower |= i.pt(x, v) == 0;
        }
        return lower;
    }

    /** Whether the receiver of t's local id d has a free slot below s. */
    private static boolean aboveFree(KernelImplMachine i, int t, int d, int s) {
        int r = i.cspaceObj(t, d);
        boolean lower = false;
        for (int l = 1; r != NO_OBJ && l < s; l++) {
            lower |= i.cspaceObj(r, l) == NO_OBJ;
        }
        return lower;
    }

    /**
     * Thread 0 holds send+grant to 1 and 2; 1 and 2 hold send+grant to 0, 1 also to itself; 0 and 1 own a frame each;
     * thread object 3 is free (created, deleted and created again by the random calls).
     */
    private static void boot(KernelMachine k, KernelImplMachine i) {
        int[][] obj = {{1, 2, NO_OBJ}, {0, 1, NO_OBJ}, {0, NO_OBJ, NO_OBJ}, {NO_OBJ, NO_OBJ, NO_OBJ}};
        for (int t = 0; t < THREADS; t++) {
            for (int l = 1; l <= IDS; l++) {
                int o = obj[t][l - 1];
                k.setInitCSpaceObj(t, l, o);
                i.setInitCSpaceObj(t, l, o);
                for (var r : dev.ladle.kernel.gen.kernel.Rights.values()) {
                    k.setInitCSpaceRightsContains(t, l, r, o != NO_OBJ);
                }
                for (var r : dev.ladle.kernel.gen.kernelimpl.Rights.values()) {
                    i.setInitCSpaceRightsContains(t, l, r, o != NO_OBJ);
                }
            }
            // one process per thread, numbered like it; thread object 3 and process object 3 are free
            k.setInitProc(t, t < 3 ? t : NO_OBJ);
            i.setInitProc(t, t < 3 ? t : NO_OBJ);
            i.setInitThrNext(t, NO_OBJ);
            // each thread's free slots chained highest first, so an entry lands above a free slot
            int head = 0;
            for (int l = 1; l <= IDS; l++) {
                boolean free = obj[t][l - 1] == NO_OBJ;
                i.setInitFreeSlotNext(t, l, free ? head : 0);
                head = free ? l : head;
            }
            i.setInitFreeSlotHead(t, head);
            i.setInitFreeProcNext(t, NO_OBJ);
            // each process's free pages chained highest first, so a page item lands above a free page; the free
            // process object's lowest first, as FreeSpaceFillsFirstPage asks (its first page item lands at page 1)
            int pageHead = 0;
            for (int v = 1; v <= PAGES; v++) {
                int f = v == 1 && t < 2 ? t + 1 : 0;
                k.setInitPages(t, v, f);
                i.setInitPages(t, v, f);
                if (t < 3) {
                    i.setInitFreePageNext(t, v, f == 0 ? pageHead : 0);
                    pageHead = f == 0 ? v : pageHead;
                } else {
                    i.setInitFreePageNext(t, v, v < PAGES ? v + 1 : 0);
                    pageHead = 1;
                }
            }
            i.setInitFreePageHead(t, pageHead);
        }
        // frames 1 and 2 are mapped at boot; the free list is 5, 3, 4 (its head is the config's InitFreeFrameHead)
        for (int f = 1; f <= FRAMES; f++) {
            i.setInitFreeFrameNext(f, FREE_FRAME_NEXT[f]);
        }
    }

    /** Kernel's variables equal KernelImpl's seen through the refinement mapping (Abs* in KernelImpl.tla). */
    private static void assertAbstractionEqual(KernelMachine k, KernelImplMachine i, String where) {
        for (int t = 0; t < THREADS; t++) {
            for (int l = 1; l <= IDS; l++) {
                assertEquals(k.cspaceObj(t, l), i.cspaceObj(t, l), where + ": cspace[" + t + "][" + l + "].obj");
                for (int r = 0; r < 2; r++) {
                    assertEquals(
                            k.cspaceRightsContains(t, l, dev.ladle.kernel.gen.kernel.Rights.values()[r]),
                            i.cspaceRightsContains(t, l, dev.ladle.kernel.gen.kernelimpl.Rights.values()[r]),
                            where + ": cspace[" + t + "][" + l + "].rights");
                }
                Set<Integer> anc = capAnc(i, t, l);
                for (int t2 = 0; t2 < THREADS; t2++) {
                    for (int l2 = 1; l2 <= IDS; l2++) {
                        assertEquals(
                                k.capAncContains(t, l, t2, l2),
                                anc.contains(t2 * 100 + l2),
                                where + ": capAnc[" + t + "][" + l + "] on <<" + t2 + ", " + l2 + ">>");
                    }
                }
            }
            for (int v = 1; v <= PAGES; v++) {
                assertEquals(k.pt(t, v), i.pt(t, v), where + ": pt[" + t + "][" + v + "]");
                assertEquals(k.mdbFrame(t, v), i.pt(t, v), where + ": mdb[" + t + "][" + v + "].frame");
                Set<Integer> anc = mdbAnc(i, t, v);
                for (int t2 = 0; t2 < THREADS; t2++) {
                    for (int v2 = 1; v2 <= PAGES; v2++) {
                        assertEquals(
                                k.mdbAncContains(t, v, t2, v2),
                                anc.contains(t2 * 100 + v2),
                                where + ": mdb[" + t + "][" + v + "].anc on <<" + t2 + ", " + v2 + ">>");
                    }
                }
            }
            assertEquals(k.waiting(t), i.waiting(t), where + ": waiting[" + t + "]");
            assertEquals(k.proc(t), i.proc(t), where + ": proc[" + t + "]");
            assertEquals(k.gen(t), i.gen(t), where + ": gen[" + t + "]");
            for (int l = 1; l <= IDS; l++) {
                assertEquals(k.cspaceGen(t, l), i.cspaceGen(t, l), where + ": cspace[" + t + "][" + l + "].gen");
            }
            assertEquals(k.inboxLength(t), i.msgCount(t), where + ": Len(inbox[" + t + "])");
            for (int n = 1; n <= i.msgCount(t); n++) {
                int slot = (i.msgHead(t) + n - 1) % MAX_MSGS + 1;
                String msg = where + ": inbox[" + t + "][" + n + "]";
                assertEquals(k.inboxFrom(t, n), i.msgBufFrom(t, slot), msg + ".from");
                assertEquals(k.inboxGen(t, n), i.msgBufGen(t, slot), msg + ".gen");
                for (int x = 1; x <= 6; x++) {
                    assertEquals(k.inboxWords(t, n, x), i.msgBufWords(t, slot, x), msg + ".words");
                }
                assertEquals(
                        k.inboxItemKind(t, n).name(), i.msgBufItemKind(t, slot).name(), msg + ".item.kind");
                assertEquals(k.inboxItemSlot(t, n), i.msgBufItemSlot(t, slot), msg + ".item.slot");
            }
        }
        for (int f = 1; f <= FRAMES; f++) {
            assertEquals(k.frameData(f), i.frameData(f), where + ": frameData[" + f + "]");
            assertEquals(k.freeContains(f), i.freeContains(f), where + ": free contains " + f);
        }
    }

    /** Walking back from a node, a node shallower than every node passed so far is an ancestor (CapAnc). */
    private static Set<Integer> capAnc(KernelImplMachine i, int t, int l) {
        Set<Integer> out = new HashSet<>();
        int dmin = i.capDepth(t, l);
        int pt = i.capPrevAt1(t, l);
        int pl = i.capPrevAt2(t, l);
        while (pt != NO_OBJ) {
            int depth = i.capDepth(pt, pl);
            if (depth < dmin) {
                out.add(pt * 100 + pl);
                dmin = depth;
            }
            int nt = i.capPrevAt1(pt, pl);
            pl = i.capPrevAt2(pt, pl);
            pt = nt;
        }
        return out;
    }

    private static Set<Integer> mdbAnc(KernelImplMachine i, int t, int v) {
        Set<Integer> out = new HashSet<>();
        int dmin = i.mdbDepth(t, v);
        int pt = i.mdbPrevAt1(t, v);
        int pv = i.mdbPrevAt2(t, v);
        while (pt != NO_OBJ) {
            int depth = i.mdbDepth(pt, pv);
            if (depth < dmin) {
                out.add(pt * 100 + pv);
                dmin = depth;
            }
            int nt = i.mdbPrevAt1(pt, pv);
            pv = i.mdbPrevAt2(pt, pv);
            pt = nt;
        }
        return out;
    }
}
