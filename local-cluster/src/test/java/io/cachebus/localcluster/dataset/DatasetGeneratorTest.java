package io.cachebus.localcluster.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cachebus.localcluster.PostgresDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The realistic dataset at a small scale, on a PostgreSQL database of the test's own: the counts the spec says, a Zipf
 * shape over tenants, ids the API continues after, and a second run that finds the dataset and generates nothing.
 * Skipped where no PostgreSQL answers.
 */
class DatasetGeneratorTest {

    private static final DatasetSpec SMALL = DatasetSpec.standard().withTenants(20).withLargestTenant(100, 400);

    private static PostgresDatabase database;
    private static String jdbcUrl;
    private static DatasetSummary first;

    @BeforeAll
    static void generate() {
        database = PostgresDatabase.localDefault()
                .withDatabase("cachebus_dataset_test_" + UUID.randomUUID().toString().substring(0, 8));
        assumeTrue(database.isReachable(), "no PostgreSQL answers on 127.0.0.1:5432");
        jdbcUrl = database.ensureExists();
        first = DatasetGenerator.ensure(jdbcUrl, SMALL);
    }

    @AfterAll
    static void dropDatabase() {
        if (jdbcUrl != null) {
            database.drop();
        }
    }

    @Test
    void theTablesHoldWhatTheSpecSays() throws SQLException {
        long workflows = 0;
        long notifications = 0;
        for (int rank = 1; rank <= SMALL.tenants(); rank++) {
            workflows += SMALL.sizeAt(rank, SMALL.largestTenantWorkflows());
            notifications += SMALL.sizeAt(rank, SMALL.largestTenantNotifications());
        }
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("workflows", workflows);
        expected.put("workflow_steps", workflows * SMALL.stepsPerWorkflow());
        expected.put("notifications", notifications);

        assertThat(first.generated()).isTrue();
        assertThat(first.tenants()).isEqualTo(20);
        assertThat(first.rows()).isEqualTo(expected);
        assertThat(counts()).isEqualTo(expected);
        assertThat(count("SELECT count(DISTINCT tenant_id) FROM workflows")).isEqualTo(20);
    }

    @Test
    void tenantSizesFollowZipf() throws SQLException {
        assertThat(count("SELECT count(*) FROM workflows WHERE tenant_id = 'ds-00001'")).isEqualTo(100);
        assertThat(count("SELECT count(*) FROM workflows WHERE tenant_id = 'ds-00002'")).isEqualTo(50);
        assertThat(count("SELECT count(*) FROM workflows WHERE tenant_id = 'ds-00010'")).isEqualTo(10);
        assertThat(count("SELECT count(*) FROM notifications WHERE tenant_id = 'ds-00004'")).isEqualTo(100);
        // the tenants table says where each tenant's rows are
        assertThat(count("SELECT count(*) FROM workflows w JOIN " + DatasetGenerator.TENANTS_TABLE + " t"
                + " ON w.tenant_id = t.tenant_id WHERE w.id < t.first_workflow_id"
                + " OR w.id >= t.first_workflow_id + t.workflows")).isZero();
        long unread = count("SELECT count(*) FROM notifications WHERE read_at IS NULL");
        assertThat(unread).isBetween(1L, count("SELECT count(*) FROM notifications") / 2);
    }

    @Test
    void theApiInsertsAfterTheGeneratedIds() throws SQLException {
        assertThat(count("SELECT nextval(pg_get_serial_sequence('workflows', 'id'))"))
                .isGreaterThan(count("SELECT max(id) FROM workflows"));
    }

    @Test
    void aSecondRunFindsTheDatasetAndGeneratesNothing() throws SQLException {
        Map<String, Long> before = counts();

        DatasetSummary second = DatasetGenerator.ensure(jdbcUrl, SMALL);

        assertThat(second.generated()).isFalse();
        assertThat(second.rows()).isEqualTo(first.rows());
        assertThat(counts()).isEqualTo(before);
    }

    private static Map<String, Long> counts() throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : new String[] {"workflows", "workflow_steps", "notifications"}) {
            counts.put(table, count("SELECT count(*) FROM " + table));
        }
        return counts;
    }

    private static long count(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
