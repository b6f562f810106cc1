package dev.ladle.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.kernel.gen.kernel.KernelConfig;
import dev.ladle.kernel.gen.kernel.KernelMachine;
import dev.ladle.kernel.gen.kernel.Rights;
import org.junit.jupiter.api.Test;

/**
 * The code TLC checks with 4 threads runs the kernel with thousands: the constants are construction
 * parameters. 2,000 threads in a ring, each holding a send capability to the next in local id 1.
 */
class KernelAtScaleTest {
    static final int THREADS = 2_000;
    static final int LOCAL_IDS = 2;
    static final int PAGES = 2;
    static final int FRAMES = 4;
    static final int MAX_MSGS = 4;
    static final int NO_OBJ = -1;

    /** Threads are ids 0..n-1, local ids 1..LOCAL_IDS, pages 1..PAGES, frames 1..FRAMES; NoObj sits below. */
    static KernelMachine ring(int threads) {
        KernelConfig config = KernelConfig.builder()
                .nThreads(threads)
                .nLocalIds(LOCAL_IDS)
                .loLocalIds(1)
                .NoObj(NO_OBJ)
                .MaxMsgs(MAX_MSGS)
                .MaxSlot(2)
                .nVPages(PAGES)
                .loVPages(1)
                .nFrames(FRAMES)
                .loFrames(1)
                .nProcs(threads)
                .loProcs(0)
                .MaxGen(1)
                .build();
        KernelMachine k = new KernelMachine(config);
        // InitCSpace: local id 1 of thread t names t + 1 with the send right, local id 2 names nothing
        for (int t = 0; t < threads; t++) {
            k.setInitCSpaceObj(t, 1, (t + 1) % threads);
            k.setInitCSpaceRightsContains(t, 1, Rights.SEND, true);
            k.setInitCSpaceObj(t, 2, NO_OBJ);
            k.setInitProc(t, t);
        }
        // one process per thread; Confined and InitPages stay empty (all zero: no thread confined, no page mapped)
        k.init();
        return k;
    }

    @Test
    void aRingOfTwoThousandThreadsRunsTheSameGeneratedCode() {
        KernelMachine k = ring(THREADS);
        assertTrue(k.typeOK());
        int[] words = {1, 2, 3, 4, 5, 6};
        for (int round = 0; round < MAX_MSGS; round++) {
            for (int t = 0; t < THREADS; t++) {
                assertEquals(KernelMachine.Guard.OK, k.send(t, 1, words), "thread " + t + " round " + round);
            }
        }
        assertEquals(MAX_MSGS, k.inboxLength(1));
        assertEquals(0, k.inboxFrom(1, 1));
        assertEquals(6, k.inboxWords(1, MAX_MSGS, 6));
        assertEquals(KernelMachine.Guard.SEND_HAS_ROOM, k.send(0, 1, words));
        assertEquals(KernelMachine.Guard.SEND_HOLDS_CAP, k.send(0, 2, words)); // an empty slot
        for (int t = 0; t < THREADS; t++) {
            assertEquals(KernelMachine.Guard.OK, k.receive(t));
        }
        assertEquals(MAX_MSGS - 1, k.inboxLength(THREADS - 1));
        assertTrue(k.typeOK());
        assertTrue(k.vectorsBounded());
    }

    @Test
    void aSnapshotRestoresEveryWord() {
        KernelMachine k = ring(4);
        int[] words = {1, 2, 3, 4, 5, 6};
        k.send(0, 1, words);
        int[] snapshot = new int[k.stateSize()];
        k.copyStateTo(snapshot);
        k.receive(1);
        assertEquals(0, k.inboxLength(1));
        k.copyStateFrom(snapshot);
        assertEquals(1, k.inboxLength(1));
        assertEquals(3, k.inboxWords(1, 1, 3));
    }

    @Test
    void aWrongIndexThrowsInsteadOfReadingANeighbour() {
        KernelMachine k = ring(4);
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class, () -> k.cspaceObj(4, 1));
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class, () -> k.cspaceObj(0, 3));
        org.junit.jupiter.api.Assertions.assertThrows(
                IndexOutOfBoundsException.class, () -> k.inboxFrom(0, MAX_MSGS + 1));
    }

    @Test
    void aBulkReaderCopiesWhatTheReaderOfEachElementReads() {
        KernelMachine k = ring(4);
        k.send(0, 1, new int[] {11, 12, 13, 14, 15, 16});
        k.send(0, 1, new int[] {21, 22, 23, 24, 25, 26});
        int[] into = new int[10];
        java.util.Arrays.fill(into, -7);
        k.copyInboxWords(1, 2, into, 3);
        for (int w = 1; w <= 6; w++) {
            assertEquals(k.inboxWords(1, 2, w), into[2 + w], "word " + w);
        }
        assertEquals(21, into[3]);
        assertEquals(-7, into[2], "nothing before the offset");
        assertEquals(-7, into[9], "nothing after the six words");
        org.junit.jupiter.api.Assertions.assertThrows(
                IndexOutOfBoundsException.class, () -> k.copyInboxWords(1, MAX_MSGS + 1, into, 0));
        org.junit.jupiter.api.Assertions.assertThrows(
                IndexOutOfBoundsException.class, () -> k.copyInboxWords(4, 1, into, 0));
    }

    @Test
    void sendAndReceiveAllocateNothing() {
        KernelMachine k = ring(4);
        int[] words = {1, 2, 3, 4, 5, 6};
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        for (int i = 0; i < 20_000; i++) {
            k.send(0, 1, words);
            k.receive(1);
        }
        long before = threads.getThreadAllocatedBytes(self);
        for (int i = 0; i < 100_000; i++) {
            k.send(0, 1, words);
            k.receive(1);
        }
        long allocated = threads.getThreadAllocatedBytes(self) - before;
        // a boxed value or a new array per action would be at least 1.6 MB here; the counter itself costs a little
        assertTrue(allocated < 16_384, "send/receive allocated " + allocated + " bytes over 100,000 pairs");
    }
}
