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

    public static DomainMutated mutation(UUID eventId, String tenant, String domain, long sequence, Tag... tags) {
        return new DomainMutated(eventId, tenant, domain, Operation.PATCH, Optional.of("entity-" + sequence),
                List.of(tags), Instant.now(), "test-node", sequence);
    }
}
