package io.cachebus.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachebus.local.redis.RedisCluster;
import io.cachebus.local.redis.RedisServer;
import io.cachebus.local.redis.RedisServer.RedisErrorReply;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisClusterTest {

    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void startsAHealthyClusterWhoseSlotsAreSpreadOverThePrimaries() {
        try (RedisCluster cluster = RedisCluster.start(3, 1)) {
            assertThat(cluster.servers()).hasSize(6).extracting(RedisServer::port).doesNotContain(6379);
            assertThat(cluster.primaries()).hasSize(3);
            assertThat(cluster.nodeAddresses().split(",")).hasSize(6);
            assertThat(cluster.slotOf("foo")).isEqualTo(12182);
            assertThat(cluster.slotOf("a{t1}b")).isEqualTo(cluster.slotOf("{t1}"));

            List<String> keys = List.of("a", "b", "c", "d", "e", "f", "g", "h");
            keys.forEach(key -> assertThat(cluster.text("SET", key, "v-" + key)).isEqualTo("OK"));
            assertThat(new HashSet<>(keys.stream().map(cluster::primaryOf).toList()))
                    .as("keys land on more than one primary").hasSizeGreaterThan(1);
            assertThat(cluster.dbSize()).isEqualTo(keys.size());
            RedisServer notTheOwner = cluster.primaries().stream().filter(p -> p != cluster.primaryOf("a")).findFirst().orElseThrow();
            assertThatThrownBy(() -> notTheOwner.text("GET", "a")).isInstanceOfSatisfying(RedisErrorReply.class,
                    e -> assertThat(e.error()).startsWith("MOVED " + cluster.slotOf("a")));
        }
    }

    @Test
    void aKilledPrimaryIsReplacedByItsReplicaWhichKeepsTheDataAndTheOldPrimaryRejoinsAsReplica() {
        try (RedisCluster cluster = RedisCluster.start(3, 1)) {
            cluster.text("SET", "survivor", "1");
            cluster.awaitReplicated(FAILOVER_TIMEOUT);
            RedisServer killed = cluster.killPrimaryOf("survivor");

            cluster.awaitHealthy(FAILOVER_TIMEOUT);

            RedisServer promoted = cluster.primaryOf("survivor");
            assertThat(promoted).isNotSameAs(killed);
            assertThat(promoted.isRunning()).isTrue();
            assertThat(cluster.primaries()).hasSize(3);
            assertThat(cluster.text("GET", "survivor")).isEqualTo("1");

            killed.restart();
            cluster.awaitHealthy(FAILOVER_TIMEOUT);
            assertThat(cluster.primaryOf("survivor")).isSameAs(promoted);
            assertThat(killed.text("INFO", "replication")).contains("role:slave");
        }
    }
}
