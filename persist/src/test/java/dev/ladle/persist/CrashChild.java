package dev.ladle.persist;

import dev.ladle.persist.log.TransactionLog;
import dev.ladle.persist.sim.SimWorld;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * The process {@link PersistenceCrashTest} kills: recovers the world from the log if there is one, then runs
 * syscalls and stores in hybrid mode (a checkpoint streams every 25 operations), printing {@code ACK lsn} for each
 * acknowledged operation and {@code STATE lsn digest} / {@code DELTA lsn} as it goes.
 */
public final class CrashChild {
    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        SimWorld w = new SimWorld(2, 2, 16);
        if (Files.exists(file)) {
            try (Recovery rec = Recovery.open(file, w, ProtocolTrace.NONE)) {
                rec.run(false);
            }
        }
        Random r = new Random(seed);
        try (Persistence p = Persistence.start(
                file,
                TransactionLog.Options.defaults().withFileSize(4L << 20),
                w,
                Persistence.Mode.HYBRID,
                25,
                ProtocolTrace.NONE)) {
            out.println("READY");
            while (true) {
                int t = r.nextInt(w.threads());
                w.store(t, r.nextInt(16), r.nextInt(4096), r.nextInt());
                int code = 1 + r.nextInt(3);
                p.admit();
                synchronized (w.lock()) {
                    Operation op = w.decide(t, code, w.argsFor(r, code));
                    Persistence.Ack a = p.operation(op);
                    w.apply(op);
                    if (a.deltaLsn() > 0) {
                        out.println("DELTA " + a.deltaLsn());
                    }
                    out.println("STATE " + a.lsn() + " " + w.digest());
                    a.durable().thenAccept(lsn -> out.println("ACK " + lsn));
                }
            }
        }
    }
}
