package io.cachebus.loadtest.invalidation;

import io.cachebus.events.CacheKeys;
import io.cachebus.local.FreePorts;
import io.cachebus.local.redis.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A redis-server of its own holding a large keyspace, most of it unrelated background, {@code keysUnderPrefix}
 * cache entries under one tenant's domain prefix. The background is made by {@code DEBUG POPULATE} (which is why
 * this server enables debug commands for local connections): a million keys take about a second instead of a
 * minute of SETs.
 */
public final class KeyspaceFixture implements AutoCloseable {

    /** Background keys are {@code bench-background:N}, outside every {@code tenant:} prefix. */
    static final String BACKGROUND_PREFIX = "bench-background";
    private static final int ENTRY_VALUE_BYTES = 64;
    private static final int MSET_BATCH = 500;

    private final RedisServer redis;
    private final String tenant;
    private final String domain;
    private final int keysUnderPrefix;

    private KeyspaceFixture(RedisServer redis, String tenant, String domain, int keysUnderPrefix) {
        this.redis = redis;
        this.tenant = tenant;
        this.domain = domain;
        this.keysUnderPrefix = keysUnderPrefix;
    }

    private static final Duration POPULATE_TIMEOUT = Duration.ofMinutes(2);

    /** Starts a redis-server and fills it with {@code keyspace} keys, {@code keysUnderPrefix} of them under the prefix. */
    public static KeyspaceFixture start(int keyspace, int keysUnderPrefix, String tenant, String domain) {
        if (keysUnderPrefix > keyspace) {
            throw new IllegalArgumentException("more keys under the prefix than in the keyspace");
        }
        RedisServer redis = RedisServer.start(FreePorts.next(), "--enable-debug-command", "local");
        KeyspaceFixture fixture = new KeyspaceFixture(redis, tenant, domain, keysUnderPrefix);
        try {
            // a million keys take a second on an idle machine, many more on two cores shared with a cluster
            String reply = redis.slowCommand(POPULATE_TIMEOUT, "DEBUG", "POPULATE",
                    String.valueOf(keyspace - keysUnderPrefix), BACKGROUND_PREFIX, String.valueOf(ENTRY_VALUE_BYTES));
            if (!"+OK".equals(reply)) {
                throw new IllegalStateException("DEBUG POPULATE answered " + reply);
            }
            fixture.refillPrefix();
            return fixture;
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    /** Puts the entries under the prefix back (after a strategy deleted them); existing ones are overwritten. */
    public void refillPrefix() {
        String value = "x".repeat(ENTRY_VALUE_BYTES);
        for (int start = 0; start < keysUnderPrefix; start += MSET_BATCH) {
            List<String> command = new ArrayList<>();
            command.add("MSET");
            for (int i = start; i < Math.min(keysUnderPrefix, start + MSET_BATCH); i++) {
                command.add(CacheKeys.key(tenant, domain, "bench-entry-" + i));
                command.add(value);
            }
            String reply = redis.command(command.toArray(String[]::new));
            if (!"+OK".equals(reply)) {
                throw new IllegalStateException("MSET answered " + reply);
            }
        }
    }

    public RedisServer redis() {
        return redis;
    }

    public String tenant() {
        return tenant;
    }

    public String domain() {
        return domain;
    }

    public int keysUnderPrefix() {
        return keysUnderPrefix;
    }

    @Override
    public void close() {
        redis.close();
    }
}
