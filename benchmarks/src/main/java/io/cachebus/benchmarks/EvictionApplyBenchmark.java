package io.cachebus.benchmarks;

import io.cachebus.client.internal.eviction.EvictionBroadcastHandler;
import io.cachebus.client.internal.tiered.FallbackStore;
import io.cachebus.client.internal.tiered.KnownRedisGenerations;
import io.cachebus.client.internal.tiered.LocalGenerations;
import io.cachebus.client.internal.tiered.LocalInvalidation;
import io.cachebus.client.internal.tiered.ReadYourWrites;
import io.cachebus.client.internal.tiered.RedisPendingScopes;
import io.cachebus.events.EventCodec;
import io.cachebus.events.EvictionBatch;
import io.cachebus.events.EvictionBatch.ScopeEviction;
import io.cachebus.events.EvictionsTopicMessage;
import io.cachebus.events.InvalidationProgress.PartitionProgress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;

/**
 * What an API node spends per event of a backlog the invalidator works off: one compact broadcast record as the bench's
 * invalidator phase makes them (a poll's groups of one evictions partition, each of a few single-entity writes of
 * another writer), decoded as the node's listener decodes it (its own event ids only, here none) and applied to the
 * node's local generations, known Redis generations and fallback. Per event, so it can be set beside the bench's
 * {@code invalidator_cpu_ms_per_1000_events} of each node. {@code decodeEveryWriter} reads every writer's ids, as a
 * tool reading the topic does.
 */
public class EvictionApplyBenchmark extends NanosecondsPerOperation {

    private static final int SCOPES = 160;
    private static final int EVENTS_PER_SCOPE = 6;
    private static final int EVENTS = SCOPES * EVENTS_PER_SCOPE;
    private static final String NODE = "api-1";

    private final EventCodec codec = new EventCodec();
    private EvictionBroadcastHandler handler;
    private byte[] record;

    @Setup
    public void setUp() {
        Instant now = Instant.parse("2026-12-06T00:35:12.123456789Z");
        List<ScopeEviction> scopes = new ArrayList<>(SCOPES);
        int entity = 0;
        for (int i = 0; i < SCOPES; i++) {
            List<UUID> eventIds = new ArrayList<>(EVENTS_PER_SCOPE);
            List<String> entityIds = new ArrayList<>(EVENTS_PER_SCOPE);
            for (int e = 0; e < EVENTS_PER_SCOPE; e++) {
                eventIds.add(UUID.randomUUID());
                entityIds.add("bench-" + entity++);
            }
            scopes.add(new ScopeEviction("ltinv0-" + i / 2, i % 2 == 0 ? "workflows" : "notifications", List.of(), 1,
                    EVENTS_PER_SCOPE, 1_733_000_000_000_000L + i, EVENTS_PER_SCOPE,
                    Map.of("cachebus-load-test", eventIds), false, entityIds));
        }
        record = codec.encode(new EvictionBatch("invalidator-1", List.of(new PartitionProgress(0, 1_000, 990)),
                scopes, Optional.of(new EvictionBatch.CommittedRange(now, now)), now, false));
        LocalGenerations generations = new LocalGenerations(10_000, 100_000);
        handler = new EvictionBroadcastHandler(
                new LocalInvalidation(generations, new FallbackStore(10_000, Duration.ofMinutes(5))),
                new KnownRedisGenerations(10_000, 100_000, Duration.ofMinutes(1)),
                new ReadYourWrites(Duration.ofSeconds(2)),
                new RedisPendingScopes(10_000, Duration.ofSeconds(1), Clock.systemUTC(), () -> false),
                10_000, NODE, Clock.systemUTC(), new SimpleMeterRegistry());
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public EvictionsTopicMessage decodeOnly() {
        return codec.decodeEvictionsTopic(record, NODE);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public EvictionBatch decodeEveryWriter() {
        return codec.decodeEvictionBatch(record);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void decodeAndApply() {
        handler.apply((EvictionBatch) codec.decodeEvictionsTopic(record, NODE));
    }
}
