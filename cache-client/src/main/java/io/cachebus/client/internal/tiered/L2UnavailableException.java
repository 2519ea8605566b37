package io.cachebus.client.internal.tiered;

/** Redis could not answer (error, timeout, open circuit breaker); the read uses the in-memory fallback instead. */
public final class L2UnavailableException extends RuntimeException {

    public L2UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
