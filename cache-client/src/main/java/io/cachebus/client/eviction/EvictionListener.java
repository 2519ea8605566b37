package io.cachebus.client.eviction;

import io.cachebus.events.EventCodec;
import io.cachebus.events.EvictionBroadcast;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.MessageListener;

/**
 * The Kafka side of the broadcast: decodes each record and hands it to the {@link EvictionBroadcastHandler}.
 * Never throws: a record it cannot read is counted, logged and skipped, so one bad record cannot stop the node
 * from receiving the evictions after it.
 */
public final class EvictionListener implements MessageListener<String, byte[]>, ConsumerAwareRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(EvictionListener.class);

    private final EventCodec codec;
    private final EvictionBroadcastHandler handler;
    private final AtomicInteger assignments = new AtomicInteger();

    public EvictionListener(EventCodec codec, EvictionBroadcastHandler handler) {
        this.codec = codec;
        this.handler = handler;
    }

    @Override
    public void onMessage(ConsumerRecord<String, byte[]> record) {
        EvictionBroadcast broadcast;
        try {
            broadcast = codec.decodeEviction(record.value());
        } catch (RuntimeException e) {
            handler.malformed(record.key(), e);
            return;
        }
        try {
            handler.apply(broadcast);
        } catch (RuntimeException e) {
            log.error("eviction broadcast could not be applied tenant={} domain={}", broadcast.tenant(),
                    broadcast.domain(), e);
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
        handler.reassigned(String.valueOf(partitions));
        assignments.incrementAndGet();
    }

    /** How many times the subscription was assigned partitions since start (1 after a normal start). */
    public int assignments() {
        return assignments.get();
    }
}
