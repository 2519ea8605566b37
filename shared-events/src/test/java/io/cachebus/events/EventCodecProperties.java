package io.cachebus.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Every message the records accept survives the codec unchanged, and no input makes the decoder fail with
 * anything but an {@link EventDecodingException} (which the consumers route to the dead-letter topic).
 */
class EventCodecProperties {

    private static final EventCodec CODEC = new EventCodec();

    @Property(tries = 300)
    void everyValidDomainMutatedRoundTrips(@ForAll("domainMutated") DomainMutated event) {
        assertThat(CODEC.decodeDomainMutated(CODEC.encode(event))).isEqualTo(event);
    }

    @Property(tries = 200)
    void everyValidEvictionRoundTrips(@ForAll("evictions") EvictionBroadcast broadcast) {
        assertThat(CODEC.decodeEviction(CODEC.encode(broadcast))).isEqualTo(broadcast);
    }

    @Property(tries = 300)
    void arbitraryBytesAreReadOrRefusedWithATypedError(@ForAll @Size(max = 300) byte[] payload) {
        assertOnlyTypedFailures(payload);
    }

    @Property(tries = 300)
    void aCorruptedValidPayloadIsReadOrRefusedWithATypedError(@ForAll("domainMutated") DomainMutated event,
            @ForAll @IntRange(max = 10_000) int position, @ForAll("corruptions") String replacement) {
        String json = new String(CODEC.encode(event), StandardCharsets.UTF_8);
        int at = position % json.length();
        byte[] corrupted = (json.substring(0, at) + replacement + json.substring(at + 1)).getBytes(StandardCharsets.UTF_8);

        assertOnlyTypedFailures(corrupted);
    }

    private static void assertOnlyTypedFailures(byte[] payload) {
        for (Consumer<byte[]> decoder : List.<Consumer<byte[]>>of(CODEC::decodeDomainMutated, CODEC::decodeEviction)) {
            try {
                decoder.accept(payload);
            } catch (EventDecodingException expected) {
                assertThat(expected.reason()).isNotNull();
            }
        }
    }

    @Provide
    Arbitrary<String> corruptions() {
        return Arbitraries.of("", "\"", "{", "}", "[", "]", ",", ":", "0", "-1", "99999999999999999999", "null",
                "true", "1.5e400", "\\u0000", "\\ud800", "\u0000", "\u00e9", "{\"a\":[[[[[[[[[[1]]]]]]]]]]}");
    }

    @Provide
    Arbitrary<DomainMutated> domainMutated() {
        return Builders.withBuilder(() -> new DomainMutatedDraft())
                .use(uuids()).inSetter((draft, id) -> draft.eventId = id)
                .use(NameArbitraries.names()).inSetter((draft, tenant) -> draft.tenant = tenant)
                .use(NameArbitraries.domains()).inSetter((draft, domain) -> draft.domain = domain)
                .use(Arbitraries.of(Operation.class)).inSetter((draft, operation) -> draft.operation = operation)
                .use(freeText(DomainMutated.MAX_ENTITY_ID_LENGTH).optional(0.7)).inSetter((draft, id) -> draft.entityId = id)
                .use(tags()).inSetter((draft, tags) -> draft.tags = tags)
                .use(instants()).inSetter((draft, at) -> draft.committedAt = at)
                .use(freeText(DomainMutated.MAX_SOURCE_NODE_LENGTH)).inSetter((draft, node) -> draft.sourceNode = node)
                .use(Arbitraries.longs().between(1, Long.MAX_VALUE)).inSetter((draft, sequence) -> draft.sequence = sequence)
                .build(DomainMutatedDraft::build);
    }

    @Provide
    Arbitrary<EvictionBroadcast> evictions() {
        Arbitrary<long[]> sequences = Arbitraries.longs().between(1, Long.MAX_VALUE).list().ofSize(2)
                .map(pair -> new long[] {Math.min(pair.get(0), pair.get(1)), Math.max(pair.get(0), pair.get(1))});
        return Builders.withBuilder(() -> new EvictionDraft())
                .use(NameArbitraries.names()).inSetter((draft, tenant) -> draft.tenant = tenant)
                .use(NameArbitraries.domains()).inSetter((draft, domain) -> draft.domain = domain)
                .use(tags()).inSetter((draft, tags) -> draft.tags = tags)
                .use(sequences).inSetter((draft, range) -> draft.sequences = range)
                .use(Arbitraries.longs().between(0, Long.MAX_VALUE)).inSetter((draft, generation) -> draft.generation = generation)
                .use(uuids().list().ofMaxSize(EvictionBroadcast.MAX_EVENT_IDS)).inSetter((draft, ids) -> draft.eventIds = ids)
                .use(freeText(DomainMutated.MAX_SOURCE_NODE_LENGTH)).inSetter((draft, id) -> draft.invalidatorId = id)
                .use(instants()).inSetter((draft, at) -> draft.emittedAt = at)
                .build(EvictionDraft::build);
    }

    private static Arbitrary<UUID> uuids() {
        return Arbitraries.randomValue(random -> new UUID(random.nextLong(), random.nextLong()));
    }

    private static Arbitrary<List<Tag>> tags() {
        return Combinators.combine(NameArbitraries.domains(), NameArbitraries.names()).as(Tag::new)
                .list().ofMaxSize(DomainMutated.MAX_TAGS);
    }

    /** Every instant java.time can write, nanoseconds included. */
    private static Arbitrary<Instant> instants() {
        return Combinators.combine(
                        Arbitraries.longs().between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()),
                        Arbitraries.integers().between(0, 999_999_999))
                .as(Instant::ofEpochSecond)
                .edgeCases(config -> config.add(Instant.EPOCH, Instant.MIN, Instant.MAX));
    }

    /** Free text as the records accept it: any unicode, but no control characters or unpaired surrogates. */
    private static Arbitrary<String> freeText(int maxLength) {
        Arbitrary<String> ascii = Arbitraries.strings().ascii().ofMinLength(1).ofMaxLength(maxLength);
        Arbitrary<String> unicode = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(maxLength);
        return Arbitraries.frequencyOf(Tuple.of(1, ascii), Tuple.of(1, unicode))
                .filter(text -> {
                    try {
                        DomainMutated.requirePrintable("text", text, maxLength);
                        return true;
                    } catch (InvalidNameException refused) {
                        return false;
                    }
                });
    }

    private static final class DomainMutatedDraft {
        UUID eventId;
        String tenant;
        String domain;
        Operation operation;
        Optional<String> entityId;
        List<Tag> tags;
        Instant committedAt;
        String sourceNode;
        long sequence;

        DomainMutated build() {
            return new DomainMutated(eventId, tenant, domain, operation, entityId, tags, committedAt, sourceNode, sequence);
        }
    }

    private static final class EvictionDraft {
        String tenant;
        String domain;
        List<Tag> tags;
        long[] sequences;
        long generation;
        List<UUID> eventIds;
        String invalidatorId;
        Instant emittedAt;

        EvictionBroadcast build() {
            return new EvictionBroadcast(tenant, domain, tags, sequences[0], sequences[1], generation, eventIds,
                    invalidatorId, emittedAt);
        }
    }
}
