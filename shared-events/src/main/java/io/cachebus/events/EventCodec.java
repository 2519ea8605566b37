package io.cachebus.events;

import io.cachebus.events.EventDecodingException.Reason;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import io.cachebus.events.EvictionBatch.CommittedRange;
import io.cachebus.events.EvictionBatch.ScopeEviction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.POJONode;

/**
 * The wire format of the messages ({@link DomainMutated}; on the evictions topic {@link EvictionBroadcast},
 * {@link InvalidationProgress} and {@link EvictionBatch}): UTF-8 JSON with an explicit {@code schema} version and
 * {@code type}.
 *
 * <p>Decoding is strict where it matters and lenient where it helps evolution: unknown versions, unknown
 * types, missing or mistyped fields, invalid names and oversized payloads are refused with an
 * {@link EventDecodingException} that names the field; unknown extra fields are ignored so a newer writer
 * can add optional fields without breaking older readers.
 */
public final class EventCodec {

    public static final int SCHEMA_VERSION = 1;
    public static final String TYPE_DOMAIN_MUTATED = "domain-mutated";
    public static final String TYPE_EVICTION = "eviction";
    public static final String TYPE_PROGRESS = "progress";
    public static final String TYPE_EVICTION_BATCH = "eviction-batch";

    /** A DomainMutated is a few hundred bytes; 16 KiB leaves room for tags and long ids, and no more. */
    public static final int MAX_DOMAIN_MUTATED_BYTES = 16 * 1024;
    /** A broadcast carries up to {@link EvictionBroadcast#MAX_EVENT_IDS} ids of 38 bytes each. */
    public static final int MAX_EVICTION_BYTES = 64 * 1024;
    /**
     * A batch record carries up to {@link EvictionBatch#MAX_SCOPES} scopes and their event ids; the invalidator splits
     * a batch into records well below this (ADR 0014), and Kafka's default record limit (1 MiB) is above it.
     */
    public static final int MAX_EVICTION_BATCH_BYTES = 512 * 1024;

    private static final int MAX_NESTING_DEPTH = 8;
    private static final String OPERATIONS = "one of " + List.of(Operation.values());

    /** Where the dashes of the canonical 8-4-4-4-12 form are. */
    private static final int[] UUID_DASHES = {8, 13, 18, 23};
    private static final int UUID_LENGTH = 36;

    private final JsonMapper mapper = newMapper();
    private final ScopesReader everyWritersScopes = scopesReader(null);

    /**
     * Duplicate fields are refused: readers disagree on which value wins, and a payload must never be read as one
     * tenant by this reader and as another by some other tool. {@link TopLevelMembers} refuses them in the message's
     * object, the tree reader in the objects nested in it (a parser's own detection costs a hash set per object).
     */
    static JsonMapper newMapper() {
        return JsonMapper.builder(JsonFactory.builder()
                        .enable(TokenStreamFactory.Feature.INTERN_PROPERTY_NAMES)
                        .streamReadConstraints(StreamReadConstraints.builder()
                                .maxNestingDepth(MAX_NESTING_DEPTH)
                                .maxStringLength(MAX_EVICTION_BYTES)
                                .build())
                        .build())
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .build();
    }

    public byte[] encode(DomainMutated event) {
        return written(TYPE_DOMAIN_MUTATED, 384, json -> {
            json.writeStringProperty("eventId", event.eventId().toString());
            json.writeStringProperty("tenant", event.tenant());
            json.writeStringProperty("domain", event.domain());
            json.writeStringProperty("operation", event.operation().name());
            if (event.entityId().isPresent()) {
                json.writeStringProperty("entityId", event.entityId().get());
            }
            writeStrings(json, "tags", event.tags());
            json.writeStringProperty("committedAt", event.committedAt().toString());
            json.writeStringProperty("sourceNode", event.sourceNode());
            json.writeNumberProperty("sequence", event.sequence());
        });
    }

