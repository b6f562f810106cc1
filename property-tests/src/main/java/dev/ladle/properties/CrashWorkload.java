package dev.ladle.properties;

import dev.ladle.persist.Persistence;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The process {@link KillProperties} kills with SIGKILL: runs a {@link Workload} on a log file until it is killed,
 * printing the reference run as it goes: {@code STATE lsn digest} for every state the run passes through (by the
 * LSN that made it), and {@code ACK lsn durable} for every operation, once its acknowledgement arrived; it waits
 * for each acknowledgement before the next operation, so at most one operation is ever durable and not printed.
 *
 * <p>Arguments: the log file, the mode, the seed.
 */
public final class CrashWorkload {
    private CrashWorkload() {}

    private static void printStates(Workload w, Set<Long> printed, PrintStream out) {
        for (Map.Entry<Long, Long> e : w.reference().entrySet()) {
            if (printed.add(e.getKey())) {
                out.println("STATE " + e.getKey() + " " + e.getValue());
            }
        }
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        Path file = Path.of(args[0]);
        Persistence.Mode mode = Persistence.Mode.valueOf(args[1]);
        long seed = Long.parseLong(args[2]);
        try (Workload w = new Workload(file, mode, seed, 5 + (int) (seed % 40), (a, x) -> {})) {
            Set<Long> printed = new HashSet<>();
            out.println("READY");
            for (long i = 0; ; i++) {
                int before = w.acks.size();
                w.step();
                printStates(w, printed, out);
                if (w.acks.size() > before) {
                    // synchronous: at most one operation is ever appended and not yet printed
                    Persistence.Ack a = w.acks.get(w.acks.size() - 1);
                    long durable = a.durable().get();
                    printStates(w, printed, out);
                    out.println("ACK " + a.lsn() + " " + durable);
                }
            }
        } catch (Exception e) {
            out.println("ERROR " + e);
        }
    }
}
