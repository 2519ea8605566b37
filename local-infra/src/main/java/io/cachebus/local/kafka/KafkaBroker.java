package io.cachebus.local.kafka;

import io.cachebus.events.Topics;
import io.cachebus.local.FreePorts;
import io.cachebus.local.TcpProxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A real single-node Kafka cluster in KRaft mode, in this JVM, on a fixed loopback port so it can be stopped
 * and started again (an outage) with its logs, topics and committed offsets intact.
 *
 * <p>Optionally ({@link #startWithProxiedListener(int)}) it has a second listener that clients reach only through a
 * {@link TcpProxy}, so that some clients can be cut off from Kafka while the others go on. A proxy in front of the
 * ordinary port would not do: a client uses the bootstrap address only for its first request and then connects to
 * the address the broker advertises for the listener it reached, so the second listener advertises the proxy.
 */
public final class KafkaBroker implements LocalKafka {

    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);

    /** Default partitions of the mutation topic (and its dead-letter topic, which mirrors its partitions). */
    public static final int MUTATION_PARTITIONS = 6;
    public static final int EVICTION_PARTITIONS = 3;

    /** The listener names the embedded KRaft test kit gives its broker and controller. */
    private static final String BROKER_LISTENER = "EXTERNAL";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** The second listener, which advertises the proxy's address. */
    private static final String PROXIED_LISTENER = "PROXIED";

    private final EmbeddedKafkaKraftBroker broker;
    /** In front of the proxied listener; null when the broker has none. */
    private final TcpProxy proxy;
    private int port;
    private volatile boolean running;

    private KafkaBroker(ProxiedListener proxiedListener) {
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
        TcpProxy front = null;
        if (proxiedListener == ProxiedListener.OWN_PROXY) {
            int listenerPort = FreePorts.next();
            front = TcpProxy.open(listenerPort);
            proxiedListener(listenerPort, front.address());
        } else if (proxiedListener != null) {
            proxiedListener(proxiedListener.port(), proxiedListener.advertised());
        }
        this.proxy = front;
    }

    /**
     * Where the second listener listens and what it advertises: the address of the proxy clients must go through.
     * {@link #OWN_PROXY}: a port of its own, behind a proxy in this JVM.
     */
    private record ProxiedListener(int port, String advertised) {
        static final ProxiedListener OWN_PROXY = new ProxiedListener(0, "");
    }

    /**
     * Adds the proxied listener on {@code listenerPort}, advertised as {@code proxyAddress}. The broker's own listener
     * keeps port 0 (the test kit binds it ahead and keeps it across {@link #stop()} and {@link #resume()}); the
     * broker advertises the port it bound there.
     */
    private void proxiedListener(int listenerPort, String proxyAddress) {
        Map<String, String> listeners = new HashMap<>();
        listeners.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER
                + ":PLAINTEXT," + PROXIED_LISTENER + ":PLAINTEXT");
        listeners.put("listeners", BROKER_LISTENER + "://localhost:0," + CONTROLLER_LISTENER + "://localhost:0,"
                + PROXIED_LISTENER + "://127.0.0.1:" + listenerPort);
        listeners.put("advertised.listeners", BROKER_LISTENER + "://localhost:0," + PROXIED_LISTENER + "://"
                + proxyAddress);
        broker.brokerProperties(listeners);
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
        return start(mutationPartitions, null);
    }

    /**
     * {@link #start(int)} with a second listener behind a {@link TcpProxy}: clients given
     * {@link #proxiedBootstrapServers()} reach the broker only through the proxy, which {@link #proxy()} can cut off
     * and restore while clients of {@link #bootstrapServers()} are not affected.
     */
    public static KafkaBroker startWithProxiedListener(int mutationPartitions) {
        return start(mutationPartitions, ProxiedListener.OWN_PROXY);
    }

    /**
     * {@link #start(int)} with a second listener on {@code listenerPort} that advertises {@code proxyAddress}: the
     * proxy in front of it is someone else's (in another process), so {@link #proxy()} is empty here.
     */
    public static KafkaBroker startWithListenerBehind(int mutationPartitions, int listenerPort, String proxyAddress) {
        return start(mutationPartitions, new ProxiedListener(listenerPort, proxyAddress));
    }

    private static KafkaBroker start(int mutationPartitions, ProxiedListener proxiedListener) {
        if (mutationPartitions < 1) {
            throw new IllegalArgumentException("at least one partition");
        }
        long started = System.nanoTime();
        KafkaBroker kafka = new KafkaBroker(proxiedListener);
        try {
            FormatterOutput.whileRunning(log, kafka.broker::afterPropertiesSet);
        } catch (RuntimeException e) {
            kafka.proxy().ifPresent(TcpProxy::close);
            throw e;
        }
        String bootstrap = kafka.broker.getBrokersAsString();
        kafka.port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        kafka.running = true;
        kafka.createTopics(List.of(
                new NewTopic(Topics.DOMAIN_MUTATED, mutationPartitions, (short) 1),
                new NewTopic(Topics.DOMAIN_MUTATED_DLT, mutationPartitions, (short) 1),
                new NewTopic(Topics.EVICTIONS, EVICTION_PARTITIONS, (short) 1)));
        log.info("kafka broker started bootstrap={} proxiedBootstrap={} mutationPartitions={} tookMs={}",
                kafka.bootstrapServers(), kafka.proxy().map(TcpProxy::address).orElse("none"), mutationPartitions,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        return kafka;
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The proxy in front of the second listener, when the broker was started with one. */
    @Override
    public Optional<TcpProxy> proxy() {
        return Optional.ofNullable(proxy);
    }

    @Override
    public int port() {
        return port;
    }

    @Override
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

    /** An outage: the broker stops listening; clients see connection failures until {@link #resume()}. */
    @Override
    public synchronized void stop() {
        if (running) {
            broker.getCluster().brokers().values().forEach(b -> b.shutdown());
            running = false;
            log.info("kafka broker stopped port={}", port);
        }
    }

    /** Ends an outage: the same broker, same port, same data. */
    @Override
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
        if (proxy != null) {
            proxy.close();
        }
        broker.destroy();
        running = false;
    }
}
