package io.cachebus.invalidator.broadcast;

import io.cachebus.invalidator.InvalidatorMeter;
import io.cachebus.events.EventCodec;
import io.cachebus.events.InvalidationProgress;
import io.cachebus.events.InvalidationProgress.PartitionProgress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.PartitionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes progress heartbeats ({@link InvalidationProgress}) to every partition of the evictions topic, through
 * the producer the broadcasts use. A heartbeat is only ever built after the broadcasts it covers were acknowledged,
 * so in each evictions partition it lands after them: a node that read it has applied them.
 *
 * <p>It does not wait for acknowledgements: a lost heartbeat is superseded by the next one (about every
 * {@code cachebus.invalidator.progress.interval}), and the batch must not wait for it.
 */
public final class ProgressPublisher {

    private static final Logger log = LoggerFactory.getLogger(ProgressPublisher.class);

    private final KafkaTemplate<String, byte[]> kafka;
    private final EventCodec codec;
    private final String topic;
    private final String invalidatorId;
    private final Clock clock;
    private final Counter heartbeatsSent;
    private final Counter heartbeatsFailed;

    public ProgressPublisher(KafkaTemplate<String, byte[]> kafka, EventCodec codec, String topic, String invalidatorId,
                             Clock clock, MeterRegistry meters) {
        this.kafka = kafka;
        this.codec = codec;
        this.topic = topic;
        this.invalidatorId = invalidatorId;
        this.clock = clock;
        Meter.MeterProvider<Counter> heartbeats = InvalidatorMeter.PROGRESS_HEARTBEATS.counter().withRegistry(meters);
        this.heartbeatsSent = heartbeats.withTag("outcome", "acknowledged");
        this.heartbeatsFailed = heartbeats.withTag("outcome", "failed");
    }

    /**
     * Sends the progress of the given mutation partitions to every evictions partition, without waiting. The result
     * completes normally once every evictions partition has acknowledged it: from then on a later report may vouch
     * for it ({@link PartitionProgress#acknowledgedThrough()}).
     *
     * @param redisPending whether some Redis work of this invalidator is not done yet (broadcast as pending)
     */
    public CompletableFuture<Void> publish(List<PartitionProgress> partitions, boolean redisPending) {
        byte[] payload = codec.encode(new InvalidationProgress(invalidatorId, partitions, clock.instant(), redisPending));
        List<PartitionInfo> evictionPartitions = kafka.partitionsFor(topic);
        List<CompletableFuture<?>> acks = new ArrayList<>(evictionPartitions.size());
        for (PartitionInfo partition : evictionPartitions) {
            // Every partition explicitly, not by key: a node must find a heartbeat behind each broadcast it reads.
            acks.add(kafka.send(topic, partition.partition(), null, payload).whenComplete((result, failure) -> {
                if (failure == null) {
                    heartbeatsSent.increment();
                } else {
                    heartbeatsFailed.increment();
                    log.debug("progress heartbeat not sent topic={} partition={} cause=\"{}\"", topic,
                            partition.partition(), failure.toString());
                }
            }));
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    }
}
