package io.cachebus.loadtest.workload;

import java.util.concurrent.locks.LockSupport;

/** Monotonic time and waiting, so the scheduler can run on virtual time in tests. */
public interface NanoClock {

    long nanoTime();

    /** Returns once {@link #nanoTime()} has reached {@code deadlineNanos} (at once when it already has). */
    void sleepUntil(long deadlineNanos) throws InterruptedException;

    NanoClock SYSTEM = new NanoClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepUntil(long deadlineNanos) throws InterruptedException {
            long remaining;
            while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
                LockSupport.parkNanos(remaining);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }
    };
}
