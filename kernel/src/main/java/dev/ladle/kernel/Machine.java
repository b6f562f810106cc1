package dev.ladle.kernel;

import dev.ladle.kernel.gen.kernel.KernelCheckedMachine;
import dev.ladle.kernel.gen.kernel.KernelMachine;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that knows the generated machine's API: the kernel calls the spec's actions and reads the spec's
 * variables through this class only, so a change of the generator's API touches this file alone.
 *
 * <p>It runs the plain {@link KernelMachine} (no ghost variables), or, when invariants are to be checked, the
 * {@link KernelCheckedMachine} with the ghosts, so every generated invariant checker can run. Both take the same
 * actions with the same guards. Ids: threads are {@code 0..threads-1} (the spec's model values), local ids
 * {@code 1..localIds}, the spec's virtual pages {@code 1..pages}, frames {@code 1..frames}; {@link #NO_OBJ} is the
 * empty slot's object and 0 the spec's {@code NoFrame}.
 */
public final class Machine {
    /** The object of an empty capability slot (the spec's {@code NoObj}). */
    public static final int NO_OBJ = -1;

    /** The spec's {@code NoFrame}. */
    public static final int NO_FRAME = 0;

    /** Bit of {@code "send"} in a rights mask (the ordinal of the generated {@code Rights.SEND}). */
    public static final int SEND = 1;

    /** Bit of {@code "grant"} in a rights mask. */
    public static final int GRANT = 2;

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
        /** A guard this kernel does not know yet (a newer spec); {@link #lastRefusal()} names it. */
        Other
    }

    private static final Guard[] PLAIN = guards(KernelMachine.Guard.values());
    private static final Guard[] CHECKED = guards(KernelCheckedMachine.Guard.values());

    private final Sizes sizes;
    private final KernelMachine plain;
    private final KernelCheckedMachine checked;
    private final int[] mem;
    private final int offCspace;
    private final int offInbox;
    private final int offWaiting;
    private final int offPt;
    private final int offFree;
    private final int varsStart;
    private final int msgWords;
    private final int inboxWords;
    private final int[] rightsWords = new int[1];
    private String lastRefusal = "";

    /**
     * Builds the machine and sets it to the spec's {@code Init}.
     *
     * @param initCSpace {@code [thread][localId - 1]} -> {object, rights mask}, or null for an empty slot
     * @param initPages {@code [thread][page - 1]} -> frame or {@link #NO_FRAME}
     * @param confined the confined group (the spec's {@code Confined})
     */
    public Machine(Sizes sizes, boolean withGhosts, int[][][] initCSpace, int[][] initPages, boolean[] confined) {
        this.sizes = sizes;
        int maxSlot = Math.max(sizes.pages(), sizes.localIds());
        int n = sizes.threads();
        int[] cspace = new int[n * sizes.localIds() * 2];
        int[] pages = new int[n * sizes.pages()];
        int[] conf = new int[(n + 1 + 31) >>> 5];
        for (int t = 0; t < n; t++) {
            for (int l = 0; l < sizes.localIds(); l++) {
                int[] cap = initCSpace[t][l];
                cspace[(t * sizes.localIds() + l) * 2] = cap == null ? NO_OBJ : cap[0];
                cspace[(t * sizes.localIds() + l) * 2 + 1] = cap == null ? 0 : cap[1];
            }
            System.arraycopy(initPages[t], 0, pages, t * sizes.pages(), sizes.pages());
            if (confined[t]) {
                conf[(t + 1) >>> 5] |= 1 << ((t + 1) & 31);
            }
        }
        if (withGhosts) {
            checked = new KernelCheckedMachine(
                    n, 0, sizes.localIds(), 1, NO_OBJ, sizes.vector(), maxSlot, sizes.pages(), 1, sizes.frames(), 1);
            plain = null;
            checked.setData(0, cspace);
            checked.setData(1, conf);
            checked.setData(2, pages);
            checked.init();
            var st = checked.state;
            mem = st.mem;
            offCspace = st.off_cspace;
            offInbox = st.off_inbox;
            offWaiting = st.off_waiting;
            offPt = st.off_pt;
            offFree = st.off_free;
            varsStart = st.varsStart;
        } else {
            plain = new KernelMachine(
                    n, 0, sizes.localIds(), 1, NO_OBJ, sizes.vector(), maxSlot, sizes.pages(), 1, sizes.frames(), 1);
            checked = null;
            plain.setData(0, cspace);
            plain.setData(1, conf);
            plain.setData(2, pages);
            plain.init();
            var st = plain.state;
            mem = st.mem;
            offCspace = st.off_cspace;
            offInbox = st.off_inbox;
            offWaiting = st.off_waiting;
            offPt = st.off_pt;
            offFree = st.off_free;
            varsStart = st.varsStart;
        }
        // Msg == [from, words, item] with item == [kind, slot]; a sequence is its length then its elements.
        msgWords = 1 + 6 + 2;
        inboxWords = 1 + sizes.vector() * msgWords;
    }

    public Sizes sizes() {
        return sizes;
    }

    /** Whether the ghost variables are kept (and every invariant can be checked). */
    public boolean withGhosts() {
        return checked != null;
    }

    /** The spec's guard description of the last refusal ("Send: HasRoom"). */
    public String lastRefusal() {
        return lastRefusal;
    }

    // ---------------------------------------------------------------- actions

    public Guard send(int t, int d, int[] w) {
        return checked != null ? g(checked.send(t, d, w)) : g(plain.send(t, d, w));
    }

    public Guard mapPage(int t, int d, int[] w, int v) {
        return checked != null ? g(checked.mapPage(t, d, w, v)) : g(plain.mapPage(t, d, w, v));
    }

    public Guard grantPage(int t, int d, int[] w, int v) {
        return checked != null ? g(checked.grantPage(t, d, w, v)) : g(plain.grantPage(t, d, w, v));
    }

    public Guard copyPage(int t, int d, int[] w, int v) {
        return checked != null ? g(checked.copyPage(t, d, w, v)) : g(plain.copyPage(t, d, w, v));
    }

    public Guard mapCap(int t, int d, int[] w, int l, int rights) {
        int[] m = rightsWords(rights);
        return checked != null ? g(checked.mapCap(t, d, w, l, m)) : g(plain.mapCap(t, d, w, l, m));
    }

    public Guard grantCap(int t, int d, int[] w, int l) {
        return checked != null ? g(checked.grantCap(t, d, w, l)) : g(plain.grantCap(t, d, w, l));
    }

    public Guard copyCap(int t, int d, int[] w, int l, int rights) {
        int[] m = rightsWords(rights);
        return checked != null ? g(checked.copyCap(t, d, w, l, m)) : g(plain.copyCap(t, d, w, l, m));
    }

    public Guard receive(int t) {
        return checked != null ? g(checked.receive(t)) : g(plain.receive(t));
    }

    public Guard await(int t) {
        return checked != null ? g(checked.wait(t)) : g(plain.wait(t));
    }

    public Guard unmap(int t, int v) {
        return checked != null ? g(checked.unmap(t, v)) : g(plain.unmap(t, v));
    }

    public Guard revoke(int t, int l) {
        return checked != null ? g(checked.revoke(t, l)) : g(plain.revoke(t, l));
    }

    private int[] rightsWords(int rights) {
        rightsWords[0] = rights;
        return rightsWords;
    }

    private Guard g(KernelMachine.Guard guard) {
        if (guard == KernelMachine.Guard.OK) {
            return Guard.OK;
        }
        lastRefusal = guard.description;
        return PLAIN[guard.ordinal()];
    }

    private Guard g(KernelCheckedMachine.Guard guard) {
        if (guard == KernelCheckedMachine.Guard.OK) {
            return Guard.OK;
        }
        lastRefusal = guard.description;
        return CHECKED[guard.ordinal()];
    }

    private static Guard[] guards(Enum<?>[] generated) {
        Guard[] out = new Guard[generated.length];
        for (Enum<?> e : generated) {
            String description =
                    e instanceof KernelMachine.Guard p ? p.description : ((KernelCheckedMachine.Guard) e).description;
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

    // ---------------------------------------------------------------- readers

    /** The object local id {@code l} of thread {@code t} names, or {@link #NO_OBJ}. */
    public int cspaceObj(int t, int l) {
        return mem[offCspace + (t * sizes.localIds() + (l - 1)) * 2];
    }

    /** The rights mask ({@link #SEND}, {@link #GRANT}) of thread {@code t}'s local id {@code l}. */
    public int cspaceRights(int t, int l) {
        return mem[offCspace + (t * sizes.localIds() + (l - 1)) * 2 + 1];
    }

    public boolean waiting(int t) {
        return mem[offWaiting + t] != 0;
    }

    public int inboxLength(int t) {
        return mem[offInbox + t * inboxWords];
    }

    /** The sender of message {@code i} (1 = oldest) in {@code t}'s vector. */
    public int inboxFrom(int t, int i) {
        return mem[msg(t, i)];
    }

    /** Word {@code w} (1..6) of message {@code i} in {@code t}'s vector. */
    public int inboxWord(int t, int i, int w) {
        return mem[msg(t, i) + w];
    }

    /** The item kind (ordinal of the spec's ItemKinds) of message {@code i}. */
    public int inboxItemKind(int t, int i) {
        return mem[msg(t, i) + 7];
    }

    /** Where message {@code i}'s item landed in the receiver (a page or a local id), 0 for none. */
    public int inboxItemSlot(int t, int i) {
        return mem[msg(t, i) + 8];
    }

    private int msg(int t, int i) {
        return offInbox + t * inboxWords + 1 + (i - 1) * msgWords;
    }

    /** The frame at thread {@code t}'s page {@code v}, or {@link #NO_FRAME}. */
    public int pt(int t, int v) {
        return mem[offPt + t * sizes.pages() + (v - 1)];
    }

    /** Whether frame {@code f} is still in the allocator's free pool. */
    public boolean free(int f) {
        return ((mem[offFree + (f >>> 5)] >>> (f & 31)) & 1) != 0;
    }

    /** A copy of every variable's words: equal copies are equal states. */
    public int[] copyState() {
        return java.util.Arrays.copyOfRange(mem, varsStart, mem.length);
    }

    // ---------------------------------------------------------------- invariants

    /** The names of the generated invariants this machine evaluates. */
    public List<String> invariantNames() {
        return List.of(checked != null ? KernelCheckedMachine.INVARIANTS : KernelMachine.INVARIANTS);
    }

    /** The generated invariants that do not hold in the current state (empty: all hold). */
    public List<String> failingInvariants() {
        List<String> failing = new ArrayList<>();
        String[] names = checked != null ? KernelCheckedMachine.INVARIANTS : KernelMachine.INVARIANTS;
        for (int i = 0; i < names.length; i++) {
            boolean ok = checked != null ? checked.invariant(i) : plain.invariant(i);
            if (!ok) {
                failing.add(names[i]);
            }
        }
        boolean typeOk = checked != null ? checked.typeOK() : plain.typeOK();
        if (!typeOk) {
            failing.add("TypeOK");
        }
        return failing;
    }
}
