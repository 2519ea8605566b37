package io.cachebus.loadtest.cluster;

import io.cachebus.api.ApiServiceApplication;
import io.cachebus.invalidator.InvalidatorApplication;
import io.cachebus.local.FreePorts;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.redis.RedisServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole cachebus cluster on loopback, in this JVM: an in-process Kafka broker (KRaft), a redis-server of its own
 * (when installed), one database shared by the API nodes, several API nodes and invalidators, each a real Spring
 * context on its own port, talking over HTTP, Kafka and Redis exactly as in production.
 *
 * <p>Used by {@code ./cachebus demo}, the load-test harness and the cluster test suite. Every component can be
 * stopped and started again, which is how outages are simulated.
 */
public final class LocalCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);

    /** The secret the local cluster signs and checks bearer tokens with, unless CACHEBUS_JWT_SECRET is set. */
    public static final String DEFAULT_JWT_SECRET = "cachebus-local-development-secret-change-me-0123456789";

    private final ClusterOptions options;
    private final KafkaBroker kafka;
    private final RedisServer redis;
    private final String jdbcUrl;
    private final String jwtSecret;
    private final List<ServiceInstance> apiNodes = new ArrayList<>();
    private final List<ServiceInstance> invalidators = new ArrayList<>();
    private final List<ServiceInstance> extraApiNodes = new ArrayList<>();

    private LocalCluster(ClusterOptions options) {
        this.options = options;
        this.jwtSecret = Optional.ofNullable(System.getenv("CACHEBUS_JWT_SECRET")).filter(s -> !s.isBlank())
                .orElse(DEFAULT_JWT_SECRET);
        this.kafka = KafkaBroker.start();
        this.redis = startRedisIfWanted(options);
        this.jdbcUrl = options.jdbcUrl() != null ? options.jdbcUrl()
                : "jdbc:h2:mem:cachebus-" + UUID.randomUUID()
                        + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }

    public static LocalCluster start(ClusterOptions options) {
        LocalCluster cluster = new LocalCluster(options);
        try {
            for (int i = 1; i <= options.invalidators(); i++) {
                cluster.addInvalidator().start();
            }
            for (int i = 1; i <= options.apiNodes(); i++) {
                cluster.addApiNode().start();
            }
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private static RedisServer startRedisIfWanted(ClusterOptions options) {
        if (!options.useRedis()) {
            return null;
        }
        if (!RedisServer.isAvailable()) {
            log.warn("""

                    ***************************************************************************
                    *  No redis-server installed: every API node runs on its IN-MEMORY FALLBACK *
                    *  L2 cache. Install redis-server for the shared L2 the design describes.   *
                    ***************************************************************************""");
            return null;
        }
        return RedisServer.start();
    }

    private ServiceInstance addApiNode() {
        ServiceInstance node = apiNode("api-" + (apiNodes.size() + 1), Map.of());
        apiNodes.add(node);
        return node;
    }

    /**
     * Starts an API node outside {@link #apiNodes()}, on the cluster's database, Kafka and Redis, with extra
     * properties (a baseline node with caching or publishing switched off, say). Closed with the cluster.
     */
    public synchronized ServiceInstance startExtraApiNode(String name, Map<String, String> extraProperties) {
        ServiceInstance node = apiNode(name, extraProperties);
        extraApiNodes.add(node);
        return node.start();
    }

    private ServiceInstance apiNode(String name, Map<String, String> extraProperties) {
        Map<String, String> properties = new LinkedHashMap<>(commonProperties(name));
        properties.put("spring.datasource.url", jdbcUrl);
        properties.put("cachebus.node-id", name);
        properties.put("cachebus.security.jwt-secret", jwtSecret);
        properties.putAll(options.apiProperties());
        properties.putAll(extraProperties);
        return new ServiceInstance(name, ApiServiceApplication.class, FreePorts.next(), properties);
    }

    /** Adds and starts one more invalidator in the group (e.g. to replace a killed one). */
    public ServiceInstance addInvalidator() {
        String name = "invalidator-" + (invalidators.size() + 1);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.config.name", InvalidatorApplication.CONFIG_NAME);
        // One classpath holds every service here: keep the API side's auto-configurations (the tiered cache, its
        // database and migrations, security) out of the invalidator, as in its own deployment.
        properties.put("spring.autoconfigure.exclude", String.join(",",
                "io.cachebus.client.autoconfigure.CachebusAutoConfiguration",
                "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
                "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
                "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
                "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
                "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
                "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
                "org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration"));
        properties.putAll(commonProperties(name));
        properties.put("cachebus.invalidator.invalidator-id", name);
        properties.putAll(options.invalidatorProperties());
        ServiceInstance invalidator = new ServiceInstance(name, InvalidatorApplication.class, FreePorts.next(), properties);
        invalidators.add(invalidator);
        return invalidator;
    }

    private Map<String, String> commonProperties(String name) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.application.name", name);
        properties.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
        if (redis != null) {
            properties.put("spring.data.redis.host", redis.host());
            properties.put("spring.data.redis.port", String.valueOf(redis.port()));
        } else {
            properties.put("cachebus.l2.enabled", "false");
        }
        return properties;
    }

    public List<ServiceInstance> apiNodes() {
        return List.copyOf(apiNodes);
    }

    public ServiceInstance apiNode(int index) {
        return apiNodes.get(index);
    }

    public List<ServiceInstance> invalidators() {
        return List.copyOf(invalidators);
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    /** The cluster's redis-server, or empty when the nodes run on the in-memory fallback. */
    public Optional<RedisServer> redis() {
        return Optional.ofNullable(redis);
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String jwtSecret() {
        return jwtSecret;
    }

    @Override
    public void close() {
        apiNodes.forEach(ServiceInstance::close);
        extraApiNodes.forEach(ServiceInstance::close);
        invalidators.forEach(ServiceInstance::close);
        if (redis != null) {
            redis.close();
        }
        kafka.close();
    }
}
