package io.cachebus.invalidator.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import java.util.function.Supplier;

/**
 * A call to a dependency (Redis, the Kafka broadcast) through a resilience4j Retry around a CircuitBreaker of
 * the same instance name: every attempt counts in the breaker, and an open breaker fails the call at once
 * (the retry ignores {@code CallNotPermittedException}, see {@code invalidator.yml}).
 */
public record GuardedCall(CircuitBreaker breaker, Retry retry) {

    /** The breaker and retry named {@code instance}, configured under {@code resilience4j.*.instances.<instance>}. */
    public static GuardedCall of(String instance, CircuitBreakerRegistry breakers, RetryRegistry retries) {
        return new GuardedCall(breakers.circuitBreaker(instance), retries.retry(instance));
    }

    public <T> T call(Supplier<T> work) {
        return Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker, work)).get();
    }
}
