package io.cachebus.client.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * The features of cachebus that need a library the application may not have. At startup, each one whose library is
 * missing is reported off in one INFO line; when the application switched it on explicitly, the start fails instead
 * with a message naming the property and the missing dependency (a node must not run without a guarantee its
 * configuration asks for); when it switched it off, nothing is said.
 */
final class OptionalFeatures {

    private static final Logger log = LoggerFactory.getLogger(OptionalFeatures.class);

    private static final String KAFKA = "spring-boot-starter-kafka";
    private static final List<String> KAFKA_CLASSES = List.of(
            "org.springframework.kafka.listener.KafkaMessageListenerContainer",
            "org.springframework.boot.kafka.autoconfigure.KafkaProperties");

    /**
     * @param switchProperty the property that turns the feature on and off, or {@code null} when it has none
     * @param classes        the classes the feature needs, each from {@code dependency}
     * @param whenOff        what the application gets without the feature
     */
    record Feature(String name, String switchProperty, List<String> classes, String dependency, String whenOff) {
    }

    static final List<Feature> ALL = List.of(
            new Feature("Redis L2", "cachebus.l2.enabled",
                    List.of("org.springframework.data.redis.connection.RedisConnectionFactory",
                            "org.springframework.boot.data.redis.autoconfigure.DataRedisProperties"),
                    "spring-boot-starter-data-redis", "L2 is the node-local in-memory fallback"),
            new Feature("eviction subscription", "cachebus.eviction.enabled", KAFKA_CLASSES, KAFKA,
                    "other nodes' writes reach this node's L1 only when its entries expire (cachebus.l1.ttl)"),
            new Feature("staleness bound", "cachebus.consistency.enforce", KAFKA_CLASSES, KAFKA,
                    "the node cannot tell how far behind it is and enforces no bound"),
            new Feature("transactional outbox", null,
                    List.of("org.springframework.jdbc.core.JdbcTemplate",
                            "org.springframework.kafka.core.KafkaTemplate",
                            "org.springframework.boot.kafka.autoconfigure.KafkaProperties"),
                    "spring-boot-starter-jdbc and " + KAFKA,
                    "no MutationPublisher bean: writes are not published to other nodes"),
            // SqlCache publishes its writes through the outbox, so it needs Kafka as well
            new Feature("SqlCache", "cachebus.sql.enabled",
                    List.of("org.springframework.jdbc.core.simple.JdbcClient",
                            "net.sf.jsqlparser.parser.CCJSqlParserUtil",
                            "org.springframework.kafka.core.KafkaTemplate"),
                    "spring-boot-starter-jdbc, spring-boot-starter-kafka and com.github.jsqlparser:jsqlparser",
                    "no SqlCache bean"),
            new Feature("health indicator", null,
                    List.of("org.springframework.boot.health.contributor.HealthIndicator"),
                    "spring-boot-starter-actuator", "no /actuator/health/cachebus"));

    private final List<Feature> off;

    private OptionalFeatures(List<Feature> off) {
        this.off = List.copyOf(off);
    }

    /**
     * Checks every feature against {@code classLoader}; logs the ones that are off.
     *
     * @throws IllegalStateException when a feature switched on explicitly misses its library
     */
    static OptionalFeatures check(Environment environment, ClassLoader classLoader) {
        List<Feature> off = new ArrayList<>();
        for (Feature feature : ALL) {
            List<String> missing = feature.classes().stream()
                    .filter(name -> !ClassUtils.isPresent(name, classLoader)).toList();
            if (missing.isEmpty()) {
                continue;
            }
            Boolean switchedOn = feature.switchProperty() == null ? null
                    : environment.getProperty(feature.switchProperty(), Boolean.class);
            if (Boolean.FALSE.equals(switchedOn)) {
                continue; // off by the application's choice: nothing to say
            }
            if (Boolean.TRUE.equals(switchedOn)) {
                throw new IllegalStateException(feature.switchProperty() + "=true, but the " + feature.name()
                        + " needs " + feature.dependency() + " on the classpath (" + missing.get(0)
                        + " is missing): add the dependency or remove the property");
            }
            log.info("cachebus: {} off, it needs {} ({} is not on the classpath): {}", feature.name(),
                    feature.dependency(), missing.get(0), feature.whenOff());
            off.add(feature);
        }
        return new OptionalFeatures(off);
    }

    /** The names of the features that are off for want of a library. */
    List<String> off() {
        return off.stream().map(Feature::name).toList();
    }
}
