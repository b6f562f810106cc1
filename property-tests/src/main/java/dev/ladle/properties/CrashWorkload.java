package dev.ladle.properties;

import dev.ladle.persist.Persistence;
import dev.ladle.persist.ProtocolTrace;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The process {@link KillProperties} kills with SIGKILL: runs a {@link Workload} on a log file until it is killed
 * (its steps, given one a line as {@link WorkloadStep#line} writes them, over and over),
 * printing the reference run as it goes: {@code STATE lsn digest} for every state an operation left (by the LSN
 * that made it), {@code SNAPSHOT lsn digest} for every checkpoint's snapshot (by its begin record's LSN: a state
 * recovery resumes in only when it recovers that checkpoint, see {@link Workload#reference}), and
 * {@code ACK lsn durable} for every operation, once its acknowledgement arrived; it waits
 * for each acknowledgement before the next operation, so at most one operation is ever durable and not printed.
 *
 * <p>Arguments: the log file, the mode, the checkpoint interval (operations), the file of steps.
 */
public final class CrashWorkload {
    private CrashWorkload() {}

    private static void printStates(Workload w, Set<Long> printed, PrintStream out) {
        for (Map.Entry<Long, Long> e : w.digestAt.entrySet()) {
            if (printed.add(e.getKey())) {
                out.println("STATE " + e.getKey() + " " + e.getValue());
            }
        }
    }

    private static void printSnapshots(Workload w, Set<Long> printed, PrintStream out) {
        synchronized (printed) {
            for (Map.Entry<Long, Long> e : w.snapshotDigests().entrySet()) {
                if (printed.add(e.getKey())) {
                    out.println("SNAPSHOT " + e.getKey() + " " + e.getValue());
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        Path file = Path.of(args[0]);
        Persistence.Mode mode = Persistence.Mode.valueOf(args[1]);
        int checkpointEvery = Integer.parseInt(args[2]);
        List<WorkloadStep> steps = Files.readAllLines(Path.of(args[3])).stream()
                .filter(l -> !l.isBlank())
                .map(WorkloadStep::parse)
                .toList();
        AtomicReference<Workload> self = new AtomicReference<>();
        Set<Long> printedSnapshots = new HashSet<>();
        // a snapshot is printed as its checkpoint starts streaming, before any of its objects is written, so before
        // it can be sealed (the boot checkpoint's, taken while the workload is built, right after)
        ProtocolTrace printSnapshot = (action, x) -> {
            Workload w = self.get();
            if (action.equals("BeginCheckpoint") && w != null) {
                printSnapshots(w, printedSnapshots, out);
            }
        };
        try (Workload w = new Workload(file, mode, 0, checkpointEvery, printSnapshot)) {
            self.set(w);
            printSnapshots(w, printedSnapshots, out);
            Set<Long> printed = new HashSet<>();
            out.println("READY");
            for (long i = 0; ; i++) {
                int before = w.acks.size();
                w.step(steps.get((int) (i % steps.size())));
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
