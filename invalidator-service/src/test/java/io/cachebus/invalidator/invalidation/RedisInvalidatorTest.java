package io.cachebus.invalidator.invalidation;

import static io.cachebus.invalidator.testing.TestEvents.mutation;
import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.events.DomainMutated;
import io.cachebus.events.Tag;
import io.cachebus.invalidator.coalescing.EventCoalescer;
import io.cachebus.invalidator.coalescing.InvalidationGroup;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The log line and the meters of one invalidation, as an operator sees them. */
class RedisInvalidatorTest {

    private final InvalidationGroup burst = EventCoalescer.coalesce(IntStream.rangeClosed(3, 12)
            .mapToObj(seq -> mutation("t1", "workflows", seq, new Tag("notifications", "unread-count")))
            .toList()).get(0);

    @Test
    void theLogLineNamesPrefixStrategyOutcomeDurationTenantDomainAndTruncatedEventIds() {
        InvalidationResult scan = new InvalidationResult(burst, "scan", 5, OptionalLong.of(12), Duration.ofNanos(1_500_000));

        String line = RedisInvalidator.describe(scan);

        assertThat(line).startsWith("invalidated prefix=tenant:t1:workflows: strategy=scan generation=5 keysRemoved=12 "
                + "durationMs=1.500 tenant=t1 domain=workflows tags=notifications:unread-count events=10 "
                + "eventIds=" + burst.eventIds().get(0) + ",");
        assertThat(line).endsWith(burst.eventIds().get(4) + ",+5more");
        assertThat(line).doesNotContain(burst.eventIds().get(5).toString());
        assertThat(RedisInvalidator.describe(new InvalidationResult(burst, "generation", 5, OptionalLong.empty(),
                Duration.ZERO))).doesNotContain("keysRemoved");
    }

    @Test
    void theInvalidationCounterIsExportedAsSbaCacheInvalidationsTotalWithDomainAndTenant() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        InvalidationMetrics metrics = new InvalidationMetrics(registry, true);

        metrics.record(result(mutation("t1", "workflows", 1)));
        metrics.record(result(mutation("t1", "workflows", 2)));
        metrics.record(result(mutation("t2", "notifications", 1)));

        String scrape = registry.scrape();
        assertThat(scrape).contains("sba_cache_invalidations_total{domain=\"workflows\",tenant=\"t1\"} 2.0");
        assertThat(scrape).contains("sba_cache_invalidations_total{domain=\"notifications\",tenant=\"t2\"} 1.0");
        assertThat(scrape).contains("cachebus_invalidation_duration_seconds_count{domain=\"workflows\",strategy=\"generation\"} 2");
    }

    @Test
    void theTenantLabelCanBeSwitchedOffForHighCardinalityFleets() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        InvalidationMetrics metrics = new InvalidationMetrics(registry, false);

        metrics.record(result(mutation("t1", "workflows", 1)));
        metrics.record(result(mutation("t2", "workflows", 1)));

        String scrape = registry.scrape();
        assertThat(scrape).contains("sba_cache_invalidations_total{domain=\"workflows\"} 2.0");
        assertThat(scrape).doesNotContain("tenant=");
    }

    private static InvalidationResult result(DomainMutated event) {
        return new InvalidationResult(EventCoalescer.coalesce(List.of(event)).get(0), "generation", 1,
                OptionalLong.empty(), Duration.ofMillis(1));
    }
}
