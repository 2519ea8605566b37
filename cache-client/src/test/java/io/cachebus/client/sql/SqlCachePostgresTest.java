package io.cachebus.client.sql;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cachebus.local.postgres.PostgresDatabase;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.redis.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The SQL facility's scenarios on PostgreSQL, on a database of its own; skipped where none listens on 5432. */
@ExtendWith({RedisServerExtension.class, LocalKafkaExtension.class})
class SqlCachePostgresTest extends SqlCacheScenarios {

    private static PostgresDatabase database;
    private static SqlCluster cluster;

    @BeforeAll
    static void start(KafkaBroker kafka, RedisServer redis) {
        assumeTrue(PostgresDatabase.isReachable(), "no PostgreSQL on 127.0.0.1:5432");
        database = PostgresDatabase.create("sqlcache");
        cluster = SqlCluster.start("sql-pg", kafka, redis, node -> node.database(database.jdbcUrl())
                .property("spring.datasource.username", database.user()));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Override
    SqlCluster cluster() {
        return cluster;
    }
}
