package io.cachebus.loadtest.deployment.local;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * {@code VACUUM (ANALYZE)} of the local cluster's PostgreSQL database before each measured phase. A deployment's
 * server vacuums as rows die (autovacuum); a machine's server may run without it, and the local cluster reuses its
 * database from run to run: the outbox's marked and purged rows and the entities' old versions would then pile up
 * in the tables and their indexes without bound, and every query of the unsent rows would step over more of them run
 * after run (74,657 dead outbox rows beside 20,216 live ones, seen before the first vacuum). The figures are to be
 * about cachebus, not about how long the machine's server went without a vacuum.
 */
final class DatabaseVacuum {

    private DatabaseVacuum() {
    }

    /** Vacuums and analyzes every table of the database {@code jdbcUrl} names; says how long it took. */
    static String run(String jdbcUrl) {
        long start = System.nanoTime();
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
                Statement statement = connection.createStatement()) {
            // VACUUM runs outside a transaction: the connection's auto-commit, on by default, keeps it so
            statement.execute("VACUUM (ANALYZE)");
        } catch (SQLException e) {
            return "database not vacuumed: " + e.getMessage();
        }
        return String.format(Locale.ROOT, "database vacuumed in %.1f s", (System.nanoTime() - start) / 1e9);
    }
}
