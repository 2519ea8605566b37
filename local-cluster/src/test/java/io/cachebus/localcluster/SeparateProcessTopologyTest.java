package io.cachebus.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cachebus.api.security.LocalTokens;
import io.cachebus.local.redis.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The separate-process topology, small: the Kafka broker, redis-server, one API node and one invalidator each in a
 * process of its own, on a PostgreSQL database of the test's own. A write on the node comes back to it as an
 * eviction broadcast that went through the broker's JVM and the invalidator's, also after the fault catalogue's Kafka
 * outage; closing the cluster leaves no process behind. Skipped where PostgreSQL or redis-server is missing.
 */
class SeparateProcessTopologyTest {

    private static final Duration PROPAGATION_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern EVICTIONS_RECEIVED = Pattern.compile(
            "(?m)^cachebus_evictions_received_total(\\{[^}]*})? ([0-9.eE+]+)$");
    private static final Pattern HEAP_COMMITTED = Pattern.compile(
            "(?m)^jvm_memory_committed_bytes(\\{[^}]*area=\"heap\"[^}]*}) ([0-9.eE+]+)$");
    private static final Pattern UNREAD = Pattern.compile("\"unread\"\\s*:\\s*(\\d+)");

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aWriteIsInvalidatedThroughTheBrokersJvmAndClosingLeavesNoProcessBehind() throws Exception {
        PostgresDatabase database = PostgresDatabase.localDefault()
                .withDatabase("cachebus_topology_test_" + UUID.randomUUID().toString().substring(0, 8));
        assumeTrue(database.isReachable(), "no PostgreSQL answers on 127.0.0.1:5432");
        assumeTrue(RedisServer.isAvailable(), "no redis-server installed");
        List<ClusterProcess> layout;
        String serviceLog = Files.createTempDirectory("services-log").resolve("services.log").toString();
        System.setProperty(ClusterLogs.SERVICE_LOG_PROPERTY, serviceLog);
        try {
            ClusterOptions options = ClusterOptions.defaults().withApiNodes(1).withInvalidators(1)
                    .withTopology(Topology.PROCESSES).withJdbcUrl(database.ensureExists())
                    .withPlacement(CorePlacement.parse("api-1=1,others=0"))
                    .withApiProperty("spring.main.banner-mode", "off")
                    .withInvalidatorProperty("spring.main.banner-mode", "off");
            Map<String, Map<String, String>> standbys = new LinkedHashMap<>();
            standbys.put("api-standby", Map.of("cachebus.l1.max-size", "0"));
            standbys.put("api-gone", Map.of());
            try (LocalCluster cluster = LocalCluster.start(options, standbys)) {
                layout = cluster.processLayout();
                assertThat(settledState(layout, "api-standby", "T"::equals))
                        .as("a standby node, frozen once the cluster is up").isEqualTo("T");
                long self = ProcessHandle.current().pid();
                assertThat(layout).filteredOn(process -> !process.name().equals(CorePlacement.LOAD_GENERATOR)
                                && !process.name().equals("postgresql"))
                        .extracting(ClusterProcess::name)
                        .containsExactly("kafka", "redis", "api-1", "api-standby", "api-gone", "invalidator-1");
                assertThat(layout).filteredOn(process -> !process.name().equals(CorePlacement.LOAD_GENERATOR)
                                && !process.name().equals("postgresql"))
                        .allSatisfy(process -> assertThat(process.pid()).isNotIn(0L, self));
                assertThat(layout).filteredOn(process -> process.name().equals("api-1"))
                        .singleElement().satisfies(node -> {
                            assertThat(node.flags()).isEqualTo(JvmFlags.IMAGE.name());
                            assertThat(node.cpus()).isEqualTo("1");
                        });
                assertThat(procFile(layout, "api-1", "status").lines()
                        .filter(line -> line.startsWith("Cpus_allowed_list:")).map(line -> line.split(":")[1].strip()))
                        .as("the CPUs api-1 may run on").containsExactly("1");
                try (Stream<Path> threads = Files.list(Path.of("/proc", String.valueOf(pidOf(layout, "api-1")), "task"))) {
                    assertThat(threads.map(thread -> allowedCpus(thread.resolve("status")))
                            .filter(cpus -> !cpus.equals("gone")).distinct())
                            .as("the CPUs every thread of api-1 may run on, pinned once it was ready").containsExactly("1");
                }
                assertThat(allowedCpus(Path.of("/proc", String.valueOf(pidOf(layout, "kafka")), "status")))
                        .as("a process the placement does not name runs on the others' CPUs").isEqualTo("0");
                String every = Files.readString(Path.of("/sys/devices/system/cpu/online")).strip();
                if (!every.equals("0")) {
                    try (CoreIsolation isolation = cluster.isolate(List.of(cluster.apiNode(0).baseUrl())).orElseThrow()) {
                        String last = String.valueOf(CoreIsolation.cpuIds(every).get(CoreIsolation.cpuIds(every).size() - 1));
                        assertThat(allowedCpus(Path.of("/proc", String.valueOf(pidOf(layout, "api-1")), "status")))
                                .as("the node under test, isolated").isEqualTo(last);
                        assertThat(allowedCpus(Path.of("/proc", String.valueOf(pidOf(layout, "invalidator-1")), "status")))
                                .as("any other process, while the node under test is isolated").doesNotContain(last);
                        assertThat(isolation.description()).startsWith("api-1 alone on CPU " + last);
                    }
                    assertThat(allowedCpus(Path.of("/proc", String.valueOf(pidOf(layout, "api-1")), "status")))
                            .as("api-1 back where its placement puts it").isEqualTo("1");
                    assertThat(settledState(layout, "api-standby", "T"::equals))
                            .as("the standby node, after an isolation").isEqualTo("T");
                    assertThat(allowedCpus(Path.of("/proc", String.valueOf(pidOf(layout, "kafka")), "status")))
                            .as("kafka back on the others' CPUs").isEqualTo("0");

                    Path invalidatorStatus = Path.of("/proc", String.valueOf(pidOf(layout, "invalidator-1")), "status");
                    String invalidatorCpus = allowedCpus(invalidatorStatus);
                    try (CoreIsolation isolation = cluster.isolateFirstInvalidator().orElseThrow()) {
                        String last = String.valueOf(CoreIsolation.cpuIds(every).get(CoreIsolation.cpuIds(every).size() - 1));
                        assertThat(allowedCpus(invalidatorStatus)).as("the invalidator under test, isolated")
                                .isEqualTo(last);
                        assertThat(allowedCpus(Path.of("/proc", String.valueOf(pidOf(layout, "api-1")), "status")))
                                .as("an API node, while the invalidator is isolated").doesNotContain(last);
                        Thread.sleep(200); // a SIGSTOP, had one been sent, has taken effect by now
                        assertThat(processState(layout, "api-1"))
                                .as("API nodes go on running: they only apply the invalidator's broadcasts")
                                .isNotEqualTo("T");
                        assertThat(isolation.description()).startsWith("invalidator-1 alone on CPU " + last);
                    }
                    assertThat(allowedCpus(invalidatorStatus)).as("the invalidator back where it was")
                            .isEqualTo(invalidatorCpus);
                }
                String commandLine = procFile(layout, "api-1", "cmdline").replace('\0', ' ');
                assertThat(commandLine.contains("-XX:MaxRAM=768m")).as("api-1 runs with the images' flags").isTrue();
                assertThat(commandLine).as("api-1's expected warnings go to this JVM's service log")
                        .contains("-D" + ClusterLogs.SERVICE_LOG_PROPERTY + "=" + serviceLog);
                assertThat(commandLine.contains("TieredStopAtLevel")).as("api-1 runs with C2").isFalse();
                // 576 MB of the images' 768 less one survivor space, which the memory pools do not count: 557 MB
                // (without a heap taken at start, the serial collector's grows from 12 MB as it needs)
                assertThat(heapCommittedBytes(cluster.apiNode(0).baseUrl()))
                        .as("api-1 took its whole heap at start").isGreaterThanOrEqualTo(0.7 * 768 * 1024 * 1024);

                String node = cluster.apiNode(0).baseUrl();
                String token = LocalTokens.mint(cluster.jwtSecret(), "topology-test", Duration.ofMinutes(5), "test");
                HttpResponse<String> created = send(token, HttpRequest.newBuilder(URI.create(node
                        + "/api/notifications")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"hello\"}")));
                assertThat(created.statusCode()).as("%s", created.body()).isEqualTo(201);
                String id = created.body().replaceAll("(?s).*\"id\"\\s*:\\s*(\\d+).*", "$1");
                assertThat(unread(token, node)).isEqualTo(1);
                double evictionsBefore = evictionsReceived(node);

                markRead(token, node, id, true);
                awaitEvictionBeyond(node, evictionsBefore);
                assertThat(unread(token, node)).isZero();

                // the catalogue's Kafka outage reaches the broker in its own JVM, and the broker comes back with it
                ClusterFault.Fault kafkaStopped = ClusterFault.KAFKA_STOPPED.on(cluster);
                kafkaStopped.inflict();
                assertThat(cluster.kafka().isRunning()).isFalse();
                kafkaStopped.heal();
                double evictionsAfterOutage = evictionsReceived(node);
                markRead(token, node, id, false);
                awaitEvictionBeyond(node, evictionsAfterOutage);
                assertThat(unread(token, node)).isEqualTo(1);

                // the standby node, taken, runs and answers; it is taken once
                ServiceInstance standby = cluster.standbyApiNode("api-standby").orElseThrow();
                assertThat(settledState(layout, "api-standby", state -> !state.equals("T"))).isNotEqualTo("T");
                assertThat(http.send(HttpRequest.newBuilder(URI.create(standby.baseUrl()
                        + "/actuator/health/readiness")).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
                assertThat(cluster.standbyApiNode("api-standby")).isEmpty();

                // redis-server runs with docker-compose.yml's memory settings
                assertThat(cluster.redis().orElseThrow().text("INFO", "memory"))
                        .contains("maxmemory:268435456").contains("maxmemory_policy:volatile-lru");

                // a frozen standby that died: the close cannot resume it and must stop everything else anyway
                // (awaitGone below), redis-server too, which no parent-watch stops
                ProcessHandle gone = ProcessHandle.of(pidOf(layout, "api-gone")).orElseThrow();
                gone.destroyForcibly();
                gone.onExit().get(30, TimeUnit.SECONDS);
            }
        } finally {
            System.clearProperty(ClusterLogs.SERVICE_LOG_PROPERTY);
            if (database.isReachable()) {
                database.drop();
            }
        }
        awaitGone(layout);
    }

    private void markRead(String token, String node, String id, boolean read) throws Exception {
        HttpResponse<String> patched = send(token, HttpRequest.newBuilder(URI.create(node + "/api/notifications/"
                + id)).header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"read\":" + read + "}")));
        assertThat(patched.statusCode()).as("%s", patched.body()).isEqualTo(200);
    }

    private void awaitEvictionBeyond(String node, double evictionsBefore) throws Exception {
        long deadline = System.nanoTime() + PROPAGATION_TIMEOUT.toNanos();
        while (evictionsReceived(node) <= evictionsBefore) {
            assertThat(System.nanoTime()).as("the node received the write's eviction broadcast within %s",
                    PROPAGATION_TIMEOUT).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** A file of the process's directory under /proc (Linux). */
    private static String procFile(List<ClusterProcess> layout, String name, String file) throws Exception {
        return Files.readString(Path.of("/proc", String.valueOf(pidOf(layout, name)), file));
    }

    /**
     * The state letter of {@code /proc/PID/stat} once it is {@code expected}, or the last one read after 5 s: a
     * signal is delivered after {@code kill} returns, so the state right after a SIGSTOP or SIGCONT may be the old one
     * (CI saw "R" once).
     */
    private static String settledState(List<ClusterProcess> layout, String name,
            Predicate<String> expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String state = processState(layout, name);
        while (!expected.test(state) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            state = processState(layout, name);
        }
        return state;
    }

    /** The state letter of {@code /proc/PID/stat}: T when stopped (SIGSTOP). */
    private static String processState(List<ClusterProcess> layout, String name) throws Exception {
        String stat = procFile(layout, name, "stat");
        return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    }

    private static long pidOf(List<ClusterProcess> layout, String name) {
        return layout.stream().filter(process -> process.name().equals(name)).findFirst().orElseThrow().pid();
    }

    /** {@code Cpus_allowed_list} of a {@code /proc/.../status} file. */
    private static String allowedCpus(Path status) {
        try {
            return Files.readAllLines(status).stream().filter(line -> line.startsWith("Cpus_allowed_list:"))
                    .map(line -> line.split(":")[1].strip()).findFirst().orElseThrow();
        } catch (java.io.IOException e) {
            return "gone"; // a thread that ended while the test listed them
        }
    }

    /** Every process the cluster started is gone (the machine's PostgreSQL and this JVM are not the cluster's). */
    private static void awaitGone(List<ClusterProcess> layout) throws InterruptedException {
        long self = ProcessHandle.current().pid();
        List<Long> started = layout.stream().map(ClusterProcess::pid).filter(pid -> pid != 0 && pid != self).toList();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (started.stream().anyMatch(SeparateProcessTopologyTest::alive) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(started).as("processes of the cluster still alive after close").noneMatch(
                SeparateProcessTopologyTest::alive);
        assertThat(ProcessHandle.current().children()).as("children of this JVM").isEmpty();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private int unread(String token, String node) throws Exception {
        HttpResponse<String> count = send(token, HttpRequest.newBuilder(URI.create(node
                + "/api/notifications/unread-count")).GET());
        assertThat(count.statusCode()).as("%s", count.body()).isEqualTo(200);
        Matcher matcher = UNREAD.matcher(count.body());
        assertThat(matcher.find()).as("an unread count in %s", count.body()).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    private double evictionsReceived(String node) throws Exception {
        return sumOf(node, EVICTIONS_RECEIVED);
    }

    /** The heap the node's JVM has committed: every heap pool's {@code jvm_memory_committed_bytes} added up. */
    private double heapCommittedBytes(String node) throws Exception {
        return sumOf(node, HEAP_COMMITTED);
    }

    private double sumOf(String node, Pattern series) throws Exception {
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(node + "/actuator/prometheus"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        Matcher matcher = series.matcher(metrics.body());
        double sum = 0;
        while (matcher.find()) {
            sum += Double.parseDouble(matcher.group(2).toLowerCase(Locale.ROOT));
        }
        return sum;
    }

    private HttpResponse<String> send(String token, HttpRequest.Builder request) throws Exception {
        return http.send(request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
