package io.cachebus.client;

import io.cachebus.events.DomainMutated;
import io.cachebus.events.Operation;
import io.cachebus.events.Tag;
import java.util.List;
import java.util.Optional;

/**
 * Records that a write changed a tenant's domain, through the transactional outbox.
 *
 * <p>Call it inside the write's database transaction, after the write itself. The {@link DomainMutated} row
 * commits with the write or not at all; a rolled-back write publishes nothing. After commit, this node drops
 * its own local entries of what the write invalidates at once (read-your-writes) and the outbox relay sends the event to
 * Kafka off the request thread, marking it sent only once Kafka acknowledged it. The call never waits for
 * Kafka and never fails because Kafka is down.
 *
 * <p>A write of one entity (an {@code entityId} and an operation that touches one entity) invalidates that entity and
 * the domain's collections; any other write the whole domain (ADR 0017). Pass the entity id only when the write
 * changed that entity and nothing else of the domain but what its collections show.
 *
 * @throws IllegalStateException when no transaction is active (a programming error, not a cache fault)
 */
public interface MutationPublisher {

    DomainMutated recordMutation(String tenant, String domain, Operation operation, Optional<String> entityId,
            List<Tag> tags);

    default DomainMutated recordMutation(String tenant, String domain, Operation operation, String entityId) {
        return recordMutation(tenant, domain, operation, Optional.ofNullable(entityId), List.of());
    }
}
