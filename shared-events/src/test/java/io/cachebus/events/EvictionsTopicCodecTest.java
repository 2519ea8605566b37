package io.cachebus.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachebus.events.EventDecodingException.Reason;
import io.cachebus.events.InvalidationProgress.PartitionProgress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The evictions topic's two messages: progress heartbeats, and broadcasts with or without pending Redis work. */
class EvictionsTopicCodecTest {

    private static final EventCodec CODEC = new EventCodec();
    private static final Instant AT = Instant.parse("2026-12-05T09:00:00.123Z");

    private static final InvalidationProgress PROGRESS = new InvalidationProgress("invalidator-a",
            List.of(new PartitionProgress(0, 0), new PartitionProgress(5, 9_876_543_210L)), AT);

    @Test
    void progressRoundTrips() {
        assertThat(CODEC.decodeProgress(CODEC.encode(PROGRESS))).isEqualTo(PROGRESS);
        assertThat(CODEC.decodeEvictionsTopic(CODEC.encode(PROGRESS))).isEqualTo(PROGRESS);
    }

    @Test
    void progressWithPendingRedisWorkRoundTrips() {
        InvalidationProgress pending = new InvalidationProgress("invalidator-a", PROGRESS.partitions(), AT, true);
        assertThat(CODEC.decodeEvictionsTopic(CODEC.encode(pending))).isEqualTo(pending);
        assertThat(new String(CODEC.encode(PROGRESS), StandardCharsets.UTF_8)).doesNotContain("redisPending");
    }

    @Test
    void progressWithoutPartitionsRoundTrips() {
        InvalidationProgress idle = new InvalidationProgress("invalidator-b", List.of(), AT);
        assertThat(CODEC.decodeEvictionsTopic(CODEC.encode(idle))).isEqualTo(idle);
    }

    @Test
    void pendingFlagRoundTripsAndIsAbsentWhenUnset() {
        EvictionBroadcast pending = new EvictionBroadcast("t1", "workflows", List.of(), 1, 4, 0,
                List.of(UUID.randomUUID()), "invalidator-a", AT, true);
        EvictionBroadcast done = new EvictionBroadcast("t1", "workflows", List.of(), 1, 4, 7, List.of(),
                "invalidator-a", AT);

        assertThat(CODEC.decodeEvictionsTopic(CODEC.encode(pending))).isEqualTo(pending);
        assertThat(CODEC.decodeEviction(CODEC.encode(done)).redisPending()).isFalse();
        assertThat(new String(CODEC.encode(done), StandardCharsets.UTF_8)).doesNotContain("redisPending");
    }

    @Test
    void theTopicReaderRefusesOtherTypes() {
        DomainMutated event = new DomainMutated(UUID.randomUUID(), "t1", "workflows", Operation.PATCH,
                java.util.Optional.empty(), List.of(), AT, "api-1", 1);
        assertThatThrownBy(() -> CODEC.decodeEvictionsTopic(CODEC.encode(event)))
                .isInstanceOfSatisfying(EventDecodingException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_TYPE);
                    assertThat(e.getMessage()).contains("'eviction' or 'progress'");
                });
        assertThatThrownBy(() -> CODEC.decodeEviction(CODEC.encode(PROGRESS)))
                .isInstanceOfSatisfying(EventDecodingException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_TYPE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[[0]]", "[[0,1,2]]", "[0]", "[[\"0\",1]]", "[[0,1.5]]", "[[2147483648,1]]", "{}",
            "[[-1,0]]", "[[0,-1]]"})
    void malformedPartitionsAreRefusedNamingTheField(String partitions) {
        String json = "{\"schema\":1,\"type\":\"progress\",\"invalidatorId\":\"i\",\"partitions\":" + partitions
                + ",\"emittedAt\":\"" + AT + "\"}";
        assertThatThrownBy(() -> CODEC.decodeEvictionsTopic(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(EventDecodingException.class,
                        e -> assertThat(e.field()).isIn("partitions", "partition", "processedThrough"));
    }

    @Test
    void aPendingFlagThatIsNotABooleanIsRefused() {
        String json = new String(CODEC.encode(new EvictionBroadcast("t1", "workflows", List.of(), 1, 1, 0, List.of(),
                "i", AT)), StandardCharsets.UTF_8).replace("}", ",\"redisPending\":\"yes\"}");
        assertThatThrownBy(() -> CODEC.decodeEvictionsTopic(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(EventDecodingException.class,
                        e -> assertThat(e.field()).isEqualTo("redisPending"));
    }
}
