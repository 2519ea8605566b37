package io.cachebus.invalidator.consumer;

import io.cachebus.invalidator.InvalidatorMeter;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.EventCodec;
import io.cachebus.events.EventDecodingException;
import io.cachebus.invalidator.InvalidatorProperties.BroadcastFormat;
import io.cachebus.invalidator.broadcast.EvictionBroadcaster;
import io.cachebus.invalidator.consumer.InvalidationPipeline.Work;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.BatchAcknowledgingConsumerAwareMessageListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.Acknowledgment;

/**
 * The batch listener on the mutation topic. It commits itself ({@code MANUAL_IMMEDIATE}), and only what is done.
 *
 * <p>Normally (Redis usable), records are decoded in order up to the first one the codec refuses (a poison record)
 * and the events before it are processed: Redis, then broadcast (with {@code broadcast-format=batch}, one compact
 * record per evictions partition that is also the progress heartbeat, ADR 0014). Their offsets are committed; then a
 * {@link BatchListenerFailedException} names the poison record, so the error handler dead-letters it at once
 * (decoding errors are not retryable) and seeks the rest of the batch for redelivery. If the broadcast fails, the
 * exception names the batch's first record: nothing is committed and the whole batch comes back after the error
 * handler's back-off, however long that takes. A valid event is therefore never dead-lettered.
 *
 * <p>When Redis cannot be invalidated (it failed in this batch, or its breaker is open), the events are still
 * broadcast, flagged {@code redisPending}, so every node's L1 is evicted at once; but the batch's partitions are
 * marked pending and no offset is committed for them until the Redis work is redone. Poison records met then are
 * passed over (they invalidate nothing) and dead-lettered when the range is redone. Once the breaker lets calls
 * through again, the pending partitions are sought back to their committed offsets and processed normally (see
 * {@link ProgressTracker#redoPendingIfRedisIsBack}); a crash meanwhile loses nothing, since none of it is committed.
 *
 * <p>Each batch works within {@code cachebus.invalidator.batch-time-budget}: what it did not get to is sought back
 * for the next poll, so a slow Redis or an expensive strategy never keeps the consumer from polling longer than
 * {@code max.poll.interval.ms} (which would get it evicted from the group, and the next member would get the same
 * batch). After each batch, a progress heartbeat says how far each partition is done.
 *
 * <p>Decoding happens here rather than in an {@code ErrorHandlingDeserializer}: the consumer reads raw bytes, which
 * cannot fail, so the dead-letter record carries the original payload byte for byte, and the codec's typed
 * {@link EventDecodingException} (reason and field) reaches the dead-letter headers unchanged instead of being
 * Java-serialized into a header.
 */
