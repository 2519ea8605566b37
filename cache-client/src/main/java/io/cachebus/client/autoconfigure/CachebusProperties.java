package io.cachebus.client.autoconfigure;

import io.cachebus.events.Topics;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of cachebus on an API node, under {@code cachebus.*}. Every default is production-ready; a value out of
 * its range (a zero interval or TTL, a negative size, a rate above 1) fails startup with a message naming the property.
 */
@ConfigurationProperties("cachebus")
@Validated
public class CachebusProperties {

    /**
     * This node's name in outbox rows ({@code sourceNode}), logs and its eviction subscription. Default: the host
     * name plus a short random suffix, unique per start.
     */
    private String nodeId;

    /** Topic the outbox relay publishes {@code DomainMutated} events to. Default: {@code cachebus.domain-mutated}. */
    @NotBlank
    private String mutationTopic = Topics.DOMAIN_MUTATED;

    /**
     * Most scopes (tenant and domain or tag) whose generations and Redis counters a node tracks at once; a forgotten
     * scope only costs misses, never a stale read. Also bounds the (evictions partition, mutation partition) pairs
     * the gap check remembers, far fewer in any real topic.
     */
    @Positive
    private long maxTrackedScopes = 100_000;

    /**
     * Most entities whose local and known Redis generations a node tracks at once (ADR 0017), apart from the scopes
     * above so that many entities never push a domain out; a forgotten entity only costs misses of its entries.
     */
    @Positive
    private long maxTrackedEntities = 100_000;

    /**
     * How long a miss waits for another request's load of the same key on this node; past it the request loads
     * itself, so a load stuck on a hung call holds up one request, not every request for that key.
     */
    @PositiveDuration
    private Duration sharedLoadMaxWait = Duration.ofSeconds(3);

    @Valid
    private final L1 l1 = new L1();
    @Valid
    private final L2 l2 = new L2();
    @Valid
    private final Fallback fallback = new Fallback();
    @Valid
    private final Outbox outbox = new Outbox();
    @Valid
    private final Eviction eviction = new Eviction();
    @Valid
    private final ReadYourWrites readYourWrites = new ReadYourWrites();
    @Valid
    private final Consistency consistency = new Consistency();

    public String getNodeId() {
        return nodeId;
    }

    public void setNodeId(String nodeId) {
        this.nodeId = nodeId;
    }

    public String getMutationTopic() {
        return mutationTopic;
    }

    public void setMutationTopic(String mutationTopic) {
        this.mutationTopic = mutationTopic;
    }

    public long getMaxTrackedScopes() {
        return maxTrackedScopes;
    }

    public void setMaxTrackedScopes(long maxTrackedScopes) {
        this.maxTrackedScopes = maxTrackedScopes;
    }

    public long getMaxTrackedEntities() {
        return maxTrackedEntities;
    }

    public void setMaxTrackedEntities(long maxTrackedEntities) {
        this.maxTrackedEntities = maxTrackedEntities;
    }

    public Consistency getConsistency() {
        return consistency;
    }

    public Duration getSharedLoadMaxWait() {
        return sharedLoadMaxWait;
    }

    public void setSharedLoadMaxWait(Duration sharedLoadMaxWait) {
        this.sharedLoadMaxWait = sharedLoadMaxWait;
    }

    public L1 getL1() {
        return l1;
    }

    public L2 getL2() {
        return l2;
    }

    public Fallback getFallback() {
        return fallback;
    }

    public Outbox getOutbox() {
        return outbox;
    }

    public Eviction getEviction() {
        return eviction;
    }

    public ReadYourWrites getReadYourWrites() {
        return readYourWrites;
    }

    /** The node-local Caffeine cache in front of everything. */
    public static class L1 {

        /** Most entries held; 0 turns L1 off (every read goes to L2). */
        @PositiveOrZero
        private long maxSize = 10_000;

        /** Safety net only: entries are dropped by evictions long before; bounds staleness if a broadcast is lost. */
        @PositiveDuration
        private Duration ttl = Duration.ofSeconds(30);

        public long getMaxSize() {
            return maxSize;
        }

        public void setMaxSize(long maxSize) {
            this.maxSize = maxSize;
        }

