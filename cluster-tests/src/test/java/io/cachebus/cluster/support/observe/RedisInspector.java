package io.cachebus.cluster.support.observe;

import io.cachebus.events.CacheKeys;
import io.cachebus.events.Names;
import io.cachebus.events.Tag;
import io.cachebus.local.redis.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the cluster's Redis directly, as an operator would: the entries under a prefix and the generation counters.
 * Opens a connection per call, so it works across a restart of the server.
 */
public final class RedisInspector implements AutoCloseable {

    private final RedisServer server;
    private final RedisClient client;

    public RedisInspector(RedisServer server) {
        this.server = server;
        this.client = RedisClient.create(RedisURI.builder().withHost(server.host()).withPort(server.port())
                .withTimeout(Duration.ofSeconds(5)).build());
    }

    public RedisServer server() {
        return server;
    }

    /** Every entry under {@code tenant:{tid}:}, key to value (the keyspace of a test cluster is small: KEYS is fine). */
    public Map<String, String> entriesOf(String tenant) {
        // a tenant name cannot hold a glob character, so this pattern matches exactly that tenant's keys
        return entries(CacheKeys.TENANT_ROOT + Names.require("tenant", tenant) + ":*");
    }

    /** Every entry under a prefix built by {@link CacheKeys#prefix}, key to value. */
    public Map<String, String> entriesUnder(String prefix) {
        return entries(CacheKeys.scanPattern(prefix));
    }

    private Map<String, String> entries(String pattern) {
        return withCommands(redis -> {
            Map<String, String> entries = new TreeMap<>();
            List<String> keys = redis.keys(pattern);
            for (String key : keys) {
                String value = redis.get(key);
                if (value != null) {
                    entries.put(key, value);
                }
            }
            return entries;
        });
    }

    /** The generation counter of a tenant's domain (0 when it was never incremented). */
    public long generation(String tenant, String domain) {
        return counter(CacheKeys.generationKeyOfDomain(tenant, domain));
    }

    /** The generation counter of a tenant's tag. */
    public long generation(String tenant, Tag tag) {
        return counter(CacheKeys.generationKey(tenant, tag));
    }

    private long counter(String key) {
        String value = withCommands(redis -> redis.get(key));
        return value == null ? 0 : Long.parseLong(value);
    }

    /** Sends one command and returns its reply as text (e.g. ACL SETUSER to take commands away). */
    public String command(String... args) {
        return server.command(args);
    }

    private <T> T withCommands(java.util.function.Function<RedisCommands<String, String>, T> work) {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return work.apply(connection.sync());
        }
    }

    @Override
    public void close() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
