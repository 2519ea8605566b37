package io.cachebus.invalidator.consumer;

import io.cachebus.events.DomainMutated;
import io.cachebus.events.EventCodec;
import io.cachebus.events.EventDecodingException;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.BatchMessageListener;

/**
 * The batch listener on the mutation topic.
 *
 * <p>Records are decoded in order up to the first one the codec refuses (a poison record). The events before it
 * are fully processed (Redis, then broadcast); then a {@link BatchListenerFailedException} names the poison
 * record, so the error handler commits the offsets before it, dead-letters it at once (decoding errors are not
 * retryable) and seeks the rest of the batch for redelivery. If the processing itself fails (Redis, Kafka), the
 * exception names the batch's first record: nothing is committed and the whole batch comes back after the
 * error handler's back-off, however long that takes. A valid event is therefore never dead-lettered.
 *
 * <p>Decoding happens here rather than in an {@code ErrorHandlingDeserializer}: the consumer reads raw bytes, which
 * cannot fail, so the dead-letter record carries the original payload byte for byte, and the codec's typed
 * {@link EventDecodingException} (reason and field) reaches the dead-letter headers unchanged instead of being
 * Java-serialized into a header. A batch listener would have to look for failed records and throw this same
 * exception anyway.
 */
public final class MutationBatchListener implements BatchMessageListener<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(MutationBatchListener.class);

    private final EventCodec codec;
    private final InvalidationPipeline pipeline;
    private final DistributionSummary batchSize;

    public MutationBatchListener(EventCodec codec, InvalidationPipeline pipeline, MeterRegistry meters) {
        this.codec = codec;
        this.pipeline = pipeline;
        this.batchSize = DistributionSummary.builder("cachebus.invalidator.batch.size")
                .description("Records per poll batch of the mutation topic")
                .register(meters);
    }

    @Override
    public void onMessage(List<ConsumerRecord<String, byte[]>> records) {
        batchSize.record(records.size());
        List<DomainMutated> events = new ArrayList<>(records.size());
        EventDecodingException poison = null;
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                events.add(codec.decodeDomainMutated(record.value()));
            } catch (EventDecodingException e) {
                poison = e;
                break;
            }
        }
        processAll(events, records);
        if (poison != null) {
            ConsumerRecord<String, byte[]> record = records.get(events.size());
            throw new BatchListenerFailedException("undecodable record " + position(record)
                    + " goes to the dead-letter topic: " + poison.getMessage(), poison, record);
        }
    }

    private void processAll(List<DomainMutated> events, List<ConsumerRecord<String, byte[]>> records) {
        if (events.isEmpty()) {
            return;
        }
        try {
            pipeline.process(events);
        } catch (RuntimeException e) {
            log.warn("invalidation failed action=redeliver events={} firstRecord={} cause=\"{}\"",
                    events.size(), position(records.get(0)), rootMessage(e));
            throw new BatchListenerFailedException("invalidation of " + events.size()
                    + " events failed; the batch will be delivered again", e, records.get(0));
        }
    }

    private static String position(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e.getClass().getSimpleName() + ": " + root;
    }
}
