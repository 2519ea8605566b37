package io.cachebus.invalidator.invalidation;

import static io.cachebus.invalidator.testing.NodeReads.readGenerations;
import static io.cachebus.invalidator.testing.TestEvents.entityWrite;
import static io.cachebus.invalidator.testing.TestEvents.mutation;
import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.events.CacheKeys;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.Tag;
import io.cachebus.invalidator.coalescing.EventCoalescer;
import io.cachebus.invalidator.coalescing.InvalidationGroup;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Both strategies against real Redis, through Spring Data Redis on Lettuce as in the service: a standalone
 * redis-server ({@link InvalidationStrategiesTest}) and a Redis Cluster of three primaries
 * ({@link InvalidationStrategiesOnClusterTest}) must behave the same.
 */
abstract class InvalidationStrategiesContract {

    static final Tag STEPS = new Tag("workflows", "steps");
    static final Tag UNREAD = new Tag("notifications", "unread-count");
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    LettuceConnectionFactory connectionFactory;
    StringRedisTemplate redis;
    GenerationCounters counters;

    /** A new, not yet started connection factory for the Redis under test. */
    abstract LettuceConnectionFactory newConnectionFactory();

    @BeforeEach
    void connect() {
        connectionFactory = newConnectionFactory();
        connectionFactory.afterPropertiesSet();
        connectionFactory.start();
        redis = new StringRedisTemplate(connectionFactory);
        redis.execute((RedisCallback<Void>) connection -> {
            connection.serverCommands().flushAll();
            connection.serverCommands().resetConfigStats();
            return null;
        });
        counters = new GenerationCounters(redis, TIMEOUT);
    }

    @AfterEach
    void disconnect() {
        connectionFactory.destroy();
    }

    @Test
    void generationIncrementsTheDomainAndTagCountersAndLeavesEveryEntryAlone() {
        Map<String, String> entries = entries("t1", "workflows", 20);
        entries.put(CacheKeys.key("t1", STEPS, "w1"), "[]");
        redis.opsForValue().multiSet(entries);
        var strategy = new GenerationInvalidationStrategy(counters);
        InvalidationGroup group = group(mutation("t1", "workflows", 1, STEPS, UNREAD));

        InvalidationResult first = strategy.invalidate(group);
        List<Long> tagsAfterFirst = tagGenerations();
        InvalidationResult second = strategy.invalidate(group);

        assertThat(second.generation()).isEqualTo(first.generation() + 1);
        assertThat(first.strategy()).isEqualTo("generation");
        assertThat(first.keysRemoved()).isEmpty();
        assertThat(redis.opsForValue().get(CacheKeys.generationKeyOfDomain("t1", "workflows")))
                .isEqualTo(String.valueOf(second.generation()));
        assertThat(tagGenerations()).containsExactly(tagsAfterFirst.get(0) + 1, tagsAfterFirst.get(1) + 1);
        assertThat(redis.opsForValue().multiGet(entries.keySet())).containsExactlyElementsOf(entries.values());
    }

    @Test
    void scanRemovesExactlyTheKeysUnderThePrefixesCountsThemAndAlsoIncrementsTheCounters() {
        Map<String, String> removable = entries("t1", "workflows", 30);
        removable.put(CacheKeys.key("t1", STEPS, "w1"), "[]");
        removable.put(CacheKeys.key("t1", UNREAD, "u1"), "3");
        removable.putAll(plainEntries("t1", "workflows", 30));
        Map<String, String> kept = entries("t10", "workflows", 10);
        kept.putAll(entries("t1", "notifications", 5));
        kept.putAll(entries("t", "workflows", 2));
        kept.put("tenant:t1:workflowsx:abc", "x");
        kept.putAll(plainEntries("t10", "workflows", 10));
        redis.opsForValue().multiSet(removable);
        redis.opsForValue().multiSet(kept);
        var strategy = new ScanDeleteInvalidationStrategy(counters, redis, 100, 500, TIMEOUT);

        InvalidationResult result = strategy.invalidate(group(mutation("t1", "workflows", 5, UNREAD)));

        assertThat(result.keysRemoved()).hasValue(removable.size());
        assertThat(result.strategy()).isEqualTo("scan");
        assertThat(redis.countExistingKeys(removable.keySet())).isZero();
        assertThat(redis.opsForValue().multiGet(kept.keySet())).containsExactlyElementsOf(kept.values());
        assertThat(redis.opsForValue().get(CacheKeys.generationKeyOfDomain("t1", "workflows")))
                .isEqualTo(String.valueOf(result.generation()));
        assertThat(redis.opsForValue().get(CacheKeys.generationKey("t1", UNREAD))).isNotNull();

        InvalidationResult again = strategy.invalidate(group(mutation("t1", "workflows", 6, UNREAD)));
        assertThat(again.keysRemoved()).hasValue(0);
        assertThat(again.generation()).as("the counters survive their own prefix being scanned")
                .isEqualTo(result.generation() + 1);
    }

