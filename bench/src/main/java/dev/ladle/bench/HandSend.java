package dev.ladle.bench;

/**
 * The baseline a person would write for the kernel's Send: per-thread capability arrays, a ring buffer of
 * message slots per receiver, a rights bitmask. Same behaviour as the spec's Send (refusal codes in the
 * spec's guard order), none of the generality of generated code.
 */
final class HandSend {
    static final int RIGHT_SEND = 1;
    static final int WORDS = 6;

    final int[][] capObj;
    final int[][] capRights;
    final boolean[] waiting;
    final int maxMsgs;
    final int[] head;
    final int[] len;
    final int[][] from;
    final int[][] words;
    final int[][] itemKind;
    final int[][] itemSlot;

    HandSend(int threads, int localIds, int maxMsgs) {
        capObj = new int[threads][localIds];
        capRights = new int[threads][localIds];
        waiting = new boolean[threads];
        this.maxMsgs = maxMsgs;
        head = new int[threads];
        len = new int[threads];
        from = new int[threads][maxMsgs];
        words = new int[threads][maxMsgs * WORDS];
        itemKind = new int[threads][maxMsgs];
        itemSlot = new int[threads][maxMsgs];
    }

    /** 0 when sent, else 1 (sender waiting), 2 (no send right), 3 (receiver's vector full). */
    int send(int t, int d, int[] w) {
        if (waiting[t]) {
            return 1;
        }
        if ((capRights[t][d] & RIGHT_SEND) == 0) {
            return 2;
        }
        int r = capObj[t][d];
        int n = len[r];
        if (n >= maxMsgs) {
            return 3;
        }
        int slot = head[r] + n;
        if (slot >= maxMsgs) {
            slot -= maxMsgs;
        }
        from[r][slot] = t;
        System.arraycopy(w, 0, words[r], slot * WORDS, WORDS);
        itemKind[r][slot] = 0;
        itemSlot[r][slot] = 0;
        len[r] = n + 1;
        waiting[r] = false;
        return 0;
    }

    /** 0 when the oldest message was taken, else 1 (receiver waiting) or 2 (vector empty). */
    int receive(int t) {
        if (waiting[t]) {
            return 1;
        }
        int n = len[t];
        if (n == 0) {
            return 2;
        }
        int h = head[t] + 1;
        head[t] = h == maxMsgs ? 0 : h;
        len[t] = n - 1;
        return 0;
    }
}
