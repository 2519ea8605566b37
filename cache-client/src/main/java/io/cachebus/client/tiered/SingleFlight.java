package io.cachebus.client.tiered;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Concurrent misses of one key on one node share one load: the first caller runs it, the others wait for its
 * result. A failure reaches every waiter unchanged (the same exception instance), and the next miss loads again.
 */
final class SingleFlight {

    private final ConcurrentMap<String, CompletableFuture<Object>> inFlight = new ConcurrentHashMap<>();

    /** The result of {@code load}, run at most once at a time per {@code key} on this node. */
    <R> R run(String key, Supplier<R> load) {
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> leader = inFlight.putIfAbsent(key, mine);
        if (leader != null) {
            return await(leader);
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
    private static <R> R await(CompletableFuture<Object> leader) {
        try {
            return (R) leader.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a concurrent load of the same key", e);
        } catch (ExecutionException e) {
            throw SingleFlight.<RuntimeException>unchanged(e.getCause());
        }
    }

    /** Rethrows {@code failure} as it is, checked or not, so every waiter sees what the loader threw. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E unchanged(Throwable failure) throws E {
        throw (E) failure;
    }
}
