package dev.ladle.kernel;

import java.util.function.IntPredicate;

/**
 * The communication query, answered from the local-id tables (the spec's {@code cspace}): can thread a send to
 * thread b now, and could it come to.
 *
 * <p>Now: a holds a capability to b with the send right ({@code CanSend}). Potentially: authority spreads only
 * by the capability items of {@code MapCap}, {@code GrantCap} and {@code CopyCap}, and those need the send and
 * grant rights on the channel ({@code CanSend}, {@code CanGrant}) and give the receiver no right the sender lacks
 * ({@code RightsWithin}). So the rights x may ever hold to z are the least fixpoint of: what x holds now, and for
 * every live x holding send and grant to y, everything x may hold, y may hold too. Dead threads act no more and
 * cannot be sent to. The fixpoint over n threads costs O(n^3) per round, at most n^2 rounds: a question asked
 * rarely, not a fast path.
 */
public final class Authority {
    private final int n;
    private final int[][] now;
    private final int[][] may;

    private Authority(int n, int[][] now, int[][] may) {
        this.n = n;
        this.now = now;
        this.may = may;
    }

    /** The answer for the machine's current tables; {@code alive} says which threads can still act. */
    public static Authority of(Machine m, IntPredicate alive) {
        int n = m.sizes().threads();
        int[][] now = new int[n][n];
        for (int x = 0; x < n; x++) {
            for (int l = 1; l <= m.sizes().localIds(); l++) {
                int o = m.cspaceObj(x, l);
                // a capability of an older generation names a deleted thread: it carries no authority
                if (o != Machine.NO_OBJ && m.cspaceGen(x, l) == m.gen(o)) {
                    now[x][o] |= m.cspaceRights(x, l);
                }
            }
        }
        int[][] may = new int[n][];
        for (int x = 0; x < n; x++) {
            may[x] = now[x].clone();
        }
        int both = Machine.SEND | Machine.GRANT;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int x = 0; x < n; x++) {
                if (!alive.test(x)) {
                    continue;
                }
                for (int y = 0; y < n; y++) {
                    if (y == x || (may[x][y] & both) != both || !alive.test(y)) {
                        continue;
                    }
                    for (int z = 0; z < n; z++) {
                        int add = may[x][z] & ~may[y][z];
                        if (add != 0) {
                            may[y][z] |= add;
                            changed = true;
                        }
                    }
                }
            }
        }
        for (int x = 0; x < n; x++) {
            for (int z = 0; z < n; z++) {
                if (!alive.test(z) || !alive.test(x)) {
                    now[x][z] = 0;
                    may[x][z] = 0;
                }
            }
        }
        return new Authority(n, now, may);
    }

    /** The rights a holds to b now (send 1, grant 2), 0 when none or either is dead. */
    public int rightsNow(int a, int b) {
        return now[a][b];
    }

    public boolean canSendNow(int a, int b) {
        return (now[a][b] & Machine.SEND) != 0;
    }

    public boolean canPassItemsNow(int a, int b) {
        return (now[a][b] & (Machine.SEND | Machine.GRANT)) == (Machine.SEND | Machine.GRANT);
    }

    public boolean canSendPotentially(int a, int b) {
        return (may[a][b] & Machine.SEND) != 0;
    }

    /** How many threads other than a it can send to now. */
    public int sendableNow(int a) {
        int c = 0;
        for (int b = 0; b < n; b++) {
            c += b != a && canSendNow(a, b) ? 1 : 0;
        }
        return c;
    }

    /** How many threads other than a it could come to send to. */
    public int sendablePotentially(int a) {
        int c = 0;
        for (int b = 0; b < n; b++) {
            c += b != a && canSendPotentially(a, b) ? 1 : 0;
        }
        return c;
    }

    /** The ABI's answer bits ({@code QUERY_*}) for a and b. */
    public int answer(int a, int b) {
        return (canSendNow(a, b) ? Abi.QUERY_SEND : 0)
                | (canPassItemsNow(a, b) ? Abi.QUERY_ITEMS : 0)
                | (canSendPotentially(a, b) ? Abi.QUERY_POTENTIAL : 0);
    }

    /** The ABI's answer bits for a and "anyone" (any thread but a). */
    public int answerAnyone(int a) {
        int bits = 0;
        for (int b = 0; b < n; b++) {
            if (b != a) {
                bits |= answer(a, b);
            }
        }
        return bits;
    }
}
