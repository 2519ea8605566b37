package io.cachebus.localcluster.dataset;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills a PostgreSQL database of the API's schema (its own Flyway migrations) with a realistic dataset, once: the
 * dataset is stored with a marker of its {@link DatasetSpec}, and a database that already holds the dataset of the
 * same spec is left as it is. Another spec's dataset is replaced (the database is the cluster's own). Rows go in
 * with {@code COPY}, all in one transaction with the marker, so a generation that fails leaves nothing half made.
 * Every tenant's rows have consecutive ids, and {@value #TENANTS_TABLE} says where each tenant's start, so a load
 * generator can pick a tenant and one of its rows without a query.
 */
public final class DatasetGenerator {

    private static final Logger log = LoggerFactory.getLogger(DatasetGenerator.class);

    static final String MARKER_TABLE = "cachebus_dataset";
    static final String TENANTS_TABLE = "cachebus_dataset_tenants";
    private static final String[] STATUSES = {"ACTIVE", "ACTIVE", "ACTIVE", "DRAFT", "PAUSED", "ARCHIVED"};
    private static final String[] ACTIONS = {"http.call", "email.send", "approval.wait", "queue.publish", "script.run"};
    /** Rows are sent to the server in chunks of about this many characters. */
    private static final int COPY_CHUNK = 1 << 20;
    private static final String TIMESTAMP = "2026-01-01 00:00:00+00";

    private DatasetGenerator() {
    }

    /**
     * Makes sure the database at {@code jdbcUrl} (credentials in the URL) holds {@code spec}'s dataset: migrates its
     * schema, then generates the dataset unless the same one is already there.
     */
    public static DatasetSummary ensure(String jdbcUrl, DatasetSpec spec) {
        long started = System.nanoTime();
        Flyway.configure().dataSource(jdbcUrl, null, null).locations("classpath:db/migration").load().migrate();
        try (Connection connection = DriverManager.getConnection(jdbcUrl)) {
            createBookkeeping(connection);
            Map<String, Long> existing = storedRows(connection, spec);
            if (existing != null) {
                return new DatasetSummary(spec.tenants(), existing, spec, false, millisSince(started));
            }
            connection.setAutoCommit(false);
            try {
                Map<String, Long> rows = generate(connection, spec);
                connection.commit();
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    // the planner's statistics, as a production database has them
                    statement.execute("ANALYZE workflows, workflow_steps, notifications");
                }
                long took = millisSince(started);
                log.info("dataset generated tenants={} rows={} tookMs={}", spec.tenants(), rows, took);
                return new DatasetSummary(spec.tenants(), rows, spec, true, took);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot generate the dataset in " + jdbcUrl.replaceAll("[?;].*", ""), e);
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void createBookkeeping(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + MARKER_TABLE + " (marker VARCHAR(400) PRIMARY KEY,"
                    + " tenants INT NOT NULL, workflows BIGINT NOT NULL, workflow_steps BIGINT NOT NULL,"
                    + " notifications BIGINT NOT NULL, generated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS " + TENANTS_TABLE + " (tenant_rank INT PRIMARY KEY,"
                    + " tenant_id VARCHAR(64) NOT NULL, first_workflow_id BIGINT NOT NULL, workflows INT NOT NULL,"
                    + " first_notification_id BIGINT NOT NULL, notifications INT NOT NULL)");
        }
    }

