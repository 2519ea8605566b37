package io.cachebus.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Published by an API node, through its outbox, after a write to {@code domain} of {@code tenant} committed.
 *
 * @param eventId     unique per write; lets every step downstream be idempotent
 * @param tenant      the tenant of the authenticated principal that wrote
 * @param domain      the domain written, e.g. {@code workflows}
 * @param operation   what kind of write
 * @param entityId    the entity written, when the write had exactly one
 * @param tags        derived data also invalidated (a domain's own tags are covered by the domain anyway)
 * @param committedAt when the write's transaction committed, as the writing node saw its commit return; an event the
 *                    outbox relay sends (its direct send did not get through) carries the moment it was recorded in
 *                    the transaction instead, a little earlier
 * @param sourceNode  the API node that handled the write
 * @param sequence    no longer assigned: writers send {@link #UNNUMBERED}. Writers before ADR 0016 numbered each
 *                    (tenant, domain) gap-free under a row lock every writer of it waited for; readers of those
 *                    releases still require a value of at least 1, so the field stays
 */
public record DomainMutated(
        UUID eventId,
        String tenant,
        String domain,
        Operation operation,
        Optional<String> entityId,
        List<Tag> tags,
        Instant committedAt,
        String sourceNode,
        long sequence) {

    public static final int MAX_ENTITY_ID_LENGTH = 128;
    public static final int MAX_SOURCE_NODE_LENGTH = 128;
    public static final int MAX_TAGS = 32;
    /**
     * The {@link #sequence()} of every mutation written since ADR 0016: nodes show completeness by the offsets
     * Kafka assigns instead, and readers of earlier releases accept it (they count it as a late broadcast).
     */
    public static final long UNNUMBERED = 1;

    public DomainMutated {
        Objects.requireNonNull(eventId, "eventId");
        Names.require("tenant", tenant);
        Names.require("domain", domain);
        Objects.requireNonNull(operation, "operation");
        entityId = Objects.requireNonNullElse(entityId, Optional.empty());
        entityId.ifPresent(id -> requirePrintable("entityId", id, MAX_ENTITY_ID_LENGTH));
        tags = List.copyOf(Objects.requireNonNullElse(tags, List.of()));
        if (tags.size() > MAX_TAGS) {
            throw new InvalidNameException("tags", "more than " + MAX_TAGS + " tags");
        }
        Objects.requireNonNull(committedAt, "committedAt");
        requirePrintable("sourceNode", sourceNode, MAX_SOURCE_NODE_LENGTH);
        if (sequence < 1) {
            throw new InvalidNameException("sequence", "must be at least 1");
        }
    }

    /** The same event with {@code at} as its commit's moment. */
    public DomainMutated withCommittedAt(Instant at) {
        return new DomainMutated(eventId, tenant, domain, operation, entityId, tags, at, sourceNode, sequence);
    }

    /**
     * The one entity this write changed, when it changed exactly one: its {@code entityId}, unless the operation
     * may touch many ({@link Operation#touchesOneEntity()}). Such a write invalidates that entity and the domain's
     * collections (lists, counts, everything not keyed by one entity) instead of the whole domain (ADR 0017); the
     * invalidator and the writing node decide it with this one rule.
     */
    public Optional<String> singleEntity() {
        return operation.touchesOneEntity() ? entityId : Optional.empty();
    }

    /** The Kafka record key: {@code tenant:domain}. */
    public String recordKey() {
        return CacheKeys.recordKey(tenant, domain);
    }

    static void requirePrintable(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new InvalidNameException(field, "must not be blank");
        }
        if (value.length() > maxLength) {
            throw new InvalidNameException(field, "longer than " + maxLength + " characters");
        }
        // a loop rather than codePoints(): an entity id is checked on every cache read of an entity (its scope)
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            i += Character.charCount(codePoint);
            if (Character.isISOControl(codePoint)) {
                throw new InvalidNameException(field, "contains a control character");
            }
            // an unpaired surrogate is not text: it has no UTF-8 form, and strict readers in other languages
            // refuse or replace its escaped form, so the value would not arrive as it was sent
            if (Character.getType(codePoint) == Character.SURROGATE) {
                throw new InvalidNameException(field, "contains an unpaired surrogate");
            }
        }
    }
}
