package io.cachebus.invalidator.testing;

import io.cachebus.events.CacheKeys;
import io.cachebus.events.GenerationLedger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/** What an API node's read does to a tenant's generation counters in Redis, for tests of the invalidator's side. */
public final class NodeReads {

    /** The counters' TTL a node reads them with: cache-client's default {@code cachebus.l2.generation-ttl}. */
    public static final Duration COUNTER_TTL = Duration.ofHours(24);

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> READ = RedisScript.of(GenerationLedger.READ, List.class);

    private NodeReads() {
    }

    /**
     * The counters' generations as a node reads them ({@link GenerationLedger#READ}): those missing or not vouched for
     * are re-seeded, the tenant's ledger names this Redis run, and the TTLs are refreshed.
     */
    @SuppressWarnings("unchecked")
    public static List<Long> readGenerations(StringRedisTemplate redis, String tenant, String... counterKeys) {
        List<String> keys = new ArrayList<>();
        keys.add(CacheKeys.ledgerKey(tenant));
        keys.addAll(List.of(counterKeys));
        List<Object> values = redis.execute(READ, keys, String.valueOf(COUNTER_TTL.toMillis()));
        return values.stream().map(value -> Long.parseLong(value.toString())).toList();
    }
}
