package dev.ladle.persist.log;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The process {@link LogCrashTest} kills: opens (or creates) the log and appends from several threads as fast as it
 * can, each with at most 256 records awaiting acknowledgement (so the appenders cannot fill the log long before the
 * acknowledgements are printed), printing {@code ACK lsn id size} for every record whose acknowledgement arrived. A record's payload is
 * {@link Logs#payload}{@code (id, size)}, so the parent can check the recovered record is the one acknowledged.
 */
public final class CrashChild {
    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        long idBase = Long.parseLong(args[2]);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        TransactionLog log = TransactionLog.openOrCreate(
                file, TransactionLog.Options.defaults().withFileSize(8L << 20));
        out.println("READY " + log.nextLsn());
        for (int t = 0; t < threads; t++) {
            int me = t;
            Thread th = new Thread(() -> {
                java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(256);
                try {
                    for (long i = 0; i < 40_000; i++) {
                        long id = idBase + me * 1_000_000L + i;
                        int size = (int) (id % 97);
                        window.acquire();
                        TransactionLog.Appended a = log.append(RecordType.DATA, Logs.payload(id, size));
                        a.durable().thenAccept(lsn -> {
                            out.println("ACK " + lsn + " " + id + " " + size);
                            window.release();
                        });
                    }
                } catch (Exception e) {
                    out.println("ERROR " + e);
                }
            });
            th.start();
        }
        Thread.sleep(60_000);
        log.close();
    }
}
