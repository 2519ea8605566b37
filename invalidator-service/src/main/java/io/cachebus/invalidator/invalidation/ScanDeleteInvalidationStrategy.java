package io.cachebus.invalidator.invalidation;

import io.cachebus.events.CacheKeys;
import io.cachebus.events.Tag;
import io.cachebus.invalidator.coalescing.InvalidationGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The seed's SCAN+DEL: INCR the generation counters (so the stale-set guard of the contract holds), then SCAN
 * MATCH each prefix COUNT {@code scanCount} and UNLINK what it finds in batches of {@code unlinkBatch}.
 * Frees memory at once and also removes entries written by other writers, but SCAN walks the whole keyspace,
 * so the cost grows with it, not with the keys removed (ADR 0003).
 *
 * <p>The prefixes are the domain's and those of tags belonging to other domains (a tag of the group's own
 * domain lives under the domain's prefix). Tenant and domain names cannot contain glob characters
 * ({@link io.cachebus.events.Names}), so {@code tenant:t1:...*} never matches tenant {@code t10}.
 */
public final class ScanDeleteInvalidationStrategy implements PrefixInvalidationStrategy {

    public static final String NAME = "scan";

    private final GenerationCounters counters;
    private final StringRedisTemplate redis;
    private final int scanCount;
    private final int unlinkBatch;

    public ScanDeleteInvalidationStrategy(GenerationCounters counters, StringRedisTemplate redis,
                                          int scanCount, int unlinkBatch) {
        if (scanCount < 1 || unlinkBatch < 1) {
            throw new IllegalArgumentException("scanCount and unlinkBatch must be positive");
        }
        this.counters = counters;
        this.redis = redis;
        this.scanCount = scanCount;
        this.unlinkBatch = unlinkBatch;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public InvalidationResult invalidate(InvalidationGroup group) {
        long started = System.nanoTime();
        long generation = counters.increment(group);
        long removed = 0;
        for (String prefix : prefixes(group)) {
            removed += removeKeysUnder(prefix);
        }
        return new InvalidationResult(group, NAME, generation, OptionalLong.of(removed),
                Duration.ofNanos(System.nanoTime() - started));
    }

    static Set<String> prefixes(InvalidationGroup group) {
        Set<String> prefixes = new LinkedHashSet<>();
        prefixes.add(group.prefix());
        for (Tag tag : group.tags()) {
            if (!tag.domain().equals(group.domain())) {
                prefixes.add(CacheKeys.prefix(group.tenant(), tag));
            }
        }
        return prefixes;
    }

    private long removeKeysUnder(String prefix) {
        ScanOptions options = ScanOptions.scanOptions().match(CacheKeys.scanPattern(prefix)).count(scanCount).build();
        Long removed = redis.execute((RedisCallback<Long>) connection -> {
            long total = 0;
            List<byte[]> batch = new ArrayList<>(unlinkBatch);
            try (Cursor<byte[]> cursor = connection.keyCommands().scan(options)) {
                while (cursor.hasNext()) {
                    batch.add(cursor.next());
                    if (batch.size() == unlinkBatch) {
                        total += unlink(connection, batch);
                        batch.clear();
                    }
                }
            }
            if (!batch.isEmpty()) {
                total += unlink(connection, batch);
            }
            return total;
        });
        return removed == null ? 0 : removed;
    }

    /** SCAN may return a key twice; UNLINK counts only keys it actually removed, so the total stays exact. */
    private static long unlink(RedisConnection connection, List<byte[]> keys) {
        Long count = connection.keyCommands().unlink(keys.toArray(byte[][]::new));
        return count == null ? 0 : count;
    }

    @Override
    public String toString() {
        return NAME + "(count=" + scanCount + ", unlinkBatch=" + unlinkBatch + ")";
    }
}
