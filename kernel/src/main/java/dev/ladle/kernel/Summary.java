package dev.ladle.kernel;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * What {@code ladle run} prints after a run: system calls by kind and result, messages, faults, refusals by the
 * spec guard that refused, instructions, how each thread ended, and the authority graph (who can send to whom) as
 * text; {@link #dot} renders the same graph for Graphviz.
 */
public final class Summary {
    private Summary() {}

    public static void print(Kernel k, PrintWriter out) {
        Stats s = k.stats();
        out.printf("steps %d, instructions %d (%s)%n", s.steps(), s.instructions(), k.stopReason());
        out.printf(
                "system calls %d, refused %d; messages %d; faults %d (%d sent to a pager); killed %d, exited %d%n",
                s.syscalls(), s.refusals(), s.messages(), s.faults(), s.faultMessages(), s.kills(), s.exits());
        if (s.invariantChecks() > 0) {
            out.printf("invariants and page tables checked %d times: all held%n", s.invariantChecks());
        }
        out.println();
        out.println("system calls by kind and result:");
        for (String row : s.table()) {
            out.println("  " + row);
        }
        Map<String, Long> guards = s.refusalsByGuard();
        if (!guards.isEmpty()) {
            out.println();
            out.println("refusals by the spec guard that refused:");
            guards.forEach((g, c) -> out.printf("  %-34s %d%n", g, c));
        }
        out.println();
        out.println("threads:");
        // names in a column as wide as the longest (at least 8)
        String name =
                "%-" + k.threads().stream().mapToInt(t -> t.name().length()).reduce(8, Math::max) + "s";
        for (KernelThread t : k.threads()) {
            out.printf(
                    "  " + name + " %-8s %s%n",
                    t.name(),
                    t.state().name().toLowerCase(),
                    t.state() == KernelThread.State.DEAD ? t.end() : "");
        }
        out.println();
        out.println("authority (the capabilities held; + potentially, through grant rights; dead threads included):");
        Authority a = Authority.of(k.machine(), t -> true);
        List<KernelThread> ts = k.threads();
        for (KernelThread x : ts) {
            StringBuilder line = new StringBuilder();
            for (KernelThread y : ts) {
                if (x == y) {
                    continue;
                }
                int r = a.rightsNow(x.id(), y.id());
                if (r != 0) {
                    line.append(' ').append(y.name()).append(rights(r));
                } else if (a.canSendPotentially(x.id(), y.id())) {
                    line.append(" +").append(y.name());
                }
            }
            out.printf("  " + name + " ->%s%n", x.name(), line.length() == 0 ? " (nobody)" : line);
        }
        out.flush();
    }

    private static String rights(int r) {
        return switch (r) {
            case Machine.SEND -> "(send)";
            case Machine.GRANT -> "(grant)";
            default -> "(send,grant)";
        };
    }

    /** The authority graph in Graphviz's language: solid edges now (labelled by rights), dashed potential ones. */
    public static String dot(Kernel k) {
        StringBuilder b = new StringBuilder("digraph authority {\n  rankdir=LR;\n  node [shape=box];\n");
        Authority a = Authority.of(k.machine(), t -> true);
        for (KernelThread t : k.threads()) {
            b.append(String.format(
                    "  \"%s\"%s;%n",
                    t.name(), t.state() == KernelThread.State.DEAD ? " [style=dashed, color=gray]" : ""));
        }
        for (KernelThread x : k.threads()) {
            for (KernelThread y : k.threads()) {
                if (x == y) {
                    continue;
                }
                int r = a.rightsNow(x.id(), y.id());
                if (r != 0) {
                    b.append(String.format("  \"%s\" -> \"%s\" [label=\"%s\"];%n", x.name(), y.name(), rights(r)));
                } else if (a.canSendPotentially(x.id(), y.id())) {
                    b.append(String.format("  \"%s\" -> \"%s\" [style=dashed];%n", x.name(), y.name()));
                }
            }
        }
        return b.append("}\n").toString();
    }
}
