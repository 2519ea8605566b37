package io.cachebus.invalidator.testing;

import io.cachebus.events.DomainMutated;
import io.cachebus.events.Operation;
import io.cachebus.events.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Valid {@link DomainMutated} events for tests. */
public final class TestEvents {

    private TestEvents() {
    }

    public static DomainMutated mutation(String tenant, String domain, long sequence, Tag... tags) {
        return mutation(UUID.randomUUID(), tenant, domain, sequence, tags);
    }

    /** A write of the whole domain (no single entity): it invalidates the domain, whatever the entity scopes. */
    public static DomainMutated mutation(UUID eventId, String tenant, String domain, long sequence, Tag... tags) {
        return new DomainMutated(eventId, tenant, domain, Operation.PATCH, Optional.empty(),
                List.of(tags), Instant.now(), "test-node", sequence);
    }

    /** A write of one entity (ADR 0017). */
    public static DomainMutated entityWrite(String tenant, String domain, long sequence, String entityId, Tag... tags) {
        return new DomainMutated(UUID.randomUUID(), tenant, domain, Operation.PATCH, Optional.of(entityId),
                List.of(tags), Instant.now(), "test-node", sequence);
    }
}
