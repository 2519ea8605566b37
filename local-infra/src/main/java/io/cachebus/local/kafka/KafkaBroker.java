package io.cachebus.local.kafka;

import io.cachebus.events.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A real single-node Kafka cluster in KRaft mode, in this JVM, on a fixed loopback port so it can be stopped
 * and started again (an outage) with its logs, topics and committed offsets intact.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);

    /** Default partitions of the mutation topic (and its dead-letter topic, which mirrors its partitions). */
    public static final int MUTATION_PARTITIONS = 6;
    public static final int EVICTION_PARTITIONS = 3;

    private final EmbeddedKafkaKraftBroker broker;
    private int port;
    private volatile boolean running;

    private KafkaBroker() {
        this.broker = new EmbeddedKafkaKraftBroker(1, 1);
        // By default the embedded broker publishes its address as the system property spring.kafka.bootstrap-servers,
        // which outranks every context's own configuration: with two brokers in one JVM the last one started would
        // capture every Spring context. Publish it under a name nothing reads; callers pass the address explicitly.
        broker.brokerListProperty("cachebus.local.kafka.bootstrap-servers");
        broker.brokerProperties(Map.of(
                "group.initial.rebalance.delay.ms", "0",
                "auto.create.topics.enable", "false",
                "offsets.topic.num.partitions", "3",
                "log.flush.interval.messages", "1000000",
                "num.network.threads", "2",
                "num.io.threads", "2"));
    }

    /** Starts a broker on a free loopback port and creates the cachebus topics. */
    public static KafkaBroker start() {
        return start(MUTATION_PARTITIONS);
    }

    /**
     * Starts a broker whose mutation topic (and its dead-letter topic) has {@code mutationPartitions} partitions:
     * how many invalidator consumers can share the work.
     */
    public static KafkaBroker start(int mutationPartitions) {
        if (mutationPartitions < 1) {
            throw new IllegalArgumentException("at least one partition");
        }
        long started = System.nanoTime();
        KafkaBroker kafka = new KafkaBroker();
        FormatterOutput.whileRunning(log, kafka.broker::afterPropertiesSet);
        String bootstrap = kafka.broker.getBrokersAsString();
        kafka.port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        kafka.running = true;
        kafka.createTopics(List.of(
                new NewTopic(Topics.DOMAIN_MUTATED, mutationPartitions, (short) 1),
                new NewTopic(Topics.DOMAIN_MUTATED_DLT, mutationPartitions, (short) 1),
                new NewTopic(Topics.EVICTIONS, EVICTION_PARTITIONS, (short) 1)));
        log.info("kafka broker started bootstrap={} mutationPartitions={} tookMs={}", kafka.bootstrapServers(),
                mutationPartitions, Duration.ofNanos(System.nanoTime() - started).toMillis());
        return kafka;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public boolean isRunning() {
        return running;
    }

    /** Creates topics that do not exist yet; existing ones are left as they are. */
    public void createTopics(List<NewTopic> topics) {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create topics " + topics, e);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not create topics " + topics, e);
        }
    }

    public Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
    }

    /** An outage: the broker stops listening; clients see connection failures until {@link #resume()}. */
    public synchronized void stop() {
        if (running) {
            broker.getCluster().brokers().values().forEach(b -> b.shutdown());
            running = false;
            log.info("kafka broker stopped port={}", port);
        }
    }

    /** Ends an outage: the same broker, same port, same data. */
    public synchronized void resume() {
        if (!running) {
            broker.getCluster().brokers().values().forEach(b -> b.startup());
            running = true;
            try (Admin admin = admin()) {
                admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("broker did not come back on port " + port, e);
            }
            log.info("kafka broker resumed port={}", port);
        }
    }

    @Override
    public synchronized void close() {
        broker.destroy();
        running = false;
    }
}
