package io.cachebus.client.internal.eviction;

import io.cachebus.events.EventCodec;
import io.cachebus.client.internal.consistency.InvalidationWatermarks;
import io.cachebus.events.EvictionBatch;
import io.cachebus.events.EvictionBroadcast;
import io.cachebus.events.EvictionsTopicMessage;
import io.cachebus.events.InvalidationProgress;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.MessageListener;

/**
 * The Kafka side of the broadcast: decodes each record and hands an eviction to the {@link EvictionBroadcastHandler}
 * and an invalidator's progress to the handler's gap check and then to the {@link InvalidationWatermarks}; a compact
 * batch goes to both, its scopes first. Never throws: a record it cannot read is
 * counted, logged and skipped, so one bad record cannot stop the node from receiving the evictions after it.
 */
public final class EvictionListener
        implements MessageListener<String, byte[]>, ConsumerAwareRebalanceListener, EvictionSubscription {

    private static final Logger log = LoggerFactory.getLogger(EvictionListener.class);

    private final EventCodec codec;
    private final EvictionBroadcastHandler handler;
    private final InvalidationWatermarks watermarks;
    private final AtomicInteger assignments = new AtomicInteger();

    public EvictionListener(EventCodec codec, EvictionBroadcastHandler handler, InvalidationWatermarks watermarks) {
        this.codec = codec;
        this.handler = handler;
        this.watermarks = watermarks;
    }

    @Override
    public void onMessage(ConsumerRecord<String, byte[]> record) {
        EvictionsTopicMessage message;
        try {
            message = codec.decodeEvictionsTopic(record.value(), handler.nodeId());
        } catch (RuntimeException e) {
            handler.malformed(record.key(), e);
            return;
        }
        if (message instanceof InvalidationProgress progress) {
            handler.progressRead(record.partition(), progress);
            watermarks.observe(record.partition(), progress);
        } else if (message instanceof EvictionBatch batch) {
            try {
                handler.apply(batch);
                // the batches the propagation timer times, those with commits (a part with only progress has none)
                if (record.timestampType() == TimestampType.CREATE_TIME && batch.committedRange().isPresent()) {
                    handler.delivered(record.timestamp());
                }
            } catch (RuntimeException e) {
                log.error("eviction batch could not be applied invalidatorId={} scopes={}", batch.invalidatorId(),
                        batch.scopes().size(), e);
            }
            // after its scopes, as a heartbeat read after the broadcasts it covers (a part of a batch too large for
            // one record carries no progress)
            if (!batch.partitions().isEmpty()) {
                InvalidationProgress progress = batch.asProgress();
                handler.progressRead(record.partition(), progress);
                watermarks.observe(record.partition(), progress);
            }
        } else {
            EvictionBroadcast broadcast = (EvictionBroadcast) message;
            // fields of every line the handler logs, in structured logs (logging.structured.format.console)
            try (MDC.MDCCloseable tenant = MDC.putCloseable("tenant", broadcast.tenant());
                 MDC.MDCCloseable domain = MDC.putCloseable("domain", broadcast.domain());
                 MDC.MDCCloseable eventIds = MDC.putCloseable("eventIds", joined(broadcast.eventIds()))) {
                handler.apply(broadcast);
            } catch (RuntimeException e) {
                log.error("eviction broadcast could not be applied tenant={} domain={}", broadcast.tenant(),
                        broadcast.domain(), e);
            }
        }
    }

    /**
     * Fixes the start position of every assigned partition first (the latest offset), then drops everything local:
     * a broadcast published after that position is received, and anything before it is covered by the drop.
     */
    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return; // an incremental rebalance that added nothing: nothing new to start from
        }
        try {
            partitions.forEach(consumer::position);
        } catch (RuntimeException e) {
            log.warn("eviction start positions not resolved yet partitions={} error={}", partitions, e.toString());
        }
        handler.reassigned(String.valueOf(partitions), assignments.get() == 0);
        watermarks.assigned(partitions.stream().map(TopicPartition::partition).toList());
        assignments.incrementAndGet();
    }

    @Override
    public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        watermarks.revoked(partitions.stream().map(TopicPartition::partition).toList());
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        watermarks.revoked(partitions.stream().map(TopicPartition::partition).toList());
    }

    @Override
    public int assignments() {
        return assignments.get();
    }

    private static String joined(List<UUID> eventIds) {
        return eventIds.stream().map(UUID::toString).collect(Collectors.joining(","));
    }
}
