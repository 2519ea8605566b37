package io.cachebus.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cachebus.client.autoconfigure.CachebusProperties;
import io.cachebus.events.CacheKeys;
import io.cachebus.events.Topics;
import io.cachebus.localcluster.LocalCluster;
import io.cachebus.localcluster.ServiceInstance;
import io.cachebus.loadtest.deployment.BearerTokens;
import io.cachebus.loadtest.deployment.ClusterTarget;
import io.cachebus.loadtest.deployment.NodeMode;
import io.cachebus.loadtest.deployment.local.LocalClusterTarget;
import io.cachebus.loadtest.deployment.url.UrlClusterTarget;
import io.cachebus.loadtest.invalidation.InvalidatorStrategies;
import io.cachebus.loadtest.invalidation.InvalidatorThroughputProbe;
import io.cachebus.local.redis.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.cachebus.loadtest.profile.PhaseKind;
import io.cachebus.loadtest.profile.Profile;
import io.cachebus.loadtest.report.ReportFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The harness end to end on a real local cluster (in-process Kafka, a redis-server when installed, H2, two API
 * nodes, one invalidator), with a profile a few seconds long. Checks what the harness must always get right;
 * the figures themselves are checked by the harness run against the targets, never here.
 */
class BenchOnLocalClusterTest {

    private static LocalClusterTarget cluster;

    @TempDir
    static Path output;

    @BeforeAll
    static void startCluster() {
        System.setProperty("java.awt.headless", "true");
        // the second node reaches Kafka through the broker's proxy, so the chaos phase can cut it off from Kafka
        cluster = LocalClusterTarget.start(LocalClusterTarget.quietDefaults().withApiNodes(2)
                .withKafkaThroughProxy("api-2"));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A few seconds of every phase (ReadThroughputOnLocalClusterTest runs two of them). */
    static Profile tiny() {
        return new Profile("smoke", "a few seconds of everything",
                new Profile.Workload(4, 5, 1.0, 0.8, 0.1, 100, 64),
                new Profile.Timing(Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(2), 2, 100),
                new Profile.Propagation(Duration.ofMillis(50), Duration.ofMillis(1), Duration.ofSeconds(5), 2),
                // a wide p99 budget at low rates: the measurement is checked here, not the figures
                new Profile.ReadThroughput(Duration.ofSeconds(2), Duration.ofMillis(500), 20, 40, 1,
                        Duration.ofSeconds(2), 4),
                new Profile.PrefixInvalidation(20_000, 100, 2),
                new Profile.InvalidatorThroughput(30_000, 20, Duration.ofSeconds(60), false, 10_000),
                Profile.LocalShape.standard(), List.of(PhaseKind.values()), 1,
                new Profile.Chaos(150, 3, Duration.ofSeconds(1)),
                // a warm-up of one round at most: no least time, a limit of one slice
                new Profile.HotDomainWrites(4, 2, Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(2), 2));
    }

    private record Run(BenchRunner.Outcome outcome, String console, JsonNode json) {
    }

    private static Run bench(ClusterTarget target, Path directory) throws Exception {
        return bench(target, tiny(), directory);
    }

    private static Run bench(ClusterTarget target, Profile profile, Path directory) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        BenchRunner.Outcome outcome;
        try (BenchRunner runner = new BenchRunner(target, profile, new PrintStream(console, true, StandardCharsets.UTF_8),
                Optional.of(new InvalidatorStrategies()))) {
            outcome = runner.run(directory, "test");
        }
        return new Run(outcome, console.toString(StandardCharsets.UTF_8), ReportFiles.readJson(outcome.files().json()));
    }

    @Test
    void backlogsOfOneTenantPrefixLeaveTheCountersOfTheFirstAndNoEntityCounterWhereANewPrefixAddsAsMany() {
        Optional<RedisServer> redis = cluster.cluster().redis();
        assumeTrue(redis.isPresent(), "no redis-server installed: the nodes run on the fallback, no counters to count");
        InvalidatorThroughputProbe probe = new InvalidatorThroughputProbe(cluster.kafkaBootstrapServers().orElseThrow(),
                cluster.invalidators());
        Runnable nothing = () -> {
        };
        String warmUp = InvalidatorThroughputProbe.newTenantPrefix();
        probe.run(warmUp, 1_000, 20, Duration.ofSeconds(60), nothing, nothing);
        long afterOne = keysNaming(redis.get(), warmUp);
        probe.run(warmUp, 1_000, 20, Duration.ofSeconds(60), nothing, nothing);
        String timed = InvalidatorThroughputProbe.newTenantPrefix();
        probe.run(timed, 1_000, 20, Duration.ofSeconds(60), nothing, nothing);

        // each event names an entity of its own that nobody read: no counter for it (ADR 0023), only each tenant's
        // ledger and its domain's collections counter
        assertThat(afterOne).isPositive().isLessThanOrEqualTo(2 * 20);
        assertThat(keysNaming(redis.get(), warmUp + "*" + CacheKeys.ENTITY_MARK)).as("entity counters").isZero();
        assertThat(keysNaming(redis.get(), warmUp)).as("the second backlog of the prefix created no counter")
                .isEqualTo(afterOne);
        assertThat(keysNaming(redis.get(), timed)).as("a new prefix: counters of its own").isEqualTo(afterOne);
    }

