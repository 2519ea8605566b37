package io.cachebus.local.kafka;

import io.cachebus.local.TcpProxy;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A single-node KRaft Kafka on loopback that a test or drill can stop and resume on the same port with its data
 * intact: the broker in this JVM ({@link KafkaBroker}) or a broker in a JVM of its own (the local cluster's
 * separate-process topology).
 */
public interface LocalKafka extends AutoCloseable {

    String bootstrapServers();

    int port();

    boolean isRunning();

    /** An outage: the broker stops listening; clients see connection failures until {@link #resume()}. */
    void stop();

    /** Ends an outage: the same broker, same port, same data. */
    void resume();

    /** The proxy in front of the broker's second listener, when it was started with one. */
    Optional<TcpProxy> proxy();

    /**
     * The bootstrap servers of the proxied listener: a client given them reaches the broker only through
     * {@link #proxy()}.
     *
     * @throws IllegalStateException when the broker has no proxied listener
     */
    default String proxiedBootstrapServers() {
        return proxy().map(TcpProxy::address).orElseThrow(() -> new IllegalStateException(
                "this broker has no proxied listener: start it with a proxied listener"));
    }

    default Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
    }

    @Override
    void close();
}
