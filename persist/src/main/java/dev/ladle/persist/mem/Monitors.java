package dev.ladle.persist.mem;

import java.util.function.BooleanSupplier;

/** Waiting on an object's monitor for a condition that no interrupt may cut short. */
public final class Monitors {
    private Monitors() {}

    /**
     * Waits on {@code monitor}, which the caller holds, until {@code done} is true. An interrupt does not end the wait
     * (what is waited for must happen before the caller may go on); it is kept and set again on return.
     */
    public static void awaitUninterruptibly(Object monitor, BooleanSupplier done) {
        if (!Thread.holdsLock(monitor)) {
            throw new IllegalMonitorStateException("awaitUninterruptibly without the monitor held");
        }
        boolean interrupted = false;
        while (!done.getAsBoolean()) {
            try {
                monitor.wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