    private static long keysNaming(RedisServer redis, String tenantPrefix) {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().keys("*" + tenantPrefix + "*").size();
        } finally {
            client.shutdown();
        }
    }

    @Test
    void runsEveryPhaseAndWritesTheReport() throws Exception {
        Run run = bench(cluster, output.resolve("local"));
        BenchRunner.Outcome outcome = run.outcome();
        String printed = run.console();

        assertThat(outcome.failedPhases()).as(printed).isEmpty();
        JsonNode json = run.json();
        assertThat(json.get("errors").asLong()).as(printed).isZero();
        assertThat(json.get("reads").asLong()).isPositive();
        assertThat(json.get("writes").asLong()).isPositive();
        assertThat(json.at("/read_latency_ms/p99").isNumber()).isTrue();
        assertThat(json.at("/propagation_ms/p50").isNumber()).as("writes were probed").isTrue();
        assertThat(json.at("/stale_read_check/unknown_marker").asLong()).as("no read showed data never written")
                .isZero();
        assertThat(json.at("/stale_read_check/checked").asLong()).isPositive();
        assertThat(json.at("/stale_read_check/nodes_bound_ms").asLong())
                .as("the bound the started nodes enforce, from their health: cachebus's default").isEqualTo(1000);
        assertThat(json.at("/stale_read_check/beyond_nodes_bound").isIntegralNumber()).as(printed).isTrue();
        assertThat(json.get("hit_ratio").isNumber()).as("the nodes' lookup counters were scraped").isTrue();
        assertThat(json.at("/hit_ratio_slices/counted").asText()).as("the hit ratio leaves the probe's polls out")
                .isEqualTo("without the propagation probe");
        assertThat(json.at("/hit_ratio_slices/slices_with_probe").asInt()).isOne();
        assertThat(json.at("/hit_ratio_slices/hit_ratio_with_probe").isNumber()).isTrue();
        assertThat(json.at("/hit_ratio_ceiling/reads").asLong()).as("the ceiling replays the counted slice's reads")
                .isPositive();
        assertThat(json.at("/hit_ratio_ceiling/hit_ratio").asDouble()).isBetween(0.0, 1.0);
        assertThat(json.at("/probed_slices/slices").asInt()).as("the probed slice, reported beside the figures")
                .isOne();
        assertThat(json.at("/probed_slices/write_latency_ms/p99").isNumber()).isTrue();
        assertThat(json.at("/probed_slices/propagation_in_node_ms/samples").asLong()).isPositive();
        assertThat(json.at("/probed_slices/mutation_age_in_invalidator_ms/samples").asLong()).isPositive();
        long propagated = json.at("/propagation_in_node_ms/samples").asLong();
        assertThat(json.at("/broadcast_delivery_in_node_ms/samples").asLong())
                .as("every compact broadcast with commits a node applied is timed from its send too")
                .isPositive().isBetween(propagated - 3, propagated + 3);
        assertThat(json.at("/mutation_age_in_invalidator_ms/samples").asLong())
                .as("the invalidator timed the events of the load from their commits").isPositive();
        for (String step : List.of("outbox_record_in_node_ms", "outbox_after_commit_in_node_ms")) {
            assertThat(json.at("/" + step + "/samples").asLong()).as("the counted slices' writes, on the nodes: %s",
                    step).isPositive().isLessThanOrEqualTo(json.get("writes").asLong());
            assertThat(json.at("/" + step + "/p50").asDouble(-1)).as(step).isPositive()
                    .isLessThanOrEqualTo(json.at("/write_latency_ms/p99").asDouble());
        }
        assertThat(json.at("/mutation_age_in_invalidator_ms/p50").asDouble())
                .as("the first stretch of the propagation, not more than all of it")
                .isLessThanOrEqualTo(json.at("/propagation_in_node_ms/p99").asDouble());
        assertThat(json.at("/poll_to_broadcast_in_invalidator_ms/samples").asLong())
                .as("the invalidator timed its batches from poll to broadcast").isPositive()
                .isLessThanOrEqualTo(json.at("/mutation_age_in_invalidator_ms/samples").asLong());
        assertThat(json.at("/kafka_hop_under_load_ms/samples").asLong())
                .as("a bare Kafka hop was timed beside the load").isPositive();
        assertThat(json.at("/kafka_hop_under_load_ms/slices").asString())
                .as("in the propagation probe's slices, out of those the figures and the baseline come from")
                .isEqualTo("beside the propagation probe");
        assertThat(json.at("/kafka_hop_under_load_ms/p50").asDouble()).isPositive()
                .isLessThanOrEqualTo(json.at("/kafka_hop_under_load_ms/p99").asDouble());
        assertThat(json.at("/first_reads/passes").asInt()).as("the entries were read before the load").isPositive()
                .isEqualTo(json.at("/first_reads/without_redis").size());
        assertThat(json.at("/write_latency_no_invalidation_ms/p99").isNumber()).as("baseline nodes ran").isTrue();
        assertThat(json.at("/write_p99_ratio/ratio").asDouble()).as("the target's ratio, with its interval")
                .isBetween(json.at("/write_p99_ratio/low").asDouble(), json.at("/write_p99_ratio/high").asDouble())
                .isCloseTo(json.at("/write_latency_ms/p99").asDouble()
                        / json.at("/write_latency_no_invalidation_ms/p99").asDouble(), within(0.001));
        assertThat(json.get("cached_read_rps").isNumber()).isTrue();
        assertThat(json.get("uncached_read_rps").isNumber()).isTrue();
        assertThat(json.at("/prefix_invalidation_ms/scan/removed").asLong()).isEqualTo(100);
        assertThat(json.get("invalidator_events_per_s").isNumber()).as("%s", json.get("not_measured")).isTrue();
        assertThat(json.get("coalescing_ratio").asDouble()).isGreaterThanOrEqualTo(1.0);
        assertThat(json.get("invalidator_cpu_ms_per_1000_events").properties())
                .as("the CPU every process spent while the backlog was worked off").isNotEmpty()
                .anySatisfy(process -> assertThat(process.getValue().asDouble()).isPositive());
        assertThat(json.get("invalidator_thread_cpu_ms_per_1000_events").properties())
                .as("the same window by thread: the invalidator's consumer thread (its kernel name cut to 15 "
                        + "characters) in the process it runs in").anySatisfy(process ->
                        assertThat(process.getValue().properties()).anySatisfy(thread -> {
                            assertThat(thread.getKey()).startsWith("cachebus-inval");
                            assertThat(thread.getValue().asDouble()).isPositive();
                        }));
        assertThat(printed).contains("busiest threads, CPU ms per 1,000 events: ");
        assertThat(json.at("/invalidator_warmup/backlogs").asInt()).as("no warm-up limit: one backlog").isOne();
        assertThat(json.at("/invalidator_warmup/jit_compiler_share").asDouble(-1))
                .as("the compilers' share of the target's CPU while it was worked off").isBetween(0.0, 1.0);
        assertThat(printed).containsPattern("warm-up 1: the JIT compilers \\d+\\.\\d %");
        assertThat(printed).as("a warm-up backlog before the timed one").contains("warm-up, not timed in the figure")
                .contains("producing a backlog of 10,000 events").contains("producing a backlog of 30,000 events");
        assertThat(json.at("/hot_domain_write_rps/ratio").isNumber()).as("%s", json.get("not_measured")).isTrue();
        assertThat(json.at("/hot_domain_write_warmup/rounds").asInt()).as("the warm-up's limit is one round")
                .isOne();
        assertThat(json.at("/hot_domain_write_warmup/jit_compiler_share").asDouble(-1))
                .as("the compilers' share of the target's CPU, from its threads").isBetween(0.0, 1.0);
        assertThat(printed).containsPattern("warm-up 1: .* the JIT compilers \\d+\\.\\d %");
        assertThat(Files.size(outcome.files().chart())).isPositive();
        assertThat(Files.readString(outcome.files().markdown())).contains("## Targets");
        assertThat(printed).contains("[load 1/2]").contains("[baseline 2/2]").contains("req/s").contains("p99");
        assertChaosFields(json, Files.readString(outcome.files().markdown()), printed);
    }

    /** The chaos phase's fields: the nodes' bound, and per fault its staleness against it and its database reads. */
    private static void assertChaosFields(JsonNode json, String markdown, String printed) {
        long bound = cluster.cluster().apiNode(0).bean(CachebusProperties.class).getConsistency().getMaxStaleness()
                .toMillis();
        assertThat(json.get("max_staleness_bound_ms").asLong()).as("the nodes' configured bound").isEqualTo(bound);
        assertThat(json.get("staleness_bound_enforced").asBoolean()).isTrue();
        JsonNode faults = json.get("faults");
        List<String> names = new ArrayList<>();
        faults.forEach(fault -> names.add(fault.get("fault").asString()));
        assertThat(names).as(printed).contains("api_node_cut_from_kafka", "overload");
        assertThat(names.get(names.size() - 1)).as("the overlapping faults come last").startsWith("overlapping_");
        for (JsonNode fault : faults) {
            String name = fault.get("fault").asString();
            double maxStaleness = fault.get("max_staleness_ms_in_window").asDouble();
            assertThat(fault.get("max_staleness_in_window_within_bound").asBoolean()).as(name)
                    .isEqualTo(maxStaleness <= bound + 100);
            assertThat(fault.get("window_ms").asLong()).as(name).isPositive();
            long inWindow = fault.get("db_reads_during_window").asLong();
            assertThat(fault.get("db_reads_through_bound_during_window").asLong()).as(name)
                    .isBetween(0L, inWindow);
            assertThat(fault.get("db_reads_steady").asLong()).as(name).isNotNegative();
        }
        JsonNode overload = fault(faults, "overload");
        assertThat(overload.get("offered_rps_in_window").asDouble()).isEqualTo(450.0);
        assertThat(overload.get("window_ms").asLong()).as("the overload's 1 s and 2 s of recovery load")
                .isBetween(3_000L, 10_000L);
        assertThat(fault(faults, "api_node_cut_from_kafka").get("db_reads_through_bound_during_window").asLong())
                .as("a node cut off from Kafka cannot show it is within its bound, and reads through")
                .isPositive();
        assertThat(markdown).contains("## Faults").contains("| `api_node_cut_from_kafka` |").contains("| `overload` |");
    }

    private static JsonNode fault(JsonNode faults, String name) {
        for (JsonNode fault : faults) {
            if (fault.get("fault").asString().equals(name)) {
                return fault;
            }
        }
        throw new AssertionError("no fault " + name + " in " + faults);
    }

    /**
     * The hot domain phase alone: both rates measured on the same nodes, and only the writes through the nodes' own
     * ports published, which the mutation topic shows: it holds the tenant's creations and those writes, not the
     * writes through the invalidation-off ports.
     */
    @Test
    void measuresOneHotDomainsWritesWithAndWithoutInvalidationOnTheSameNodesAndOnlyTheFormerPublish() throws Exception {
        Profile tiny = tiny();
        Profile hotWrites = new Profile("hot", "one hot domain's writes, briefly", tiny.workload(), tiny.timing(),
                tiny.propagation(), tiny.throughput(), tiny.prefix(), tiny.invalidator(), tiny.local(),
                List.of(PhaseKind.HOT_DOMAIN_WRITES), tiny.seed(), tiny.chaos(),
                // no warm-up: every write the phase counts is every write it sent
                new Profile.HotDomainWrites(4, 2, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(2), 2));

        Run run = bench(cluster, hotWrites, output.resolve("hot"));

        assertThat(run.outcome().failedPhases()).as(run.console()).isEmpty();
        assertThat(run.json().get("errors").asLong()).as(run.console()).isZero();
        JsonNode rates = run.json().get("hot_domain_write_rps");
        assertThat(rates).as("%s", run.json().get("not_measured")).isNotNull();
        double with = rates.get("with").asDouble();
        double without = rates.get("without").asDouble();
        assertThat(with).isPositive();
        assertThat(without).isPositive();
        assertThat(rates.get("ratio").asDouble()).isCloseTo(with / without, within(0.001));
        assertThat(rates.get("writers").asInt()).isEqualTo(hotWrites.hotWrites().writers());
        long writesWith = rates.get("writes_with").asLong();
        long writesWithout = rates.get("writes_without").asLong();
        assertThat(with).isCloseTo(writesWith / rates.get("seconds_with").asDouble(), withinPercentage(1));
        assertThat(writesWithout).isPositive();
        for (String kind : List.of("cpu_ms_per_write_with", "cpu_ms_per_write_without")) {
            // a process idle in the slices (redis-server, here) rounds to 0: the writes' own JVM cannot
            assertThat(rates.get(kind).properties()).as(kind).isNotEmpty()
                    .allSatisfy(process -> assertThat(process.getValue().asDouble()).as(process.getKey()).isNotNegative())
                    .anySatisfy(process -> assertThat(process.getValue().asDouble()).as(process.getKey()).isPositive());
        }
        JsonNode threadsWith = rates.get("thread_cpu_ms_per_write_with");
        JsonNode threadsWithout = rates.get("thread_cpu_ms_per_write_without");
        assertThat(threadsWith.propertyNames()).as("processes whose threads were read")
                .containsAll(rates.get("cpu_ms_per_write_with").propertyNames().stream()
                        .filter(process -> process.startsWith("api-")).toList())
                .containsExactlyInAnyOrderElementsOf(threadsWithout.propertyNames());
        threadsWith.properties().forEach(process -> assertThat(process.getValue().propertyNames())
                .as("the same threads of %s in both kinds", process.getKey())
                .containsExactlyElementsOf(threadsWithout.get(process.getKey()).propertyNames()));
        // only the writes with cachebus are sent to Kafka (the direct send, the invalidator's broadcasts): Kafka
        // producers' network threads work for them and next to nothing for the others
        assertThat(threadsWith.properties()).as("%s against %s", threadsWith, threadsWithout)
                .anySatisfy(process -> assertThat(process.getValue().path("kafka-producer-").asDouble(0))
                        .as(process.getKey())
                        .isGreaterThan(threadsWithout.get(process.getKey()).path("kafka-producer-").asDouble(0)));
        long creations = (long) hotWrites.hotWrites().writers() * hotWrites.hotWrites().workflowsPerWriter();
        // at least once: a row the relay sent before the direct send marked it goes out twice, now and then
        assertThat(mutationRecordsOf(rates.get("tenant").asString(), creations + writesWith))
                .as("the tenant's records on the mutation topic: its creations and the writes with cachebus")
                .isBetween(creations + writesWith, creations + writesWith + writesWithout / 2);
        assertThat(Files.readString(run.outcome().files().markdown()))
                .contains("| hot (tenant, domain) write throughput |");
    }

    /** The records of {@code tenant}'s workflows on the mutation topic, once at least {@code expected} are there. */
    private static long mutationRecordsOf(String tenant, long expected) throws InterruptedException {
        String key = CacheKeys.recordKey(tenant, "workflows");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrapServers().orElseThrow(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DOMAIN_MUTATED).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long records = 0;
            // once they are there, a few more polls: a write through the wrong port would come after them
            int pollsSinceExpected = 0;
            while (pollsSinceExpected < 10 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    records += key.equals(record.key()) ? 1 : 0;
                }
                pollsSinceExpected += records >= expected ? 1 : 0;
            }
            return records;
        }
    }

    @Test
    void theSecondNodeReachesKafkaOnlyThroughTheBrokersProxy() {
        LocalCluster local = cluster.cluster();
        assertThat(local.apiNodesBehindKafkaProxy()).extracting(ServiceInstance::name).containsExactly("api-2");
        assertThat(bootstrapServers(local.apiNode(1))).isEqualTo(local.kafka().proxiedBootstrapServers());
        assertThat(bootstrapServers(local.apiNode(0))).isEqualTo(local.kafka().bootstrapServers());
        assertThat(local.kafka().proxy().orElseThrow().connections()).as("the node's Kafka clients are connected")
                .isPositive();
    }

    private static String bootstrapServers(ServiceInstance node) {
        return node.context().getEnvironment().getProperty("spring.kafka.bootstrap-servers");
    }

    @Test
    void drivesADeploymentGivenByUrlsAndSaysWhatItCouldNotMeasureThere() throws Exception {
        ClusterTarget byUrls = new UrlClusterTarget(Map.of(NodeMode.NORMAL, cluster.apiNodes()),
                new BearerTokens(cluster.cluster().jwtSecret(), Duration.ofHours(1)),
                cluster.kafkaBootstrapServers().orElseThrow());

        Run run = bench(byUrls, output.resolve("urls"));

        assertThat(run.outcome().failedPhases()).as(run.console()).isEmpty();
        assertThat(run.json().get("errors").asLong()).as(run.console()).isZero();
        assertThat(run.json().get("reads").asLong()).isPositive();
        assertThat(run.json().get("uncached_read_rps").isNull()).isTrue();
        assertThat(run.json().at("/write_latency_no_invalidation_ms/p99").isNull()).isTrue();
        assertThat(run.json().get("not_measured").propertyNames())
                .contains("uncached_read_rps", "write_latency_no_invalidation_ms",
                        "invalidator_events_per_s (single instance)");
        assertThat(run.json().get("invalidator_events_per_s").isNumber()).as("the group's rate, a lower bound").isTrue();
        assertThat(run.json().at("/stale_read_check/nodes_bound_ms").asLong()).as("read from the nodes' health")
                .isEqualTo(1000);
    }
}
