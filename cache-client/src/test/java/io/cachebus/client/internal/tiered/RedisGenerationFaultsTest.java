package io.cachebus.client.internal.tiered;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.client.CacheKey;
import io.cachebus.client.Tier;
import io.cachebus.client.testsupport.InvalidatorRedis;
import io.cachebus.client.testsupport.Node;
import io.cachebus.client.testsupport.Read;
import io.cachebus.client.testsupport.Workflow;
import io.cachebus.events.CacheKeys;
import io.cachebus.local.FreePorts;
import io.cachebus.local.redis.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Redis loses generation counters, and the entries stored under old generations come back or stay, yet no invalidated
 * value is served: the counters never repeat a value (ADR 0010). Real redis-server processes, the nodes' real read
 * path (L1 off, so every read reaches L2) and the invalidator's own strategy. A node that neither read the tenant nor
 * got the broadcast before the fault ({@code lateReader}, as one started after it) reads the counters as Redis has
 * them after it, which is where a counter read as 0 or as its restored value would lead straight to the old entry.
 */
class RedisGenerationFaultsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Workflow INVALIDATED = Workflow.named("v1");
    /** Keys as old as the counter, 6.4 MB of them: what an eviction takes before it could take a young entry. */
    private static final int OLD_FILLERS = 200;

    /**
     * A snapshot holds the tenant's counter and the entry of v1; the invalidation and the entry of v2 come after it.
     * Redis is killed and restarted from the snapshot: the counter and v1's entry are back as they were, consistently,
     * and v1 must still not be served. The restarted server is a new run, so its ledger no longer vouches for the
     * restored counter and the next read re-seeds it.
     */
    @Test
    void aRestartFromASnapshotTakenBeforeAnInvalidationServesNoValueItInvalidated() {
        String tenant = "t-restore-" + UUID.randomUUID().toString().substring(0, 8);
        CacheKey key = key(tenant);
        try (RedisServer redis = RedisServer.start();
             InvalidatorRedis invalidator = InvalidatorRedis.on(redis);
             Node reader = l2Only("restore-reader", redis);
             Node lateReader = l2Only("restore-late-reader", redis)) {
            reader.read(key, Workflow.class, () -> INVALIDATED);
            assertThat(reader.read(key, Workflow.class, () -> Workflow.named("never")))
                    .isEqualTo(new Read<>(INVALIDATED, Tier.L2_REDIS));
            redis.snapshot();

            long invalidated = invalidator.invalidate(tenant, "workflows", reader);
            reader.read(key, Workflow.class, () -> Workflow.named("v2"));
            assertThat(reader.read(key, Workflow.class, () -> Workflow.named("never")))
                    .isEqualTo(new Read<>(Workflow.named("v2"), Tier.L2_REDIS));

            redis.restartFromSnapshot();
            assertThat(redis.text("GET", CacheKeys.generationKeyOfDomain(tenant, "workflows")))
                    .as("the snapshot brought the counter back as it was before the invalidation")
                    .isNotEqualTo(String.valueOf(invalidated));
            assertThat(keys(redis, CacheKeys.scanPattern(CacheKeys.prefix(tenant, "workflows"))))
                    .as("and the entry of v1, alone").hasSize(1);

            readUntilRedisServes(lateReader, key, Workflow.named("v3"));
            readUntilRedisServes(reader, key, Workflow.named("v3"));
            assertThat(invalidator.invalidate(tenant, "workflows", reader, lateReader))
                    .as("the next invalidation does not repeat a generation the lost one had used")
                    .isGreaterThan(invalidated);
        }
    }

    /**
     * Under {@code allkeys-lru} Redis may evict a counter while the entries stored under it stay (here kept recently
     * used on purpose, and every key sampled, so that the counter is the one to go). The counter is re-seeded above every value it had instead of reading as 0, so the entry of v1,
     * stored before the invalidation, stays unreachable: the policy is safe, not refused.
     */
    @Test
    void aCounterEvictedUnderAllkeysLruBringsNoInvalidatedValueBack() throws InterruptedException {
        String tenant = "t-evict-" + UUID.randomUUID().toString().substring(0, 8);
        CacheKey key = key(tenant);
        String counter = CacheKeys.generationKeyOfDomain(tenant, "workflows");
        try (RedisServer redis = RedisServer.start(FreePorts.next(), "--maxmemory-policy", "allkeys-lru",
                "--maxmemory-samples", "64");
             InvalidatorRedis invalidator = InvalidatorRedis.on(redis);
             Node reader = l2Only("evict-reader", redis);
             Node lateReader = l2Only("evict-late-reader", redis)) {
            reader.read(key, Workflow.class, () -> INVALIDATED);
            invalidator.invalidate(tenant, "workflows", reader);
            reader.read(key, Workflow.class, () -> Workflow.named("v2"));
            assertThat(reader.read(key, Workflow.class, () -> Workflow.named("never")))
                    .isEqualTo(new Read<>(Workflow.named("v2"), Tier.L2_REDIS));
            List<String> entries = keys(redis, CacheKeys.scanPattern(CacheKeys.prefix(tenant, "workflows")));
            assertThat(entries).as("the entries of v1 and v2").hasSize(2);

            // Redis's LRU clock ticks once a second: let the counter age beside old fillers, then keep the entries
            // young while filling. A SET may evict several keys to make room; the old fillers, as old as the counter,
            // are what goes with it, where new fillers written in the entries' second would tie with the entries.
            String filler = "x".repeat(32 * 1024);
            for (int i = 0; i < OLD_FILLERS; i++) {
                redis.text("SET", "old-filler:" + i, filler);
            }
            Thread.sleep(2_500);
            Matcher usedMemory = Pattern.compile("used_memory:(\\d+)").matcher(redis.text("INFO", "memory"));
            assertThat(usedMemory.find()).isTrue();
            redis.text("CONFIG", "SET", "maxmemory", String.valueOf(Long.parseLong(usedMemory.group(1)) + 2 * 1024 * 1024));
            for (int i = 0; i < 5_000 && redis.text("EXISTS", counter).equals("1"); i++) {
                redis.text("SET", "filler:" + i, filler);
                entries.forEach(entry -> redis.text("GET", entry));
            }
            assertThat(redis.text("EXISTS", counter)).as("the counter was evicted").isEqualTo("0");
            assertThat(entries).as("the entries it named were not").allMatch(entry -> redis.text("GET", entry) != null);

            readUntilRedisServes(lateReader, key, Workflow.named("v3"));
        }
    }

    /**
     * Reads until one is answered from Redis (the first stores the loaded value, a later one finds it), failing at
     * once if any answers the invalidated value. Reads right after a restart may answer from the fallback.
     */
    static List<Read<Workflow>> readUntilRedisServes(Node node, CacheKey key, Workflow fresh) {
        List<Read<Workflow>> reads = new ArrayList<>();
        long until = System.nanoTime() + TIMEOUT.toNanos();
        Read<Workflow> read;
        do {
            read = node.read(key, Workflow.class, () -> fresh);
            reads.add(read);
            assertThat(read.value()).as("read %s of %s", reads.size(), reads).isNotEqualTo(INVALIDATED);
        } while (read.tier() != Tier.L2_REDIS && System.nanoTime() < until);
        assertThat(read).as("Redis serves the fresh value again").isEqualTo(new Read<>(fresh, Tier.L2_REDIS));
        return reads;
    }

    static List<String> keys(RedisServer redis, String pattern) {
        try (RedisClient client = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = client.connect()) {
            return new ArrayList<>(connection.sync().keys(pattern));
        }
    }

    static Node l2Only(String name, RedisServer redis) {
        return Node.named(name).redis(redis).property("cachebus.l1.max-size", 0).start();
    }

    static CacheKey key(String tenant) {
        return CacheKey.of(tenant, "workflows").resource("/api/workflows/w1").build();
    }
}