    /** The rows of {@code spec}'s dataset when the database holds it; null when it does not. */
    private static Map<String, Long> storedRows(Connection connection, DatasetSpec spec) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT workflows, workflow_steps, notifications"
                + " FROM " + MARKER_TABLE + " WHERE marker = ?")) {
            query.setString(1, spec.marker());
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? rows(row.getLong(1), row.getLong(2), row.getLong(3)) : null;
            }
        }
    }

    private static Map<String, Long> rows(long workflows, long steps, long notifications) {
        Map<String, Long> rows = new LinkedHashMap<>();
        rows.put("workflows", workflows);
        rows.put("workflow_steps", steps);
        rows.put("notifications", notifications);
        return rows;
    }

    private static Map<String, Long> generate(Connection connection, DatasetSpec spec) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            // another spec's dataset, and whatever was written on it, goes: the database is the cluster's own
            statement.execute("TRUNCATE workflow_steps, workflows, notifications, " + TENANTS_TABLE + ", "
                    + MARKER_TABLE);
        }
        PGConnection postgres = connection.unwrap(PGConnection.class);
        SplittableRandom random = new SplittableRandom(spec.seed());
        long workflows = 0;
        long steps = 0;
        long notifications = 0;
        try (Rows workflowRows = new Rows(postgres, "COPY workflows (id, tenant_id, name, status, description,"
                + " created_at, updated_at) FROM STDIN");
                Rows stepRows = new Rows(postgres, "COPY workflow_steps (workflow_id, tenant_id, step_position, name,"
                        + " action) FROM STDIN");
                Rows notificationRows = new Rows(postgres, "COPY notifications (id, tenant_id, title, message,"
                        + " read_at, created_at) FROM STDIN");
                Rows tenantRows = new Rows(postgres, "COPY " + TENANTS_TABLE + " (tenant_rank, tenant_id,"
                        + " first_workflow_id, workflows, first_notification_id, notifications) FROM STDIN")) {
            // one COPY at a time per connection: each table is written whole, tenant by tenant
            for (int rank = 1; rank <= spec.tenants(); rank++) {
                String tenant = DatasetSpec.tenantId(rank);
                int count = spec.sizeAt(rank, spec.largestTenantWorkflows());
                for (int i = 0; i < count; i++) {
                    long id = ++workflows;
                    workflowRows.add(id, tenant, "workflow-" + i, STATUSES[random.nextInt(STATUSES.length)],
                            "Workflow " + i + " of " + tenant + ": routes requests through review, approval and"
                                    + " delivery", TIMESTAMP, TIMESTAMP);
                }
            }
            workflowRows.finish();
            long workflowId = 0;
            for (int rank = 1; rank <= spec.tenants(); rank++) {
                String tenant = DatasetSpec.tenantId(rank);
                int count = spec.sizeAt(rank, spec.largestTenantWorkflows());
                for (int i = 0; i < count; i++) {
                    workflowId++;
                    for (int position = 0; position < spec.stepsPerWorkflow(); position++) {
                        stepRows.add(workflowId, tenant, position, "step-" + position,
                                ACTIONS[random.nextInt(ACTIONS.length)]);
                        steps++;
                    }
                }
            }
            stepRows.finish();
            for (int rank = 1; rank <= spec.tenants(); rank++) {
                String tenant = DatasetSpec.tenantId(rank);
                int count = spec.sizeAt(rank, spec.largestTenantNotifications());
                for (int i = 0; i < count; i++) {
                    long id = ++notifications;
                    notificationRows.add(id, tenant, "Notification " + i, "Step " + (i % 7) + " of workflow "
                            + (i % 97) + " needs attention", random.nextDouble() < spec.unreadShare() ? null : TIMESTAMP,
                            TIMESTAMP);
                }
            }
            notificationRows.finish();
            long firstWorkflow = 1;
            long firstNotification = 1;
            for (int rank = 1; rank <= spec.tenants(); rank++) {
                int tenantWorkflows = spec.sizeAt(rank, spec.largestTenantWorkflows());
                int tenantNotifications = spec.sizeAt(rank, spec.largestTenantNotifications());
                tenantRows.add(rank, DatasetSpec.tenantId(rank), firstWorkflow, tenantWorkflows, firstNotification,
                        tenantNotifications);
                firstWorkflow += tenantWorkflows;
                firstNotification += tenantNotifications;
            }
            tenantRows.finish();
        }
        try (Statement statement = connection.createStatement()) {
            // the API's inserts continue after the generated ids
            statement.execute("SELECT setval(pg_get_serial_sequence('workflows', 'id'), " + Math.max(1, workflows) + ")");
            statement.execute("SELECT setval(pg_get_serial_sequence('notifications', 'id'), "
                    + Math.max(1, notifications) + ")");
        }
        try (PreparedStatement marker = connection.prepareStatement("INSERT INTO " + MARKER_TABLE
                + " (marker, tenants, workflows, workflow_steps, notifications, generated_at) VALUES (?, ?, ?, ?, ?,"
                + " now())")) {
            marker.setString(1, spec.marker());
            marker.setInt(2, spec.tenants());
            marker.setLong(3, workflows);
            marker.setLong(4, steps);
            marker.setLong(5, notifications);
            marker.executeUpdate();
        }
        return rows(workflows, steps, notifications);
    }

    /**
     * One table's {@code COPY ... FROM STDIN} in text format, started on the first row and sent in chunks. Values
     * hold no tab, newline or backslash (the generator makes them), so none needs escaping; null is {@code \N}.
     */
    private static final class Rows implements AutoCloseable {

        private final PGConnection connection;
        private final String copy;
        private final StringBuilder chunk = new StringBuilder(COPY_CHUNK + 4096);
        private CopyIn in;

        Rows(PGConnection connection, String copy) {
            this.connection = connection;
            this.copy = copy;
        }

        void add(Object... values) throws SQLException {
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    chunk.append('\t');
                }
                chunk.append(values[i] == null ? "\\N" : values[i].toString());
            }
            chunk.append('\n');
            if (chunk.length() >= COPY_CHUNK) {
                send();
            }
        }

        private void send() throws SQLException {
            if (in == null) {
                in = connection.getCopyAPI().copyIn(copy);
            }
            byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
            in.writeToCopy(bytes, 0, bytes.length);
            chunk.setLength(0);
        }

        void finish() throws SQLException {
            if (chunk.length() > 0) {
                send();
            }
            if (in != null) {
                in.endCopy();
                in = null;
            }
        }

        @Override
        public void close() throws SQLException {
            if (in != null && in.isActive()) {
                in.cancelCopy();
            }
        }
    }
}
