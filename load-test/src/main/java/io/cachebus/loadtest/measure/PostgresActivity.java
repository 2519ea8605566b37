package io.cachebus.loadtest.measure;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What PostgreSQL counted for one database ({@code pg_stat_database}): transactions, rows, blocks and the time its
 * backends spent executing statements ({@code active_time}, PostgreSQL 14 on), and, when the database has the
 * {@code pg_stat_statements} extension working (it needs {@code shared_preload_libraries}, a server setting the
 * harness never changes), the statements executed and their execution time. Taken before and after a measurement,
 * the difference is the database's side of it.
 *
 * <p>PostgreSQL publishes a backend's counts when its transaction ends, at most once a second, and an idle backend's
 * only after up to ten seconds: a difference is exact only between two snapshots taken while the load runs steadily
 * (each end then misses about the same second of work) or ten seconds after it stopped.
 *
 * @param transactions    committed and rolled-back transactions (each statement outside a transaction is one)
 * @param rowsReturned    {@code tup_returned}: rows read by scans
 * @param rowsFetched     {@code tup_fetched}: rows fetched by index scans
 * @param blocksRead      blocks read from disk (or the OS cache)
 * @param blocksHit       blocks found in PostgreSQL's buffer cache
 * @param activeTimeMs    time spent executing statements, in milliseconds; null before PostgreSQL 14
 * @param statements      {@code pg_stat_statements} calls in this database; null without the extension
 * @param statementTimeMs their execution time in milliseconds; null without the extension
 */
public record PostgresActivity(double transactions, double rowsReturned, double rowsFetched, double blocksRead,
        double blocksHit, Double activeTimeMs, Double statements, Double statementTimeMs) {

    private static final String DATABASE_COUNTS = """
            SELECT xact_commit + xact_rollback, tup_returned, tup_fetched, blks_read, blks_hit%s
            FROM pg_stat_database WHERE datname = current_database()""";

    /** Whether {@code jdbcUrl} names a PostgreSQL database (the only kind this class can read). */
    public static boolean isPostgres(String jdbcUrl) {
        return jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:");
    }

    /** A snapshot of the database {@code jdbcUrl} names (credentials in the URL), through a connection of its own. */
    public static PostgresActivity snapshot(String jdbcUrl) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl)) {
            return snapshot(connection);
        }
    }

    static PostgresActivity snapshot(Connection connection) throws SQLException {
        boolean activeTime = connection.getMetaData().getDatabaseMajorVersion() >= 14;
        try (Statement statement = connection.createStatement()) {
            // counts are read once per transaction and kept until it ends: start from fresh ones
            statement.execute("SELECT pg_stat_clear_snapshot()");
            PostgresActivity database;
            try (ResultSet row = statement.executeQuery(DATABASE_COUNTS.formatted(activeTime ? ", active_time" : ""))) {
                if (!row.next()) {
                    throw new SQLException("pg_stat_database has no row for the current database");
                }
                database = new PostgresActivity(row.getDouble(1), row.getDouble(2), row.getDouble(3), row.getDouble(4),
                        row.getDouble(5), activeTime ? row.getDouble(6) : null, null, null);
            }
            return statementCounts(statement).map(counts -> new PostgresActivity(database.transactions,
                    database.rowsReturned, database.rowsFetched, database.blocksRead, database.blocksHit,
                    database.activeTimeMs, counts[0], counts[1])).orElse(database);
        }
    }

    /** Calls and execution milliseconds from {@code pg_stat_statements}, when it is installed and loaded. */
    private static Optional<double[]> statementCounts(Statement statement) {
        try (ResultSet row = statement.executeQuery("""
                SELECT COALESCE(SUM(calls), 0), COALESCE(SUM(total_exec_time), 0) FROM pg_stat_statements
                WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())""")) {
            row.next();
            return Optional.of(new double[] {row.getDouble(1), row.getDouble(2)});
        } catch (SQLException absentOrNotLoaded) {
            return Optional.empty();
        }
    }

    /**
     * The process ids of the backends connected to the database {@code jdbcUrl} names, other than this query's own:
     * the API nodes' pooled connections, which live as long as the nodes, so their CPU time can be read across a
     * measurement ({@link ProcessCpu}).
     */
    public static List<Long> backendPids(String jdbcUrl) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("""
                        SELECT pid FROM pg_stat_activity
                        WHERE datname = current_database() AND pid <> pg_backend_pid()""")) {
            List<Long> pids = new ArrayList<>();
            while (rows.next()) {
                pids.add(rows.getLong(1));
            }
            return pids;
        }
    }

    /** The activity between {@code earlier} and this snapshot. */
    public PostgresActivity since(PostgresActivity earlier) {
        return new PostgresActivity(transactions - earlier.transactions, rowsReturned - earlier.rowsReturned,
                rowsFetched - earlier.rowsFetched, blocksRead - earlier.blocksRead, blocksHit - earlier.blocksHit,
                difference(activeTimeMs, earlier.activeTimeMs), difference(statements, earlier.statements),
                difference(statementTimeMs, earlier.statementTimeMs));
    }

    private static Double difference(Double later, Double earlier) {
        return later == null || earlier == null ? null : later - earlier;
    }
}
