package io.cachebus.loadtest.deployment.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cachebus.local.postgres.PostgresDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** On a database of its own on the machine's PostgreSQL; skipped where none listens on 127.0.0.1:5432. */
class DatabaseVacuumTest {

    @Test
    void theDeadRowsOfEveryTableAreVacuumedAway() throws SQLException {
        assumeTrue(PostgresDatabase.isReachable(), "no PostgreSQL on 127.0.0.1:5432");
        try (PostgresDatabase database = PostgresDatabase.create("vacuum")) {
            String url = database.jdbcUrl() + "?user=" + database.user();
            try (Connection connection = DriverManager.getConnection(url);
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple");
                statement.execute("CREATE TABLE outbox (id INT PRIMARY KEY, sent BOOLEAN)");
                statement.execute("INSERT INTO outbox SELECT g, false FROM generate_series(1, 2000) g");
                statement.execute("UPDATE outbox SET sent = true");
                statement.execute("DELETE FROM outbox WHERE id > 1000");
                assertThat(deadRows(statement)).as("before").isPositive();

                assertThat(DatabaseVacuum.run(url)).matches("database vacuumed in [0-9.]+ s");

                assertThat(deadRows(statement)).as("after").isZero();
            }
        }
    }

    @Test
    void aDatabaseItCannotReachIsSaidNotToBeVacuumed() {
        assertThat(DatabaseVacuum.run("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1"))
                .startsWith("database not vacuumed: ");
    }

    /** The heap's own count of dead row versions, not the statistics', which may lag. */
    private static long deadRows(Statement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery(
                "SELECT dead_tuple_count FROM pgstattuple('outbox')")) {
            row.next();
            return row.getLong(1);
        }
    }
}
