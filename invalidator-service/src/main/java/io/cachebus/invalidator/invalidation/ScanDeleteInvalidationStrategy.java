package io.cachebus.invalidator.invalidation;

import io.cachebus.events.CacheKeys;
import io.cachebus.events.Tag;
import io.cachebus.invalidator.coalescing.InvalidationGroup;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.data.redis.ClusterStateFailureException;
import org.springframework.data.redis.connection.ClusterSlotHashUtil;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * SCAN+DEL, as the prefix-invalidation requirement's first implementation did it: INCR the generation counters (so the stale-set guard of the contract holds), then SCAN
 * MATCH each prefix COUNT {@code scanCount} and UNLINK what it finds in batches of {@code unlinkBatch}.
 * Frees memory at once and also removes entries written by other writers, but SCAN walks the whole keyspace,
 * so the cost grows with it, not with the keys removed (ADR 0003).
 *
 * <p>The prefixes are the domain's and those of tags belonging to other domains (a tag of the group's own
 * domain lives under the domain's prefix). Tenant and domain names cannot contain glob characters
 * ({@link io.cachebus.events.Names}), so {@code tenant:t1:...*} never matches tenant {@code t10}.
 *
 * <p>On Redis Cluster SCAN sees one node's keys only, so every primary is scanned, and only when the primaries of the
 * topology serve all 16384 slots and none is failing: a scan that skipped a node would report success with keys
 * left behind, so during a failover the attempt fails and is retried instead. Keys under a prefix live in many slots
 * (ours share the tenant's slot, other writers' plain keys do not), so each batch is UNLINKed one slot at a time, the
 * per-slot commands pipelined: never a cross-slot multi-key command (ADR 0008).
 */
public final class ScanDeleteInvalidationStrategy implements PrefixInvalidationStrategy {

    public static final String NAME = "scan";

    private static final int SLOTS = 16384;

    private final GenerationCounters counters;
    private final StringRedisTemplate redis;
    private final int scanCount;
    private final int unlinkBatch;
    private final Duration timeout;

    /** @param timeout how long one batch of UNLINKs may take; normally the Lettuce command timeout */
    public ScanDeleteInvalidationStrategy(GenerationCounters counters, StringRedisTemplate redis,
                                          int scanCount, int unlinkBatch, Duration timeout) {
        if (scanCount < 1 || unlinkBatch < 1) {
            throw new IllegalArgumentException("scanCount and unlinkBatch must be positive");
        }
        this.counters = counters;
        this.redis = redis;
        this.scanCount = scanCount;
        this.unlinkBatch = unlinkBatch;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** One: each group's SCAN takes its own time, and the batch's time budget is checked between calls. */
    @Override
    public int groupsPerCall() {
        return 1;
    }

    @Override
    public List<InvalidationResult> invalidate(List<InvalidationGroup> groups) {
        long started = System.nanoTime();
        List<Long> generations = counters.incrementAll(groups);
        List<InvalidationResult> results = new ArrayList<>(groups.size());
        for (int i = 0; i < groups.size(); i++) {
            long removed = 0;
            for (String prefix : prefixes(groups.get(i))) {
                removed += removeKeysUnder(prefix);
            }
            results.add(new InvalidationResult(groups.get(i), NAME, generations.get(i), OptionalLong.of(removed),
                    Duration.ofNanos(System.nanoTime() - started)));
        }
        return results;
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
            if (connection instanceof RedisClusterConnection cluster) {
                long total = 0;
                for (RedisClusterNode primary : primariesServingEverySlot(cluster)) {
                    total += removeScanned(connection, cluster.scan(primary, options));
                }
                return total;
            }
            return removeScanned(connection, connection.keyCommands().scan(options));
        });
        return removed == null ? 0 : removed;
    }

    private long removeScanned(RedisConnection connection, Cursor<byte[]> scanned) {
        long total = 0;
        List<byte[]> batch = new ArrayList<>(unlinkBatch);
        try (Cursor<byte[]> cursor = scanned) {
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
    }

    /**
     * One UNLINK per slot of the batch (one in all on a standalone Redis), sent together. SCAN may return a key twice;
     * UNLINK counts only keys it actually removed, so the total stays exact.
     */
    private long unlink(RedisConnection connection, List<byte[]> keys) {
        Collection<List<byte[]>> bySlot = connection instanceof RedisClusterConnection
                ? keys.stream().collect(Collectors.groupingBy(ClusterSlotHashUtil::calculateSlot)).values()
                : List.of(keys);
        RedisClusterAsyncCommands<byte[], byte[]> commands = LettuceAsync.commands(connection);
        List<RedisFuture<Long>> replies = bySlot.stream().map(slotKeys -> commands.unlink(slotKeys.toArray(byte[][]::new)))
                .toList();
        return LettuceAsync.awaitAll(replies, timeout, "UNLINK of " + keys.size() + " keys").stream()
                .mapToLong(Long::longValue).sum();
    }

    /**
     * The primaries to scan: those serving slots in the client's topology, which must cover every slot with none
     * flagged failing. Otherwise the topology is in flux (a failover, a resharding) and the attempt fails, to be
     * retried once Lettuce has refreshed it.
     */
    static List<RedisClusterNode> primariesServingEverySlot(RedisClusterConnection cluster) {
        BitSet covered = new BitSet(SLOTS);
        List<RedisClusterNode> primaries = new ArrayList<>();
        for (RedisClusterNode node : cluster.clusterGetNodes()) {
            int[] slots = node.getSlotRange().getSlotsArray();
            if (!node.isMaster() || slots.length == 0) {
                continue;
            }
            if (node.isMarkedAsFail()) {
                throw new ClusterStateFailureException("primary " + node.getHost() + ":" + node.getPort()
                        + " is failing; the scan waits for its failover");
            }
            primaries.add(node);
            for (int slot : slots) {
                covered.set(slot);
            }
        }
        if (covered.cardinality() != SLOTS) {
            throw new ClusterStateFailureException("the cluster topology serves " + covered.cardinality() + " of "
                    + SLOTS + " slots; the scan waits until every slot has a primary");
        }
        return primaries;
    }

    @Override
    public String toString() {
        return NAME + "(count=" + scanCount + ", unlinkBatch=" + unlinkBatch + ")";
    }
}
