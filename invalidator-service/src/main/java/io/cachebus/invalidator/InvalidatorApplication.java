package io.cachebus.invalidator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The invalidator service: consumes {@code DomainMutated} events in the {@code cachebus-invalidator} consumer
 * group, invalidates Redis per coalesced (tenant, domain, tags) group and broadcasts the eviction to every API
 * node, committing offsets only after both.
 */
@SpringBootApplication
@EnableConfigurationProperties(InvalidatorProperties.class)
public class InvalidatorApplication {

    public static void main(String[] args) {
        SpringApplication.run(InvalidatorApplication.class, args);
    }
}
