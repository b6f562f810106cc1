package dev.ladle.bench;

/**
 * The baseline a person would write for the kernel's Send and Receive of a 6-word message: per-thread capability
 * arrays, a ring buffer of message slots per receiver, a rights bitmask. It makes every check KernelImpl.tla's
 * {@code Send} and {@code Receive} make, in the spec's guard order: no revoke, unmap or deletion walk under way
 * ({@code Idle}, four words), the caller running, a capability in the slot ({@code HoldsCap}), the send right, the
 * capability of the object's current generation ({@code ObjectExists}), room in the receiver's vector; it stamps the
 * message with its sender and the sender's generation, and a receive clears the slot it takes (the spec's
 * {@code EmptyMsg}), so the unused slots of a ring stay empty as {@code RingsWellFormed} says. None of the generality
 * of generated code: no index checks beyond Java's, no overflow checks.
 */
final class HandSend {
    static final int RIGHT_SEND = 1;
    static final int WORDS = 6;
    static final int NO_OBJ = -1;

    final int[][] capObj;
    final int[][] capRights;
    final int[][] capGen;
    final int[] gen;
    final boolean[] waiting;
    final int maxMsgs;
    final int[] head;
    final int[] len;
    final int[][] from;
    final int[][] fromGen;
    final int[][] words;
    final int[][] itemKind;
    final int[][] itemSlot;
    /** The walks the kernel lock waits for (KernelImpl's capWalk, pageWalk, delThread, delSpace); none here. */
    int capWalk = NO_OBJ;

    int pageWalk = NO_OBJ;
    int delThread = NO_OBJ;
    int delSpace = NO_OBJ;

    HandSend(int threads, int localIds, int maxMsgs) {
        capObj = new int[threads][localIds];
        capRights = new int[threads][localIds];
        capGen = new int[threads][localIds];
        gen = new int[threads];
        waiting = new boolean[threads];
        this.maxMsgs = maxMsgs;
        head = new int[threads];
        len = new int[threads];
        from = new int[threads][maxMsgs];
        fromGen = new int[threads][maxMsgs];
        words = new int[threads][maxMsgs * WORDS];
        itemKind = new int[threads][maxMsgs];
        itemSlot = new int[threads][maxMsgs];
        for (int t = 0; t < threads; t++) {
            java.util.Arrays.fill(capObj[t], NO_OBJ);
            java.util.Arrays.fill(from[t], NO_OBJ);
        }
    }

    private boolean idle() {
        return capWalk == NO_OBJ && pageWalk == NO_OBJ && delThread == NO_OBJ && delSpace == NO_OBJ;
    }

    /**
     * 0 when sent, else 1 (a walk under way), 2 (sender waiting), 3 (empty slot), 4 (no send right), 5 (a dead
     * generation), 6 (receiver's vector full).
     */
    int send(int t, int d, int[] w) {
        if (!idle()) {
            return 1;
        }
        if (waiting[t]) {
            return 2;
        }
        int r = capObj[t][d];
        if (r == NO_OBJ) {
            return 3;
        }
        if ((capRights[t][d] & RIGHT_SEND) == 0) {
            return 4;
        }
        if (capGen[t][d] != gen[r]) {
            return 5;
        }
        int n = len[r];
        if (n >= maxMsgs) {
            return 6;
        }
        int slot = head[r] + n;
        if (slot >= maxMsgs) {
            slot -= maxMsgs;
        }
        from[r][slot] = t;
        fromGen[r][slot] = gen[t];
        System.arraycopy(w, 0, words[r], slot * WORDS, WORDS);
        itemKind[r][slot] = 0;
        itemSlot[r][slot] = 0;
        len[r] = n + 1;
        waiting[r] = false;
        return 0;
    }

    /** 0 when the oldest message was taken, else 1 (a walk under way), 2 (receiver waiting) or 3 (vector empty). */
    int receive(int t) {
        if (!idle()) {
            return 1;
        }
        if (waiting[t]) {
            return 2;
        }
        int n = len[t];
        if (n == 0) {
            return 3;
        }
        int h = head[t];
        from[t][h] = NO_OBJ;
        fromGen[t][h] = 0;
        java.util.Arrays.fill(words[t], h * WORDS, h * WORDS + WORDS, 0);
        itemKind[t][h] = 0;
        itemSlot[t][h] = 0;
        head[t] = h + 1 == maxMsgs ? 0 : h + 1;
        len[t] = n - 1;
        return 0;
    }
}
