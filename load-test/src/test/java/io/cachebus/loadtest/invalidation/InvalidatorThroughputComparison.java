package io.cachebus.loadtest.invalidation;

import io.cachebus.loadtest.deployment.InvalidatorControl;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.redis.RedisServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * The invalidator throughput of two builds of the invalidator in one run, on one machine, one Kafka broker and one
 * redis-server: for each round, each build's jar is started alone on a fresh backlog (as a JVM of its own, with its
 * shipped configuration) and {@link InvalidatorThroughputProbe} measures the events per second it works off. The
 * builds alternate, so both meet the same machine. Not a test: run it by hand, with the jars to compare:
 *
 * <pre>
 * ./mvnw -q -B -o -pl load-test -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp load-test/target/test-classes:load-test/target/classes:$(cat load-test/target/test-classpath.txt) \
 *     io.cachebus.loadtest.invalidation.InvalidatorThroughputComparison \
 *     main=/path/to/main/invalidator-service.jar branch=invalidator-service/target/invalidator-service.jar
 * </pre>
 *
 * System properties: {@code events} (default 500,000) and {@code scopes} (1,000), the full profile's backlog,
 * {@code rounds} (2), and {@code jvmArgs}: flags for the invalidator JVMs, separated by spaces (for a profile, such as
 * {@code -XX:StartFlightRecording:filename=/tmp/invalidator.jfr}).
 */
public final class InvalidatorThroughputComparison {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private InvalidatorThroughputComparison() {
    }

