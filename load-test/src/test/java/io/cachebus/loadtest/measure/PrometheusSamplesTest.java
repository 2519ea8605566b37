package io.cachebus.loadtest.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusSamplesTest {

    private static String scrape(double l1, double redis, double loader) {
        return """
                # HELP cachebus_cache_lookups_total Cache lookups by the tier that answered
                # TYPE cachebus_cache_lookups_total counter
                cachebus_cache_lookups_total{domain="workflows",tier="L1"} %s
                cachebus_cache_lookups_total{domain="notifications",tier="L1"} 0.0
                cachebus_cache_lookups_total{domain="workflows",tier="L2_REDIS"} %s
                cachebus_cache_lookups_total{domain="workflows",tier="LOADER"} %s
                jvm_threads_live_threads 42.0
                http_server_requests_seconds_bucket{le="+Inf",uri="/api/{x}",note="a \\"quoted\\", value"} 7 1700000000000
                """.formatted(l1, redis, loader);
    }

    @Test
    void parsesNamesLabelsValuesAndEscapes() {
        PrometheusSamples samples = PrometheusSamples.parse(scrape(10, 2, 3));
        assertThat(samples.samples()).hasSize(6);
        assertThat(samples.sum("jvm_threads_live_threads")).isEqualTo(42.0);
        assertThat(samples.sumBy("cachebus_cache_lookups_total", "tier"))
                .containsEntry("L1", 10.0).containsEntry("L2_REDIS", 2.0).containsEntry("LOADER", 3.0);
        PrometheusSamples.Sample histogram = samples.samples().get(5);
        assertThat(histogram.labels()).containsEntry("le", "+Inf").containsEntry("note", "a \"quoted\", value");
        assertThat(histogram.value()).isEqualTo(7.0);
    }

    @Test
    void hitRatioIsTakenOverTheDifferenceOfTwoScrapesOfEveryNode() {
        CacheLookups before = CacheLookups.sumOf(List.of(PrometheusSamples.parse(scrape(10, 0, 10)),
                PrometheusSamples.parse(scrape(0, 0, 0))));
        CacheLookups after = CacheLookups.sumOf(List.of(PrometheusSamples.parse(scrape(100, 10, 20)),
                PrometheusSamples.parse(scrape(50, 0, 10))));

        CacheLookups during = after.since(before);

        // hits: (100-10) + 50 in L1, 10 in Redis; misses: (20-10) + 10 loads
        assertThat(during.total()).isEqualTo(170.0);
        assertThat(during.hitRatio()).hasValueCloseTo(150.0 / 170.0, within(1e-9));
    }

    @Test
    void noLookupsMeansNoRatio() {
        assertThat(CacheLookups.sumOf(List.of(PrometheusSamples.parse("jvm_threads_live_threads 1\n")))
                .hitRatio()).isEmpty();
    }

    @Test
    void refusesMalformedLines() {
        assertThatThrownBy(() -> PrometheusSamples.parse("metric{tier=\"L1} 1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrometheusSamples.parse("metric{tier=L1} 1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrometheusSamples.parse("metric one")).isInstanceOf(IllegalArgumentException.class);
    }
}