    @Test
    void scanFollowsTheCursorAcrossManyIterationsAndUnlinksInBatches() {
        int matching = 1_500;
        redis.opsForValue().multiSet(entries("t1", "workflows", matching));
        Map<String, String> others = entries("t2", "workflows", 3_000);
        redis.opsForValue().multiSet(others);
        var strategy = new ScanDeleteInvalidationStrategy(counters, redis, 10, 7, TIMEOUT);
        resetCommandCalls();

        InvalidationResult result = strategy.invalidate(group(mutation("t1", "workflows", 1)));

        assertThat(result.keysRemoved()).hasValue(matching);
        assertThat(redis.keys("tenant:t1:*")).isEmpty();
        assertThat(redis.countExistingKeys(others.keySet())).isEqualTo(others.size());
        Map<String, Long> calls = commandCalls();
        assertThat(calls.get("scan")).as("SCAN calls with COUNT 10 over %s keys", matching + others.size())
                .isGreaterThan(100);
        assertThat(calls.get("unlink")).as("UNLINK calls in batches of 7").isGreaterThanOrEqualTo(matching / 7);
    }

    @Test
    void scanAlsoCoversTheTagsOfOtherDomainsButNotTheirWholeDomain() {
        assertThat(ScanDeleteInvalidationStrategy.prefixes(group(mutation("t1", "workflows", 1, STEPS, UNREAD))))
                .containsExactly("tenant:t1:workflows:", "tenant:t1:notifications:unread-count:");
    }

    /**
     * A counter that vanished (evicted, expired, deleted) must not start again at 1, nor one set back to an older value
     * (as a restore sets it) continue from there: either would repeat generations under which entries may still be
     * stored. The ledger re-seeds both above every value the counter had.
     */
    @Test
    void aCounterThatVanishedOrWasSetBackNeverRepeatsAGeneration() {
        String counter = CacheKeys.generationKeyOfDomain("t1", "workflows");
        InvalidationGroup group = group(mutation("t1", "workflows", 1));
        long first = counters.increment(group);
        long second = counters.increment(group);

        redis.delete(counter);
        long afterVanishing = counters.increment(group);
        redis.opsForValue().set(counter, String.valueOf(first));
        long afterSetBack = counters.increment(group);

        assertThat(second).isEqualTo(first + 1);
        assertThat(afterVanishing).isGreaterThan(second);
        assertThat(afterSetBack).isGreaterThan(afterVanishing);
    }

    /**
     * A ledger restored from a snapshot, or inherited by a promoted replica, names the Redis run that wrote it, not the
     * one now serving: the counters it vouched for are re-seeded, not continued, since the run that wrote it may have
     * bumped them further before it lost those bumps.
     */
    @Test
    void aLedgerOfAnotherRedisRunVouchesForNothing() {
        InvalidationGroup group = group(mutation("t1", "workflows", 1));
        long before = counters.increment(group);

        redis.opsForHash().put(CacheKeys.ledgerKey("t1"), "run", "0123456789abcdef0123456789abcdef01234567");
        long after = counters.increment(group);

        assertThat(after).as("re-seeded, not INCRed").isGreaterThan(before + 1);
    }

