package io.cachebus.loadtest.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The nodes' propagation timer read back from their Prometheus scrapes: a timer shaped as the nodes register
 * {@code cachebus.eviction.propagation} (percentile histogram, 1 ms to 30 s), scraped before and after, on two nodes.
 */
class InNodePropagationTest {

    @Test
    void quantilesComeFromTheBucketsOfEveryNodeRecordedBetweenTwoScrapes() {
        PrometheusMeterRegistry nodeA = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PrometheusMeterRegistry nodeB = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Timer timerA = propagation(nodeA);
        Timer timerB = propagation(nodeB);
        timerA.record(900, TimeUnit.MILLISECONDS); // before the window: left out
        List<PrometheusSamples> before = List.of(PrometheusSamples.parse(nodeA.scrape()),
                PrometheusSamples.parse(nodeB.scrape()));
        for (int ms = 1; ms <= 100; ms++) {
            (ms % 2 == 0 ? timerA : timerB).record(ms, TimeUnit.MILLISECONDS);
        }
        List<PrometheusSamples> after = List.of(PrometheusSamples.parse(nodeA.scrape()),
                PrometheusSamples.parse(nodeB.scrape()));

        InNodePropagation measured = InNodePropagation.sumOf(after).since(InNodePropagation.sumOf(before));

        assertThat(measured.count()).isEqualTo(100.0);
        assertThat(measured.quantileMs(0.5).orElseThrow()).isCloseTo(50, within(8.0));
        assertThat(measured.quantileMs(0.99).orElseThrow()).isCloseTo(99, within(12.0));
        assertThat(InNodePropagation.sumOf(before).since(InNodePropagation.sumOf(before)).quantileMs(0.5)).isEmpty();
    }

    private static Timer propagation(PrometheusMeterRegistry registry) {
        return Timer.builder("cachebus.eviction.propagation").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }
}
