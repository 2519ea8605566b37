package io.cachebus.loadtest.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The report's figures of one API node's reads, side by side in one run: each kind of read's rate at a fixed p99,
 * and what each costs per request, in CPU of every process and in database work, at one common rate.
 */
public final class NodeReadFigures {

    /** Kinds of read, as the report names them. */
    public static final String CACHED = "cached";
    public static final String CACHING_OFF = "caching_off";
    public static final String CEILING = "ceiling";

    private NodeReadFigures() {
    }

    /**
     * One offered rate of a search.
     *
     * @param offeredRps  the open-loop arrival rate
     * @param achievedRps successful reads per second of the step
     * @param p99Ms       p99 from the intended send time
     * @param errors      failed, unsent or unanswered reads
     * @param held        no error and the p99 within the budget
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RateStep(double offeredRps, double achievedRps, Double p99Ms, long errors, boolean held) {
    }

    /** The highest rate that held (null when none did), its p99, and every step of the search. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SustainedRate(Double readsPerS, Double p99Ms, List<RateStep> steps) {
    }

    /**
     * How the rates were searched, on which node, and what each kind of read found.
     *
     * @param p99BudgetMs   the p99 a rate had to keep
     * @param node          the API node measured (cached reads and the ceiling); caching off runs on a node of its own
     * @param byKind        per kind of read
     * @param bodyBytes     the response body of a cached read and of the ceiling, in bytes (the same size is the point)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ReadThroughput(double p99BudgetMs, String node, Map<String, SustainedRate> byKind,
            Map<String, Integer> bodyBytes) {
    }

    /**
     * One kind of read at the common rate: what it cost per request.
     *
     * @param offeredRps                 the common rate
     * @param reads                      successful reads in the measured window
     * @param seconds                    the window's length
     * @param loaderRunsPerRead          cache loader runs on the node (each is one read's trip to the database: one
     *                                   or two statements)
     * @param connectionCheckoutsPerRead the node's connection pool checkouts (Hikari), background work included
     * @param database                   PostgreSQL's side, when the nodes use PostgreSQL
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record KindCost(double offeredRps, long reads, double seconds, Double loaderRunsPerRead,
            Double connectionCheckoutsPerRead, DatabaseCost database) {
    }

    /**
     * PostgreSQL per read ({@code pg_stat_database}, and {@code pg_stat_statements} when loaded), over the whole
     * database, so the other nodes' background work is in it.
     *
     * @param transactionsPerRead         transactions (each statement outside one counts as one)
     * @param rowsPerRead                 rows returned by scans plus rows fetched by index
     * @param activeMsPerRead             time the backends spent executing statements
     * @param statementsPerRead           statements executed; null without {@code pg_stat_statements}
     * @param statementMsPerRead          their execution time; null without {@code pg_stat_statements}
     * @param backendCpuSecondsPer1000    CPU of the backends serving the database's connections, per 1,000 reads
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DatabaseCost(double transactionsPerRead, double rowsPerRead, Double activeMsPerRead,
            Double statementsPerRead, Double statementMsPerRead,
            @JsonProperty("backend_cpu_s_per_1000_reads") Double backendCpuSecondsPer1000) {
    }

    /**
     * A latency timer the services publish, over the measured load: its histogram buckets' quantiles, the max the
     * timer's own recent maximum, per process ({@code nodes}) and over all. {@code propagation_in_node_ms} is the
     * nodes' {@code cachebus.eviction.propagation} (the commit time an event carries to the eviction applied on a
     * node); its stretches are the invalidators' and the nodes' stage timers in the same shape.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ScrapedLatency(Double p50, Double p99, Double max, long samples, List<ProcessLatency> nodes) {
    }

    /** One process's share of {@link ScrapedLatency} ({@code node}: its URL, an API node's or an invalidator's). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProcessLatency(String node, Double p50, Double p99, Double max, long samples) {
    }

    /** The processes of the run ({@code runs}: the services each holds) and how they were placed on cores. */
    public record Topology(List<ProcessPlacement> processes, String pinning) {
    }

    /** One process: its label in the CPU figures, its pid, the services in it. */
    public record ProcessPlacement(String label, long pid, List<String> runs) {

        public ProcessPlacement {
            runs = List.copyOf(runs);
        }
    }

    /** The data set the nodes served, as far as known. */
    public record Dataset(Integer tenants, Long rows) {
    }
}
