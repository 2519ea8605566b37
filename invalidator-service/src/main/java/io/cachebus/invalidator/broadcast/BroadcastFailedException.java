package io.cachebus.invalidator.broadcast;

/** Not every eviction broadcast of a batch was acknowledged by Kafka; the batch must be delivered again. */
public final class BroadcastFailedException extends RuntimeException {

    public BroadcastFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
