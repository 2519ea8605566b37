package io.cachebus.invalidator.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.events.InvalidationProgress.PartitionProgress;
import io.cachebus.invalidator.coalescing.InvalidationGroup;
import io.cachebus.invalidator.coalescing.InvalidationGroup.CoalescedEvent;
import io.cachebus.invalidator.invalidation.InvalidationResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EvictionBatchesTest {

    private static final int PARTITIONS = 3;
    private static final List<PartitionProgress> PROGRESS = List.of(new PartitionProgress(0, 10, 10));
    private static final Instant NOW = Instant.parse("2026-12-06T22:30:00Z");

    @Test
    void theRecordsWithEvictionsLeaveBeforeThoseWithOnlyProgressAndEveryPartitionGetsItsProgress() {
        // a domain that is not on partition 0: in partition order its eviction would be sent last but one or last
        String tenant = IntStream.range(0, 100).mapToObj(i -> "t" + i)
                .filter(t -> EvictionBatches.partitionOf(t + ":workflows", PARTITIONS) == PARTITIONS - 1)
                .findFirst().orElseThrow();

        List<EvictionBatches.Addressed> records = EvictionBatches.of(List.of(invalidated(tenant)), List.of(), PROGRESS,
                false, "invalidator-1", NOW, PARTITIONS);

        assertThat(records).extracting(EvictionBatches.Addressed::partition).containsExactly(PARTITIONS - 1, 0, 1);
        assertThat(records.get(0).batch().scopes()).singleElement()
                .satisfies(scope -> assertThat(scope.tenant()).isEqualTo(tenant));
        assertThat(records).allSatisfy(record -> assertThat(record.batch().partitions()).isEqualTo(PROGRESS));
        assertThat(records.subList(1, records.size())).allSatisfy(record -> assertThat(record.batch().scopes()).isEmpty());
    }

    @Test
    void withoutEvictionsThePartitionsGoInTheirOrder() {
        assertThat(EvictionBatches.of(List.of(), List.of(), PROGRESS, false, "invalidator-1", NOW, PARTITIONS))
                .extracting(EvictionBatches.Addressed::partition).containsExactly(0, 1, 2);
    }

    private static InvalidationResult invalidated(String tenant) {
        InvalidationGroup group = new InvalidationGroup(tenant, "workflows", List.of(),
                List.of(new CoalescedEvent(UUID.randomUUID(), 1, "api-1", NOW.minusMillis(3))), List.of("w1"));
        return new InvalidationResult(group, "generation", 7, OptionalLong.empty(), Duration.ofMillis(1));
    }
}
