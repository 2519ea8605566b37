package io.cachebus.loadtest.report;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The machine-readable result of one run, written as {@code NAME.json}. The first fields are the contract the
 * targets are checked against (their names and shapes do not change); the rest add detail. A figure that could
 * not be measured on the target is {@code null}, and {@link #notMeasured()} says why.
 *
 * <p>One API node's reads: {@code cached_read_rps} is (a) L1 hits, {@code uncached_read_rps} (b) caching off, and
 * {@code ceiling_read_rps} (c) the same HTTP stack answering from memory, each the highest rate whose p99 stayed
 * within the profile's budget. {@code db_queries_per_read} is the mixed load's cache loader runs per read (each a
 * read's trip to the database), {@code propagation_in_node_ms} the nodes' own propagation timer, {@code topology}
 * the processes and their placement on cores, {@code dataset} the data the nodes served (null when not known), and
 * {@code cpu_s_per_1000_requests} each process's CPU seconds per 1,000 reads of each kind at one common rate.
 */
@JsonPropertyOrder({"profile", "reads", "writes", "read_latency_ms", "write_latency_ms",
        "write_latency_no_invalidation_ms", "propagation_ms", "bound_ms", "stale_reads_beyond_bound", "hit_ratio",
        "cached_read_rps", "uncached_read_rps", "prefix_invalidation_ms", "invalidator_events_per_s",
        "coalescing_ratio", "ceiling_read_rps", "db_queries_per_read", "propagation_in_node_ms", "topology",
        "dataset", "cpu_s_per_1000_requests", "errors", "propagation", "stale_read_check", "load", "not_measured", "run"})
public record BenchReport(
        String profile,
        long reads,
        long writes,
        @JsonProperty("read_latency_ms") ReadLatency readLatencyMs,
        @JsonProperty("write_latency_ms") WriteLatency writeLatencyMs,
        @JsonProperty("write_latency_no_invalidation_ms") WriteLatency writeLatencyNoInvalidationMs,
        @JsonProperty("propagation_ms") PropagationLatency propagationMs,
        @JsonProperty("bound_ms") long boundMs,
        @JsonProperty("stale_reads_beyond_bound") Long staleReadsBeyondBound,
        @JsonProperty("hit_ratio") Double hitRatio,
        @JsonProperty("cached_read_rps") Double cachedReadRps,
        @JsonProperty("uncached_read_rps") Double uncachedReadRps,
        @JsonProperty("prefix_invalidation_ms") PrefixInvalidation prefixInvalidationMs,
        @JsonProperty("invalidator_events_per_s") Double invalidatorEventsPerS,
        @JsonProperty("coalescing_ratio") Double coalescingRatio,
        @JsonProperty("ceiling_read_rps") Double ceilingReadRps,
        @JsonProperty("db_queries_per_read") Double dbQueriesPerRead,
        @JsonProperty("propagation_in_node_ms") NodeReadFigures.ScrapedLatency propagationInNodeMs,
        NodeReadFigures.Topology topology,
        NodeReadFigures.Dataset dataset,
        @JsonProperty("cpu_s_per_1000_requests") Map<String, Map<String, Double>> cpuSecondsPer1000Requests,
        long errors,
        PropagationDetail propagation,
        @JsonProperty("stale_read_check") StaleReadCheck staleReadCheck,
        LoadDetail load,
        @JsonProperty("not_measured") Map<String, String> notMeasured,
        RunInfo run,
        @JsonAnyGetter Map<String, Object> extensions) {

    public BenchReport {
        notMeasured = Map.copyOf(notMeasured);
        extensions = Map.copyOf(extensions);
    }

    /** The top-level field of {@link InvalidatorScaling}, present when the profile measured it. */
    public static final String INVALIDATOR_SCALING = "invalidator_scaling";
    /** Where a report keeps its {@link CacheSlicesDetail}. */
    public static final String HIT_RATIO_SLICES = "hit_ratio_slices";
    /** Where a report keeps its {@link HitRatioCeiling}. */
    public static final String HIT_RATIO_CEILING = "hit_ratio_ceiling";
    /** Where a report keeps its {@link FirstReads}. */
    public static final String FIRST_READS = "first_reads";
    /**
     * Where a report keeps the last stretch of {@code propagation_in_node_ms}: from the invalidator's send of a
     * broadcast to the node applying it (the nodes' {@code cachebus.eviction.broadcast.delivery}), in the same shape.
     */
    public static final String BROADCAST_DELIVERY_IN_NODE = "broadcast_delivery_in_node_ms";
    /**
     * Where a report keeps what cachebus adds to a write on the node's writing thread, in the transaction: the nodes'
     * {@code cachebus.outbox.record} (the event encoded, the outbox row inserted), in the same shape.
     */
    public static final String OUTBOX_RECORD_IN_NODE = "outbox_record_in_node_ms";
    /**
     * Where a report keeps what cachebus adds to a write on the node's writing thread between its commit and its
     * response: the nodes' {@code cachebus.outbox.after.commit} (local evictions, the event handed to Kafka).
     */
    public static final String OUTBOX_AFTER_COMMIT_IN_NODE = "outbox_after_commit_in_node_ms";
    /**
     * Where a report keeps the first stretch of the propagation: from a write's commit until the invalidator's poll
     * returned its event (the invalidators' {@code cachebus.invalidator.mutation.age}), in the same shape, one entry per
     * instance under {@code nodes}.
     */
    public static final String MUTATION_AGE_IN_INVALIDATOR = "mutation_age_in_invalidator_ms";
    /**
     * Where a report keeps the middle stretch of the propagation: from the invalidator's poll until its batch's
     * broadcast was handed to Kafka (the invalidators' {@code cachebus.invalidator.poll.to.broadcast}, one sample per
     * batch), in the same shape.
     */
    public static final String POLL_TO_BROADCAST_IN_INVALIDATOR = "poll_to_broadcast_in_invalidator_ms";
    /** Where a report keeps its {@link KafkaHop}. */
    public static final String KAFKA_HOP_UNDER_LOAD = "kafka_hop_under_load_ms";
    /** Where a report keeps its {@link ProbedSlices}. */
    public static final String PROBED_SLICES = "probed_slices";
    /** Where a report keeps its {@link WriteP99Ratio}. */
    public static final String WRITE_P99_RATIO = "write_p99_ratio";

    /**
     * How the invalidator group's throughput grows with its instances, each count on a backlog of its own of the same
     * size, timed from the release of the already-assigned, paused consumers to the last committed offset.
     *
     * @param mutationPartitions partitions of the mutation topic (the most consumers that can share the work)
     * @param runs               one per instance count, fewest first
     * @param speedup            events/s of the last run over those of the first
     */
    public record InvalidatorScaling(@JsonProperty("mutation_partitions") int mutationPartitions,
            List<ScalingRun> runs, Double speedup) {
    }

    /** One instance count's throughput on the backlog. */
    public record ScalingRun(int instances, long events, @JsonProperty("events_per_s") Double eventsPerS) {
    }

    /** Read latency from the intended send time, in milliseconds. */
    public record ReadLatency(Double p50, Double p99, Double p999) {
    }

    /** Write latency from the intended send time, in milliseconds. */
    public record WriteLatency(Double p50, Double p99) {
    }

    /** Time from a write's response until every node returned the new data, in milliseconds. */
    public record PropagationLatency(Double p50, Double p99, Double max) {
    }

    /** Both Redis invalidation strategies on the same keyspace. */
    public record PrefixInvalidation(StrategyCost scan, @JsonProperty("default") StrategyCost defaultStrategy) {
    }

    /**
     * @param keyspace keys in Redis when the invalidation ran
     * @param removed  entries under the prefix made unreachable (deleted, or orphaned by a generation bump)
     * @param p50      median invalidation time in milliseconds
     * @param strategy the strategy's configured name
     * @param runsMs   every invalidation time, in milliseconds
     */
    @JsonPropertyOrder({"keyspace", "removed", "p50", "strategy", "runs_ms"})
    public record StrategyCost(long keyspace, long removed, Double p50, String strategy,
            @JsonProperty("runs_ms") List<Double> runsMs) {
    }

    /**
     * @param samples  writes probed
     * @param timeouts probes that did not see every node up to date in time (recorded as the timeout)
     * @param polls    poll requests the probes sent
     */
    public record PropagationDetail(long samples, long timeouts, long polls) {
    }

    /**
     * Which measured slices of the mixed load {@code hit_ratio} and {@code db_queries_per_read} were taken over, and
     * the same figures over the slices with the propagation probe, whose polls read each sampled write at once on
     * every node.
     *
     * @param counted                 the slices the figures were taken over
     * @param slicesWithoutProbe      measured slices without the propagation probe
     * @param slicesWithProbe         measured slices with it
     * @param hitRatioWithProbe       the hit ratio over the slices with it
     * @param dbQueriesPerReadWithProbe the database queries per read over the slices with it
     */
    public record CacheSlicesDetail(String counted,
            @JsonProperty("slices_without_probe") int slicesWithoutProbe,
            @JsonProperty("slices_with_probe") int slicesWithProbe,
            @JsonProperty("hit_ratio_with_probe") Double hitRatioWithProbe,
            @JsonProperty("db_queries_per_read_with_probe") Double dbQueriesPerReadWithProbe) {
    }

    /**
     * The write p99 with invalidation over the baseline's (the target's ratio), with its 95 % percentile-bootstrap
     * interval (load-test's {@code QuantileRatioInterval}): a p99 rests on the few slowest writes, and the interval says
     * how far the ratio could move by chance alone.
     *
     * @param ratio          {@code write_latency_ms.p99} over {@code write_latency_no_invalidation_ms.p99}
     * @param low            2.5th percentile of the resampled ratios
     * @param high           97.5th percentile of the resampled ratios
     * @param writes         the writes the numerator's p99 was taken over
     * @param baselineWrites the writes the denominator's p99 was taken over
     * @param resamples      the resamples drawn
     */
    public record WriteP99Ratio(double ratio, double low, double high, long writes,
            @JsonProperty("baseline_writes") long baselineWrites, int resamples) {
    }

    /**
     * The mixed load's latencies over its measured slices with the propagation probe, when the figures were taken over
     * the slices without it. The probe polls each node from a sampled write's acknowledgement until the node answers
     * the new data, one poll after another a millisecond apart (about nine requests per write in the full profile, at
     * the moment the eviction is being applied), a load the baseline's slices never carry; these are the same
     * quantiles under it, reported beside the figures, not instead of them. A field is null when not measured.
     *
     * @param slices                     measured slices with the probe
     * @param readLatencyMs              the reads' latency in them
     * @param writeLatencyMs             the writes' latency in them
     * @param propagationInNodeMs        the nodes' commit-to-applied timer in them
     * @param broadcastDeliveryInNodeMs  its last stretch, broadcast sent to applied
     * @param mutationAgeInInvalidatorMs its first stretch, commit to the invalidator's poll
     */
    public record ProbedSlices(int slices,
            @JsonProperty("read_latency_ms") ReadLatency readLatencyMs,
            @JsonProperty("write_latency_ms") WriteLatency writeLatencyMs,
            @JsonProperty("propagation_in_node_ms") NodeReadFigures.ScrapedLatency propagationInNodeMs,
            @JsonProperty("broadcast_delivery_in_node_ms") NodeReadFigures.ScrapedLatency broadcastDeliveryInNodeMs,
            @JsonProperty("mutation_age_in_invalidator_ms") NodeReadFigures.ScrapedLatency mutationAgeInInvalidatorMs) {
    }

    /**
     * The best hit ratio a cache that invalidates on write could have had on the reads counted in {@code hit_ratio}
     * (load-test's {@code InvalidateOnWriteCeiling}): what the workload's writes allow, not a figure.
     *
     * @param hitRatio the ceiling
     * @param reads    the reads it was taken over
     * @param misses   the reads that followed a write of what they read
     */
    public record HitRatioCeiling(@JsonProperty("hit_ratio") double hitRatio, long reads, long misses) {
    }

    /**
     * One bare Kafka hop (send to a consumer's poll returning the record, no cachebus code), timed by a probe of the
     * harness's own beside the load, on the same broker: a write's invalidation crosses two, so twice these quantiles
     * are what the propagation could come down to under that load. The probe sends more records than the load
     * writes, so it runs in slices no figure is taken over ({@code slices}): those of the propagation probe, neither
     * the measured load's other slices nor the baseline's, which it would burden unequally.
     *
     * @param samples      hops timed
     * @param p50          median, milliseconds
     * @param p99          99th percentile, milliseconds
     * @param max          slowest, milliseconds
     * @param intervalMs   one record sent every this many milliseconds
     * @param sendFailures records the probe could not send (none of them timed)
     * @param slices       which slices it ran in: {@value #BESIDE_THE_PROPAGATION_PROBE}
     */
    public record KafkaHop(long samples, Double p50, Double p99, Double max, @JsonProperty("interval_ms") long intervalMs,
            @JsonProperty("send_failures") long sendFailures, String slices) {

        /** The probe ran in the slices of the propagation probe, which no figure is taken over. */
        public static final String BESIDE_THE_PROPAGATION_PROBE = "beside the propagation probe";
    }

    /**
     * How the load phase put every entry it reads into the caches before the load (the ceiling's starting point):
     * each pass reads every entity and its derived data once, and another pass follows while the nodes answered some
     * of a pass's reads without Redis (from the fallback, or leaving Redis out), whose loads then reached no other node.
     *
     * @param passes            the passes made
     * @param withoutRedis      per pass, the reads the nodes answered without Redis
     */
    public record FirstReads(int passes, @JsonProperty("without_redis") List<Long> withoutRedis) {

        public FirstReads {
            withoutRedis = List.copyOf(withoutRedis);
        }
    }

    /**
     * @param checked                   reads judged
     * @param supersededWithinBound     reads of data superseded less than the bound before they began
     * @param unknownMarker             reads of data the harness never wrote to that entity
     * @param maxStalenessMsBeyondBound the oldest stale read's staleness
     * @param examples                  a few stale reads, for a first look
     * @param sampledHitsChecked        cache hits the API nodes themselves checked against the database during the
     *                                  load ({@code cachebus.consistency.samples.checked}); null when not scraped
     * @param sampledStaleHits          of those, the hits the nodes found serving data older than a committed write
     *                                  ({@code cachebus.consistency.stale.hits}): the production measure of what
     *                                  {@code stale_reads_beyond_bound} proves from outside
     * @param sampledHitsDropped        samples the nodes gave up because too many were in flight
     * @param nodesBoundMs              the staleness bound the API nodes enforce, from their health endpoints (the
     *                                  largest of them); null when they did not say
     * @param beyondNodesBound          stale reads whose data had been superseded for longer than that: the nodes
     *                                  broke their own promise; null when the bound is not known
     */
    public record StaleReadCheck(long checked,
            @JsonProperty("superseded_within_bound") long supersededWithinBound,
            @JsonProperty("unknown_marker") long unknownMarker,
            @JsonProperty("max_staleness_ms_beyond_bound") Double maxStalenessMsBeyondBound,
            List<String> examples,
            @JsonProperty("sampled_hits_checked") Long sampledHitsChecked,
            @JsonProperty("sampled_stale_hits") Long sampledStaleHits,
            @JsonProperty("sampled_hits_dropped") Long sampledHitsDropped,
            @JsonProperty("nodes_bound_ms") Long nodesBoundMs,
            @JsonProperty("beyond_nodes_bound") Long beyondNodesBound) {
    }

    /**
     * @param targetRps   the profile's arrival rate
     * @param achievedRps requests completed per second of the measured phase
     * @param durationS   the measured phase's length
     * @param tenants     tenants in the workload
     * @param entities    entities in the workload (both domains)
     * @param apiNodes    API nodes the load went to
     * @param readRatio   share of reads
     * @param zipfExponent key popularity skew
     */
    public record LoadDetail(
            @JsonProperty("target_rps") double targetRps,
            @JsonProperty("achieved_rps") double achievedRps,
            @JsonProperty("duration_s") double durationS,
            int tenants,
            int entities,
            @JsonProperty("api_nodes") int apiNodes,
            @JsonProperty("read_ratio") double readRatio,
            @JsonProperty("zipf_exponent") double zipfExponent) {
    }

    /**
     * @param target    what was measured
     * @param startedAt ISO-8601 start
     * @param totalS    wall time of the whole run
     * @param machine   cores, memory, OS and JVM of the harness's machine
     */
    public record RunInfo(String target, @JsonProperty("started_at") String startedAt,
            @JsonProperty("total_s") double totalS, Map<String, String> machine) {
    }
}
