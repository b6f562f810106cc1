package dev.ladle.kernel;

import dev.ladle.kernel.gen.kernel.KernelCheckedMachine;
import dev.ladle.kernel.gen.kernel.KernelConfig;
import dev.ladle.kernel.gen.kernel.KernelMachine;
import dev.ladle.kernel.gen.kernel.Rights;
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
        KernelConfig config = KernelConfig.builder()
                .nThreads(sizes.threads())
                .loThreads(0)
                .nLocalIds(sizes.localIds())
                .loLocalIds(1)
                .NoObj(NO_OBJ)
                .MaxMsgs(sizes.vector())
                .MaxSlot(Math.max(sizes.pages(), sizes.localIds()))
                .nVPages(sizes.pages())
                .loVPages(1)
                .nFrames(sizes.frames())
                .loFrames(1)
                .build();
        checked = withGhosts ? new KernelCheckedMachine(config) : null;
        plain = withGhosts ? null : new KernelMachine(config);
        for (int t = 0; t < sizes.threads(); t++) {
            for (int l = 1; l <= sizes.localIds(); l++) {
                int[] cap = initCSpace[t][l - 1];
                int obj = cap == null ? NO_OBJ : cap[0];
                int rights = cap == null ? 0 : cap[1];
                for (Rights r : Rights.values()) {
                    boolean has = (rights & (1 << r.ordinal())) != 0;
                    if (checked != null) {
                        checked.setInitCSpaceRightsContains(t, l, r, has);
                    } else {
                        plain.setInitCSpaceRightsContains(t, l, r, has);
                    }
                }
                if (checked != null) {
                    checked.setInitCSpaceObj(t, l, obj);
                } else {
                    plain.setInitCSpaceObj(t, l, obj);
                }
            }
            for (int v = 1; v <= sizes.pages(); v++) {
                if (checked != null) {
                    checked.setInitPages(t, v, initPages[t][v - 1]);
                } else {
                    plain.setInitPages(t, v, initPages[t][v - 1]);
                }
            }
            if (checked != null) {
                checked.setConfinedContains(t, confined[t]);
            } else {
                plain.setConfinedContains(t, confined[t]);
            }
        }
        if (checked != null) {
            checked.init();
        } else {
            plain.init();
        }
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
        return checked != null ? checked.cspaceObj(t, l) : plain.cspaceObj(t, l);
    }

    /** The rights mask ({@link #SEND}, {@link #GRANT}) of thread {@code t}'s local id {@code l}. */
    public int cspaceRights(int t, int l) {
        int mask = 0;
        for (Rights r : Rights.values()) {
            boolean has = checked != null ? checked.cspaceRightsContains(t, l, r) : plain.cspaceRightsContains(t, l, r);
            mask |= has ? 1 << r.ordinal() : 0;
        }
        return mask;
    }

    public boolean waiting(int t) {
        return checked != null ? checked.waiting(t) : plain.waiting(t);
    }

    public int inboxLength(int t) {
        return checked != null ? checked.inboxLength(t) : plain.inboxLength(t);
    }

    /** The sender of message {@code i} (1 = oldest) in {@code t}'s vector. */
    public int inboxFrom(int t, int i) {
        return checked != null ? checked.inboxFrom(t, i) : plain.inboxFrom(t, i);
    }

    /** Word {@code w} (1..6) of message {@code i} in {@code t}'s vector. */
    public int inboxWord(int t, int i, int w) {
        return checked != null ? checked.inboxWords(t, i, w) : plain.inboxWords(t, i, w);
    }

    /** The item kind (ordinal of the spec's ItemKinds) of message {@code i}. */
    public int inboxItemKind(int t, int i) {
        return (checked != null ? checked.inboxItemKind(t, i) : plain.inboxItemKind(t, i)).ordinal();
    }

    /** Where message {@code i}'s item landed in the receiver (a page or a local id), 0 for none. */
    public int inboxItemSlot(int t, int i) {
        return checked != null ? checked.inboxItemSlot(t, i) : plain.inboxItemSlot(t, i);
    }

    /** The frame at thread {@code t}'s page {@code v}, or {@link #NO_FRAME}. */
    public int pt(int t, int v) {
        return checked != null ? checked.pt(t, v) : plain.pt(t, v);
    }

    /** Whether frame {@code f} is still in the allocator's free pool. */
    public boolean free(int f) {
        return checked != null ? checked.freeContains(f) : plain.freeContains(f);
    }

    /** A copy of the whole state's words: equal copies are equal states. */
    public int[] copyState() {
        int[] words = new int[checked != null ? checked.stateSize() : plain.stateSize()];
        if (checked != null) {
            checked.copyStateTo(words);
        } else {
            plain.copyStateTo(words);
        }
        return words;
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
