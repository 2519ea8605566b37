package io.cachebus.invalidator.invalidation;

import static io.cachebus.invalidator.testing.TestEvents.mutation;
import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.events.CacheKeys;
import io.cachebus.invalidator.coalescing.InvalidationGroup;
import io.cachebus.local.junit.RedisClusterExtension;
import io.cachebus.local.redis.RedisCluster;
import io.cachebus.local.redis.RedisServer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Both strategies against a real Redis Cluster of three primaries, through Spring Data Redis on Lettuce's cluster
 * client as in the service: everything the standalone tests check, plus what only a cluster can get wrong.
 */
@ExtendWith(RedisClusterExtension.class)
class InvalidationStrategiesOnClusterTest extends InvalidationStrategiesContract {

    private static RedisCluster cluster;

    @BeforeAll
    static void cluster(RedisCluster redisCluster) {
        cluster = redisCluster;
    }

    @Override
    LettuceConnectionFactory newConnectionFactory() {
        return new LettuceConnectionFactory(new RedisClusterConfiguration(List.of(cluster.nodeAddresses().split(","))));
    }

    @Test
    void theCountersOfAGroupShareTheSlotOfItsTenantsEntries() {
        InvalidationGroup group = group(mutation("t1", "workflows", 1, STEPS, UNREAD));

        Set<Integer> slots = GenerationCounters.counterKeys(group).stream().map(cluster::slotOf).collect(Collectors.toSet());

        assertThat(slots).containsExactly(cluster.slotOf(CacheKeys.key("t1", "workflows", "any")));
    }

    @Test
    void scanVisitsEveryPrimaryAndRemovesThePrefixFromAllOfThem() {
        Map<String, String> removable = plainEntries("t1", "workflows", 60);
        removable.putAll(entries("t1", "workflows", 10));
        Map<String, String> kept = plainEntries("t10", "workflows", 60);
        redis.opsForValue().multiSet(removable);
        redis.opsForValue().multiSet(kept);
        List<RedisServer> holding = cluster.primaries().stream().filter(primary -> primary.dbSize() > 0).toList();
        assertThat(holding).as("the keys are spread over every primary").hasSize(RedisClusterExtension.PRIMARIES);

        InvalidationResult result = new ScanDeleteInvalidationStrategy(counters, redis, 10, 7, TIMEOUT)
                .invalidate(group(mutation("t1", "workflows", 1)));

        assertThat(result.keysRemoved()).hasValue(removable.size());
        assertThat(redis.countExistingKeys(removable.keySet())).isZero();
        assertThat(redis.countExistingKeys(kept.keySet())).isEqualTo(kept.size());
        assertThat(cluster.text("GET", CacheKeys.generationKeyOfDomain("t1", "workflows")))
                .isEqualTo(String.valueOf(result.generation()));
    }
}
