package dev.ladle.persist.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code ladle log inspect} shows, in the spirit of {@code pg_waldump}: the file header, both superblocks, the
 * records from the tail by type, the checkpoints among them, and where and why the log ends (the torn tail), with
 * any intact records found beyond that end. Built by reading only. {@code systemDigest} is the file header's, as its
 * creator gave it (empty: none).
 */
public record LogInspection(
        String file,
        long sizeOnDisk,
        long declaredSize,
        int version,
        byte[] systemDigest,
        long capacity,
        List<Superblock.Status> superblocks,
        Superblock chosen,
        Map<String, TypeCount> byType,
        List<Checkpoint> checkpoints,
        LogReader.ScanResult scan,
        List<LogRecord> beyond,
        boolean sealedCheckpointIntact) {

    /** The most intact records looked for beyond a damaged end ({@link #beyond()} holds at most this many). */
    public static final int BEYOND_LIMIT = 1000;

    /** Records and bytes of one type. */
    public record TypeCount(long records, long bytes) {}

    /**
     * One checkpoint found in the log. A checkpoint whose objects come first from the tail has its begin record
     * behind the tail (freed when a later checkpoint was sealed: the tail stays at the oldest frame an incremental
     * checkpoint still refers to); its {@code beginLsn} and {@code position} are then -1.
     */
    public record Checkpoint(long beginLsn, long position, long objects, long endLsn, boolean sealed) {
        public boolean complete() {
            return endLsn > 0;
        }

        /** Its begin record lies behind the tail: only its objects and end record are in the log. */
        public boolean beginBehindTail() {
            return beginLsn < 0;
        }
    }

    public static LogInspection of(Path file) throws LogException {
        long onDisk;
        try {
            onDisk = Files.size(file);
        } catch (IOException e) {
            throw new LogException(LogException.Kind.IO, file + ": cannot read: " + e.getMessage(), e);
        }
        try (LogReader r = LogReader.open(file)) {
            Map<String, long[]> counts = new TreeMap<>();
            List<long[]> cps = new ArrayList<>();
            LogReader.ScanResult scan = r.scan(rec -> {
                long[] c = counts.computeIfAbsent(RecordType.name(rec.type()), k -> new long[2]);
                c[0]++;
                c[1] += rec.size();
                switch (rec.type()) {
                    case RecordType.CHECKPOINT_BEGIN -> cps.add(new long[] {rec.lsn(), rec.position(), 0, 0});
                    case RecordType.CHECKPOINT_OBJECT -> {
                        if (cps.isEmpty()) {
                            cps.add(new long[] {-1, -1, 0, 0}); // its begin record lies behind the tail
                        }
                        cps.get(cps.size() - 1)[2]++;
                    }
                    case RecordType.CHECKPOINT_END -> {
                        if (cps.isEmpty()) {
                            cps.add(new long[] {-1, -1, 0, 0});
                        }
                        cps.get(cps.size() - 1)[3] = rec.lsn();
                    }
                    default -> {}
                }
            });
            Map<String, TypeCount> byType = new TreeMap<>();
            counts.forEach((k, v) -> byType.put(k, new TypeCount(v[0], v[1])));
            Superblock sb = r.superblock();
            List<Checkpoint> checkpoints = new ArrayList<>();
            for (long[] c : cps) {
                checkpoints.add(new Checkpoint(
                        c[0], c[1], c[2], c[3], c[0] >= 0 && sb.hasCheckpoint() && c[0] == sb.checkpointLsn()));
            }
            // records an earlier writer left beyond its durable end (a reopened log) are not a sign of damage
            List<LogRecord> beyond = scan.end().clean()
                    ? List.of()
                    : r.intactBeyond(scan, BEYOND_LIMIT).stream()
                            .filter(x -> scan.end() != ScanEnd.STALE_EPOCH || x.epoch() >= scan.lastEpoch())
                            .toList();
            // what recovery reads first (Recovery.run): without it intact, recovery fails
            LogRecord sealedBegin = sb.hasCheckpoint() ? r.readAt(sb.checkpointPos(), sb.checkpointLsn()) : null;
            boolean sealedCheckpointIntact = sealedBegin != null && sealedBegin.type() == RecordType.CHECKPOINT_BEGIN;
            return new LogInspection(
                    file.toString(),
                    onDisk,
                    r.fileSize(),
                    LogFormat.CURRENT_VERSION,
                    r.systemDigest(),
                    r.capacity(),
                    r.superblocks(),
                    sb,
                    byType,
                    checkpoints,
                    scan,
                    beyond,
                    sealedCheckpointIntact);
        }
    }
}