public final class MutationBatchListener implements BatchAcknowledgingConsumerAwareMessageListener<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(MutationBatchListener.class);

    private final EventCodec codec;
    private final InvalidationPipeline pipeline;
    private final EvictionBroadcaster broadcaster;
    private final ProgressTracker progress;
    private final BroadcastFormat format;
    private final Duration timeBudget;
    private final DistributionSummary batchSize;
    private final Timer mutationAge;
    private final Timer pollToBroadcast;
    /** Events' ages are measured against the wall clock: their commit times are the writers' wall clocks. */
    private final Clock clock = Clock.systemUTC();

    public MutationBatchListener(EventCodec codec, InvalidationPipeline pipeline, EvictionBroadcaster broadcaster,
                                 ProgressTracker progress, BroadcastFormat format, Duration timeBudget,
                                 MeterRegistry meters) {
        this.codec = codec;
        this.pipeline = pipeline;
        this.broadcaster = broadcaster;
        this.progress = progress;
        this.format = format;
        this.timeBudget = timeBudget;
        this.batchSize = DistributionSummary.builder(InvalidatorMeter.BATCH_SIZE.meterName())
                .description("Records per poll batch of the mutation topic")
                .register(meters);
        this.mutationAge = latencyTimer(InvalidatorMeter.MUTATION_AGE, meters);
        this.pollToBroadcast = latencyTimer(InvalidatorMeter.POLL_TO_BROADCAST, meters);
    }

    private static Timer latencyTimer(InvalidatorMeter meter, MeterRegistry meters) {
        return meter.timer()
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(meters);
    }

    @Override
    public void onMessage(List<ConsumerRecord<String, byte[]>> records, Acknowledgment acknowledgment,
                          Consumer<?, ?> consumer) {
        long polled = System.nanoTime();
        long deadline = polled + timeBudget.toNanos();
        batchSize.record(records.size());
        if (progress.redoPendingIfRedisIsBack(consumer)) {
            // The pending partitions start again from their committed offsets; the others from this batch's start.
            seekBack(consumer, records, 0);
            return;
        }
        boolean redisUsable = progress.redisUsable();
        Decoded decoded = decode(records, !redisUsable);
        recordAges(decoded.events);
        if (decoded.poisonPassedOver) {
            progress.markPending(consumer, firstOffsets(records));
        }
        Work work = process(decoded, records, () -> pipeline.invalidate(decoded.events, redisUsable, deadline));
        int covered = work.eventsCovered() == decoded.events.size()
                ? decoded.end : decoded.recordIndex.get(work.eventsCovered());
        if (!work.redisPending().isEmpty()) {
            // before the broadcast: progress sent after a pending broadcast must already say Redis work is pending
            progress.markPending(consumer, firstOffsets(records));
        }
        Map<TopicPartition, Long> doneBelow = doneBelow(records, covered);
        boolean compact = format == BroadcastFormat.BATCH && work.hasGroups();
        if (compact) {
            // the scopes and the progress they bring in one record per evictions partition, acknowledged before the
            // progress counts and before the commit
            ProgressTracker.Report report = progress.progressAfter(consumer, doneBelow);
            pollToBroadcast.record(System.nanoTime() - polled, TimeUnit.NANOSECONDS);
            process(decoded, records, () -> broadcaster.broadcastBatch(work.invalidated(), work.redisPending(),
                    report.partitions(), report.redisPending()));
            progress.reported(consumer, report);
        } else {
            pollToBroadcast.record(System.nanoTime() - polled, TimeUnit.NANOSECONDS);
            process(decoded, records, () -> broadcaster.broadcast(work.invalidated(), work.redisPending()));
        }
        if (!progress.hasPending(consumer)) {
            acknowledge(acknowledgment, covered, records.size());
        }
        if (!compact) {
            progress.heartbeat(consumer, doneBelow);
        }
        if (decoded.poison != null && covered == decoded.end && !progress.hasPending(consumer)) {
            ConsumerRecord<String, byte[]> record = records.get(covered);
            throw new BatchListenerFailedException("undecodable record " + position(record)
                    + " goes to the dead-letter topic: " + decoded.poison.getMessage(), decoded.poison, record);
        }
        if (covered < records.size()) {
            seekBack(consumer, records, covered);
        }
    }

    /**
     * The events in record order, up to the first poison record, or (passPoison) past every poison record. The
     * events' record indexes map what the pipeline covered back to records.
     */
    private Decoded decode(List<ConsumerRecord<String, byte[]>> records, boolean passPoison) {
        Decoded decoded = new Decoded(records.size());
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            try {
                decoded.events.add(codec.decodeDomainMutated(record.value()));
                decoded.recordIndex.add(i);
            } catch (EventDecodingException e) {
                if (!passPoison) {
                    decoded.poison = e;
                    decoded.end = i;
                    break;
                }
                decoded.poisonPassedOver = true;
                log.warn("undecodable record passed over while redis work is pending record={} "
                        + "action=deadLetterOnRedo reason={}", position(record), e.reason());
            }
        }
        return decoded;
    }

    /** How long each event took from its commit to this poll (a redelivered batch's events count again). */
    private void recordAges(List<DomainMutated> events) {
        Instant polled = clock.instant();
        for (DomainMutated event : events) {
            Duration age = Duration.between(event.committedAt(), polled);
            mutationAge.record(age.isNegative() ? Duration.ZERO : age);
        }
    }

    /** Runs a step of the batch's work; a failure makes the whole batch come again, nothing of it committed. */
    private static <T> T process(Decoded decoded, List<ConsumerRecord<String, byte[]>> records, Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            log.warn("invalidation failed action=redeliver events={} firstRecord={} cause=\"{}\"",
                    decoded.events.size(), position(records.get(0)), rootMessage(e));
            throw new BatchListenerFailedException("invalidation of " + decoded.events.size()
                    + " events failed; the batch will be delivered again", e, records.get(0));
        }
    }

    /** Commits the offsets of the first {@code covered} records. */
    private static void acknowledge(Acknowledgment acknowledgment, int covered, int batchSize) {
        if (covered == batchSize) {
            acknowledgment.acknowledge();
        } else if (covered > 0) {
            acknowledgment.acknowledge(covered - 1);
        }
    }

    /** Per partition of the batch, the offset of its first record: where Redis work starts when it is pending. */
    private static Map<TopicPartition, Long> firstOffsets(List<ConsumerRecord<String, byte[]>> records) {
        return firstOffsetsFrom(records, 0);
    }

    /** Per partition, the offset of its first record at or after index {@code from}: where to start again. */
    private static Map<TopicPartition, Long> firstOffsetsFrom(List<ConsumerRecord<String, byte[]>> records, int from) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records.subList(from, records.size())) {
            first.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.offset());
        }
        return first;
    }

    /** Per partition of the batch, the first offset not done: records before index {@code covered} are done. */
    private static Map<TopicPartition, Long> doneBelow(List<ConsumerRecord<String, byte[]>> records, int covered) {
        Map<TopicPartition, Long> done = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records.subList(0, covered)) {
            done.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
        }
        done.putAll(firstOffsetsFrom(records, covered));
        return done;
    }

    /** The records from {@code from} on come again with the next poll (sought on the consumer thread). */
    private static void seekBack(Consumer<?, ?> consumer, List<ConsumerRecord<String, byte[]>> records, int from) {
        firstOffsetsFrom(records, from).forEach((partition, offset) -> {
            // A pending partition sought back further by the redo keeps that position.
            if (consumer.position(partition) > offset) {
                consumer.seek(partition, offset);
            }
        });
    }

    private static String position(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e.getClass().getSimpleName() + ": " + root;
    }

    private static final class Decoded {
        final List<DomainMutated> events;
        final List<Integer> recordIndex;
        EventDecodingException poison;
        /** Whether a poison record was passed over: it must not be committed before it is dead-lettered. */
        boolean poisonPassedOver;
        /** The index of the first poison record, or the batch size: the records that can be covered end there. */
        int end;

        Decoded(int size) {
            events = new ArrayList<>(size);
            recordIndex = new ArrayList<>(size);
            end = size;
        }
    }
}
