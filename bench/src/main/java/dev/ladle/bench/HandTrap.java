package dev.ladle.bench;

import dev.ladle.kernel.Abi;
import dev.ladle.kernel.hw.Reg;
import dev.ladle.kernel.hw.RegisterFile;

/**
 * The trap entry's SEND and RECEIVE as a person would write them over plain arrays, doing what the kernel's trap
 * entry does for the spec and the ABI and nothing else: decode EAX, the local id's range, the guards of
 * KernelImpl.tla's Send and Receive in their order ({@code Idle}: no revoke, unmap or deletion walk under way;
 * {@code Running}; {@code HoldsCap}; {@code CanSend}; {@code ObjectExists}, the capability's generation;
 * {@code HasRoom}; {@code InboxNonEmpty}), the scheduler's check that the receiver has not ended, the six words
 * copied from the sender's registers into a ring slot (sender, words, no item) and out into the receiver's, the
 * slot cleared, the sender named by the receiver's lowest local id holding it at its current generation, and a
 * count per operation and result. What lies between this and {@link IpcBench#ringBufferSendReceive} is what the
 * spec's guards and the ABI cost written by hand; between this and the trap entry, what generating them costs.
 */
final class HandTrap {
    static final int NO_OBJ = -1;
    static final int SEND_RIGHT = 1;
    static final int SLOT = 2 + Abi.WORDS; // from, words, item kind and slot folded into one word (no item here)

    final int localIds;
    final int maxMsgs;
    final int[] capObj; // [thread * localIds + l - 1]
    final int[] capRights;
    final int[] capGen;
    final int[] gen;
    final int[] proc;
    final boolean[] waiting;
    final boolean[] dead;
    final int[] head;
    final int[] count;
    final int[] ring; // [thread][slot][from, words..., item]
    final long[] syscalls = new long[(Abi.OP_NAMES.length + 1) * Abi.RESULT_NAMES.length];
    int capWalk = NO_OBJ;
    int pageWalk = NO_OBJ;
    int delThread = NO_OBJ;
    int delSpace = NO_OBJ;
    long messages;

    HandTrap(int threads, int localIds, int maxMsgs) {
        this.localIds = localIds;
        this.maxMsgs = maxMsgs;
        capObj = new int[threads * localIds];
        java.util.Arrays.fill(capObj, NO_OBJ);
        capRights = new int[threads * localIds];
        capGen = new int[threads * localIds];
        gen = new int[threads];
        proc = new int[threads];
        waiting = new boolean[threads];
        dead = new boolean[threads];
        head = new int[threads];
        count = new int[threads];
        ring = new int[threads * maxMsgs * SLOT];
    }

    void cap(int t, int l, int obj, int rights) {
        capObj[t * localIds + l - 1] = obj;
        capRights[t * localIds + l - 1] = rights;
        capGen[t * localIds + l - 1] = gen[obj];
    }

    private final int[] words = new int[Abi.WORDS];

    int trap(int me, RegisterFile regs) {
        int eax = regs.get(Reg.EAX);
        int op = Abi.op(eax);
        int result = switch (op) {
            case Abi.OP_SEND -> send(me, regs, Abi.operand(eax));
            case Abi.OP_RECEIVE -> receive(me, regs);
            default -> done(regs, Abi.E_UNKNOWN_OP);
        };
        syscalls[op * Abi.RESULT_NAMES.length + result]++;
        return result;
    }

    private static int done(RegisterFile regs, int result) {
        regs.set(Reg.EAX, result);
        return result;
    }

    private boolean idle() {
        return capWalk == NO_OBJ && pageWalk == NO_OBJ && delThread == NO_OBJ && delSpace == NO_OBJ;
    }

    private int send(int me, RegisterFile regs, int d) {
        if (d < 1 || d > localIds) {
            return done(regs, Abi.E_BAD_ID);
        }
        int c = me * localIds + d - 1;
        int r = capObj[c];
        if (r != NO_OBJ && dead[r]) {
            return done(regs, Abi.E_DEAD);
        }
        if (!idle() || waiting[me]) {
            return done(regs, Abi.E_BLOCKED);
        }
        if (r == NO_OBJ) {
            return done(regs, Abi.E_BAD_ID);
        }
        if ((capRights[c] & SEND_RIGHT) == 0) {
            return done(regs, Abi.E_NO_RIGHT);
        }
        if (capGen[c] != gen[r]) {
            return done(regs, Abi.E_DEAD);
        }
        int n = count[r];
        if (n >= maxMsgs) {
            return done(regs, Abi.E_FULL);
        }
        int k = head[r] + n;
        int at = (r * maxMsgs + (k >= maxMsgs ? k - maxMsgs : k)) * SLOT;
        ring[at] = me;
        regs.get(Reg.EBX, Abi.WORDS, ring, at + 1);
        ring[at + 1 + Abi.WORDS] = 0;
        count[r] = n + 1;
        waiting[r] = false;
        messages++;
        return done(regs, Abi.OK);
    }

    private int receive(int me, RegisterFile regs) {
        if (!idle() || waiting[me]) {
            return done(regs, Abi.E_BLOCKED);
        }
        int n = count[me];
        if (n == 0) {
            return done(regs, Abi.E_EMPTY);
        }
        int h = head[me];
        int at = (me * maxMsgs + h) * SLOT;
        int from = ring[at];
        int kind = ring[at + 1 + Abi.WORDS];
        System.arraycopy(ring, at + 1, words, 0, Abi.WORDS);
        java.util.Arrays.fill(ring, at, at + SLOT, 0);
        ring[at] = NO_OBJ;
        head[me] = h + 1 == maxMsgs ? 0 : h + 1;
        count[me] = n - 1;
        regs.set(Reg.EBX, Abi.WORDS, words, 0);
        int sender = 0;
        if (proc[from] != NO_OBJ) {
            for (int l = 1; l <= localIds && sender == 0; l++) {
                int c = me * localIds + l - 1;
                if (capObj[c] == from && capGen[c] == gen[from]) {
                    sender = l;
                }
            }
        }
        regs.set(Reg.EAX, Abi.receiveResult(Abi.OK, kind, sender));
        return Abi.OK;
    }
}
