package io.cachebus.invalidator;

import io.cachebus.events.DomainMutated;
import io.cachebus.events.EvictionBroadcast;
import io.cachebus.events.Topics;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of the invalidator ({@code cachebus.invalidator.*}). The circuit breakers and retries around
 * Redis and the broadcast are configured under {@code resilience4j.*} (instances {@code invalidator-redis} and
 * {@code invalidator-broadcast}, defaults in {@code invalidator.yml}).
 *
 * @param strategy               how Redis is invalidated: {@code generation} (default; one INCR per scope, cost
 *                               independent of the keyspace) or {@code scan} (the same INCRs plus SCAN+UNLINK of
 *                               every key under the prefixes; cost grows with the keyspace). See ADR 0003.
 * @param scanCount              the COUNT hint of each SCAN call of the {@code scan} strategy (default 100)
 * @param unlinkBatch            how many keys the {@code scan} strategy removes per UNLINK call (default 500)
 * @param topics                 the Kafka topics read and written
 * @param invalidatorId          this instance's name in broadcasts and client ids (default: host name plus a
 *                               short random suffix, so two instances on one host differ)
 * @param consumerGroup          the consumer group every invalidator instance joins (default
 *                               {@code cachebus-invalidator}); instances of one group share the partitions
 * @param concurrency            consumer threads of this instance (default 3); each owns some partitions of the
 *                               mutation topic, so more threads than partitions sit idle
 * @param metrics                metric options
 * @param redelivery             the back-off before a batch whose broadcast failed is delivered again (it is
 *                               never dead-lettered; only undecodable records are)
 * @param broadcastAckTimeout    how long a broadcast waits for the acknowledgements of all its messages before
 *                               the attempt counts as failed (default 10s)
 * @param redisReconnectMaxDelay the longest pause between two reconnection attempts to a lost Redis (default
 *                               5s); bounds how long after Redis is back the invalidator notices it
 * @param redisReplication       whether an invalidation waits for Redis replicas to hold it before it counts
 * @param generationTtl          TTL of a generation counter and of its tenant's ledger in Redis, refreshed by every
 *                               invalidation of the scope (an entity's counter by the nodes' reads alone, ADR 0023)
 *                               (default 24h); keep it longer than the API nodes'
 *                               {@code cachebus.l2.ttl}. An expired counter is re-seeded above every value
 *                               it had, so this only bounds the memory of idle scopes (ADR 0010)
 * @param progress               the progress heartbeats API nodes enforce their staleness bound with
 * @param batchTimeBudget        how long the work of one poll batch may take (default 30s): groups not started by
 *                               then are left for the next poll (committed offsets stop before them), so a batch
 *                               that meets a slow Redis or an expensive {@code scan} never outlasts
 *                               {@code max.poll.interval.ms} and gets the invalidator evicted from its group (the
 *                               next member would get the same batch). The group under way when it runs out is
 *                               finished, and then the broadcast, so keep it well below
 *                               {@code spring.kafka.consumer.properties.max.poll.interval.ms} (default 5 min) minus
 *                               the longest single invalidation and broadcast with their retries; the start fails
 *                               unless it is below that setting
 * @param redisBatchGroups       how many coalesced groups of a batch the {@code generation} strategy invalidates in
 *                               one Redis round trip (default 500; one script call per Redis slot in it). The time
 *                               budget is checked between round trips; the {@code scan} strategy takes one group
 *                               per round trip whatever this says, since each group's SCAN takes its own time
 * @param broadcastFormat        what a batch is broadcast as: {@code batch} (default; one {@code EvictionBatch} record
 *                               per evictions partition per poll batch, carrying its scopes and the progress
 *                               heartbeat, ADR 0014) or {@code per-group} (one {@code EvictionBroadcast} per coalesced
 *                               group, then a progress heartbeat, as before). API nodes of a release older than the
 *                               batch format skip its records, so keep {@code per-group} until every node is upgraded
 * @param entityScopes           whether a write of one entity invalidates that entity and its domain's collections
 *                               instead of the whole domain (ADR 0017)
 * @param syncCommits            whether a batch's offsets are committed synchronously, the consumer waiting for
 *                               the broker's answer before its next poll (default false: committed asynchronously,
 *                               in order, and the next poll starts at once). A commit still in flight when the
 *                               invalidator dies, or refused in a rebalance, only makes the batch come again, which is
 *                               invalidated and broadcast a second time (at least once, as after any crash between a
 *                               broadcast and its commit); closing the consumer waits for it. See ADR 0021
 */