    /**
     * A counter above the ledger's value in the same Redis run (a plain INCR, by an invalidator of an earlier release
     * during a rolling upgrade) exceeds every value this run used: it is bumped from there, not re-seeded, and the
     * ledger follows it. One that holds no number is re-seeded without failing the bump.
     */
    @Test
    void aCounterAboveTheLedgerIsBumpedFromThereAndOneHoldingNoNumberIsReseeded() {
        String counter = CacheKeys.generationKeyOfDomain("t1", "workflows");
        InvalidationGroup group = group(mutation("t1", "workflows", 1));
        long first = counters.increment(group);

        redis.opsForValue().increment(counter);
        long afterPlainIncrement = counters.increment(group);
        redis.opsForValue().set(counter, "not-a-number");
        long afterNoNumber = counters.increment(group);

        assertThat(afterPlainIncrement).isEqualTo(first + 2);
        assertThat(afterNoNumber).as("re-seeded above every value the ledger vouched for")
                .isGreaterThan(afterPlainIncrement + 1);
        assertThat(redis.opsForHash().get(CacheKeys.ledgerKey("t1"), counter))
                .isEqualTo(String.valueOf(afterNoNumber));
        assertThat(redis.opsForValue().get(counter)).isEqualTo(String.valueOf(afterNoNumber));
        assertThat(redis.getExpire(counter, TimeUnit.HOURS)).isBetween(23L, 24L);
    }

    @Test
    void countersAndTheLedgerExpireUnlessUsed() {
        var shortLived = new GenerationCounters(redis, TIMEOUT, 0, Duration.ZERO, Duration.ofMinutes(30));

        shortLived.increment(group(mutation("t1", "workflows", 1, UNREAD)));

        for (String key : List.of(CacheKeys.generationKeyOfDomain("t1", "workflows"), CacheKeys.generationKey("t1", UNREAD),
                CacheKeys.ledgerKey("t1"))) {
            assertThat(redis.getExpire(key, TimeUnit.SECONDS)).as("TTL of %s", key).isBetween(29 * 60L, 30 * 60L);
        }
    }

    /**
     * ADR 0017: a group of single-entity writes bumps the domain's collections and each entity, not the domain; entity
     * counters are not listed in the ledger, which would grow with every entity. ADR 0023: the bump INCRs a counter a
     * read created, in one command, and leaves its TTL as the read set it; an entity nobody read gets no counter.
     */
    @Test
    void aGroupOfSingleEntityWritesBumpsTheCollectionsAndEachEntityButNotTheDomain() {
        long domainBefore = counters.increment(group(mutation("t1", "workflows", 1)));
        InvalidationGroup writes = EventCoalescer.coalesce(List.of(entityWrite("t1", "workflows", 2, "w1"),
                entityWrite("t1", "workflows", 3, "w2")), 100).get(0);
        String w1 = CacheKeys.entityGenerationKey("t1", "workflows", "w1");
        String w2 = CacheKeys.entityGenerationKey("t1", "workflows", "w2");
        long w1Read = readGenerations(redis, "t1", w1).get(0);
        redis.expire(w1, Duration.ofHours(2));

        InvalidationResult first = new GenerationInvalidationStrategy(counters).invalidate(writes);
        resetCommandCalls();
        InvalidationResult second = new GenerationInvalidationStrategy(counters).invalidate(writes);
        // no counter is read before its INCR, neither the entities' nor the collections'; the entity's TTL stays
        assertThat(commandCalls()).as("calls of one bump").doesNotContainKey("get").containsEntry("incr", 3L)
                .containsEntry("pexpire", 2L);

        assertThat(redis.opsForValue().get(CacheKeys.generationKeyOfDomain("t1", "workflows")))
                .isEqualTo(String.valueOf(domainBefore));
        assertThat(redis.opsForValue().get(CacheKeys.collectionsGenerationKey("t1", "workflows")))
                .isEqualTo(String.valueOf(second.generation())).isEqualTo(String.valueOf(first.generation() + 1));
        assertThat(redis.opsForValue().get(w1)).isEqualTo(String.valueOf(w1Read + 2));
        assertThat(redis.getExpire(w1, TimeUnit.MINUTES)).as("the TTL the read gave, not refreshed")
                .isBetween(110L, 120L);
        assertThat(redis.hasKey(w2)).as("an entity nobody read").isFalse();
        assertThat(redis.opsForHash().hasKey(CacheKeys.ledgerKey("t1"), w1)).isFalse();
    }

