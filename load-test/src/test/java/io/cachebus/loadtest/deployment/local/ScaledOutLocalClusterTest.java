package io.cachebus.loadtest.deployment.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachebus.events.CacheKeys;
import io.cachebus.loadtest.deployment.InvalidatorControl;
import io.cachebus.loadtest.invalidation.InvalidatorScalingProbe;
import io.cachebus.loadtest.profile.Profile;
import io.cachebus.loadtest.profile.Profiles;
import io.cachebus.loadtest.workload.Domain;
import io.cachebus.loadtest.workload.EntityRef;
import io.cachebus.loadtest.workload.ReferenceApi;
import io.cachebus.local.redis.RedisCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code cluster} profile's deployment (one API node here, to keep it light): the API node and three invalidators
 * on a Redis Cluster of three primaries, twelve mutation partitions shared by the invalidators, and the scaling probe
 * working the same backlog off with one instance and with three.
 */
class ScaledOutLocalClusterTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(50);

    private static LocalClusterTarget target;
    private static ReferenceApi api;

    @BeforeAll
    static void start() {
        Profile.LocalShape shape = Profiles.cluster().local();
        target = LocalClusterTarget.start(LocalClusterTarget.quietDefaults(
                new Profile.LocalShape(1, shape.invalidators(), shape.mutationPartitions(),
                        shape.redisClusterPrimaries())));
        api = new ReferenceApi(HTTP, target::bearerToken, Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        if (target != null) {
            target.close();
        }
    }

    @Test
    void theApiNodeCachesOnTheRedisClusterAndItsWritesAreInvalidatedThere() {
        RedisCluster redis = target.cluster().redisCluster().orElseThrow();
        assertThat(target.cluster().redis()).isEmpty();
        assertThat(target.description()).contains("Redis Cluster of 3 primaries", "12 mutation partitions");
        URI node = target.apiNodes().get(0);
        String tenant = "scaled-out";
        String id = api.create(node, tenant, Domain.WORKFLOWS, 0).join();
        EntityRef workflow = new EntityRef(tenant, Domain.WORKFLOWS, id);
        // a cached read creates the workflow's counter (ADR 0023: a bump only moves counters that reads created); the
        // first reads after the create bypass the cache until the node's own write has come back from the invalidator
        String counter = CacheKeys.entityGenerationKey(tenant, "workflows", id);
        String read = await("the workflow's counter after a cached read").atMost(TIMEOUT).pollInterval(POLL)
                .until(() -> {
                    assertThat(api.read(node, workflow).join().ok()).isTrue();
                    return redis.text("GET", counter);
                }, Objects::nonNull);

        assertThat(api.write(node, workflow, 7).join().ok()).isTrue();

        // a write of one workflow bumps that workflow's counter and the domain's collections, not the domain (ADR 0017)
        await("the counter moved").atMost(TIMEOUT).pollInterval(POLL)
                .until(() -> redis.text("GET", counter), value -> !read.equals(value));
        assertThat(redis.text("GET", counter)).as("an invalidator INCRed the tenant's counter on the cluster")
                .isEqualTo(String.valueOf(Long.parseLong(read) + 1));
        assertThat(api.read(node, workflow).join().value()).as("the write is read back").isEqualTo(7);
    }

    @Test
    void theScalingProbeWorksTheSameBacklogOffWithOneAndWithThreeInstances() {
        InvalidatorControl control = target.invalidators().orElseThrow();
        InvalidatorScalingProbe probe = new InvalidatorScalingProbe(target.kafkaBootstrapServers().orElseThrow(),
                control);
        assertThat(control.instances()).isEqualTo(3);
        assertThat(probe.mutationPartitions()).isEqualTo(12);

        InvalidatorScalingProbe.Run one = probe.run(1, 3_000, 120, TIMEOUT);
        InvalidatorScalingProbe.Run three = probe.run(3, 3_000, 120, TIMEOUT);

        assertThat(one.instances()).isEqualTo(1);
        assertThat(three.instances()).isEqualTo(3);
        assertThat(one.events()).as("the whole backlog, nothing before the window").isEqualTo(3_000);
        assertThat(three.events()).isEqualTo(3_000);
        assertThat(one.eventsPerSecond()).isPositive();
        assertThat(three.eventsPerSecond()).isPositive();
        assertThat(target.cluster().invalidators()).as("the group is whole again").allMatch(i -> i.isRunning());
    }
}
