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
 * configuration asks for); when it switched it off, or the feature is off unless switched on, nothing is said.
 */
final class OptionalFeatures {

    private static final Logger log = LoggerFactory.getLogger(OptionalFeatures.class);

    private static final String KAFKA = "spring-boot-starter-kafka";
    private static final String REDIS = "spring-boot-starter-data-redis";
    private static final Requirement KAFKA_LISTENER =
            new Requirement("org.springframework.kafka.listener.KafkaMessageListenerContainer", KAFKA);
    private static final Requirement KAFKA_PROPERTIES =
            new Requirement("org.springframework.boot.kafka.autoconfigure.KafkaProperties", KAFKA);
    private static final Requirement KAFKA_TEMPLATE =
            new Requirement("org.springframework.kafka.core.KafkaTemplate", KAFKA);
    private static final Requirement JDBC_TEMPLATE =
            new Requirement("org.springframework.jdbc.core.JdbcTemplate", "spring-boot-starter-jdbc");
    private static final Requirement JSQLPARSER =
            new Requirement("net.sf.jsqlparser.parser.CCJSqlParserUtil", "com.github.jsqlparser:jsqlparser");

    /** A class a feature needs, and the dependency that brings it. */
    record Requirement(String className, String dependency) {
    }

    /**
     * @param switchProperty the property that turns the feature on and off, or {@code null} when it has none
     * @param onByDefault    whether the feature is on when the switch is not set; one that is not is never reported
     *                       off, only refused when switched on without its library
     * @param requirements   the classes the feature needs, each with its dependency
     * @param whenOff        what the application gets without the feature
     */
    record Feature(String name, String switchProperty, boolean onByDefault, List<Requirement> requirements,
            String whenOff) {
    }

    static final List<Feature> ALL = List.of(
            new Feature("Redis L2", "cachebus.l2.enabled", true,
                    List.of(new Requirement("org.springframework.data.redis.connection.RedisConnectionFactory", REDIS),
                            new Requirement("org.springframework.boot.data.redis.autoconfigure.DataRedisProperties",
                                    REDIS)),
                    "L2 is the node-local in-memory fallback"),
            new Feature("eviction subscription", "cachebus.eviction.enabled", true,
                    List.of(KAFKA_LISTENER, KAFKA_PROPERTIES),
                    "other nodes' writes reach this node's L1 only when its entries expire (cachebus.l1.ttl)"),
            new Feature("staleness bound", "cachebus.consistency.enforce", true,
                    List.of(KAFKA_LISTENER, KAFKA_PROPERTIES),
                    "the node cannot tell how far behind it is and enforces no bound"),
            new Feature("transactional outbox", null, true,
                    List.of(JDBC_TEMPLATE, KAFKA_TEMPLATE, KAFKA_PROPERTIES),
                    "no MutationPublisher bean: writes are not published to other nodes"),
            // SqlCache publishes its writes through the outbox, so it needs Kafka as well
            new Feature("SqlCache", "cachebus.sql.enabled", true,
                    List.of(new Requirement("org.springframework.jdbc.core.simple.JdbcClient",
                            JDBC_TEMPLATE.dependency()), JSQLPARSER, KAFKA_TEMPLATE),
                    "no SqlCache bean"),
            // off by default (an outbox row per written table); records through the outbox, parses with JSqlParser
            new Feature("table-tagging DataSource", "cachebus.sql.datasource-tags.enabled", false,
                    List.of(new Requirement("net.ttddyy.dsproxy.support.ProxyDataSourceBuilder",
                                    "net.ttddyy:datasource-proxy"), JSQLPARSER, JDBC_TEMPLATE, KAFKA_TEMPLATE),
                    "the DataSource is not wrapped"),
            new Feature("health indicator", null, true,
                    List.of(new Requirement("org.springframework.boot.health.contributor.HealthIndicator",
                            "spring-boot-starter-actuator")),
                    "no /actuator/health/cachebus"));

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
            List<Requirement> missing = feature.requirements().stream()
                    .filter(requirement -> !ClassUtils.isPresent(requirement.className(), classLoader)).toList();
            if (missing.isEmpty()) {
                continue;
            }
            Boolean switchedOn = feature.switchProperty() == null ? null
                    : environment.getProperty(feature.switchProperty(), Boolean.class);
            if (Boolean.FALSE.equals(switchedOn) || (switchedOn == null && !feature.onByDefault())) {
                continue; // off by the application's choice, or by default: nothing to say
            }
            String dependencies = String.join(" and ", missing.stream().map(Requirement::dependency).distinct()
                    .toList());
            if (Boolean.TRUE.equals(switchedOn)) {
                throw new IllegalStateException(feature.switchProperty() + "=true, but the " + feature.name()
                        + " needs " + dependencies + " on the classpath (" + missing.get(0).className()
                        + " is missing): add the dependency or remove the property");
            }
            log.info("cachebus: {} off, it needs {} ({} is not on the classpath): {}", feature.name(), dependencies,
                    missing.get(0).className(), feature.whenOff());
            off.add(feature);
        }
        return new OptionalFeatures(off);
    }

    /** The names of the features that are off for want of a library. */
    List<String> off() {
        return off.stream().map(Feature::name).toList();
    }
}
