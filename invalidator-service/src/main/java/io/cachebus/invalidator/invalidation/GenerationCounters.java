package io.cachebus.invalidator.invalidation;

import io.cachebus.events.CacheKeys;
import io.cachebus.events.GenerationLedger;
import io.cachebus.invalidator.coalescing.InvalidationGroup;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The generation counters of coalesced groups (each group's domain's and tags', see the Redis layout contract),
 * bumped in one round trip for a whole batch of groups.
 *
 * <p>The bump is the {@link GenerationLedger#BUMP} script, sent through the shared Lettuce connection's asynchronous
 * API ({@link LettuceAsync}) by its SHA-1 ({@code EVALSHA}, so the script's text is not sent with every call): it
 * INCRs every counter the tenant's ledger vouches for and re-seeds any other (missing,
 * evicted, restored from a snapshot, inherited from another Redis run) above every value it had, so an invalidation
 * never makes a counter repeat a generation (ADR 0010); an entity's counter it cannot vouch for it removes instead,
 * for the next read to re-seed (ADR 0023). The counters of one group and the ledger belong to one tenant
 * and carry its hash tag, so on Redis Cluster they all live in one slot: the groups of a batch are sent as one script
 * call per slot, each to its primary, all at once (ADR 0014).
 *
 * <p>With {@code replicaAcks > 0} the script is followed by {@code WAIT replicaAcks timeout} on the same connection,
 * and the invalidation only counts as done once that many replicas hold it. Without it, a bump a primary acknowledged
 * but had not yet sent to its replica when it died is lost in a failover, after its offset was committed (ADR 0008).
 * What it retired stays unreachable all the same: the promoted replica is another Redis run, whose ledger re-seeds
 * the counters it inherited rather than continuing them (ADR 0010).
 */
public final class GenerationCounters {

    /** The default of {@code cachebus.invalidator.generation-ttl}. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);

    private static final String BUMP_DIGEST = sha1Hex(GenerationLedger.BUMP);

    private final StringRedisTemplate redis;
    private final Duration timeout;
    private final int replicaAcks;
    private final Duration replicaAckTimeout;
    private final byte[] ttlMillis;

    /**
     * @param timeout           how long to wait for all replies; normally the Lettuce command timeout
     *                          ({@code spring.data.redis.timeout})
     * @param replicaAcks       how many replicas must have the bump before it counts (0: the primary's word)
     * @param replicaAckTimeout the WAIT timeout, below {@code timeout}
     * @param ttl               the TTL of a counter and of its tenant's ledger, refreshed by every bump (an
     *                          entity's counter keeps the TTL its last read gave it)
     */
    public GenerationCounters(StringRedisTemplate redis, Duration timeout, int replicaAcks, Duration replicaAckTimeout,
                              Duration ttl) {
        if (replicaAcks < 0) {
            throw new IllegalArgumentException("replicaAcks must not be negative");
        }
        this.redis = redis;
        this.timeout = timeout;
        this.replicaAcks = replicaAcks;
        this.replicaAckTimeout = replicaAckTimeout;
        this.ttlMillis = LettuceAsync.bytes(String.valueOf(ttl.toMillis()));
    }

    /** Counters acknowledged by the primary alone, with the default TTL of {@code cachebus.invalidator.generation-ttl}. */
    public GenerationCounters(StringRedisTemplate redis, Duration timeout) {
        this(redis, timeout, 0, Duration.ZERO, DEFAULT_TTL);
    }

    /**
     * Bumps the counters of the group ({@link #counterKeys}); returns the first one's new value: the domain's, or for a
     * group of single-entity writes the domain's collections'.
     */
    public long increment(InvalidationGroup group) {
        return incrementAll(List.of(group)).get(0);
    }

    /**
     * Bumps the counters of every group in one round trip: one {@link GenerationLedger#BUMP} call per Redis slot (one
     * in all on a standalone Redis), all sent before any reply is awaited. Returns each group's new generation
     * (of its first counter: the domain's, or its collections'), in the order of the groups. Throws when any call failed; the calls that succeeded stay done, which
     * is harmless (a counter bumped once more only costs misses).
     */
    public List<Long> incrementAll(List<InvalidationGroup> groups) {
        if (groups.isEmpty()) {
            return List.of();
        }
        List<Long> generations = redis.execute((RedisCallback<List<Long>>) connection -> bumpAll(connection, groups));
        if (generations == null || generations.size() != groups.size()) {
            throw new RedisSystemException("bump of " + groups.size() + " groups returned " + generations, null);
        }
        return generations;
    }

    /**
     * The domain counter first, then the tag counters in the group's tag order; for a group of single-entity writes
     * the domain's collections counter instead of the domain's, then each entity's, then the tags' (ADR 0017). The
     * first counter's new value is what the broadcast announces.
     */
    static List<String> counterKeys(InvalidationGroup group) {
        List<String> keys = new ArrayList<>(1 + group.entityIds().size() + group.tags().size());
        if (group.entityScoped()) {
            keys.add(CacheKeys.collectionsGenerationKey(group.tenant(), group.domain()));
            group.entityIds().forEach(id -> keys.add(CacheKeys.entityGenerationKey(group.tenant(), group.domain(), id)));
        } else {
            keys.add(CacheKeys.generationKeyOfDomain(group.tenant(), group.domain()));
        }
        group.tags().forEach(tag -> keys.add(CacheKeys.generationKey(group.tenant(), tag)));
        return keys;
    }

    private List<Long> bumpAll(RedisConnection connection, List<InvalidationGroup> groups) {
        List<SlotCall> calls = callsBySlot(connection, groups);
        try {
            return bump(connection, calls, true);
        } catch (RedisSystemException e) {
            if (!scriptNotLoaded(e)) {
                throw e;
            }
            // A Redis that restarted or a new primary does not know the script yet: EVAL loads it. Calls of this round
            // that did run are run again, which bumps their counters once more: harmless.
            return bump(connection, calls, false);
        }
    }

    /** The groups per slot of their tenant (all together on a standalone Redis), each call in the groups' order. */
    private static List<SlotCall> callsBySlot(RedisConnection connection, List<InvalidationGroup> groups) {
        boolean cluster = LettuceAsync.commands(connection) instanceof RedisAdvancedClusterAsyncCommands<?, ?>;
        Map<Integer, SlotCall> calls = new LinkedHashMap<>();
        for (int index = 0; index < groups.size(); index++) {
            InvalidationGroup group = groups.get(index);
            String ledger = CacheKeys.ledgerKey(group.tenant());
            int slot = cluster ? SlotHash.getSlot(ledger) : 0;
            calls.computeIfAbsent(slot, s -> new SlotCall(ledger)).add(index, ledger, counterKeys(group));
        }
        return List.copyOf(calls.values());
    }

    @SuppressWarnings("unchecked")
    private List<Long> bump(RedisConnection connection, List<SlotCall> calls, boolean byDigest) {
        List<RedisFuture<Object>> replies = new ArrayList<>(calls.size() * 2);
        for (SlotCall call : calls) {
            // WAIT counts the writes of its own connection: then the script must go over the primary's node connection
            RedisClusterAsyncCommands<byte[], byte[]> commands = replicaAcks == 0
                    ? LettuceAsync.commands(connection) : LettuceAsync.primaryConnectionOf(connection, call.firstLedger);
            byte[][] keys = call.keys.toArray(byte[][]::new);
            byte[][] arguments = call.arguments(ttlMillis);
            replies.add(byDigest
                    ? commands.evalsha(BUMP_DIGEST, ScriptOutputType.MULTI, keys, arguments)
                    : commands.eval(GenerationLedger.BUMP, ScriptOutputType.MULTI, keys, arguments));
            if (replicaAcks > 0) {
                replies.add((RedisFuture<Object>) (RedisFuture<?>) commands.waitForReplication(replicaAcks,
                        replicaAckTimeout.toMillis()));
            }
        }
        String what = "bump of " + calls.stream().mapToInt(call -> call.groupIndexes.size()).sum() + " groups in "
                + calls.size() + " script calls";
        List<Object> answers = LettuceAsync.awaitAll(replies, timeout, what);
        Long[] generations = new Long[calls.stream().mapToInt(call -> call.groupIndexes.size()).sum()];
        int answer = 0;
        for (SlotCall call : calls) {
            List<Object> values = (List<Object>) answers.get(answer++);
            if (replicaAcks > 0) {
                long acked = (Long) answers.get(answer++);
                if (acked < replicaAcks) {
                    throw new RedisSystemException(what + " reached " + acked + " of " + replicaAcks
                            + " replicas within " + replicaAckTimeout.toMillis() + " ms", null);
                }
            }
            call.domainGenerations(values, generations, what);
        }
        return Arrays.asList(generations);
    }

    private static boolean scriptNotLoaded(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof RedisNoScriptException) {
                return true;
            }
        }
        return false;
    }

    private static String sha1Hex(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }

    /** The script call of one slot: for each group its ledger, then its counters. */
    private static final class SlotCall {

        final String firstLedger;
        final List<byte[]> keys = new ArrayList<>();
        final List<Integer> groupIndexes = new ArrayList<>();
        final List<Integer> counterCounts = new ArrayList<>();

        SlotCall(String firstLedger) {
            this.firstLedger = firstLedger;
        }

        void add(int groupIndex, String ledger, List<String> counters) {
            groupIndexes.add(groupIndex);
            counterCounts.add(counters.size());
            keys.add(LettuceAsync.bytes(ledger));
            counters.forEach(counter -> keys.add(LettuceAsync.bytes(counter)));
        }

        byte[][] arguments(byte[] ttlMillis) {
            byte[][] arguments = new byte[1 + counterCounts.size()][];
            arguments[0] = ttlMillis;
            for (int i = 0; i < counterCounts.size(); i++) {
                arguments[1 + i] = LettuceAsync.bytes(String.valueOf(counterCounts.get(i)));
            }
            return arguments;
        }

        /** Each group's first bumped counter (its domain's) into {@code generations}, at the group's index. */
        void domainGenerations(List<Object> values, Long[] generations, String what) {
            int expected = counterCounts.stream().mapToInt(Integer::intValue).sum();
            if (values == null || values.size() != expected) {
                throw new RedisSystemException(what + " returned " + values + " for " + expected + " counters", null);
            }
            int value = 0;
            for (int i = 0; i < groupIndexes.size(); i++) {
                generations[groupIndexes.get(i)] = (Long) values.get(value);
                value += counterCounts.get(i);
            }
        }
    }
}