    /**
     * An entity counter is vouched for by the ledger's start, not by a field of its own: a bump removes one that
     * vanished and came back, or that a ledger of another Redis run (a restore, a failover) left behind, and the next
     * read re-seeds it above every value it had, so no entry stored under an earlier value is reachable.
     */
    @Test
    void anEntityCounterThatVanishedOrOutlivedItsRedisRunNeverRepeatsAGeneration() {
        InvalidationGroup write = EventCoalescer.coalesce(List.of(entityWrite("t1", "workflows", 1, "w1")), 100).get(0);
        var strategy = new GenerationInvalidationStrategy(counters);
        String counter = CacheKeys.entityGenerationKey("t1", "workflows", "w1");
        long first = readGenerations(redis, "t1", counter).get(0);
        strategy.invalidate(write);
        long bumped = Long.parseLong(redis.opsForValue().get(counter));

        redis.delete(counter);
        strategy.invalidate(write);
        assertThat(redis.hasKey(counter)).as("a vanished counter stays gone").isFalse();
        long afterVanishing = readGenerations(redis, "t1", counter).get(0);
        redis.opsForHash().put(CacheKeys.ledgerKey("t1"), "run", "0123456789abcdef0123456789abcdef01234567");
        strategy.invalidate(write);
        assertThat(redis.hasKey(counter)).as("a counter of another run is removed").isFalse();
        long afterAnotherRun = readGenerations(redis, "t1", counter).get(0);

        assertThat(bumped).isEqualTo(first + 1);
        assertThat(afterVanishing).isGreaterThan(bumped);
        assertThat(afterAnotherRun).as("re-seeded by the read, not INCRed").isGreaterThan(afterVanishing + 1);
    }

    /**
     * The bump INCRs an entity counter before it knows whether the ledger vouches for it: a counter that holds no
     * number (written by something else) is removed like one it cannot vouch for, the batch it is part of still
     * succeeds, and the next read re-seeds it.
     */
    @Test
    void anEntityCounterThatHoldsNoNumberIsRemovedWithoutFailingTheBatch() {
        InvalidationGroup write = EventCoalescer.coalesce(List.of(entityWrite("t1", "workflows", 1, "w1")), 100).get(0);
        String counter = CacheKeys.entityGenerationKey("t1", "workflows", "w1");
        long first = readGenerations(redis, "t1", counter).get(0);
        redis.opsForValue().set(counter, "not-a-number");

        InvalidationResult result = new GenerationInvalidationStrategy(counters).invalidate(write);

        assertThat(result.generation()).as("the collections' generation").isPositive();
        assertThat(redis.hasKey(counter)).isFalse();
        assertThat(readGenerations(redis, "t1", counter).get(0)).isGreaterThan(first);
        assertThat(redis.getExpire(counter, TimeUnit.HOURS)).isBetween(23L, 24L);
    }

    List<Long> tagGenerations() {
        return redis.opsForValue().multiGet(List.of(CacheKeys.generationKey("t1", STEPS), CacheKeys.generationKey("t1", UNREAD)))
                .stream().map(Long::parseLong).toList();
    }

    static InvalidationGroup group(DomainMutated event) {
        return EventCoalescer.coalesce(List.of(event)).get(0);
    }

    /** Entries as cache-client writes them: under the prefix, with the tenant's hash tag. */
    static Map<String, String> entries(String tenant, String domain, int count) {
        Map<String, String> entries = new HashMap<>();
        for (int i = 0; i < count; i++) {
            entries.put(CacheKeys.key(tenant, domain, "h" + i), "{\"i\":" + i + "}");
        }
        return entries;
    }

    /** Plain entries, {@code tenant:<tid>:<domain>:<hash>} without a hash tag, as other writers put them (many slots). */
    static Map<String, String> plainEntries(String tenant, String domain, int count) {
        Map<String, String> entries = new HashMap<>();
        for (int i = 0; i < count; i++) {
            entries.put(CacheKeys.prefix(tenant, domain) + "plain-" + i, "{\"plain\":" + i + "}");
        }
        return entries;
    }

    /** CONFIG RESETSTAT: {@link #commandCalls()} counts from here. */
    void resetCommandCalls() {
        redis.execute((RedisCallback<Void>) connection -> {
            connection.serverCommands().resetConfigStats();
            return null;
        });
    }

    /** Calls per command since the last CONFIG RESETSTAT, summed over every node of a cluster. */
    Map<String, Long> commandCalls() {
        Properties stats = redis.execute((RedisCallback<Properties>) c -> c.serverCommands().info("commandstats"));
        Set<String> names = stats.stringPropertyNames();
        // a cluster connection prefixes each node's fields with its address: 127.0.0.1:7001.cmdstat_scan
        return names.stream().filter(name -> name.contains("cmdstat_")).collect(Collectors.toMap(
                name -> name.substring(name.indexOf("cmdstat_") + "cmdstat_".length()),
                name -> Long.parseLong(stats.getProperty(name).replaceAll("^calls=(\\d+),.*$", "$1")),
                Long::sum));
    }
}