        public Duration getTtl() {
            return ttl;
        }

        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }
    }

    /** The shared Redis cache (the application's {@code RedisConnectionFactory}, Lettuce). */
    public static class L2 {

        /** Whether Redis is used as L2; off (or no Redis configured) means the in-memory fallback is L2. */
        private boolean enabled = true;

        /** TTL of an entry in Redis; invalidation never waits for it (generations make old entries unreachable). */
        @PositiveDuration
        private Duration ttl = Duration.ofMinutes(10);

        /**
         * TTL of a generation counter (and of its tenant's ledger) in Redis, refreshed whenever a read or store uses
         * it; must be longer than {@code ttl}. A counter that expires anyway is re-seeded above every value it had, so
         * this bounds the memory of idle scopes and never brings an old entry back (ADR 0010).
         */
        @PositiveDuration
        private Duration generationTtl = Duration.ofHours(24);

        /**
         * Longest a Redis command may take before the read uses the fallback instead. Applied as the Lettuce command
         * timeout unless {@code spring.data.redis.timeout} is set, and as the breaker's slow-call threshold.
         */
        @PositiveDuration
        private Duration redisTimeout = Duration.ofMillis(100);

        /**
         * Longest a TCP connect to Redis may take (Lettuce waits 10 s by default), for the first connection and each
         * reconnect. Applied unless {@code spring.data.redis.connect-timeout} is set.
         */
        @PositiveDuration
        private Duration redisConnectTimeout = Duration.ofSeconds(2);

        @Valid
        private final Breaker breaker = new Breaker();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getTtl() {
            return ttl;
        }

        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }

        public Duration getGenerationTtl() {
            return generationTtl;
        }

        public void setGenerationTtl(Duration generationTtl) {
            this.generationTtl = generationTtl;
        }

        public Duration getRedisTimeout() {
            return redisTimeout;
        }

        public void setRedisTimeout(Duration redisTimeout) {
            this.redisTimeout = redisTimeout;
        }

        public Duration getRedisConnectTimeout() {
            return redisConnectTimeout;
        }

        public void setRedisConnectTimeout(Duration redisConnectTimeout) {
            this.redisConnectTimeout = redisConnectTimeout;
        }

        public Breaker getBreaker() {
            return breaker;
        }
    }

    /**
     * The resilience4j circuit breaker {@code cachebus-redis} around every Redis call. Ignored when the application
     * configures that instance itself under {@code resilience4j.circuitbreaker.instances.cachebus-redis}.
     */
    public static class Breaker {

        /** Percentage of failed (or slow) calls in the window that opens the breaker. */
        @Positive
        @Max(100)
        private float failureRateThreshold = 50;

        /** Calls the failure rate is computed over. */
        @Positive
        private int slidingWindowSize = 20;

        /** Calls needed in the window before the breaker may open. */
        @Positive
        private int minimumNumberOfCalls = 10;

        /** How long the breaker stays open before it lets trial calls through. */
        @PositiveDuration
        private Duration waitDurationInOpenState = Duration.ofSeconds(5);

        /** Trial calls in the half-open state; all must succeed to close it again. */
        @Positive
        private int permittedNumberOfCallsInHalfOpenState = 3;

        public float getFailureRateThreshold() {
            return failureRateThreshold;
        }

        public void setFailureRateThreshold(float failureRateThreshold) {
            this.failureRateThreshold = failureRateThreshold;
        }

        public int getSlidingWindowSize() {
            return slidingWindowSize;
        }

        public void setSlidingWindowSize(int slidingWindowSize) {
            this.slidingWindowSize = slidingWindowSize;
        }

        public int getMinimumNumberOfCalls() {
            return minimumNumberOfCalls;
        }

        public void setMinimumNumberOfCalls(int minimumNumberOfCalls) {
            this.minimumNumberOfCalls = minimumNumberOfCalls;
        }

        public Duration getWaitDurationInOpenState() {
            return waitDurationInOpenState;
        }

        public void setWaitDurationInOpenState(Duration waitDurationInOpenState) {
            this.waitDurationInOpenState = waitDurationInOpenState;
        }

        public int getPermittedNumberOfCallsInHalfOpenState() {
            return permittedNumberOfCallsInHalfOpenState;
        }

        public void setPermittedNumberOfCallsInHalfOpenState(int permittedNumberOfCallsInHalfOpenState) {
            this.permittedNumberOfCallsInHalfOpenState = permittedNumberOfCallsInHalfOpenState;
        }
    }

    /** The in-memory L2 used while Redis is not configured or not reachable. */
    public static class Fallback {

        /** Most entries held. */
        @PositiveOrZero
        private long maxSize = 10_000;

        /** TTL of an entry. */
        @PositiveDuration
        private Duration ttl = Duration.ofSeconds(30);

        public long getMaxSize() {
            return maxSize;
        }

        public void setMaxSize(long maxSize) {
            this.maxSize = maxSize;
        }

        public Duration getTtl() {
            return ttl;
        }

        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }
    }

    /** The transactional outbox and its relay to Kafka (active when the application has a DataSource). */
    public static class Outbox {

        /** Create the table {@code cachebus_outbox} at startup if missing. */
        private boolean initializeSchema = true;

        /** Rows read and sent per pass. */
        @Positive
        private int batchSize = 500;

        /**
         * How often the relay reads the table without being woken (other nodes' orphans, retries, rows whose direct
         * send stalled). With direct sends on, a commit's event does not wait for it.
         */
        @PositiveDuration
        private Duration sweepInterval = Duration.ofMillis(500);

        /**
         * Lease of a node's claim on its unsent rows, on the database's clock: a row claimed longer ago (its node may
         * be gone) is claimed, in one UPDATE, by the next node that sweeps, and sent by that node alone. A node
         * that stops cleanly gives its rows up at once. Each pass renews the claim; a pass that waits for Kafka
         * longer than this (up to {@code send-timeout}) may see its rows sent by another node too (harmless, at
         * least once), so keep it at or above the send timeout.
         */
        @PositiveDuration
        private Duration orphanAfter = Duration.ofSeconds(10);

        /**
         * How long sent rows are kept before they are purged. Zero deletes each row as soon as Kafka acknowledged it,
         * rather than marking it sent and deleting it later: less work for the database per write.
         */
        @NotNull
        @DurationMin(nanos = 0)
        private Duration retention = Duration.ofHours(1);

        /**
         * How long a batch may wait for Kafka's acknowledgements before the relay backs off and retries; also the
         * producers' {@code delivery.timeout.ms}, half of it their {@code request.timeout.ms} and the relay's
         * {@code max.block.ms} (the direct sends' is 0), and how long a committed row not yet handed to Kafka by its
         * commit stays the direct send's before the relay takes it.
         */
        @PositiveDuration
        private Duration sendTimeout = Duration.ofSeconds(10);

        @Valid
        private final DirectSend directSend = new DirectSend();

        public DirectSend getDirectSend() {
            return directSend;
        }

        public boolean isInitializeSchema() {
            return initializeSchema;
        }

        public void setInitializeSchema(boolean initializeSchema) {
            this.initializeSchema = initializeSchema;
        }

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        public Duration getSweepInterval() {
            return sweepInterval;
        }

        public void setSweepInterval(Duration sweepInterval) {
            this.sweepInterval = sweepInterval;
        }

        public Duration getOrphanAfter() {
            return orphanAfter;
        }

        public void setOrphanAfter(Duration orphanAfter) {
            this.orphanAfter = orphanAfter;
        }

        public Duration getRetention() {
            return retention;
        }

        public void setRetention(Duration retention) {
            this.retention = retention;
        }

        public Duration getSendTimeout() {
            return sendTimeout;
        }

        public void setSendTimeout(Duration sendTimeout) {
            this.sendTimeout = sendTimeout;
        }

        /**
         * A commit's event handed to Kafka by the writing thread right after the commit, without waiting for it; the
         * relay marks the row sent once Kafka acknowledged it, and sends the row itself when the direct send fails,
         * times out or finds too many sends in flight. Saves each event the relay's claim and its thread hop.
         */
        public static class DirectSend {

            /** Whether commits send their events themselves; off, every commit wakes the relay, which sends it. */
            private boolean enabled = true;

            /**
             * Most direct sends waiting for Kafka's acknowledgement; past it (Kafka slow or down) commits leave their
             * rows to the relay, so an outage cannot pile events up in memory.
             */
            @Positive
            private int maxInFlight = 1_000;

            public boolean isEnabled() {
                return enabled;
            }

            public void setEnabled(boolean enabled) {
                this.enabled = enabled;
            }

            public int getMaxInFlight() {
                return maxInFlight;
            }

            public void setMaxInFlight(int maxInFlight) {
                this.maxInFlight = maxInFlight;
            }
        }
    }

    /** The node's own subscription to the eviction broadcasts. */
    public static class Eviction {

        /** Whether this node listens to broadcasts; off only for nodes without any cache worth evicting. */
        private boolean enabled = true;

        /** Topic the invalidator broadcasts evictions on. Default: {@code cachebus.evictions}. */
        @NotBlank
        private String topic = Topics.EVICTIONS;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getTopic() {
            return topic;
        }

        public void setTopic(String topic) {
            this.topic = topic;
        }
    }

    /** Read-your-writes on the writing node. */
    public static class ReadYourWrites {

        /**
         * Longest a write of this node makes its reads skip L2 while waiting for the broadcast of its invalidation;
         * bounds the cost of an invalidator outage.
         */
        @NotNull
        @DurationMin(nanos = 0)
        private Duration maxWait = Duration.ofSeconds(30);

        public Duration getMaxWait() {
            return maxWait;
        }

        public void setMaxWait(Duration maxWait) {
            this.maxWait = maxWait;
        }
    }

    /**
     * Consistency: the staleness bound this node enforces (ADR 0011), and the sample of its own cache hits it checks
     * against the database in production.
     */
    public static class Consistency {

        /** Below it the probes (a database query and a Kafka request each) would cost more than they buy. */
        private static final Duration SHORTEST_DERIVED_PROBE_INTERVAL = Duration.ofMillis(10);

        @Valid
        private final Sampling sampling = new Sampling();

        /**
         * Whether the node enforces the bound: serves cached data only while it can show every invalidation older
         * than {@code max-staleness} has reached it, else reads through to the database. Needs the eviction
         * subscription; a node without one cannot know and enforces nothing.
         */
        private boolean enforce = true;

        /**
         * Longest time after a write's response that any node may still serve data from before it. One second
         * leaves room for two Kafka hops, a probe and a heartbeat interval with margin under load.
         */
        @PositiveDuration
        private Duration maxStaleness = Duration.ofSeconds(1);

        /**
         * How often the node checks how far it is behind (outbox backlog, then mutation-topic end offsets). Unset: a
         * tenth of {@code max-staleness}, at least 10ms (100ms for the default bound). A probe counts once the
         * invalidators' progress covers it, so what a node can vouch for trails by the propagation plus up to one
         * interval: an interval near the bound sends most reads to the database.
         */
        @DurationMin(nanos = 0, inclusive = false)
        private Duration probeInterval;

        /**
         * How long no read may ask whether it can be served from the caches before the node stops probing (0: it
         * never stops). An idle node's probes (an outbox query and a Kafka end-offsets request every probe interval)
         * are most of its CPU. The first read after the pause wakes the probe and waits for one probe round: served
         * from the caches when nothing was written meanwhile, else from the database until the invalidators have
         * covered the new writes.
         */
        @NotNull
        @DurationMin(nanos = 0)
        private Duration probePauseWhenUnaskedFor = Duration.ofSeconds(30);

        /** How long one probe waits for Kafka's end offsets before it counts as failed. */
        @PositiveDuration
        private Duration probeTimeout = Duration.ofMillis(500);

        /** Most (tenant, domain) pairs with unsent outbox rows one probe reads; older pairs come first. */
        @Positive
        private int outboxScopesPerProbe = 1_000;

        /** Most reads that go to the database at once because the node is behind the bound. */
        @Positive
        private int readThroughMaxConcurrent = 32;

        /**
         * How long a read waits for a read-through slot before it is answered from the caches anyway (counted in
         * {@code cachebus.consistency.bound.not.enforced}).
         */
        @NotNull
        @DurationMin(nanos = 0)
        private Duration readThroughMaxWait = Duration.ofMillis(500);

        /** Most scopes marked as having stale Redis entries after an outage; past it every read skips Redis. */
        @Positive
        private int redisPendingMaxScopes = 10_000;

        public Sampling getSampling() {
            return sampling;
        }

        public boolean isEnforce() {
            return enforce;
        }

        public void setEnforce(boolean enforce) {
            this.enforce = enforce;
        }

        public Duration getMaxStaleness() {
            return maxStaleness;
        }

        public void setMaxStaleness(Duration maxStaleness) {
            this.maxStaleness = maxStaleness;
        }

        /** The interval set, else the one derived from {@code max-staleness}. */
        public Duration getProbeInterval() {
            if (probeInterval != null) {
                return probeInterval;
            }
            Duration tenthOfTheBound = maxStaleness.dividedBy(10);
            return tenthOfTheBound.compareTo(SHORTEST_DERIVED_PROBE_INTERVAL) < 0
                    ? SHORTEST_DERIVED_PROBE_INTERVAL : tenthOfTheBound;
        }

        public void setProbeInterval(Duration probeInterval) {
            this.probeInterval = probeInterval;
        }

        public Duration getProbePauseWhenUnaskedFor() {
            return probePauseWhenUnaskedFor;
        }

        public void setProbePauseWhenUnaskedFor(Duration probePauseWhenUnaskedFor) {
            this.probePauseWhenUnaskedFor = probePauseWhenUnaskedFor;
        }

        public Duration getProbeTimeout() {
            return probeTimeout;
        }

        public void setProbeTimeout(Duration probeTimeout) {
            this.probeTimeout = probeTimeout;
        }

        public int getOutboxScopesPerProbe() {
            return outboxScopesPerProbe;
        }

        public void setOutboxScopesPerProbe(int outboxScopesPerProbe) {
            this.outboxScopesPerProbe = outboxScopesPerProbe;
        }

        public int getReadThroughMaxConcurrent() {
            return readThroughMaxConcurrent;
        }

        public void setReadThroughMaxConcurrent(int readThroughMaxConcurrent) {
            this.readThroughMaxConcurrent = readThroughMaxConcurrent;
        }

        public Duration getReadThroughMaxWait() {
            return readThroughMaxWait;
        }

        public void setReadThroughMaxWait(Duration readThroughMaxWait) {
            this.readThroughMaxWait = readThroughMaxWait;
        }

        public int getRedisPendingMaxScopes() {
            return redisPendingMaxScopes;
        }

        public void setRedisPendingMaxScopes(int redisPendingMaxScopes) {
            this.redisPendingMaxScopes = redisPendingMaxScopes;
        }
    }

    /**
     * Which hits are checked and how. A sampled hit is re-read with its loader on a background thread; when the
     * database differs, the node is asked again after {@code confirm-after}, and the hit counts as stale only if the
     * node still serves the old value then (docs/runbook.md, "Stale hits sampled in production").
     */
    public static class Sampling {

        /** Share of cache hits checked, from 0 (off) to 1 (every hit, for benchmarks); 0.001 is one in a thousand. */
        @DecimalMin("0")
        @DecimalMax("1")
        private double rate = 0.001;

        /**
         * How long after the database was seen to differ the node is asked again; a write whose eviction arrives
         * within it is never counted. Keep it above the staleness the system promises (the eviction propagation).
         */
        @PositiveDuration
        private Duration confirmAfter = Duration.ofSeconds(2);

        /** Longest a stale value is followed (re-checked every {@code confirm-after}) before its age is recorded. */
        @PositiveDuration
        private Duration maxTracking = Duration.ofMinutes(1);

        /** Most sampled hits in flight at once; a hit sampled beyond it is dropped and counted, never queued. */
        @Positive
        private int maxPending = 64;

        public double getRate() {
            return rate;
        }

        public void setRate(double rate) {
            this.rate = rate;
        }

        public Duration getConfirmAfter() {
            return confirmAfter;
        }

        public void setConfirmAfter(Duration confirmAfter) {
            this.confirmAfter = confirmAfter;
        }

        public Duration getMaxTracking() {
            return maxTracking;
        }

        public void setMaxTracking(Duration maxTracking) {
            this.maxTracking = maxTracking;
        }

        public int getMaxPending() {
            return maxPending;
        }

        public void setMaxPending(int maxPending) {
            this.maxPending = maxPending;
        }
    }
}