    public byte[] encode(EvictionBroadcast broadcast) {
        return written(TYPE_EVICTION, 384 + 40 * broadcast.eventIds().size(), json -> {
            json.writeStringProperty("tenant", broadcast.tenant());
            json.writeStringProperty("domain", broadcast.domain());
            writeStrings(json, "tags", broadcast.tags());
            json.writeNumberProperty("fromSequence", broadcast.fromSequence());
            json.writeNumberProperty("toSequence", broadcast.toSequence());
            json.writeNumberProperty("generation", broadcast.generation());
            writeStrings(json, "eventIds", broadcast.eventIds());
            json.writeStringProperty("invalidatorId", broadcast.invalidatorId());
            json.writeStringProperty("emittedAt", broadcast.emittedAt().toString());
            if (broadcast.redisPending()) {
                // only when set: readers that predate the flag ignore unknown fields, and a pending broadcast must not
                // look like a finished one to them, so they still evict (which is all they can do)
                json.writeBooleanProperty("redisPending", true);
            }
            writeEntityIds(json, broadcast.entityIds());
        });
    }

    public byte[] encode(InvalidationProgress progress) {
        return written(TYPE_PROGRESS, 256, json -> {
            json.writeStringProperty("invalidatorId", progress.invalidatorId());
            writePartitions(json, progress.partitions());
            json.writeStringProperty("emittedAt", progress.emittedAt().toString());
            if (progress.redisPending()) {
                json.writeBooleanProperty("redisPending", true);
            }
        });
    }

    /**
     * The invalidator encodes one such record per evictions partition per batch, with the id of every event it
     * covers.
     */
    public byte[] encode(EvictionBatch batch) {
        return written(TYPE_EVICTION_BATCH, 256 + 64 * batch.scopes().size(), json -> {
            json.writeStringProperty("invalidatorId", batch.invalidatorId());
            writePartitions(json, batch.partitions());
            json.writeName("scopes");
            json.writeStartArray();
            for (ScopeEviction scope : batch.scopes()) {
                writeScope(json, scope);
            }
            json.writeEndArray();
            if (batch.committedRange().isPresent()) {
                json.writeStringProperty("oldestCommittedAt", batch.committedRange().get().oldest().toString());
                json.writeStringProperty("newestCommittedAt", batch.committedRange().get().newest().toString());
            }
            json.writeStringProperty("emittedAt", batch.emittedAt().toString());
            if (batch.redisPending()) {
                json.writeBooleanProperty("redisPending", true);
            }
        });
    }

