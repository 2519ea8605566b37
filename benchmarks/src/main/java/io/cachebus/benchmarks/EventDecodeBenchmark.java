package io.cachebus.benchmarks;

import io.cachebus.events.DomainMutated;
import io.cachebus.events.EventCodec;
import io.cachebus.events.EvictionBatch;
import io.cachebus.events.EvictionBatch.ScopeEviction;
import io.cachebus.events.InvalidationProgress.PartitionProgress;
import io.cachebus.events.Operation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decoding the messages of the two topics, the invalidator's largest cost per event: {@link #domainMutated} is what an
 * invalidator does to every record of the mutation topic, {@link #evictionBatch} what a node does to every compact
 * broadcast (here one of 50 entity scopes). {@link #jacksonTree} reads the same mutation event as a plain Jackson tree
 * and checks nothing: a reference, not a floor, since the codec no longer builds a tree.
 */
public class EventDecodeBenchmark extends NanosecondsPerOperation {

    private static final int SCOPES = 50;

    private final EventCodec codec = new EventCodec();
    private final JsonMapper mapper = JsonMapper.builder().build();
    private byte[] mutation;
    private byte[] batch;

    @Setup
    public void encode() {
        Instant now = Instant.parse("2026-12-06T00:35:12.123456789Z");
        mutation = codec.encode(new DomainMutated(UUID.randomUUID(), "tenant-42", "workflows", Operation.PATCH,
                Optional.of("17"), List.of(), now, "api-1", DomainMutated.UNNUMBERED));
        List<ScopeEviction> scopes = new ArrayList<>(SCOPES);
        for (int i = 0; i < SCOPES; i++) {
            scopes.add(new ScopeEviction("tenant-" + i, "workflows", List.of(), 1, 1, 1_733_000_000_000_000L + i, 1,
                    Map.of("api-1", List.of(UUID.randomUUID())), false, List.of(String.valueOf(i))));
        }
        batch = codec.encode(new EvictionBatch("invalidator-1", List.of(new PartitionProgress(0, 1_000, 990)), scopes,
                Optional.of(new EvictionBatch.CommittedRange(now, now)), now, false));
    }

    @Benchmark
    public DomainMutated domainMutated() {
        return codec.decodeDomainMutated(mutation);
    }

    @Benchmark
    public EvictionBatch evictionBatch() {
        return codec.decodeEvictionBatch(batch);
    }

    @Benchmark
    public JsonNode jacksonTree() {
        return mapper.readTree(mutation);
    }
}
