package io.cachebus.invalidator.broadcast;

import io.cachebus.invalidator.InvalidatorMeter;
import io.cachebus.events.EventCodec;
import io.cachebus.events.EvictionBatch.ScopeEviction;
import io.cachebus.events.EvictionBroadcast;
import io.cachebus.events.InvalidationProgress.PartitionProgress;
import io.cachebus.invalidator.coalescing.InvalidationGroup;
import io.cachebus.invalidator.invalidation.InvalidationResult;
import io.cachebus.invalidator.resilience.GuardedCall;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes the eviction broadcasts of a batch's invalidations to the evictions topic, per group (key
 * {@code tenant:domain}, so one tenant's domain keeps its order) or compact (one record per evictions partition, the
 * scopes on the partition of their key), and returns only when Kafka acknowledged every one of them (acks=all). Runs through the {@value #RESILIENCE_INSTANCE} retry and circuit breaker; a retry sends
 * the whole set again, which API nodes absorb (an eviction applied twice evicts nothing more).
 */
public final class EvictionBroadcaster {

    /** The resilience4j instance name of the broadcast breaker and retry. */
    public static final String RESILIENCE_INSTANCE = "invalidator-broadcast";

    private final KafkaTemplate<String, byte[]> kafka;
    private final EventCodec codec;
    private final String topic;
    private final String invalidatorId;
    private final Duration ackTimeout;
    private final GuardedCall guard;
    private final Clock clock;
    private final Counter messagesSent;
    private final Counter redisPendingSent;

    public EvictionBroadcaster(KafkaTemplate<String, byte[]> kafka, EventCodec codec, String topic, String invalidatorId,
                               Duration ackTimeout, GuardedCall guard, Clock clock, MeterRegistry meters) {
        this.kafka = kafka;
        this.codec = codec;
        this.topic = topic;
        this.invalidatorId = invalidatorId;
        this.ackTimeout = ackTimeout;
        this.guard = guard;
        this.clock = clock;
        this.messagesSent = InvalidatorMeter.BROADCASTS.counter().register(meters);
        this.redisPendingSent = InvalidatorMeter.BROADCASTS_REDIS_PENDING.counter().register(meters);
    }

    /** Sends the broadcasts of all the given invalidations; returns the number of messages acknowledged. */
    public int broadcast(List<InvalidationResult> invalidations) {
        return broadcast(invalidations, List.of());
    }

    /**
     * Sends the broadcasts of the given invalidations, and those of the groups whose Redis work is pending (flagged
     * so); returns the number of messages acknowledged.
     */
    public int broadcast(List<InvalidationResult> invalidations, List<InvalidationGroup> redisPending) {
        if (invalidations.isEmpty() && redisPending.isEmpty()) {
            return 0;
        }
        List<EvictionBroadcast> messages = new ArrayList<>();
        var emittedAt = clock.instant();
        invalidations.forEach(invalidation -> messages.addAll(EvictionMessages.of(invalidation, invalidatorId, emittedAt)));
        redisPending.forEach(group -> messages.addAll(EvictionMessages.redisPending(group, invalidatorId, emittedAt)));
        int sent = guard.call(() -> sendAndAwaitAcks(messages));
        messagesSent.increment(sent);
        redisPendingSent.increment(messages.stream().filter(EvictionBroadcast::redisPending).count());
        return sent;
    }

    /**
     * Sends a batch's compact broadcast: per evictions partition, its scopes and then the batch's progress (ADR 0014);
     * returns once Kafka acknowledged every record, i.e. before the progress counts and before the offsets are
     * committed. Returns the number of records.
     *
     * @param progress     how far each mutation partition of the consumer is done once these scopes are out
     * @param redisPending the progress's flag: Redis work of this instance is outstanding
     */
    public int broadcastBatch(List<InvalidationResult> invalidations, List<InvalidationGroup> redisPending,
                              List<PartitionProgress> progress, boolean redisPendingOutstanding) {
        int partitions = kafka.partitionsFor(topic).size();
        List<EvictionBatches.Addressed> records = EvictionBatches.of(invalidations, redisPending, progress,
                redisPendingOutstanding, invalidatorId, clock.instant(), partitions);
        int sent = guard.call(() -> awaitAcks(records.stream()
                .map(record -> kafka.send(topic, record.partition(), null, codec.encode(record.batch())))
                .toList()));
        messagesSent.increment(sent);
        redisPendingSent.increment(records.stream()
                .filter(record -> record.batch().scopes().stream().anyMatch(ScopeEviction::redisPending)).count());
        return sent;
    }

    private int sendAndAwaitAcks(List<EvictionBroadcast> messages) {
        List<CompletableFuture<?>> acks = new ArrayList<>(messages.size());
        for (EvictionBroadcast message : messages) {
            acks.add(kafka.send(topic, message.recordKey(), codec.encode(message)));
        }
        return awaitAcks(acks);
    }

    private int awaitAcks(List<? extends CompletableFuture<?>> acks) {
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new BroadcastFailedException(acks.size() + " broadcasts to " + topic + " not acknowledged within "
                    + ackTimeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new BroadcastFailedException("broadcast to " + topic + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BroadcastFailedException("interrupted while waiting for broadcast acknowledgements", e);
        }
        return acks.size();
    }
}
