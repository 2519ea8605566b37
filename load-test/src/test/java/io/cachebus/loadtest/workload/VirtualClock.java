package io.cachebus.loadtest.workload;

/** Virtual time for tests: sleeping advances the clock at once, so a test of timing is exact and instant. */
public final class VirtualClock implements NanoClock {

    /** The time now; a test moves it on to stand for work that takes time. */
    public long now = 1_000_000_000L;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void sleepUntil(long deadlineNanos) {
        now = Math.max(now, deadlineNanos);
    }
}