@ConfigurationProperties("cachebus.invalidator")
public record InvalidatorProperties(
        @DefaultValue("generation") Strategy strategy,
        @DefaultValue("100") int scanCount,
        @DefaultValue("500") int unlinkBatch,
        @DefaultValue TopicNames topics,
        String invalidatorId,
        @DefaultValue("cachebus-invalidator") String consumerGroup,
        @DefaultValue("3") int concurrency,
        @DefaultValue Metrics metrics,
        @DefaultValue Redelivery redelivery,
        @DefaultValue("10s") Duration broadcastAckTimeout,
        @DefaultValue("5s") Duration redisReconnectMaxDelay,
        @DefaultValue RedisReplication redisReplication,
        @DefaultValue("24h") Duration generationTtl,
        @DefaultValue Progress progress,
        @DefaultValue("30s") Duration batchTimeBudget,
        @DefaultValue("500") int redisBatchGroups,
        @DefaultValue("batch") BroadcastFormat broadcastFormat,
        @DefaultValue EntityScopes entityScopes,
        @DefaultValue("false") boolean syncCommits) {

    /** The longest id an {@code EvictionBroadcast} accepts. */
    public static final int MAX_INVALIDATOR_ID_LENGTH = DomainMutated.MAX_SOURCE_NODE_LENGTH;

    public enum Strategy {
        /** INCR the generation counters the cache keys are derived from; old entries expire by TTL. */
        GENERATION,
        /** INCR the counters and also SCAN+UNLINK every key under the prefixes. */
        SCAN
    }

    public enum BroadcastFormat {
        /** One compact record per evictions partition per poll batch, which is also the progress heartbeat. */
        BATCH,
        /** One broadcast per coalesced group, then a progress heartbeat: what nodes of earlier releases read. */
        PER_GROUP
    }

    public InvalidatorProperties {
        requirePositive("redis-batch-groups", redisBatchGroups);
        requirePositive("scan-count", scanCount);
        requirePositive("unlink-batch", unlinkBatch);
        requirePositive("concurrency", concurrency);
        requireText("consumer-group", consumerGroup);
        requirePositive("broadcast-ack-timeout", broadcastAckTimeout.toMillis());
        requirePositive("redis-reconnect-max-delay", redisReconnectMaxDelay.toMillis());
        requirePositive("generation-ttl", generationTtl.toMillis());
        requirePositive("batch-time-budget", batchTimeBudget.toMillis());
        if (invalidatorId == null || invalidatorId.isBlank()) {
            invalidatorId = defaultInvalidatorId();
        }
        if (invalidatorId.length() > MAX_INVALIDATOR_ID_LENGTH || invalidatorId.chars().anyMatch(Character::isISOControl)) {
            // Checked here because every broadcast carries it: a bad id would fail each batch, for ever.
            throw new IllegalArgumentException("cachebus.invalidator.invalidator-id must be at most "
                    + MAX_INVALIDATOR_ID_LENGTH + " printable characters");
        }
    }

    /**
     * @param enabled     whether a group of single-entity writes invalidates those entities and the domain's
     *                    collections (default true). API nodes of a release older than entity scopes key entries by
     *                    their domain alone and would keep serving the entities written, so keep it false until every
     *                    node is upgraded (ADR 0017)
     * @param maxPerGroup how many entities one coalesced group may invalidate one by one (default 100, at most
     *                    1000); a group of more invalidates its whole domain, one counter instead of hundreds
     */
    public record EntityScopes(@DefaultValue("true") boolean enabled, @DefaultValue("100") int maxPerGroup) {

        public EntityScopes {
            requirePositive("entity-scopes.max-per-group", maxPerGroup);
            if (maxPerGroup > EvictionBroadcast.MAX_ENTITY_IDS) {
                throw new IllegalArgumentException("cachebus.invalidator.entity-scopes.max-per-group must be at most "
                        + EvictionBroadcast.MAX_ENTITY_IDS);
            }
        }

        /** What the coalescer takes: the bound, or 0 when entity scopes are off. */
        public int maxPerGroupIfEnabled() {
            return enabled ? maxPerGroup : 0;
        }
    }

    /**
     * @param mutations  where API nodes publish {@code DomainMutated} (default {@value Topics#DOMAIN_MUTATED})
     * @param deadLetter where undecodable mutation records go, with the reason in headers (default
     *                   {@value Topics#DOMAIN_MUTATED_DLT})
     * @param evictions  where eviction broadcasts go, read by every API node (default {@value Topics#EVICTIONS})
     */
    public record TopicNames(
            @DefaultValue(Topics.DOMAIN_MUTATED) String mutations,
            @DefaultValue(Topics.DOMAIN_MUTATED_DLT) String deadLetter,
            @DefaultValue(Topics.EVICTIONS) String evictions) {

        public TopicNames {
            requireText("topics.mutations", mutations);
            requireText("topics.dead-letter", deadLetter);
            requireText("topics.evictions", evictions);
        }
    }

    /**
     * @param tenantLabel whether {@code sba_cache_invalidations_total} carries a {@code tenant} label (default
     *                    false): one series per tenant grows with the tenants, which any caller can create, so it
     *                    is for fleets with a known, small set of tenants only
     */
    public record Metrics(@DefaultValue("false") boolean tenantLabel) {
    }

    /**
     * Replica acknowledgements of the generation INCRs ({@code WAIT}). Redis replicates asynchronously: an INCR its
     * primary acknowledged may not have reached the replica yet when the primary dies, and the replica that takes over
     * then lacks it although the event's offset is committed. With {@code min-acks} set, an invalidation counts as
     * done only once that many replicas have its INCRs; otherwise the attempt fails and is retried, so an outage of
     * the replicas delays invalidations (nothing is lost). See ADR 0008.
     *
     * @param minAcks replicas of the counters' primary that must have the INCRs (default 0: the primary's word is
     *                enough); 1 for a Redis Cluster or a replicated Redis with one replica per primary
     * @param timeout how long to wait for them (default 500ms); keep it below {@code spring.data.redis.timeout}
     */
    public record RedisReplication(
            @DefaultValue("0") int minAcks,
            @DefaultValue("500ms") Duration timeout) {

        public RedisReplication {
            if (minAcks < 0) {
                throw new IllegalArgumentException("cachebus.invalidator.redis-replication.min-acks must not be negative");
            }
            requirePositive("redis-replication.timeout", timeout.toMillis());
        }
    }

    /**
     * Progress heartbeats ({@code InvalidationProgress} on the evictions topic): for each mutation-topic partition
     * it holds, the invalidator says below which offset every record is invalidated and broadcast, on every
     * partition of the evictions topic, after each batch (inside the batch's {@code EvictionBatch} records with
     * {@code broadcast-format=batch}) and on this interval while idle. API nodes serve from
     * their caches only while heartbeats show that they are not behind (their staleness bound), so a dead or stuck
     * invalidator makes them read through to the database instead of serving stale data.
     *
     * @param interval          how often an idle consumer reports its progress when it has something new to say
     *                          (default 100ms): the first report after a batch (it vouches for the batch, ADR 0016),
     *                          after a report that failed, after a rebalance, and every one while Redis work is
     *                          pending; also the consumer's poll timeout. Keep it well below the nodes'
     *                          {@code cachebus.consistency.max-staleness} (default 1s)
     * @param unchangedInterval how often an idle consumer repeats a report identical to its last one that Kafka
     *                          acknowledged (default 1s). Such a report tells a node nothing it did not know (an idle
     *                          node stays within its bound without it, the mutation topic's end offsets not having
     *                          moved), so it only serves a node that starts or is reassigned its evictions partitions,
     *                          which reads through to the database until it has a report on each. Every node reads
     *                          every report of every consumer on every evictions partition, so this is what an idle
     *                          fleet's evictions traffic costs. At or below {@code interval}, every idle report is sent
     */
    public record Progress(@DefaultValue("100ms") Duration interval, @DefaultValue("1s") Duration unchangedInterval) {

        public Progress {
            requirePositive("progress.interval", interval.toMillis());
            requirePositive("progress.unchanged-interval", unchangedInterval.toMillis());
        }
    }

    /**
     * Exponential back-off between redeliveries of a batch whose broadcast failed. It never gives up: a valid event
     * is retried until Kafka takes its broadcast; while the broadcast breaker is open the consumer is paused on top
     * of this. (Redis trouble does not redeliver: the batch is broadcast with its Redis work pending, see ADR 0005.)
     *
     * @param initialInterval the first pause (default 500ms)
     * @param multiplier      growth per failed attempt (default 2)
     * @param maxInterval     the longest pause (default 10s); keep it well below {@code max.poll.interval.ms}
     */
    public record Redelivery(
            @DefaultValue("500ms") Duration initialInterval,
            @DefaultValue("2.0") double multiplier,
            @DefaultValue("10s") Duration maxInterval) {

        public Redelivery {
            requirePositive("redelivery.initial-interval", initialInterval.toMillis());
            if (multiplier < 1.0) {
                throw new IllegalArgumentException("cachebus.invalidator.redelivery.multiplier must be at least 1");
            }
            if (maxInterval.compareTo(initialInterval) < 0) {
                throw new IllegalArgumentException(
                        "cachebus.invalidator.redelivery.max-interval must not be below initial-interval");
            }
        }
    }

    private static String defaultInvalidatorId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = System.getenv().getOrDefault("HOSTNAME", "invalidator");
        }
        String safeHost = host.replaceAll("[^A-Za-z0-9_.-]", "-");
        if (safeHost.length() > 64) {
            safeHost = safeHost.substring(0, 64);
        }
        byte[] random = new byte[3];
        ThreadLocalRandom.current().nextBytes(random);
        return safeHost + "-" + HexFormat.of().formatHex(random);
    }

    private static void requirePositive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException("cachebus.invalidator." + name + " must be positive, was " + value);
        }
    }

    private static void requireText(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("cachebus.invalidator." + name + " must not be blank");
        }
    }
}
