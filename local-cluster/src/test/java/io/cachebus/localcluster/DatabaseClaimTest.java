package io.cachebus.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One local cluster per PostgreSQL database, on the machine's server and a database of this test's own. */
class DatabaseClaimTest {

    private static PostgresDatabase database;

    @BeforeAll
    static void createDatabase() {
        PostgresDatabase server = PostgresDatabase.localDefault();
        assumeTrue(server.isReachable(), "no PostgreSQL on 127.0.0.1:5432");
        database = server.withDatabase("cachebus_claim_" + UUID.randomUUID().toString().substring(0, 8));
        database.ensureExists();
    }

    @AfterAll
    static void dropDatabase() {
        if (database != null) {
            database.drop();
        }
    }

    @Test
    void aSecondClusterOnTheSameDatabaseFailsBeforeItStartsAnythingUntilTheFirstLetsGo() {
        ClusterOptions options = ClusterOptions.defaults().withApiNodes(1).withInvalidators(0).withoutRedis()
                .withJdbcUrl(database.jdbcUrl());
        try (DatabaseClaim first = DatabaseClaim.take(database.jdbcUrl())) {
            assertThatThrownBy(() -> LocalCluster.start(options)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another local cluster uses the database " + database.database());
            assertThatThrownBy(() -> DatabaseClaim.take(database.jdbcUrl()).close())
                    .hasMessageContaining("another local cluster");
        }
        DatabaseClaim.take(database.jdbcUrl()).close();
        assertThat(DatabaseClaim.takeIfPostgres("jdbc:h2:mem:claim")).as("an embedded database is the cluster's own")
                .isEmpty();
    }
}
