package io.cachebus.client.internal.outbox;

import io.cachebus.events.DomainMutated;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/** The SQL of the outbox: portable between PostgreSQL and H2. */
final class OutboxRepository {

    /** Most ids one mark or delete names: a relay batch (500 by default) goes in one statement. */
    static final int MAX_IDS_PER_STATEMENT = 512;

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

    /** Marks the rows sent, kept until {@link #purgeSent} deletes them. */
    void markSent(List<Long> ids) {
        byIds("UPDATE cachebus_outbox SET sent_at = CURRENT_TIMESTAMP WHERE id IN (%s)", ids);
    }

    /**
     * Deletes the rows Kafka acknowledged, when none is kept: cheaper for the database than marking them, which
     * writes a new version of the row and of its index entries (an indexed column changes) that the purge then
     * deletes as well.
     */
    void deleteSent(List<Long> ids) {
        byIds("DELETE FROM cachebus_outbox WHERE id IN (%s)", ids);
    }

    /**
     * One statement per {@link #MAX_IDS_PER_STATEMENT} ids rather than one per id. The list of placeholders is
     * padded to a power of two (repeating the last id), so a few statement texts serve every batch and the driver
     * prepares each once on the server rather than one per batch size.
     */
    private void byIds(String template, List<Long> ids) {
        for (int from = 0; from < ids.size(); from += MAX_IDS_PER_STATEMENT) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + MAX_IDS_PER_STATEMENT));
            int placeholders = chunk.size() == 1 ? 1 : Integer.highestOneBit(chunk.size() - 1) << 1;
            Object[] args = new Object[placeholders];
            for (int i = 0; i < placeholders; i++) {
                args[i] = chunk.get(Math.min(i, chunk.size() - 1));
            }
            jdbc.update(template.formatted(String.join(", ", Collections.nCopies(placeholders, "?"))), args);
        }
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
