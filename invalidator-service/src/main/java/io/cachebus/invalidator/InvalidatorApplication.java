package io.cachebus.invalidator;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The invalidator service: consumes {@code DomainMutated} events in the {@code cachebus-invalidator} consumer
 * group, invalidates Redis per coalesced (tenant, domain, tags) group and broadcasts the eviction to every API
 * node, committing offsets only after both.
 */
@SpringBootApplication
@EnableConfigurationProperties(InvalidatorProperties.class)
public class InvalidatorApplication {

    /**
     * The service reads {@code invalidator.yml}, not {@code application.yml}: the local cluster runs it in one JVM
     * with the API service, whose {@code application.yml} would otherwise shadow it on the shared classpath.
     */
    public static final String CONFIG_NAME = "invalidator";

    public static void main(String[] args) {
        builder().run(args);
    }

    /** The application with its configuration name set; every way of starting the service goes through it. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(InvalidatorApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }
}
