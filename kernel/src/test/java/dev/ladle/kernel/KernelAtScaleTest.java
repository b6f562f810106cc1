package dev.ladle.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ladle.kernel.gen.kernel.KernelMachine;
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

    @Test
    void aRingOfTwoThousandThreadsRunsTheSameGeneratedCode() {
        KernelMachine k = new KernelMachine(THREADS, 0, LOCAL_IDS, 1, NO_OBJ, MAX_MSGS, 2, PAGES, 1, FRAMES, 1);
        // InitCSpace: [Threads -> [LocalIds -> [obj, rights]]], rights a bitset over {"send", "grant"}
        int[] cspace = new int[THREADS * LOCAL_IDS * 2];
        for (int t = 0; t < THREADS; t++) {
            int slot = (t * LOCAL_IDS) * 2;
            cspace[slot] = (t + 1) % THREADS;
            cspace[slot + 1] = 1 << 0;
            cspace[slot + 2] = NO_OBJ;
            cspace[slot + 3] = 0;
        }
        k.setData(0, cspace);
        k.setData(1, new int[(THREADS + 1 + 31) / 32]);
        k.setData(2, new int[THREADS * PAGES]);
        k.init();
        assertTrue(k.typeOK());
        int[] words = {1, 2, 3, 4, 5, 6};
        for (int round = 0; round < MAX_MSGS; round++) {
            for (int t = 0; t < THREADS; t++) {
                assertEquals(KernelMachine.Guard.OK, k.send(t, 1, words), "thread " + t + " round " + round);
            }
        }
        assertEquals(KernelMachine.Guard.SEND_HAS_ROOM, k.send(0, 1, words));
        assertEquals(KernelMachine.Guard.SEND_CAN_SEND, k.send(0, 2, words));
        for (int t = 0; t < THREADS; t++) {
            assertEquals(KernelMachine.Guard.OK, k.receive(t));
        }
        assertTrue(k.typeOK());
        assertTrue(k.vectorsBounded());
    }

    @Test
    void sendAndReceiveAllocateNothing() {
        KernelMachine k = new KernelMachine(4, 0, LOCAL_IDS, 1, NO_OBJ, MAX_MSGS, 2, PAGES, 1, FRAMES, 1);
        int[] cspace = new int[4 * LOCAL_IDS * 2];
        for (int t = 0; t < 4; t++) {
            cspace[t * LOCAL_IDS * 2] = (t + 1) % 4;
            cspace[t * LOCAL_IDS * 2 + 1] = 1;
            cspace[t * LOCAL_IDS * 2 + 2] = NO_OBJ;
        }
        k.setData(0, cspace);
        k.setData(1, new int[1]);
        k.setData(2, new int[4 * PAGES]);
        k.init();
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
