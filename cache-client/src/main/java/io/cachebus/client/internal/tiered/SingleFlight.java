package io.cachebus.client.internal.tiered;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Concurrent misses of one key on one node share one load: the first caller runs it, the others wait for its
 * result, for at most {@code maxWait}. A failure reaches every waiter unchanged (the same exception instance), and
 * the next miss loads again. A waiter past {@code maxWait} runs the load itself: a leader stuck on a hung call
 * holds up its own request, not every request for the same key.
 */
final class SingleFlight {

    /** How long a miss waits for another request's load of the same key by default. */
    static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(3);

    private static final Logger log = LoggerFactory.getLogger(SingleFlight.class);

    private final ConcurrentMap<String, CompletableFuture<Object>> inFlight = new ConcurrentHashMap<>();
    private final long maxWaitNanos;

    SingleFlight(Duration maxWait) {
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("the wait for a shared load must be positive, was " + maxWait);
        }
        this.maxWaitNanos = maxWait.toNanos();
    }

    /** The result of {@code load}, run at most once at a time per {@code key} on this node (within the wait). */
    <R> R run(String key, Supplier<R> load) {
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> leader = inFlight.putIfAbsent(key, mine);
        if (leader != null) {
            return await(leader, load);
        }
        try {
            R result = load.get();
            mine.complete(result);
            return result;
        } catch (Throwable failure) {
            // Throwable, not just RuntimeException: a loader may sneak a checked exception past Supplier, and
            // the waiters must never be left waiting on a future nobody completes
            mine.completeExceptionally(failure);
            throw SingleFlight.<RuntimeException>unchanged(failure);
        } finally {
            inFlight.remove(key, mine);
        }
    }

    @SuppressWarnings("unchecked")
    private <R> R await(CompletableFuture<Object> leader, Supplier<R> load) {
        try {
            return (R) leader.get(maxWaitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a concurrent load of the same key", e);
        } catch (ExecutionException e) {
            throw SingleFlight.<RuntimeException>unchanged(e.getCause());
        } catch (TimeoutException e) {
            // the key itself is left out: it holds request parameters and separators that do not belong in a log
            log.warn("shared load still running after the wait, loading without it maxWaitMs={}",
                    TimeUnit.NANOSECONDS.toMillis(maxWaitNanos));
            return load.get();
        }
    }

    /** Rethrows {@code failure} as it is, checked or not, so every waiter sees what the loader threw. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E unchanged(Throwable failure) throws E {
        throw (E) failure;
    }
}
