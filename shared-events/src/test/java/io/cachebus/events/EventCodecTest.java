package io.cachebus.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachebus.events.EventDecodingException.Reason;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class EventCodecTest {

    private static final EventCodec CODEC = new EventCodec();

    /** A plain mapper of the test's own, to take valid payloads apart and build broken ones. */
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Instant COMMITTED_AT = Instant.parse("2025-03-01T10:15:30.123456789Z");

    private static final DomainMutated FULL_EVENT = new DomainMutated(
            UUID.fromString("6f1c2a9e-3b7d-4e0a-9c55-0d8e2f4b1a77"), "t1", "workflows", Operation.PATCH,
            Optional.of("wf-42"), List.of(new Tag("workflows", "steps"), new Tag("notifications", "unread-count")),
            COMMITTED_AT, "api-node-1", 17);

    private static final DomainMutated MINIMAL_EVENT = new DomainMutated(
            UUID.fromString("0b4e7c1d-8a2f-4f3e-b6d9-5c1a0e7f2d84"), "tenant_B-2", "notifications",
            Operation.BULK_PATCH, Optional.empty(), List.of(), COMMITTED_AT, "api-node-2", 1);

    private static final EvictionBroadcast FULL_EVICTION = new EvictionBroadcast(
            "t1", "workflows", List.of(new Tag("notifications", "unread-count")), 17, 21, 9,
            List.of(FULL_EVENT.eventId(), MINIMAL_EVENT.eventId()), "invalidator-a", COMMITTED_AT.plusMillis(5));

    private static final EvictionBroadcast MINIMAL_EVICTION = new EvictionBroadcast(
            "t1", "workflows", List.of(), 3, 3, 0, List.of(), "invalidator-b", COMMITTED_AT);

    enum Kind { DOMAIN_MUTATED, EVICTION }

    /** One of the two messages, so that rules common to both are tested on both. */
    record Message(String name, Kind kind) {

        ObjectNode valid() {
            byte[] payload = kind == Kind.DOMAIN_MUTATED ? CODEC.encode(FULL_EVENT) : CODEC.encode(FULL_EVICTION);
            return (ObjectNode) JSON.readTree(payload);
        }

        Object decode(byte[] payload) {
            return kind == Kind.DOMAIN_MUTATED ? CODEC.decodeDomainMutated(payload) : CODEC.decodeEviction(payload);
        }

        int maxBytes() {
            return kind == Kind.DOMAIN_MUTATED ? EventCodec.MAX_DOMAIN_MUTATED_BYTES : EventCodec.MAX_EVICTION_BYTES;
        }

        String otherType() {
            return kind == Kind.DOMAIN_MUTATED ? EventCodec.TYPE_EVICTION : EventCodec.TYPE_DOMAIN_MUTATED;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final Message DOMAIN_MUTATED = new Message("DomainMutated", Kind.DOMAIN_MUTATED);
    static final Message EVICTION = new Message("EvictionBroadcast", Kind.EVICTION);

    static Stream<Message> messages() {
        return Stream.of(DOMAIN_MUTATED, EVICTION);
    }

    /** Every message combined with every one of {@code values}. */
    static Stream<Arguments> eachMessageWith(Object... values) {
        return messages().flatMap(message -> Stream.of(values).map(value -> Arguments.of(message, value)));
    }

    private static byte[] bytes(JsonNode json) {
        return JSON.writeValueAsBytes(json);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Every message is written with a streaming generator; the text is what the tree-built encoding of earlier
     * releases wrote, byte for byte (member order, escapes, empty tags written, entity ids only when there are some).
     */
    @Test
    void aMutationEventAndAPerGroupBroadcastAreWrittenAsEarlierReleasesWroteThem() {
        Instant at = Instant.parse("2026-12-06T00:35:12.5Z");
        UUID first = UUID.fromString("6f1c2a9e-3b7d-4e0a-9c55-0d8e2f4b1a77");
        UUID second = UUID.fromString("0b4e7c1d-8a2f-4f3e-b6d9-5c1a0e7f2d84");
        DomainMutated event = new DomainMutated(first, "t1", "workflows", Operation.PATCH,
                Optional.of("a b/\u00e9\"{x}"),
                List.of(new Tag("notifications", "unread-count"), new Tag("steps", "w1")), at, "api-\u00e9", 42);
        EvictionBroadcast broadcast = new EvictionBroadcast("t1", "workflows", List.of(new Tag("steps", "w1")), 3, 7,
                1_733_390_000_000_123L, List.of(first, second), "inv-\u00e9", at, true, List.of("42", "q\"r"));
        EvictionBroadcast whole = new EvictionBroadcast("t1", "workflows", List.of(), 1, 1, 0, List.of(), "i", at);

        assertThat(new String(CODEC.encode(event), StandardCharsets.UTF_8)).isEqualTo(
                "{\"schema\":1,\"type\":\"domain-mutated\",\"eventId\":\"6f1c2a9e-3b7d-4e0a-9c55-0d8e2f4b1a77"
                + "\",\"tenant\":\"t1\",\"domain\":\"workflows\",\"operation\":\"PATCH\",\"entityId\":\"a b/"
                + "\u00e9\\\"{x}\",\"tags\":[\"notifications:unread-count\",\"steps:w1\"],\"committedAt\":\"202"
                + "6-12-06T00:35:12.500Z\",\"sourceNode\":\"api-\u00e9\",\"sequence\":42}");
        assertThat(new String(CODEC.encode(broadcast), StandardCharsets.UTF_8)).isEqualTo(
                "{\"schema\":1,\"type\":\"eviction\",\"tenant\":\"t1\",\"domain\":\"workflows\",\"tags\":[\"s"
                + "teps:w1\"],\"fromSequence\":3,\"toSequence\":7,\"generation\":1733390000000123,\"eventIds\":"
                + "[\"6f1c2a9e-3b7d-4e0a-9c55-0d8e2f4b1a77\",\"0b4e7c1d-8a2f-4f3e-b6d9-5c1a0e7f2d84\"],\"invali"
                + "datorId\":\"inv-\u00e9\",\"emittedAt\":\"2026-12-06T00:35:12.500Z\",\"redisPending\":true,\""
                + "entityIds\":[\"42\",\"q\\\"r\"]}");
        assertThat(new String(CODEC.encode(whole), StandardCharsets.UTF_8)).isEqualTo(
                "{\"schema\":1,\"type\":\"eviction\",\"tenant\":\"t1\",\"domain\":\"workflows\",\"tags\":[],"
                + "\"fromSequence\":1,\"toSequence\":1,\"generation\":0,\"eventIds\":[],\"invalidatorId\":\"i\""
                + ",\"emittedAt\":\"2026-12-06T00:35:12.500Z\"}");
    }

    /** A valid payload whose {@code field} is written as {@code rawJson}, for values a generator will not write. */
    private static byte[] withRawValue(Message message, String field, String rawJson) {
        ObjectNode json = message.valid();
        json.put(field, "__raw__");
        return utf8(new String(bytes(json), StandardCharsets.UTF_8).replace("\"__raw__\"", rawJson));
    }

    private static void assertRejected(Message message, byte[] payload, Reason reason, String field) {
        assertThatThrownBy(() -> message.decode(payload))
                .isInstanceOfSatisfying(EventDecodingException.class, e -> {
                    assertThat(e.reason()).as("reason").isEqualTo(reason);
                    assertThat(e.field()).as("field").isEqualTo(field);
                    if (field != null) {
                        assertThat(e.getMessage()).as("message names the field").contains("'" + field + "'");
                    }
                });
    }

    private static void assertRejected(Message message, Consumer<ObjectNode> breakIt, Reason reason, String field) {
        ObjectNode json = message.valid();
        breakIt.accept(json);
        assertRejected(message, bytes(json), reason, field);
    }

    @Nested
    class RoundTrip {

        @Test
        void domainMutatedWithEntityIdAndTags() {
            assertThat(CODEC.decodeDomainMutated(CODEC.encode(FULL_EVENT))).isEqualTo(FULL_EVENT);
        }

        @Test
        void domainMutatedWithoutEntityIdAndTags() {
            byte[] payload = CODEC.encode(MINIMAL_EVENT);

            assertThat(JSON.readTree(payload).has("entityId")).as("an absent entity id is left out").isFalse();
            assertThat(CODEC.decodeDomainMutated(payload)).isEqualTo(MINIMAL_EVENT);
        }

        @Test
        void absentOrNullOptionalFieldsDecodeAsEmpty() {
            ObjectNode json = DOMAIN_MUTATED.valid();
            json.remove("tags");
            json.putNull("entityId");

            DomainMutated decoded = CODEC.decodeDomainMutated(bytes(json));

            assertThat(decoded.entityId()).isEmpty();
            assertThat(decoded.tags()).isEmpty();
        }

        @Test
        void evictionWithTagsAndEventIds() {
            assertThat(CODEC.decodeEviction(CODEC.encode(FULL_EVICTION))).isEqualTo(FULL_EVICTION);
        }

        @Test
        void evictionWithoutTagsAndEventIds() {
            assertThat(CODEC.decodeEviction(CODEC.encode(MINIMAL_EVICTION))).isEqualTo(MINIMAL_EVICTION);
        }

        @Test
        void everyOperationSurvives() {
            for (Operation operation : Operation.values()) {
                DomainMutated event = new DomainMutated(FULL_EVENT.eventId(), "t1", "workflows", operation,
                        Optional.empty(), List.of(), COMMITTED_AT, "n", 1);
                assertThat(CODEC.decodeDomainMutated(CODEC.encode(event))).isEqualTo(event);
            }
        }

        @Test
        void theLargestValidMessagesFitTheirSizeLimits() {
            String widest = "\u20ac".repeat(DomainMutated.MAX_ENTITY_ID_LENGTH); // three UTF-8 bytes per char
            List<Tag> mostTags = IntStream.range(0, DomainMutated.MAX_TAGS)
                    .mapToObj(i -> new Tag(longName('d', i), longName('n', i))).toList();
            DomainMutated largestEvent = new DomainMutated(FULL_EVENT.eventId(), longName('t', 0), longName('d', 0),
                    Operation.BULK_PATCH, Optional.of(widest), mostTags, COMMITTED_AT, widest, Long.MAX_VALUE);
            List<UUID> mostIds = IntStream.range(0, EvictionBroadcast.MAX_EVENT_IDS)
                    .mapToObj(i -> UUID.randomUUID()).toList();
            EvictionBroadcast largestEviction = new EvictionBroadcast(longName('t', 0), longName('d', 0), mostTags,
                    1, Long.MAX_VALUE, Long.MAX_VALUE, mostIds, widest, COMMITTED_AT);

            assertThat(CODEC.encode(largestEvent)).hasSizeLessThanOrEqualTo(EventCodec.MAX_DOMAIN_MUTATED_BYTES);
            assertThat(CODEC.decodeDomainMutated(CODEC.encode(largestEvent))).isEqualTo(largestEvent);
            assertThat(CODEC.encode(largestEviction)).hasSizeLessThanOrEqualTo(EventCodec.MAX_EVICTION_BYTES);
            assertThat(CODEC.decodeEviction(CODEC.encode(largestEviction))).isEqualTo(largestEviction);
        }

        private static String longName(char first, int index) {
            String start = first + String.valueOf(index);
            return start + "x".repeat(Names.MAX_LENGTH - start.length());
        }
    }

    @Nested
    class WireFormat {

        @Test
        void domainMutatedCarriesSchemaOneTypeAndItsFields() {
            JsonNode json = JSON.readTree(CODEC.encode(FULL_EVENT));

            assertThat(json.get("schema").isIntegralNumber()).isTrue();
            assertThat(json.get("schema").asInt()).isEqualTo(1);
            assertThat(json.get("type").stringValue()).isEqualTo("domain-mutated");
            assertThat(fieldNames(json)).containsExactlyInAnyOrder("schema", "type", "eventId", "tenant", "domain",
                    "operation", "entityId", "tags", "committedAt", "sourceNode", "sequence");
            assertThat(json.get("tags").get(0).stringValue()).isEqualTo("workflows:steps");
            assertThat(json.get("committedAt").stringValue()).isEqualTo("2025-03-01T10:15:30.123456789Z");
            assertThat(json.get("sequence").asLong()).isEqualTo(17);
        }

        @Test
        void evictionCarriesSchemaOneTypeAndItsFields() {
            JsonNode json = JSON.readTree(CODEC.encode(FULL_EVICTION));

            assertThat(json.get("schema").isIntegralNumber()).isTrue();
            assertThat(json.get("schema").asInt()).isEqualTo(1);
            assertThat(json.get("type").stringValue()).isEqualTo("eviction");
            assertThat(fieldNames(json)).containsExactlyInAnyOrder("schema", "type", "tenant", "domain", "tags",
                    "fromSequence", "toSequence", "generation", "eventIds", "invalidatorId", "emittedAt");
            assertThat(json.get("eventIds").get(0).stringValue()).isEqualTo(FULL_EVENT.eventId().toString());
        }

        private static Set<String> fieldNames(JsonNode json) {
            return new HashSet<>(json.propertyNames());
        }
    }

    @Nested
    class PayloadAsAWhole {

        @ParameterizedTest
        @MethodSource("io.cachebus.events.EventCodecTest#messages")
        void emptyPayloadIsMalformed(Message message) {
            assertRejected(message, new byte[0], Reason.MALFORMED_JSON, null);
            assertRejected(message, (byte[]) null, Reason.MALFORMED_JSON, null);
            assertRejected(message, utf8("  \n "), Reason.MALFORMED_JSON, null);
        }

        @ParameterizedTest
        @MethodSource("io.cachebus.events.EventCodecTest#messages")
        void nonJsonBytesAreMalformed(Message message) {
            assertRejected(message, utf8("tenant=t1&domain=workflows"), Reason.MALFORMED_JSON, null);
            assertRejected(message, new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x7b}, Reason.MALFORMED_JSON, null);
            assertRejected(message, utf8("{\"schema\":1,\"type\":"), Reason.MALFORMED_JSON, null);
        }

        @ParameterizedTest
        @MethodSource("io.cachebus.events.EventCodecTest#messages")
        void jsonThatIsNotAnObjectIsMalformed(Message message) {
            ArrayNode array = JSON.createArrayNode().add(message.valid());
            assertRejected(message, bytes(array), Reason.MALFORMED_JSON, null);
            assertRejected(message, utf8("42"), Reason.MALFORMED_JSON, null);
            assertRejected(message, utf8("\"domain-mutated\""), Reason.MALFORMED_JSON, null);
            assertRejected(message, utf8("null"), Reason.MALFORMED_JSON, null);
        }

        @ParameterizedTest
        @MethodSource("io.cachebus.events.EventCodecTest#messages")
        void contentAfterTheObjectIsMalformed(Message message) {
            byte[] valid = bytes(message.valid());
            byte[] twoObjects = (new String(valid, StandardCharsets.UTF_8) + "{\"schema\":2}")
                    .getBytes(StandardCharsets.UTF_8);

            assertRejected(message, twoObjects, Reason.MALFORMED_JSON, null);
        }

        @ParameterizedTest
        @MethodSource("io.cachebus.events.EventCodecTest#messages")
        void aDuplicatedFieldIsMalformed(Message message) {
            // Readers disagree on which of two values wins; one tenant must never be read as another.
            String valid = new String(bytes(message.valid()), StandardCharsets.UTF_8);
            byte[] duplicated = valid.replaceFirst("\\{", "{\"tenant\":\"t2\",").getBytes(StandardCharsets.UTF_8);

            assertRejected(message, duplicated, Reason.MALFORMED_JSON, null);
        }

        @ParameterizedTest
        @MethodSource("io.cachebus.events.EventCodecTest#messages")
        void aPayloadUpToTheLimitIsReadAndOneByteMoreIsOversized(Message message) {
            ObjectNode json = message.valid();
            json.put("padding", "");
            int room = message.maxBytes() - bytes(json).length;
            json.put("padding", "x".repeat(room));
            assertThat(bytes(json)).hasSize(message.maxBytes());
            assertThat(message.decode(bytes(json))).isNotNull();

            json.put("padding", "x".repeat(room + 1));
            assertRejected(message, bytes(json), Reason.OVERSIZED, null);
        }

        @ParameterizedTest
        @MethodSource("io.cachebus.events.EventCodecTest#messages")
        void deeplyNestedJsonIsMalformed(Message message) {
            int depth = 5_000; // well inside the size limit, far beyond any real message
            String nested = "[".repeat(depth) + "]".repeat(depth);
            String valid = new String(bytes(message.valid()), StandardCharsets.UTF_8);
            byte[] payload = valid.replaceFirst("\\{", "{\"deep\":" + nested + ",").getBytes(StandardCharsets.UTF_8);
            assertThat(payload.length).isLessThan(message.maxBytes());

            assertRejected(message, payload, Reason.MALFORMED_JSON, null);
        }
    }

    @Nested
    class SchemaAndType {

        @ParameterizedTest(name = "{0} schema {1}")
        @MethodSource("unsupportedVersions")
        void unknownVersionsAreUnsupported(Message message, Object version) {
            assertRejected(message, json -> json.put("schema", new BigInteger(version.toString())),
                    Reason.UNSUPPORTED_SCHEMA_VERSION, "schema");
        }

        static Stream<Arguments> unsupportedVersions() {
            // 2^64 + 1 would read as 1 if the number were cut to a long
            return eachMessageWith(2, 0, -1, Integer.MAX_VALUE, Long.MIN_VALUE, "18446744073709551617");
        }

        @ParameterizedTest
        @MethodSource("io.cachebus.events.EventCodecTest#messages")
        void aSchemaThatIsNotAnIntegerIsWrongType(Message message) {
            assertRejected(message, json -> json.put("schema", "1"), Reason.WRONG_TYPE, "schema");
            assertRejected(message, json -> json.put("schema", 1.0), Reason.WRONG_TYPE, "schema");
            assertRejected(message, json -> json.put("schema", true), Reason.WRONG_TYPE, "schema");
        }

        @ParameterizedTest
        @MethodSource("io.cachebus.events.EventCodecTest#messages")
        void aMissingSchemaIsMissing(Message message) {
            assertRejected(message, json -> json.remove("schema"), Reason.MISSING_FIELD, "schema");
            assertRejected(message, json -> json.putNull("schema"), Reason.MISSING_FIELD, "schema");
        }

        @ParameterizedTest
        @MethodSource("io.cachebus.events.EventCodecTest#messages")
        void theOtherMessagesTypeIsUnknown(Message message) {
            assertRejected(message, json -> json.put("type", message.otherType()), Reason.UNKNOWN_TYPE, "type");
            assertRejected(message, json -> json.put("type", "DomainMutated"), Reason.UNKNOWN_TYPE, "type");
        }

        @ParameterizedTest
        @MethodSource("io.cachebus.events.EventCodecTest#messages")
        void aTypeThatIsNotAStringIsWrongTypeAndAMissingOneMissing(Message message) {
            assertRejected(message, json -> json.put("type", 1), Reason.WRONG_TYPE, "type");
            assertRejected(message, json -> json.remove("type"), Reason.MISSING_FIELD, "type");
        }

        @Test
        void aMessageOfTheOtherTypeIsRefusedBeforeItsFieldsAreRead() {
            assertRejected(DOMAIN_MUTATED, CODEC.encode(FULL_EVICTION), Reason.UNKNOWN_TYPE, "type");
            assertRejected(EVICTION, CODEC.encode(FULL_EVENT), Reason.UNKNOWN_TYPE, "type");
        }
    }

    @Nested
    class Fields {

        @ParameterizedTest(name = "DomainMutated without {0}")
        @ValueSource(strings = {"eventId", "tenant", "domain", "operation", "committedAt", "sourceNode", "sequence"})
        void everyRequiredFieldOfDomainMutatedIsRequired(String field) {
            assertRejected(DOMAIN_MUTATED, json -> json.remove(field), Reason.MISSING_FIELD, field);
            assertRejected(DOMAIN_MUTATED, json -> json.putNull(field), Reason.MISSING_FIELD, field);
        }

        @ParameterizedTest(name = "EvictionBroadcast without {0}")
        @ValueSource(strings = {"tenant", "domain", "fromSequence", "toSequence", "generation", "eventIds",
                "invalidatorId", "emittedAt"})
        void everyRequiredFieldOfEvictionIsRequired(String field) {
            assertRejected(EVICTION, json -> json.remove(field), Reason.MISSING_FIELD, field);
            assertRejected(EVICTION, json -> json.putNull(field), Reason.MISSING_FIELD, field);
        }

        @Test
        void numbersMustBeIntegersThatFitALong() {
            assertRejected(DOMAIN_MUTATED, json -> json.put("sequence", "17"), Reason.WRONG_TYPE, "sequence");
            assertRejected(DOMAIN_MUTATED, json -> json.put("sequence", 17.5), Reason.WRONG_TYPE, "sequence");
            assertRejected(DOMAIN_MUTATED, json -> json.put("sequence", new BigInteger("18446744073709551617")),
                    Reason.WRONG_TYPE, "sequence");
            assertRejected(EVICTION, json -> json.put("fromSequence", "1"), Reason.WRONG_TYPE, "fromSequence");
            assertRejected(EVICTION, json -> json.put("generation", false), Reason.WRONG_TYPE, "generation");
        }

        @Test
        void textMustBeStrings() {
            assertRejected(DOMAIN_MUTATED, json -> json.put("tenant", 42), Reason.WRONG_TYPE, "tenant");
            assertRejected(DOMAIN_MUTATED, json -> json.put("entityId", 42), Reason.WRONG_TYPE, "entityId");
            assertRejected(DOMAIN_MUTATED, json -> json.putArray("sourceNode").add("n"), Reason.WRONG_TYPE, "sourceNode");
            assertRejected(EVICTION, json -> json.putObject("invalidatorId"), Reason.WRONG_TYPE, "invalidatorId");
        }

        @ParameterizedTest
        @MethodSource("io.cachebus.events.EventCodecTest#messages")
        void tagsMustBeAnArrayOfStrings(Message message) {
            assertRejected(message, json -> json.put("tags", "workflows:steps"), Reason.WRONG_TYPE, "tags");
            assertRejected(message, json -> json.putArray("tags").add("workflows:steps").add(7), Reason.WRONG_TYPE, "tags");
            assertRejected(message, json -> json.putObject("tags").put("workflows", "steps"), Reason.WRONG_TYPE, "tags");
        }

        @Test
        void eventIdsMustBeAnArrayOfStrings() {
            assertRejected(EVICTION, json -> json.putArray("eventIds").add(FULL_EVENT.eventId().toString()).add(7),
                    Reason.WRONG_TYPE, "eventIds");
            assertRejected(EVICTION, json -> json.put("eventIds", FULL_EVENT.eventId().toString()),
                    Reason.WRONG_TYPE, "eventIds");
        }

        @ParameterizedTest
        @MethodSource("io.cachebus.events.EventCodecTest#messages")
        void unknownExtraFieldsAreIgnored(Message message) {
            ObjectNode json = message.valid();
            json.put("priority", "high");
            json.putObject("trace").put("spanId", "abc").putObject("baggage").put("k", 1);
            json.putArray("futureList").add(1).add("two");

            Object expected = message.kind() == Kind.DOMAIN_MUTATED ? FULL_EVENT : FULL_EVICTION;
            assertThat(message.decode(bytes(json))).isEqualTo(expected);
        }
    }

    @Nested
    class Values {

        @ParameterizedTest(name = "{0} tenant ''{1}''")
        @MethodSource("invalidNames")
        void invalidTenantsAreRefused(Message message, String tenant) {
            assertRejected(message, json -> json.put("tenant", tenant), Reason.INVALID_VALUE, "tenant");
        }

        @ParameterizedTest(name = "{0} domain ''{1}''")
        @MethodSource("invalidNames")
        void invalidDomainsAreRefused(Message message, String domain) {
            assertRejected(message, json -> json.put("domain", domain), Reason.INVALID_VALUE, "domain");
        }

        static Stream<Arguments> invalidNames() {
            return eachMessageWith(InvalidNames.ALL.toArray());
        }

        @ParameterizedTest(name = "{0} tag ''{1}''")
        @MethodSource("invalidTags")
        void invalidTagsAreRefused(Message message, String tag) {
            assertRejected(message, json -> json.putArray("tags").add("workflows:steps").add(tag),
                    Reason.INVALID_VALUE, "tags");
        }

        static Stream<Arguments> invalidTags() {
            return eachMessageWith("workflows", "a:b:c", ":x", "x:", ":", "", "a*:b", "a:b?", "a :b", "t\u0435:b");
        }

        @ParameterizedTest
        @MethodSource("io.cachebus.events.EventCodecTest#messages")
        void moreThanTheMostTagsAreRefused(Message message) {
            assertRejected(message, json -> {
                ArrayNode tags = json.putArray("tags");
                for (int i = 0; i <= DomainMutated.MAX_TAGS; i++) {
                    tags.add("workflows:t" + i);
                }
            }, Reason.INVALID_VALUE, "tags");
        }

        @ParameterizedTest
        @ValueSource(strings = {"not-a-uuid", "", "6f1c2a9e3b7d4e0a9c550d8e2f4b1a77", "6f1c2a9e-3b7d-4e0a-9c55-0d8e2f4b1a7g",
                "{6f1c2a9e-3b7d-4e0a-9c55-0d8e2f4b1a77}", "1-1-1-1-1", "6f1c2a9e-3b7d-4e0a-9c55-0d8e2f4b1a77 "})
        void invalidUuidsAreRefused(String uuid) {
            assertRejected(DOMAIN_MUTATED, json -> json.put("eventId", uuid), Reason.INVALID_VALUE, "eventId");
            assertRejected(EVICTION, json -> json.putArray("eventIds").add(uuid), Reason.INVALID_VALUE, "eventIds");
        }

        @Test
        void upperCaseUuidsAreRead() {
            String upper = FULL_EVENT.eventId().toString().toUpperCase();
            ObjectNode json = DOMAIN_MUTATED.valid();
            json.put("eventId", upper);

            assertThat(CODEC.decodeDomainMutated(bytes(json)).eventId()).isEqualTo(FULL_EVENT.eventId());
        }

        @ParameterizedTest
        @ValueSource(strings = {"yesterday", "", "2025-03-01", "2025-13-01T10:15:30Z", "2025-03-01T10:15:30",
                "1740824130", "2025-03-01 10:15:30Z"})
        void invalidInstantsAreRefused(String instant) {
            assertRejected(DOMAIN_MUTATED, json -> json.put("committedAt", instant), Reason.INVALID_VALUE, "committedAt");
            assertRejected(EVICTION, json -> json.put("emittedAt", instant), Reason.INVALID_VALUE, "emittedAt");
        }

        @ParameterizedTest
        @ValueSource(strings = {"MERGE", "patch", "", "PATCH ", "Delete"})
        void unknownOperationsAreRefused(String operation) {
            assertRejected(DOMAIN_MUTATED, json -> json.put("operation", operation), Reason.INVALID_VALUE, "operation");
        }

        @Test
        void sequencesStartAtOne() {
            assertRejected(DOMAIN_MUTATED, json -> json.put("sequence", 0), Reason.INVALID_VALUE, "sequence");
            assertRejected(DOMAIN_MUTATED, json -> json.put("sequence", -5), Reason.INVALID_VALUE, "sequence");
            assertRejected(EVICTION, json -> json.put("fromSequence", 0), Reason.INVALID_VALUE, "fromSequence");
            assertRejected(EVICTION, json -> json.put("generation", -1), Reason.INVALID_VALUE, "generation");
        }

        @Test
        void aBroadcastMayNotEndBeforeItStarts() {
            assertRejected(EVICTION, json -> {
                json.put("fromSequence", 10);
                json.put("toSequence", 9);
            }, Reason.INVALID_VALUE, "toSequence");
        }

        @Test
        void moreThanTheMostEventIdsAreRefusedAndTheMostAreRead() {
            List<UUID> most = new ArrayList<>();
            for (int i = 0; i < EvictionBroadcast.MAX_EVENT_IDS; i++) {
                most.add(UUID.randomUUID());
            }
            ObjectNode json = EVICTION.valid();
            ArrayNode ids = json.putArray("eventIds");
            most.forEach(id -> ids.add(id.toString()));
            assertThat(CODEC.decodeEviction(bytes(json)).eventIds()).isEqualTo(most);

            ids.add(UUID.randomUUID().toString());
            assertRejected(EVICTION, bytes(json), Reason.INVALID_VALUE, "eventIds");
        }

        @Test
        void freeTextMustBePrintableAndBounded() {
            assertRejected(DOMAIN_MUTATED, json -> json.put("entityId", ""), Reason.INVALID_VALUE, "entityId");
            assertRejected(DOMAIN_MUTATED, json -> json.put("entityId", "wf\n42"), Reason.INVALID_VALUE, "entityId");
            assertRejected(DOMAIN_MUTATED, json -> json.put("entityId", "x".repeat(DomainMutated.MAX_ENTITY_ID_LENGTH + 1)),
                    Reason.INVALID_VALUE, "entityId");
            assertRejected(DOMAIN_MUTATED, withRawValue(DOMAIN_MUTATED, "entityId", "\"wf\\ud800\""),
                    Reason.INVALID_VALUE, "entityId");
            assertRejected(DOMAIN_MUTATED, json -> json.put("sourceNode", "  "), Reason.INVALID_VALUE, "sourceNode");
            assertRejected(EVICTION, json -> json.put("invalidatorId", "a\u0000b"), Reason.INVALID_VALUE, "invalidatorId");
        }
    }
}
