package io.cachebus.api.bench;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The benchmark's ceiling endpoint, {@value CeilingController#PATH}: what one node serves when a read costs only the
 * HTTP stack (Spring MVC, the bearer-token check, the rate limits, JSON), with no cache and no database behind it.
 * The load-test harness sets cached reads against it to show what the cache itself costs.
 *
 * @param enabled whether the node serves the endpoint (default false: it exists for benchmarks only, and a
 *                production node answers 404 there, as for any unknown path)
 */
@ConfigurationProperties("cachebus.bench.ceiling-endpoint")
public record CeilingEndpointProperties(@DefaultValue("false") boolean enabled) {
}
