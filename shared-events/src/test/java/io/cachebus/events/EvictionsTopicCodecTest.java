package io.cachebus.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachebus.events.EventDecodingException.Reason;
import io.cachebus.events.InvalidationProgress.PartitionProgress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The evictions topic's messages: progress heartbeats, per-group broadcasts with or without pending Redis work, and
 * compact batches.
 */
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
    void acknowledgedProgressRoundTripsInAFieldOfItsOwnThatEarlierReadersIgnore() {
        InvalidationProgress acknowledged = new InvalidationProgress("invalidator-a",
                List.of(new PartitionProgress(0, 7, 5), new PartitionProgress(2, 9), new PartitionProgress(5, 30, 30)), AT);

        String json = new String(CODEC.encode(acknowledged), StandardCharsets.UTF_8);

        assertThat(CODEC.decodeEvictionsTopic(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(acknowledged);
        assertThat(json).as("readers before ADR 0016 require pairs in partitions")
                .contains("\"partitions\":[[0,7],[2,9],[5,30]]")
                .contains("\"acknowledgedThrough\":[[0,5],[5,30]]");
        assertThat(new String(CODEC.encode(PROGRESS), StandardCharsets.UTF_8)).doesNotContain("acknowledgedThrough");
        EvictionBatch batch = new EvictionBatch("invalidator-a", acknowledged.partitions(), List.of(), Optional.empty(),
                AT, false);
        assertThat(CODEC.decodeEvictionsTopic(CODEC.encode(batch))).isEqualTo(batch);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[[1,3]]", "[[0,8]]", "[[0,-1]]", "[[0]]", "{}"})
    void acknowledgedProgressOfAnUnlistedPartitionOrBeyondItsProgressIsRefused(String acknowledged) {
        String json = "{\"schema\":1,\"type\":\"progress\",\"invalidatorId\":\"i\",\"partitions\":[[0,7]],"
                + "\"acknowledgedThrough\":" + acknowledged + ",\"emittedAt\":\"" + AT + "\"}";
        assertThatThrownBy(() -> CODEC.decodeEvictionsTopic(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(EventDecodingException.class,
                        e -> assertThat(e.field()).isEqualTo("acknowledgedThrough"));
    }

    @Test
    void aPendingFlagThatIsNotABooleanIsRefused() {
        String json = new String(CODEC.encode(new EvictionBroadcast("t1", "workflows", List.of(), 1, 1, 0, List.of(),
                "i", AT)), StandardCharsets.UTF_8).replace("}", ",\"redisPending\":\"yes\"}");
        assertThatThrownBy(() -> CODEC.decodeEvictionsTopic(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(EventDecodingException.class,
                        e -> assertThat(e.field()).isEqualTo("redisPending"));
    }

    /**
     * The encoders write with a streaming generator; the text is what the tree-built encoding of earlier releases
     * wrote, byte for byte (member order, escapes, the acknowledged offsets in a field of their own), so every reader
     * that predates the change reads it as it did.
     */
    @Test
    void aBatchAndAProgressAreWrittenAsEarlierReleasesWroteThem() {
        Instant at = Instant.parse("2026-12-06T00:35:12.5Z");
        Map<String, List<UUID>> idsByWriter = new LinkedHashMap<>();
        idsByWriter.put("api-1", List.of(WRITTEN_BY_A, WRITTEN_BY_B));
        idsByWriter.put("n\u00e9\"x", List.of(WRITTEN_BY_B));
        EvictionBatch batch = new EvictionBatch("inv-\u00e9", List.of(new PartitionProgress(0, 12, 5),
                new PartitionProgress(3, 40)), List.of(new EvictionBatch.ScopeEviction("t1", "workflows",
                        List.of(new Tag("notifications", "unread-count")), 17, 21, 1_733_390_000_000_123L, 3, idsByWriter,
                        false, List.of("42", "a b/\u00e9\"{x}")),
                new EvictionBatch.ScopeEviction("t2", "notifications", List.of(), 1, 3, 0, 3, Map.of(), true)),
                Optional.of(new EvictionBatch.CommittedRange(at.minusMillis(40), at.minusMillis(2))), at, true);
        InvalidationProgress progress = new InvalidationProgress("i", List.of(new PartitionProgress(0, 7, 5),
                new PartitionProgress(2, 9)), at, true);

        assertThat(new String(CODEC.encode(batch), StandardCharsets.UTF_8)).isEqualTo("{\"schema\":1,\"type\":\"eviction-batch\",\"invalidatorId\":\"inv-\u00e9\",\"partitions\":[[0,1"
                + "2],[3,40]],\"acknowledgedThrough\":[[0,5]],\"scopes\":[{\"tenant\":\"t1\",\"domain\":\"workflow"
                + "s\",\"tags\":[\"notifications:unread-count\"],\"fromSequence\":17,\"toSequence\":21,\"generatio"
                + "n\":1733390000000123,\"events\":3,\"eventIdsByWriter\":{\"api-1\":[\"6f1c2a9e-3b7d-4e0a-9c55-0d"
                + "8e2f4b1a77\",\"0b4e7c1d-8a2f-4f3e-b6d9-5c1a0e7f2d84\"],\"n\u00e9\\\"x\":[\"0b4e7c1d-8a2f-4f3e-b"
                + "6d9-5c1a0e7f2d84\"]},\"entityIds\":[\"42\",\"a b/\u00e9\\\"{x}\"]},{\"tenant\":\"t2\",\"domain\""
                + ":\"notifications\",\"fromSequence\":1,\"toSequence\":3,\"generation\":0,\"events\":3,\"redisPen"
                + "ding\":true}],\"oldestCommittedAt\":\"2026-12-06T00:35:12.460Z\",\"newestCommittedAt\":\"2026-1"
                + "2-06T00:35:12.498Z\",\"emittedAt\":\"2026-12-06T00:35:12.500Z\",\"redisPending\":true}");
        assertThat(new String(CODEC.encode(progress), StandardCharsets.UTF_8)).isEqualTo("{\"schema\":1,\"type\":\"progress\",\"invalidatorId\":\"i\",\"partitions\":[[0,7],[2,9]],\"ackn"
                + "owledgedThrough\":[[0,5]],\"emittedAt\":\"2026-12-06T00:35:12.500Z\",\"redisPending\":true}");
    }

    private static final UUID WRITTEN_BY_A = UUID.fromString("6f1c2a9e-3b7d-4e0a-9c55-0d8e2f4b1a77");
    private static final UUID WRITTEN_BY_B = UUID.fromString("0b4e7c1d-8a2f-4f3e-b6d9-5c1a0e7f2d84");

    private static final EvictionBatch BATCH = new EvictionBatch("invalidator-a",
            List.of(new PartitionProgress(0, 12), new PartitionProgress(3, 40)),
            List.of(new EvictionBatch.ScopeEviction("t1", "workflows", List.of(new Tag("notifications", "unread-count")),
                            17, 21, 1_733_390_000_000_123L, 2, Map.of("api-1", List.of(WRITTEN_BY_A),
                            "api-2", List.of(WRITTEN_BY_B)), false),
                    new EvictionBatch.ScopeEviction("t2", "notifications", List.of(), 1, 3, 0, 3, Map.of(), true)),
            Optional.of(new EvictionBatch.CommittedRange(AT.minusMillis(40), AT.minusMillis(2))), AT, true);

    /** ADR 0017: the entities of a scope travel only when there are some; without them a scope is the whole domain. */
    @Test
    void entityIdsRoundTripInBothFormatsAndAreAbsentForAWholeDomain() {
        List<String> ids = List.of("42", "a b/\u00e9\"{x}");
        EvictionBroadcast entities = new EvictionBroadcast("t1", "workflows", List.of(), 1, 2, 7,
                List.of(UUID.randomUUID()), "invalidator-a", AT, false, ids);
        EvictionBatch.ScopeEviction scope = new EvictionBatch.ScopeEviction("t1", "workflows", List.of(), 3, 3, 9, 1,
                Map.of("node-a", List.of(UUID.randomUUID())), false, ids);
        EvictionBatch batch = new EvictionBatch("invalidator-a", List.of(), List.of(scope),
                Optional.of(new EvictionBatch.CommittedRange(AT, AT)), AT, false);
        EvictionBroadcast whole = new EvictionBroadcast("t1", "workflows", List.of(), 1, 2, 7, List.of(), "i", AT);

        assertThat(CODEC.decodeEvictionsTopic(CODEC.encode(entities))).isEqualTo(entities);
        assertThat(((EvictionBroadcast) CODEC.decodeEvictionsTopic(CODEC.encode(entities))).entityScoped()).isTrue();
        assertThat(CODEC.decodeEvictionsTopic(CODEC.encode(batch))).isEqualTo(batch);
        assertThat(new String(CODEC.encode(whole), StandardCharsets.UTF_8)).doesNotContain("entityIds");
        assertThat(CODEC.decodeEviction(CODEC.encode(whole)).entityScoped()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"entityIds\":\"42\"", "\"entityIds\":[42]", "\"entityIds\":[\"\"]",
            "\"entityIds\":[\"a\\u0007\"]"})
    void entityIdsThatAreNotAListOfPrintableIdsAreRefused(String field) {
        String json = new String(CODEC.encode(new EvictionBroadcast("t1", "workflows", List.of(), 1, 1, 0, List.of(),
                "i", AT)), StandardCharsets.UTF_8).replace("\"schema\":1,", "\"schema\":1," + field + ",");

        assertThatThrownBy(() -> CODEC.decodeEvictionsTopic(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventDecodingException.class);
    }

    @Test
    void aBatchRoundTripsAndItsProgressIsTheHeartbeatItReplaces() {
        assertThat(CODEC.decodeEvictionsTopic(CODEC.encode(BATCH))).isEqualTo(BATCH);
        assertThat(CODEC.decodeEvictionBatch(CODEC.encode(BATCH))).isEqualTo(BATCH);
        assertThat(BATCH.asProgress()).isEqualTo(new InvalidationProgress("invalidator-a", BATCH.partitions(), AT, true));
        assertThat(BATCH.scopes().get(0).eventIdsWrittenBy("api-2")).containsExactly(WRITTEN_BY_B);
        assertThat(BATCH.scopes().get(1).eventIdsWrittenBy("api-2")).isEmpty();
    }

    /** A node reads only its own writes' ids: they clear its read-your-writes marks; others' are of no use to it. */
    @Test
    void aNodeReadsOnlyTheEventIdsItWroteOfABatch() {
        EvictionBatch read = (EvictionBatch) CODEC.decodeEvictionsTopic(CODEC.encode(BATCH), "api-2");

        assertThat(read.scopes()).hasSize(2);
        assertThat(read.scopes().get(0).eventIdsByWriter()).isEqualTo(Map.of("api-2", List.of(WRITTEN_BY_B)));
        assertThat(read.scopes().get(1).eventIdsByWriter()).isEmpty();
        assertThat(read).usingRecursiveComparison().ignoringFields("scopes").isEqualTo(BATCH);
        assertThat(read.scopes()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("eventIdsByWriter")
                .isEqualTo(BATCH.scopes());
        assertThat(((EvictionBatch) CODEC.decodeEvictionsTopic(CODEC.encode(BATCH), "api-3")).scopes())
                .allSatisfy(scope -> assertThat(scope.eventIdsByWriter()).isEmpty());
        assertThat(CODEC.decodeEvictionsTopic(CODEC.encode(PROGRESS), "api-2")).isEqualTo(PROGRESS);
    }

    /**
     * Another writer's ids must still be an array of at most {@link EvictionBroadcast#MAX_EVENT_IDS} strings under a
     * printable, unrepeated name; whether each is an id is left unread, by the node that does not read them.
     */
    @ParameterizedTest
    @ValueSource(strings = {"{\"api-1\":\"6f1c2a9e-3b7d-4e0a-9c55-0d8e2f4b1a77\"}", "{\"api-1\":[1]}",
            "{\"api-1\":null}", "{\"api-1\":[[]]}", "{\" \":[]}", "{\"api-1\":[],\"api-1\":[]}",
            "{\"api-1\":TOO_MANY}"})
    void anotherWritersIdsOfTheWrongShapeAreRefusedByEveryNode(String eventIdsByWriter) {
        byte[] payload = withEventIdsByWriter(eventIdsByWriter.replace("TOO_MANY",
                "[" + "\"x\",".repeat(EvictionBroadcast.MAX_EVENT_IDS) + "\"x\"]"));

        assertThatThrownBy(() -> CODEC.decodeEvictionsTopic(payload, "api-2"))
                .isInstanceOf(EventDecodingException.class);
        assertThatThrownBy(() -> CODEC.decodeEvictionsTopic(payload)).isInstanceOf(EventDecodingException.class);
    }

    @Test
    void anotherWritersIdsAreNotParsedByANodeThatDoesNotReadThem() {
        byte[] payload = withEventIdsByWriter("{\"api-1\":[\"1-1-1-1-1\"],\"api-2\":[\"" + WRITTEN_BY_B + "\"]}");

        assertThat(((EvictionBatch) CODEC.decodeEvictionsTopic(payload, "api-2")).scopes().get(0).eventIdsByWriter())
                .isEqualTo(Map.of("api-2", List.of(WRITTEN_BY_B)));
        assertThatThrownBy(() -> CODEC.decodeEvictionsTopic(payload, "api-1"))
                .isInstanceOfSatisfying(EventDecodingException.class,
                        e -> assertThat(e.field()).isEqualTo("eventIdsByWriter"));
    }

    /**
     * The scopes are read as the parser meets them, before the header may have been: their refusal is reported only
     * for a batch of a known schema, and a message of another type ignores them as it ignores any unknown member.
     */
    @Test
    void theScopesRefusalComesAfterTheHeadersAndOnlyForABatch() {
        String badScopes = "\"scopes\":[{\"tenant\":\"t*\"}]";
        String progress = new String(CODEC.encode(PROGRESS), StandardCharsets.UTF_8)
                .replace("\"schema\":1,", badScopes + ",\"schema\":1,");
        assertThat(CODEC.decodeEvictionsTopic(progress.getBytes(StandardCharsets.UTF_8), "api-2")).isEqualTo(PROGRESS);

        String batch = new String(CODEC.encode(BATCH), StandardCharsets.UTF_8)
                .replaceFirst("\"scopes\":\\[.*\\],\"oldest", badScopes + ",\"oldest");
        assertThatThrownBy(() -> CODEC.decodeEvictionsTopic(batch.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(EventDecodingException.class, e -> assertThat(e.field()).isEqualTo("tenant"));
        assertThatThrownBy(() -> CODEC.decodeEvictionsTopic(batch.replace("\"schema\":1", "\"schema\":2")
                .getBytes(StandardCharsets.UTF_8))).isInstanceOfSatisfying(EventDecodingException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_SCHEMA_VERSION));
        assertThatThrownBy(() -> CODEC.decodeEvictionsTopic(progress.replace("\"t*\"}", "\"t1\",\"tenant\":\"t2\"}")
                .getBytes(StandardCharsets.UTF_8))).isInstanceOfSatisfying(EventDecodingException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_JSON));
    }

    /** {@link #BATCH} with its first scope's {@code eventIdsByWriter} replaced. */
    private static byte[] withEventIdsByWriter(String eventIdsByWriter) {
        String json = new String(CODEC.encode(BATCH), StandardCharsets.UTF_8);
        int start = json.indexOf("\"eventIdsByWriter\":") + "\"eventIdsByWriter\":".length();
        int end = json.indexOf('}', start) + 1;
        return (json.substring(0, start) + eventIdsByWriter + json.substring(end)).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aBatchWithoutScopesIsAHeartbeatAndOneWithoutProgressIsAPartOfALargerBatch() {
        EvictionBatch heartbeat = new EvictionBatch("invalidator-a", BATCH.partitions(), List.of(), Optional.empty(),
                AT, false);
        EvictionBatch part = new EvictionBatch("invalidator-a", List.of(), BATCH.scopes(), BATCH.committedRange(),
                AT, false);
        assertThat(CODEC.decodeEvictionsTopic(CODEC.encode(heartbeat))).isEqualTo(heartbeat);
        assertThat(CODEC.decodeEvictionsTopic(CODEC.encode(part))).isEqualTo(part);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\"scopes\":[{\"domain\":\"workflows\",\"fromSequence\":1,\"toSequence\":1,\"generation\":0,\"events\":1}]",
            "\"scopes\":[{\"tenant\":\"t*\",\"domain\":\"workflows\",\"fromSequence\":1,\"toSequence\":1,\"generation\":0,\"events\":1}]",
            "\"scopes\":[{\"tenant\":\"t1\",\"domain\":\"workflows\",\"fromSequence\":2,\"toSequence\":1,\"generation\":0,\"events\":1}]",
            "\"scopes\":[{\"tenant\":\"t1\",\"domain\":\"workflows\",\"fromSequence\":1,\"toSequence\":1,\"generation\":0,\"events\":0}]",
            "\"scopes\":[{\"tenant\":\"t1\",\"domain\":\"workflows\",\"fromSequence\":1,\"toSequence\":1,\"generation\":0,\"events\":1,\"eventIdsByWriter\":{\"a\":[\"1-1-1-1-1\"]}}]",
            "\"scopes\":[{\"tenant\":\"t1\",\"domain\":\"workflows\",\"fromSequence\":1,\"toSequence\":1,\"generation\":0,\"events\":1,\"eventIdsByWriter\":{\"a\":[\"6f1c2a9e-3b7d-4e0a-9c55-0d8e2f4b1a77\",\"0b4e7c1d-8a2f-4f3e-b6d9-5c1a0e7f2d84\"]}}]",
            "\"scopes\":[{\"tenant\":\"t1\",\"domain\":\"workflows\",\"fromSequence\":1,\"toSequence\":1,\"generation\":0,\"events\":1,\"eventIdsByWriter\":[\"6f1c2a9e-3b7d-4e0a-9c55-0d8e2f4b1a77\"]}]",
            "\"scopes\":[{\"tenant\":\"t1\",\"domain\":\"workflows\",\"fromSequence\":1,\"toSequence\":1,\"generation\":0,\"events\":1}]",
            "\"scopes\":{}",
            "\"scopes\":[],\"oldestCommittedAt\":\"2026-12-05T09:00:00Z\",\"newestCommittedAt\":\"2026-12-05T09:00:00Z\""})
    void malformedBatchesAreRefusedWithATypedError(String fields) {
        String json = "{\"schema\":1,\"type\":\"eviction-batch\",\"invalidatorId\":\"i\",\"partitions\":[[0,1]],"
                + fields + ",\"emittedAt\":\"" + AT + "\"}";
        assertThatThrownBy(() -> CODEC.decodeEvictionsTopic(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventDecodingException.class);
    }

    @Test
    void aPerGroupBroadcastAboveItsOwnLimitIsRefusedThoughABatchMayBeLarger() {
        byte[] eviction = padded(CODEC.encode(new EvictionBroadcast("t1", "workflows", List.of(), 1, 1, 0, List.of(),
                "i", AT)), EventCodec.MAX_EVICTION_BYTES);
        assertThatThrownBy(() -> CODEC.decodeEvictionsTopic(eviction))
                .isInstanceOfSatisfying(EventDecodingException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.OVERSIZED));
        assertThat(CODEC.decodeEvictionsTopic(padded(CODEC.encode(BATCH), EventCodec.MAX_EVICTION_BYTES)))
                .isEqualTo(BATCH);
    }

    /** The payload with an unknown field of {@code length} characters added (readers ignore unknown fields). */
    private static byte[] padded(byte[] payload, int length) {
        String json = new String(payload, StandardCharsets.UTF_8);
        return (json.substring(0, json.length() - 1) + ",\"padding\":\"" + "x".repeat(length) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
