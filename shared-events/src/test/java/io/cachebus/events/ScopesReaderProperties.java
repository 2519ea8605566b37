package io.cachebus.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.events.EvictionBatch.ScopeEviction;
import io.cachebus.events.InvalidationProgress.PartitionProgress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import tools.jackson.core.JacksonException;

/**
 * A node reads a batch's scopes with only its own event ids ({@link ScopesReader}): for any payload, corrupted or not,
 * what the full read accepts the node's read accepts too, with the same scopes less other writers' ids; what the tree
 * reader refuses as JSON (malformed, a name repeated at any depth) both refuse; and neither throws anything but the
 * codec's typed refusal.
 */
class ScopesReaderProperties {

    private static final EventCodec CODEC = new EventCodec();
    private static final String NODE = "api-2";
    private static final Instant AT = Instant.parse("2026-12-07T19:30:00.123456Z");
    private static final String VALID = new String(CODEC.encode(new EvictionBatch("invalidator-1",
            List.of(new PartitionProgress(0, 12, 5)), List.of(
                    new ScopeEviction("t1", "workflows", List.of(new Tag("notifications", "unread-count")), 3, 5, 17, 3,
                            Map.of("api-1", List.of(id(1), id(2)), NODE, List.of(id(3))), false, List.of("w1", "w2")),
                    new ScopeEviction("t2", "notifications", List.of(), 1, 1, 0, 1, Map.of("api-1", List.of(id(4))),
                            true)),
            Optional.of(new EvictionBatch.CommittedRange(AT, AT)), AT, false)), StandardCharsets.UTF_8);

    @Property(tries = 2000)
    void aNodeReadsWhatTheFullReadAcceptsLessOtherWritersIds(@ForAll @IntRange(max = 10_000) int position,
            @ForAll("insertions") String insertion, @ForAll @IntRange(max = 2) int replaced) {
        int at = position % VALID.length();
        String text = VALID.substring(0, at) + insertion + VALID.substring(Math.min(VALID.length(), at + replaced));
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);

        EvictionsTopicMessage full = decodedOrNull(() -> CODEC.decodeEvictionsTopic(payload));
        EvictionsTopicMessage asNode = decodedOrNull(() -> CODEC.decodeEvictionsTopic(payload, NODE));
        if (full != null) {
            assertThat(asNode).as(text).isEqualTo(withoutOtherWritersIds(full));
        }
        if (!validJson(payload)) {
            assertThat(full).as(text).isNull();
            assertThat(asNode).as(text).isNull();
        }
    }

    @Provide
    Arbitrary<String> insertions() {
        return JsonCorruptions.insertions("tenant", "events", "eventIdsByWriter", "api-1", NODE, "entityIds", "scopes");
    }

    private static EvictionsTopicMessage withoutOtherWritersIds(EvictionsTopicMessage message) {
        if (!(message instanceof EvictionBatch batch)) {
            return message;
        }
        return new EvictionBatch(batch.invalidatorId(), batch.partitions(), batch.scopes().stream()
                .map(scope -> new ScopeEviction(scope.tenant(), scope.domain(), scope.tags(), scope.fromSequence(),
                        scope.toSequence(), scope.generation(), scope.events(), ownIds(scope), scope.redisPending(),
                        scope.entityIds()))
                .toList(), batch.committedRange(), batch.emittedAt(), batch.redisPending());
    }

    private static Map<String, List<UUID>> ownIds(ScopeEviction scope) {
        return scope.eventIdsByWriter().containsKey(NODE) ? Map.of(NODE, scope.eventIdsWrittenBy(NODE)) : Map.of();
    }

    private static boolean validJson(byte[] payload) {
        try {
            EventCodec.newMapper().readTree(payload);
            return true;
        } catch (JacksonException refused) {
            return false;
        }
    }

    /** Any exception other than the typed refusal escapes and fails the property. */
    private static <T> T decodedOrNull(Supplier<T> decode) {
        try {
            return decode.get();
        } catch (EventDecodingException refused) {
            return null;
        }
    }

    private static UUID id(int n) {
        return new UUID(0x6f1c2a9e3b7d4e0aL, n);
    }
}
