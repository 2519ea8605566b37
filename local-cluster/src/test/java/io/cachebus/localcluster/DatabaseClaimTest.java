package io.cachebus.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cachebus.local.redis.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
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

    @Test
    void aClusterWhoseStartFailsAfterItsClaimLetsTheDatabaseGo() {
        assumeTrue(RedisServer.isAvailable() && Files.isExecutable(Path.of("/usr/bin/taskset")),
                "taskset and redis-server installed");
        // redis-server placed on a CPU that does not exist: taskset refuses, after the claim was taken and Kafka's
        // broker started (each a process of its own, as the bench runs them)
        ClusterOptions options = ClusterOptions.defaults().withApiNodes(1).withInvalidators(0)
                .withJdbcUrl(database.jdbcUrl()).withTopology(Topology.PROCESSES)
                .withPlacement(CorePlacement.parse(LocalCluster.REDIS + "=4095"));

        assertThatThrownBy(() -> LocalCluster.start(options)).as("redis-server did not start");

        DatabaseClaim.take(database.jdbcUrl()).close();
    }
}
