package io.cachebus.localcluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local cluster's hold on the PostgreSQL database its API nodes share, for the cluster's life: a session-level
 * advisory lock on a connection of its own. Two clusters on one database (a {@code ./cachebus up} left running, then a
 * {@code ./cachebus bench}) name their API nodes alike, so each one's outbox relay claims the other's rows as its own
 * and their writes deadlock; the second cluster's start fails instead, before it starts anything.
 */
final class DatabaseClaim implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DatabaseClaim.class);
    /** The lock's key ("cachebus" in ASCII). Advisory locks belong to one database, so one key serves them all. */
    static final long LOCK_KEY = 0x6361636865627573L;

    private final Connection connection;

    private DatabaseClaim(Connection connection) {
        this.connection = connection;
    }

    /** Claims the database {@code jdbcUrl} names when it is PostgreSQL; other databases need no claim. */
    static Optional<DatabaseClaim> takeIfPostgres(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:postgresql:") ? Optional.of(take(jdbcUrl)) : Optional.empty();
    }

    /** @throws IllegalStateException when another cluster holds the database, or it cannot be reached */
    static DatabaseClaim take(String jdbcUrl) {
        Connection connection = null;
        try {
            connection = DriverManager.getConnection(jdbcUrl);
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                lock.setLong(1, LOCK_KEY);
                try (ResultSet row = lock.executeQuery()) {
                    if (row.next() && row.getBoolean(1)) {
                        return new DatabaseClaim(connection);
                    }
                }
            }
            String database = connection.getCatalog();
            connection.close();
            throw new IllegalStateException("another local cluster uses the database " + database + " (a ./cachebus up"
                    + " still running?): stop it, or give this cluster a database of its own (--database NAME)");
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new IllegalStateException("cannot claim the cluster's database: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // closing the session releases its advisory locks
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.warn("closing the database claim's connection failed, the server releases it when the session ends "
                    + "error={}", e.toString());
        }
    }
}
