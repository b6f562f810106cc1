package dev.ladle.checker;

import java.time.Duration;

/**
 * A snapshot of a running TLC check, taken about once a second.
 *
 * @param distinct distinct states found so far
 * @param total states generated so far
 * @param queue states waiting to be explored
 * @param elapsed time since the check started
 */
public record Progress(long distinct, long total, long queue, Duration elapsed) {
    /** Generated states per second since the start. */
    public long statesPerSecond() {
        long ms = Math.max(1, elapsed.toMillis());
        return total * 1000 / ms;
    }
}
