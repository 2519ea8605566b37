package io.cachebus.client.internal.outbox;

import io.cachebus.events.DomainMutated;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/** The SQL of the outbox: portable between PostgreSQL and H2. */
final class OutboxRepository {

    private final JdbcTemplate jdbc;

    OutboxRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether the calling thread's connection of this DataSource is inside a database transaction. */
    boolean inDatabaseTransaction() {
        Boolean autoCommit = jdbc.execute((Connection connection) -> connection.getAutoCommit());
        return Boolean.FALSE.equals(autoCommit);
    }

    /**
     * The row is claimed by the node that wrote it, from its commit on (database time). The only statement of the
     * write's transaction: it takes no lock another writer waits for, whatever (tenant, domain) they write (ADR 0016).
     * Returns the row's id, read in the same round trip (the generated key), which the direct send marks it sent by.
     */
    long insert(DomainMutated event, String payload) {
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO cachebus_outbox (event_id, tenant, domain, sequence, payload, source_node, created_at,
                      claimed_by, claimed_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)""", new String[] {"id"});
            insert.setString(1, event.eventId().toString());
            insert.setString(2, event.tenant());
            insert.setString(3, event.domain());
            insert.setLong(4, event.sequence());
            insert.setString(5, payload);
            insert.setString(6, event.sourceNode());
            insert.setObject(7, utc(event.committedAt()));
            insert.setString(8, event.sourceNode());
            return insert;
        }, key);
        Number id = key.getKey();
        if (id == null) {
            throw new IllegalStateException("the outbox insert returned no id");
        }
        return id.longValue();
    }

    /**
     * Claims for {@code node}, in one UPDATE, its own unsent rows (renewing its claim), unclaimed ones and every row
     * whose claim is older than {@code lease} (its node may be gone), then returns up to {@code limit} of its rows
     * in id order. A dead node's whole backlog goes to the one node that
     * claims it first, which sends it in order. Every time is the database's: no node's clock is compared with
     * another's. An UPDATE that waited for a concurrent claim of the same rows re-checks its condition on the
     * committed rows (PostgreSQL, H2) and leaves them to the winner.
     */
    List<OutboxRow> claim(String node, Duration lease, int limit) {
        jdbc.update("""
                UPDATE cachebus_outbox SET claimed_by = ?, claimed_at = CURRENT_TIMESTAMP
                WHERE sent_at IS NULL AND (claimed_by = ? OR claimed_by IS NULL
                  OR claimed_at < CURRENT_TIMESTAMP - CAST(? AS BIGINT) * INTERVAL '0.001' SECOND)""",
                node, node, lease.toMillis());
        return jdbc.query("""
                SELECT id, event_id, tenant, domain, payload FROM cachebus_outbox
                WHERE sent_at IS NULL AND claimed_by = ?
                ORDER BY id LIMIT ?""",
                (rs, n) -> new OutboxRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5)),
                node, limit);
    }

    /** Gives {@code node}'s unsent rows up (it stops): any node may take them at once rather than after the lease. */
    int release(String node) {
        return jdbc.update("UPDATE cachebus_outbox SET claimed_by = NULL WHERE sent_at IS NULL AND claimed_by = ?",
                node);
    }

    void markSent(List<Long> ids) {
        jdbc.batchUpdate("UPDATE cachebus_outbox SET sent_at = CURRENT_TIMESTAMP WHERE id = ?",
                ids.stream().map(id -> new Object[] {id}).toList());
    }

    /**
     * The oldest unsent row of each (tenant, domain) with unsent rows, oldest first, at most {@code limit} of
     * them: what the staleness bound must wait for, whichever node wrote it.
     */
    List<OutboxBacklog.OldestUnsent> oldestUnsentByScope(int limit) {
        return jdbc.query("""
                SELECT tenant, domain, MIN(created_at) AS oldest FROM cachebus_outbox
                WHERE sent_at IS NULL GROUP BY tenant, domain ORDER BY oldest LIMIT ?""",
                (rs, n) -> new OutboxBacklog.OldestUnsent(rs.getString(1), rs.getString(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant()),
                limit);
    }

    long countUnsent() {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM cachebus_outbox WHERE sent_at IS NULL", Long.class);
        return count == null ? 0 : count;
    }

    /** Deletes rows sent longer than {@code retention} ago, on the database's clock like {@code sent_at}. */
    int purgeSent(Duration retention) {
        return jdbc.update("""
                DELETE FROM cachebus_outbox
                WHERE sent_at IS NOT NULL AND sent_at < CURRENT_TIMESTAMP - CAST(? AS BIGINT) * INTERVAL '0.001' SECOND""",
                retention.toMillis());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
