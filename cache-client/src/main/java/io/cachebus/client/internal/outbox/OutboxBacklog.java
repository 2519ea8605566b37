package io.cachebus.client.internal.outbox;

import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The outbox rows no node has sent yet, read for the staleness bound: a write whose row is still here has not
 * reached Kafka, so no invalidator can have invalidated it, whatever their progress says.
 */
public final class OutboxBacklog {

    /** The oldest unsent row of one tenant's domain: when its write committed. */
    public record OldestUnsent(String tenant, String domain, Instant createdAt) {
    }

    private final OutboxRepository repository;
    private final int limit;

    /** @param limit most (tenant, domain) pairs read per call; past it, the oldest are the ones that count */
    public OutboxBacklog(JdbcTemplate jdbc, int limit) {
        this.repository = new OutboxRepository(jdbc);
        this.limit = limit;
    }

    /**
     * The oldest unsent row per (tenant, domain), oldest first. When the limit cuts the list, the last entry's time
     * also bounds every pair left out, since they are newer.
     */
    public List<OldestUnsent> oldestUnsent() {
        return repository.oldestUnsentByScope(limit);
    }

    public int limit() {
        return limit;
    }
}