    public static void main(String[] args) throws Exception {
        int events = Integer.getInteger("events", 500_000);
        int scopes = Integer.getInteger("scopes", 1_000);
        int rounds = Integer.getInteger("rounds", 2);
        List<String[]> builds = new ArrayList<>();
        for (String arg : args) {
            builds.add(arg.split("=", 2));
        }
        Path logs = Files.createTempDirectory("invalidator-comparison");
        List<ChildInvalidator> started = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> started.forEach(ChildInvalidator::stop)));
        try (KafkaBroker kafka = KafkaBroker.start(); RedisServer redis = RedisServer.start()) {
            List<String> lines = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                for (String[] build : builds) {
                    ChildInvalidator child = new ChildInvalidator(Path.of(build[1]), kafka, redis,
                            logs.resolve(build[0] + "-" + round + ".log"));
                    started.add(child);
                    InvalidatorThroughputProbe.Result result;
                    double redisCpuBefore = redisCpuSeconds(redis);
                    double invalidatorCpu;
                    try {
                        result = new InvalidatorThroughputProbe(kafka.bootstrapServers(), Optional.of(child))
                                .run(events, scopes, TIMEOUT);
                        invalidatorCpu = child.cpuSecondsSinceStart();
                    } finally {
                        child.stopAll();
                    }
                    double redisCpu = redisCpuSeconds(redis) - redisCpuBefore;
                    String line = String.format(Locale.ROOT, "round %d %-8s %,10.0f events/s  %7.1f events per record"
                                    + "  records %,d  invalidator CPU %.1f s (%,.0f events per CPU-second)"
                                    + "  redis CPU %.2f s (%.1f us per event)", round, build[0],
                            result.eventsPerSecond(), result.coalescingRatio(), result.broadcasts(), invalidatorCpu,
                            events / invalidatorCpu, redisCpu, redisCpu * 1e6 / events);
                    System.out.println(line);
                    lines.add(line);
                }
            }
            System.out.printf("%n%,d events over %,d scopes, %d mutation partitions; logs in %s%n", events, scopes,
                    KafkaBroker.MUTATION_PARTITIONS, logs);
            lines.forEach(System.out::println);
        }
    }

    /** used_cpu_user + used_cpu_sys of the redis-server (its main thread and the others), from INFO cpu. */
    private static double redisCpuSeconds(RedisServer redis) {
        double seconds = 0;
        for (String line : redis.text("INFO", "cpu").split("\r?\n")) {
            if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
                seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return seconds;
    }

    /** One invalidator JVM started from a jar; the consumer group stays the same, so each run starts where the last ended. */
    private static final class ChildInvalidator implements InvalidatorControl {

        private static final String GROUP = "cachebus-invalidator";

        private final Path jar;
        private final KafkaBroker kafka;
        private final RedisServer redis;
        private final Path log;
        private Process process;
        /** The JVM's CPU time once it held every partition: start-up is left out. */
        private Duration cpuAtStart = Duration.ZERO;

        ChildInvalidator(Path jar, KafkaBroker kafka, RedisServer redis, Path log) {
            this.jar = jar;
            this.kafka = kafka;
            this.redis = redis;
            this.log = log;
        }

        @Override
        public int instances() {
            return 1;
        }

        @Override
        public String consumerGroup() {
            return GROUP;
        }

        @Override
        public void stopAll() {
            if (process != null) {
                awaitEverythingCommitted();
                stop();
            }
        }

        /** SIGTERM (a graceful stop, which commits), then SIGKILL if it takes longer than a minute. */
        void stop() {
            Process running = process;
            if (running == null) {
                return;
            }
            running.destroy();
            try {
                running.waitFor(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.destroyForcibly();
            process = null;
        }

        @Override
        public void start(int count) {
            if (process != null) {
                return;
            }
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            String jvmArgs = System.getProperty("jvmArgs", "").strip();
            if (!jvmArgs.isEmpty()) {
                command.addAll(List.of(jvmArgs.split("\\s+")));
            }
            command.addAll(List.of("-jar", jar.toString(),
                    "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                    "--spring.data.redis.host=" + redis.host(),
                    "--spring.data.redis.port=" + redis.port(),
                    "--server.port=0",
                    "--cachebus.invalidator.consumer-group=" + GROUP));
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                throw new IllegalStateException("could not start " + jar, e);
            }
            awaitEveryPartitionAssigned();
            cpuAtStart = cpuTime();
        }

        /** CPU seconds the JVM used (every thread: consumers, producer, GC, JIT) since it held every partition. */
        double cpuSecondsSinceStart() {
            return (cpuTime().toNanos() - cpuAtStart.toNanos()) / 1e9;
        }

        private Duration cpuTime() {
            return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
        }

        /** So that the next build's run starts with an empty backlog: nothing of this run is redelivered to it. */
        private void awaitEverythingCommitted() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            try (Admin admin = kafka.admin()) {
                while (System.nanoTime() < deadline) {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                            .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    committed.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
                    var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
                    if (committed.size() == KafkaBroker.MUTATION_PARTITIONS && committed.entrySet().stream()
                            .allMatch(e -> e.getValue().offset() >= ends.get(e.getKey()).offset())) {
                        return;
                    }
                    Thread.sleep(200);
                }
            } catch (Exception e) {
                throw new IllegalStateException("could not read the offsets of " + GROUP, e);
            }
            System.out.println("warning: not everything committed within 60 s; see " + log);
        }

        private void awaitEveryPartitionAssigned() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            try (Admin admin = kafka.admin()) {
                while (System.nanoTime() < deadline) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the invalidator exited; see " + log);
                    }
                    if (assignedPartitions(admin) == KafkaBroker.MUTATION_PARTITIONS) {
                        return;
                    }
                    Thread.sleep(200);
                }
            } catch (Exception e) {
                throw new IllegalStateException("could not see the invalidator join " + GROUP, e);
            }
            throw new IllegalStateException("the invalidator did not get every partition within 120 s; see " + log);
        }

        /** 0 until the group exists (the first member is still starting). */
        private static int assignedPartitions(Admin admin) throws Exception {
            try {
                Map<String, ConsumerGroupDescription> groups = admin.describeConsumerGroups(List.of(GROUP))
                        .all().get(10, TimeUnit.SECONDS);
                return groups.get(GROUP).members().stream().map(MemberDescription::assignment)
                        .mapToInt(assignment -> assignment.topicPartitions().size()).sum();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof GroupIdNotFoundException) {
                    return 0;
                }
                throw e;
            }
        }

        /** Stops the JVM: the probe pauses a group of one while it produces, and CPU is counted from the restart. */
        @Override
        public void pause() {
            stopAll();
        }

        @Override
        public void resume() {
            start(1);
        }

        @Override
        public String toString() {
            return jar.getFileName() + " (" + new File(log.toString()).getName() + ")";
        }
    }
}
