package dev.ladle.properties;

import dev.ladle.kernel.Machine;
import dev.ladle.kernel.gen.kernel.KernelCheckedMachine;
import dev.ladle.kernel.gen.kernel.KernelConfig;
import dev.ladle.kernel.gen.kernel.Rights;
import java.util.ArrayList;
import java.util.List;

/**
 * The generated checked machine of {@code Kernel.tla}, stepped beside the kernel: the trace validator. Each
 * system call the kernel completes is mapped, by the ABI alone (docs/abi.md), to the spec action it must be; the
 * action must be enabled exactly when the kernel says OK, and afterwards the machine's state must equal the
 * kernel's abstract state: the {@code Kernel.tla} machine the kernel runs in lockstep with its {@code KernelImpl}
 * machine (which it checks maps to it). A divergence names the variables that differ.
 */
final class SpecShadow {
    final KernelCheckedMachine spec;
    private final Machine.Sizes sizes;

    SpecShadow(Machine kernelMachine) {
        this.sizes = kernelMachine.sizes();
        this.spec = new KernelCheckedMachine(config(sizes));
        spec.copyStateFrom(kernelMachine.copySpecState());
    }

    /** The config {@link Machine} builds its machine from (the ABI's sizes as the spec's constants). */
    static KernelConfig config(Machine.Sizes s) {
        return KernelConfig.builder()
                .nThreads(s.threads())
                .loThreads(0)
                .nLocalIds(s.localIds())
                .loLocalIds(1)
                .NoObj(Machine.NO_OBJ)
                .MaxMsgs(s.vector())
                .MaxSlot(Math.max(s.pages(), s.localIds()))
                .nVPages(s.pages())
                .loVPages(1)
                .nFrames(s.frames())
                .loFrames(1)
                .nProcs(s.threads())
                .loProcs(0)
                .MaxGen(Machine.MAX_GEN)
                .build();
    }

    int[] state() {
        int[] w = new int[spec.stateSize()];
        spec.copyStateTo(w);
        return w;
    }

    /** The variables whose values differ between the spec's state and the kernel's state words. */
    List<String> differingVariables(int[] kernelState) {
        KernelCheckedMachine k = new KernelCheckedMachine(config(sizes));
        k.copyStateFrom(kernelState);
        KernelCheckedMachine s = spec;
        int n = sizes.threads();
        int nl = sizes.localIds();
        int np = sizes.pages();
        List<String> out = new ArrayList<>();
        boolean cspace = false;
        boolean capAnc = false;
        boolean inbox = false;
        boolean waiting = false;
        boolean hist = false;
        boolean pt = false;
        boolean mdb = false;
        for (int t = 0; t < n; t++) {
            for (int l = 1; l <= nl; l++) {
                cspace |= k.cspaceObj(t, l) != s.cspaceObj(t, l);
                for (Rights r : Rights.values()) {
                    cspace |= k.cspaceRightsContains(t, l, r) != s.cspaceRightsContains(t, l, r);
                }
                for (int t2 = 0; t2 < n; t2++) {
                    for (int l2 = 1; l2 <= nl; l2++) {
                        capAnc |= k.capAncContains(t, l, t2, l2) != s.capAncContains(t, l, t2, l2);
                    }
                }
            }
            int len = k.inboxLength(t);
            inbox |= len != s.inboxLength(t);
            for (int i = 1; i <= Math.min(len, s.inboxLength(t)); i++) {
                inbox |= k.inboxFrom(t, i) != s.inboxFrom(t, i)
                        || k.inboxItemKind(t, i) != s.inboxItemKind(t, i)
                        || k.inboxItemSlot(t, i) != s.inboxItemSlot(t, i);
                for (int w = 1; w <= 6; w++) {
                    inbox |= k.inboxWords(t, i, w) != s.inboxWords(t, i, w);
                }
            }
            waiting |= k.waiting(t) != s.waiting(t);
            hist |= k.hTagLength(t) != s.hTagLength(t);
            for (int t2 = 0; t2 < n; t2++) {
                hist |= k.hInFlight(t, t2) != s.hInFlight(t, t2);
            }
            for (int v = 1; v <= np; v++) {
                pt |= k.pt(t, v) != s.pt(t, v); // processes are numbered like the threads
                mdb |= k.mdbFrame(t, v) != s.mdbFrame(t, v);
            }
        }
        boolean frames = false;
        boolean free = false;
        for (int f = 1; f <= sizes.frames(); f++) {
            frames |= k.frameData(f) != s.frameData(f);
            free |= k.freeContains(f) != s.freeContains(f);
        }
        add(out, cspace, "cspace");
        add(out, capAnc, "capAnc");
        add(out, inbox, "inbox");
        add(out, waiting, "waiting");
        add(out, hist, "hInFlight/hTag");
        add(out, pt, "pt");
        add(out, mdb, "mdb");
        add(out, frames, "frameData");
        add(out, free, "free");
        if (out.isEmpty()) {
            out.add("(no variable read differs: a word outside the readers, e.g. mdb ancestry)");
        }
        return out;
    }

    private static void add(List<String> out, boolean differs, String name) {
        if (differs) {
            out.add(name);
        }
    }
}
