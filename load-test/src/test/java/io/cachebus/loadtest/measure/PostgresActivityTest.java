package io.cachebus.loadtest.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class PostgresActivityTest {

    @Test
    void theDifferenceIsTakenCounterByCounterAndAMissingCounterStaysMissing() {
        PostgresActivity before = new PostgresActivity(1_000, 50_000, 20_000, 10, 9_000, 1_200.5, null, null);
        PostgresActivity after = new PostgresActivity(1_600, 56_000, 20_600, 12, 9_900, 1_500.0, 400.0, 30.0);

        PostgresActivity between = after.since(before);

        assertThat(between).isEqualTo(new PostgresActivity(600, 6_000, 600, 2, 900, 299.5, null, null));
    }

    @Test
    void onlyPostgresUrlsAreRead() {
        assertThat(PostgresActivity.isPostgres("jdbc:postgresql://127.0.0.1:5432/bench?user=postgres")).isTrue();
        assertThat(PostgresActivity.isPostgres("jdbc:h2:mem:cachebus-1")).isFalse();
        assertThat(PostgresActivity.isPostgres(null)).isFalse();
    }

    /** Reads statistics only: the machine's shared server is never written to. */
    @Test
    void aSnapshotOfTheMachinesServerCountsItsOwnTransactions() throws SQLException {
        String url = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
        try {
            DriverManager.getConnection(url).close();
        } catch (SQLException unavailable) {
            Assumptions.abort("no PostgreSQL on 127.0.0.1:5432: " + unavailable.getMessage());
        }
        PostgresActivity first = PostgresActivity.snapshot(url);
        PostgresActivity second = PostgresActivity.snapshot(url);

        assertThat(first.transactions()).isPositive();
        assertThat(second.since(first).transactions()).isNotNegative();
        assertThat(first.activeTimeMs()).as("active_time, PostgreSQL 14 on").isNotNull();
    }
}