    /** A message of the type: its header, then the members {@code members} writes, in one object. */
    private byte[] written(String type, int expectedBytes, Consumer<JsonGenerator> members) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(expectedBytes);
        try (JsonGenerator json = mapper.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeNumberProperty("schema", SCHEMA_VERSION);
            json.writeStringProperty("type", type);
            members.accept(json);
            json.writeEndObject();
        }
        return bytes.toByteArray();
    }

    private static void writeScope(JsonGenerator json, ScopeEviction scope) {
        json.writeStartObject();
        json.writeStringProperty("tenant", scope.tenant());
        json.writeStringProperty("domain", scope.domain());
        if (!scope.tags().isEmpty()) {
            writeStrings(json, "tags", scope.tags());
        }
        json.writeNumberProperty("fromSequence", scope.fromSequence());
        json.writeNumberProperty("toSequence", scope.toSequence());
        json.writeNumberProperty("generation", scope.generation());
        json.writeNumberProperty("events", scope.events());
        if (!scope.eventIdsByWriter().isEmpty()) {
            json.writeName("eventIdsByWriter");
            json.writeStartObject();
            for (Map.Entry<String, List<UUID>> writer : scope.eventIdsByWriter().entrySet()) {
                writeStrings(json, writer.getKey(), writer.getValue());
            }
            json.writeEndObject();
        }
        if (scope.redisPending()) {
            json.writeBooleanProperty("redisPending", true);
        }
        writeEntityIds(json, scope.entityIds());
        json.writeEndObject();
    }

    /** An array of the values' texts (tags, ids). */
    private static void writeStrings(JsonGenerator json, String name, List<?> values) {
        json.writeName(name);
        json.writeStartArray();
        for (Object value : values) {
            json.writeString(value.toString());
        }
        json.writeEndArray();
    }

    /** Only when there are some: a scope without them is the whole domain, as for readers that predate them. */
    private static void writeEntityIds(JsonGenerator json, List<String> entityIds) {
        if (!entityIds.isEmpty()) {
            writeStrings(json, "entityIds", entityIds);
        }
    }

    /**
     * {@code [partition, processedThrough]} pairs (a heartbeat goes out ten times a second to every partition), and the
     * acknowledged offsets in a field of their own when there are any, not as a third item: readers that predate it
     * require pairs and ignore unknown fields.
     */
    private static void writePartitions(JsonGenerator json, List<InvalidationProgress.PartitionProgress> progress) {
        json.writeName("partitions");
        json.writeStartArray();
        boolean acknowledged = false;
        for (InvalidationProgress.PartitionProgress partition : progress) {
            json.writeStartArray();
            json.writeNumber(partition.partition());
            json.writeNumber(partition.processedThrough());
            json.writeEndArray();
            acknowledged |= partition.acknowledgedThrough() > 0;
        }
        json.writeEndArray();
        if (acknowledged) {
            json.writeName("acknowledgedThrough");
            json.writeStartArray();
            for (InvalidationProgress.PartitionProgress partition : progress) {
                if (partition.acknowledgedThrough() > 0) {
                    json.writeStartArray();
                    json.writeNumber(partition.partition());
                    json.writeNumber(partition.acknowledgedThrough());
                    json.writeEndArray();
                }
            }
            json.writeEndArray();
        }
    }

    public DomainMutated decodeDomainMutated(byte[] payload) {
        Fields fields = open(payload, MAX_DOMAIN_MUTATED_BYTES, TYPE_DOMAIN_MUTATED);
        return fields.build(() -> new DomainMutated(
                fields.uuid("eventId"),
                fields.name("tenant"),
                fields.name("domain"),
                fields.operation("operation"),
                fields.optionalText("entityId"),
                fields.tags("tags"),
                fields.instant("committedAt"),
                fields.text("sourceNode"),
                fields.positiveLong("sequence")));
    }

    public EvictionBroadcast decodeEviction(byte[] payload) {
        return eviction(open(payload, MAX_EVICTION_BYTES, TYPE_EVICTION));
    }

    private static EvictionBroadcast eviction(Fields fields) {
        return fields.build(() -> new EvictionBroadcast(
                fields.name("tenant"),
                fields.name("domain"),
                fields.tags("tags"),
                fields.positiveLong("fromSequence"),
                fields.positiveLong("toSequence"),
                fields.nonNegativeLong("generation"),
                fields.uuids("eventIds"),
                fields.text("invalidatorId"),
                fields.instant("emittedAt"),
                fields.optionalBoolean("redisPending"),
                fields.entityIds("entityIds")));
    }

    public InvalidationProgress decodeProgress(byte[] payload) {
        return progress(open(payload, MAX_EVICTION_BYTES, TYPE_PROGRESS));
    }

    public EvictionBatch decodeEvictionBatch(byte[] payload) {
        return evictionBatch(open(payload, MAX_EVICTION_BATCH_BYTES, everyWritersScopes, TYPE_EVICTION_BATCH));
    }

    private static ScopesReader scopesReader(String eventIdsOf) {
        return new ScopesReader(members -> new Fields(members).scope(), eventIdsOf);
    }

    /**
     * Reads a record of the evictions topic, whichever of its three types it is, with every writer's event ids checked
     * and read; a node reads its own only ({@link #decodeEvictionsTopic(byte[], String)}).
     */
    public EvictionsTopicMessage decodeEvictionsTopic(byte[] payload) {
        return evictionsTopic(payload, everyWritersScopes);
    }

    /**
     * Reads a record of the evictions topic as the node that writes as {@code eventIdsOf} needs it: a batch's scopes
     * hold that writer's event ids only ({@link EvictionBatch.ScopeEviction#eventIdsWrittenBy}); other writers' are
     * checked to be arrays of at most {@link EvictionBroadcast#MAX_EVENT_IDS} strings and not read. A per-group
     * broadcast ({@link EvictionBroadcast}) keeps every id, as before.
     */
    public EvictionsTopicMessage decodeEvictionsTopic(byte[] payload, String eventIdsOf) {
        return evictionsTopic(payload, scopesReader(Objects.requireNonNull(eventIdsOf, "eventIdsOf")));
    }

    private EvictionsTopicMessage evictionsTopic(byte[] payload, ScopesReader scopes) {
        Fields fields = open(payload, MAX_EVICTION_BATCH_BYTES, scopes, TYPE_EVICTION, TYPE_PROGRESS,
                TYPE_EVICTION_BATCH);
        String type = fields.text("type");
        if (TYPE_EVICTION_BATCH.equals(type)) {
            return evictionBatch(fields);
        }
        if (payload.length > MAX_EVICTION_BYTES) {
            throw new EventDecodingException(Reason.OVERSIZED, null,
                    payload.length + " bytes, at most " + MAX_EVICTION_BYTES + " allowed for '" + type + "'");
        }
        return TYPE_PROGRESS.equals(type) ? progress(fields) : eviction(fields);
    }

    private static EvictionBatch evictionBatch(Fields fields) {
        return fields.build(() -> new EvictionBatch(
                fields.text("invalidatorId"),
                fields.partitionProgress(),
                fields.scopes(),
                fields.committedRange(),
                fields.instant("emittedAt"),
                fields.optionalBoolean("redisPending")));
    }

    private static InvalidationProgress progress(Fields fields) {
        return fields.build(() -> new InvalidationProgress(
                fields.text("invalidatorId"),
                fields.partitionProgress(),
                fields.instant("emittedAt"),
                fields.optionalBoolean("redisPending")));
    }

    /**
     * Only the canonical 8-4-4-4-12 form: {@link UUID#fromString} alone also takes forms like {@code 1-1-1-1-1}.
     * Read by hand, digit by digit: an invalidator decodes the id of every mutation event, a node the ids of its own
     * writes in every broadcast.
     */
    private static UUID parseUuid(String text) {
        if (text.length() != UUID_LENGTH) {
            throw new IllegalArgumentException("not a canonical UUID");
        }
        long mostSignificant = 0;
        long leastSignificant = 0;
        int dash = 0;
        for (int i = 0; i < UUID_LENGTH; i++) {
            char c = text.charAt(i);
            if (dash < UUID_DASHES.length && i == UUID_DASHES[dash]) {
                if (c != '-') {
                    throw new IllegalArgumentException("not a canonical UUID");
                }
                dash++;
                continue;
            }
            int digit = hexValue(c);
            if (digit < 0) {
                throw new IllegalArgumentException("not a canonical UUID");
            }
            // the first 16 hex digits (before the third dash) are the most significant half
            if (dash < 3) {
                mostSignificant = (mostSignificant << 4) | digit;
            } else {
                leastSignificant = (leastSignificant << 4) | digit;
            }
        }
        return new UUID(mostSignificant, leastSignificant);
    }

    /** The value of an ASCII hex digit, or -1. */
    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private Fields open(byte[] payload, int maxBytes, String... expectedTypes) {
        return open(payload, maxBytes, everyWritersScopes, expectedTypes);
    }

    private Fields open(byte[] payload, int maxBytes, ScopesReader scopes, String... expectedTypes) {
        if (payload == null || payload.length == 0) {
            throw new EventDecodingException(Reason.MALFORMED_JSON, null, "empty payload");
        }
        if (payload.length > maxBytes) {
            throw new EventDecodingException(Reason.OVERSIZED, null,
                    payload.length + " bytes, at most " + maxBytes + " allowed");
        }
        Fields fields;
        try {
            fields = new Fields(TopLevelMembers.read(mapper, payload, scopes)
                    .orElseThrow(() -> notAnObject(payload))::get);
        } catch (JacksonException e) {
            throw new EventDecodingException(Reason.MALFORMED_JSON, null, e.getOriginalMessage(), e);
        }
        JsonNode schema = fields.required("schema");
        if (!schema.isIntegralNumber()) {
            throw new EventDecodingException(Reason.WRONG_TYPE, "schema", "must be an integer");
        }
        // canConvertToInt first: a number beyond the range of int must be refused, not cut down to one
        if (!schema.canConvertToInt() || schema.intValue() != SCHEMA_VERSION) {
            throw new EventDecodingException(Reason.UNSUPPORTED_SCHEMA_VERSION, "schema",
                    "version " + schema + " is not supported; this reader knows " + SCHEMA_VERSION);
        }
        String type = fields.text("type");
        if (!List.of(expectedTypes).contains(type)) {
            throw new EventDecodingException(Reason.UNKNOWN_TYPE, "type",
                    "expected " + String.join(" or ", List.of(expectedTypes).stream().map(t -> "'" + t + "'").toList())
                            + ", got '" + type + "'");
        }
        return fields;
    }

    /** The refusal of a payload whose first token opens no object: the tree reader says whether it is JSON at all. */
    private EventDecodingException notAnObject(byte[] payload) {
        mapper.readTree(payload);
        return new EventDecodingException(Reason.MALFORMED_JSON, null, "not a JSON object");
    }

    /** Typed access to the fields of one JSON object; every error names its field. */
    private static final class Fields {

        /** The object's members by name; null for a member it does not have. */
        private final Function<String, JsonNode> root;

        Fields(Function<String, JsonNode> root) {
            this.root = root;
        }

        /** The batch's scopes, as {@link ScopesReader} read them when the message was opened. */
        @SuppressWarnings("unchecked")
        List<ScopeEviction> scopes() {
            if (!(required(ScopesReader.SCOPES) instanceof POJONode read)) {
                throw new EventDecodingException(Reason.WRONG_TYPE, ScopesReader.SCOPES, "must be an array of objects");
            }
            if (read.getPojo() instanceof EventDecodingException refusal) {
                throw refusal;
            }
            return (List<ScopeEviction>) read.getPojo();
        }

        /** These fields as one scope of a batch. */
        ScopeEviction scope() {
            return build(() -> new ScopeEviction(
                    name("tenant"),
                    name("domain"),
                    tags("tags"),
                    positiveLong("fromSequence"),
                    positiveLong("toSequence"),
                    nonNegativeLong("generation"),
                    positiveInt("events"),
                    eventIdsByWriter("eventIdsByWriter"),
                    optionalBoolean("redisPending"),
                    entityIds("entityIds")));
        }

        Optional<CommittedRange> committedRange() {
            JsonNode oldest = root.apply("oldestCommittedAt");
            JsonNode newest = root.apply("newestCommittedAt");
            if ((oldest == null || oldest.isNull()) && (newest == null || newest.isNull())) {
                return Optional.empty();
            }
            return Optional.of(new CommittedRange(instant("oldestCommittedAt"), instant("newestCommittedAt")));
        }

        private Map<String, List<UUID>> eventIdsByWriter(String field) {
            JsonNode node = root.apply(field);
            if (node == null || node.isNull()) {
                return Map.of();
            }
            if (!node.isObject()) {
                throw new EventDecodingException(Reason.WRONG_TYPE, field, "must be an object of arrays of ids");
            }
            Map<String, List<UUID>> byWriter = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> writer : node.properties()) {
                List<UUID> ids = new ArrayList<>();
                for (String text : strings(field, writer.getValue(), EvictionBroadcast.MAX_EVENT_IDS)) {
                    ids.add(parse(field, text, EventCodec::parseUuid, "a UUID"));
                }
                byWriter.put(writer.getKey(), ids);
            }
            return byWriter;
        }

        private int positiveInt(String field) {
            long value = positiveLong(field);
            if (value > Integer.MAX_VALUE) {
                throw new EventDecodingException(Reason.INVALID_VALUE, field, "too large");
            }
            return (int) value;
        }

        <T> T build(java.util.function.Supplier<T> constructor) {
            try {
                return constructor.get();
            } catch (InvalidNameException e) {
                throw new EventDecodingException(Reason.INVALID_VALUE, e.field(), e.getMessage(), e);
            }
        }

        JsonNode required(String field) {
            JsonNode node = root.apply(field);
            if (node == null || node.isNull()) {
                throw new EventDecodingException(Reason.MISSING_FIELD, field, "is required");
            }
            return node;
        }

        String text(String field) {
            JsonNode node = required(field);
            if (!node.isString()) {
                throw new EventDecodingException(Reason.WRONG_TYPE, field, "must be a string");
            }
            return node.stringValue();
        }

        String name(String field) {
            String value = text(field);
            if (!Names.isValid(value)) {
                throw new EventDecodingException(Reason.INVALID_VALUE, field,
                        "only ASCII letters, digits, '-' and '_', 1-" + Names.MAX_LENGTH + " characters");
            }
            return value;
        }

        Optional<String> optionalText(String field) {
            JsonNode node = root.apply(field);
            if (node == null || node.isNull()) {
                return Optional.empty();
            }
            return Optional.of(text(field));
        }

        boolean optionalBoolean(String field) {
            JsonNode node = root.apply(field);
            if (node == null || node.isNull()) {
                return false;
            }
            if (!node.isBoolean()) {
                throw new EventDecodingException(Reason.WRONG_TYPE, field, "must be true or false");
            }
            return node.booleanValue();
        }

        /** The {@code partitions} pairs, each with its {@code acknowledgedThrough} when the record names one. */
        List<InvalidationProgress.PartitionProgress> partitionProgress() {
            List<long[]> processed = offsetPairs("partitions", required("partitions"));
            JsonNode acknowledgedNode = root.apply("acknowledgedThrough");
            Map<Long, Long> acknowledged = new LinkedHashMap<>();
            if (acknowledgedNode != null && !acknowledgedNode.isNull()) {
                offsetPairs("acknowledgedThrough", acknowledgedNode).forEach(pair -> acknowledged.put(pair[0], pair[1]));
            }
            if (!processed.stream().map(pair -> pair[0]).toList().containsAll(acknowledged.keySet())) {
                throw new EventDecodingException(Reason.INVALID_VALUE, "acknowledgedThrough",
                        "names a partition that partitions does not list");
            }
            List<InvalidationProgress.PartitionProgress> partitions = new ArrayList<>(processed.size());
            for (long[] pair : processed) {
                partitions.add(build(() -> new InvalidationProgress.PartitionProgress((int) pair[0], pair[1],
                        acknowledged.getOrDefault(pair[0], 0L))));
            }
            return partitions;
        }

        /** An array of [partition, offset] pairs, in order. */
        private static List<long[]> offsetPairs(String field, JsonNode node) {
            if (!node.isArray()) {
                throw new EventDecodingException(Reason.WRONG_TYPE, field, "must be an array of [partition, offset]");
            }
            if (node.size() > InvalidationProgress.MAX_PARTITIONS) {
                throw new EventDecodingException(Reason.INVALID_VALUE, field,
                        "more than " + InvalidationProgress.MAX_PARTITIONS + " items");
            }
            List<long[]> pairs = new ArrayList<>(node.size());
            for (JsonNode pair : node) {
                if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isIntegralNumber() || !pair.get(0).canConvertToInt()
                        || !pair.get(1).isIntegralNumber() || !pair.get(1).canConvertToLong()) {
                    throw new EventDecodingException(Reason.WRONG_TYPE, field, "must be an array of [partition, offset]");
                }
                pairs.add(new long[] {pair.get(0).intValue(), pair.get(1).longValue()});
            }
            return pairs;
        }

        long positiveLong(String field) {
            long value = integral(field);
            if (value < 1) {
                throw new EventDecodingException(Reason.INVALID_VALUE, field, "must be at least 1");
            }
            return value;
        }

        long nonNegativeLong(String field) {
            long value = integral(field);
            if (value < 0) {
                throw new EventDecodingException(Reason.INVALID_VALUE, field, "must not be negative");
            }
            return value;
        }

        private long integral(String field) {
            JsonNode node = required(field);
            if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                throw new EventDecodingException(Reason.WRONG_TYPE, field, "must be a 64-bit integer");
            }
            return node.asLong();
        }

        UUID uuid(String field) {
            return parse(field, text(field), EventCodec::parseUuid, "a UUID");
        }

        Instant instant(String field) {
            return parse(field, text(field), IsoInstants::parse, "an ISO-8601 instant");
        }

        Operation operation(String field) {
            return parse(field, text(field), Operation::valueOf, OPERATIONS);
        }

        List<Tag> tags(String field) {
            JsonNode node = root.apply(field);
            if (node == null || node.isNull()) {
                return List.of();
            }
            List<Tag> tags = new ArrayList<>();
            for (String text : strings(field, node, DomainMutated.MAX_TAGS)) {
                tags.add(Tag.parse(field, text));
            }
            return tags;
        }

        List<String> entityIds(String field) {
            JsonNode node = root.apply(field);
            if (node == null || node.isNull()) {
                return List.of();
            }
            return strings(field, node, EvictionBroadcast.MAX_ENTITY_IDS);
        }

        List<UUID> uuids(String field) {
            List<UUID> ids = new ArrayList<>();
            for (String text : strings(field, required(field), EvictionBroadcast.MAX_EVENT_IDS)) {
                ids.add(parse(field, text, EventCodec::parseUuid, "a UUID"));
            }
            return ids;
        }

        private static List<String> strings(String field, JsonNode node, int maxItems) {
            if (!node.isArray()) {
                throw new EventDecodingException(Reason.WRONG_TYPE, field, "must be an array of strings");
            }
            if (node.size() > maxItems) {
                throw new EventDecodingException(Reason.INVALID_VALUE, field, "more than " + maxItems + " items");
            }
            List<String> values = new ArrayList<>(node.size());
            for (JsonNode item : node) {
                if (!item.isString()) {
                    throw new EventDecodingException(Reason.WRONG_TYPE, field, "must be an array of strings");
                }
                values.add(item.stringValue());
            }
            return values;
        }

        private static <T> T parse(String field, String text, Function<String, T> parser, String expected) {
            try {
                return parser.apply(text);
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new EventDecodingException(Reason.INVALID_VALUE, field, "must be " + expected);
            }
        }
    }
}
