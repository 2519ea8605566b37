package io.cachebus.client.testsupport;

import io.cachebus.client.autoconfigure.CachebusAutoConfigurations;
import io.cachebus.invalidator.InvalidatorApplication;
import io.cachebus.local.kafka.BusTopics;
import io.cachebus.local.redis.RedisServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real invalidator service (its own main class and {@code application.yml}), pointed at a test's broker, topics
 * and redis-server: what the nodes' SQL writes go through, end to end.
 */
public final class Invalidator implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private Invalidator(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static Invalidator start(String bootstrapServers, RedisServer redis, BusTopics topics) {
        return start(bootstrapServers, redis, topics, Map.of());
    }

    /** {@link #start(String, RedisServer, BusTopics)} with further properties of the invalidator's own. */
    public static Invalidator start(String bootstrapServers, RedisServer redis, BusTopics topics,
            Map<String, ?> extraProperties) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.main.banner-mode", "off");
        // its own configuration file: application.yml on this branch, invalidator.yml once it is renamed so that an
        // API's application.yml on a shared classpath cannot shadow it (the name that is absent is skipped)
        properties.put("spring.config.name", "invalidator,application");
        properties.put("spring.kafka.bootstrap-servers", bootstrapServers);
        properties.put("spring.data.redis.host", redis.host());
        properties.put("spring.data.redis.port", redis.port());
        properties.put("cachebus.invalidator.topics.mutations", topics.mutations());
        properties.put("cachebus.invalidator.topics.dead-letter", topics.deadLetter());
        properties.put("cachebus.invalidator.topics.evictions", topics.evictions());
        properties.put("cachebus.invalidator.consumer-group", topics.invalidatorGroup());
        properties.put("cachebus.invalidator.concurrency", 1);
        properties.put("cachebus.invalidator.invalidator-id", "test-invalidator-" + topics.invalidatorGroup());
        // cache-client is on this test classpath: it belongs to the API nodes, not to the invalidator
        List<String> excluded = new ArrayList<>(CachebusAutoConfigurations.names());
        excluded.add("org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");
        properties.put("spring.autoconfigure.exclude", String.join(",", excluded));
        properties.putAll(extraProperties);
        // command-line arguments beat its application.yml, which points at the machine's shared Redis
        String[] arguments = properties.entrySet().stream().map(p -> "--" + p.getKey() + "=" + p.getValue())
                .toArray(String[]::new);
        return new Invalidator(new SpringApplicationBuilder(InvalidatorApplication.class)
                .web(WebApplicationType.NONE)
                .run(arguments));
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }
}
