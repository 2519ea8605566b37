package io.cachebus.client.sql;

import io.cachebus.client.testsupport.Node;
import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.redis.RedisServer;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The SQL facility's scenarios on H2 (PostgreSQL mode). */
@ExtendWith({RedisServerExtension.class, LocalKafkaExtension.class})
class SqlCacheH2Test extends SqlCacheScenarios {

    private static SqlCluster cluster;

    @BeforeAll
    static void start(KafkaBroker kafka, RedisServer redis) {
        String database = Node.Builder.h2("sql-" + UUID.randomUUID(), true);
        cluster = SqlCluster.start("sql-h2", kafka, redis, node -> node.database(database));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    SqlCluster cluster() {
        return cluster;
    }
}
