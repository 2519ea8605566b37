package io.cachebus.invalidator.consumer;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

/** A time budget that does not fit in the poll interval would not keep the member in its group: refused at startup. */
class BatchTimeBudgetCheckTest {

    @Test
    void theBudgetMustBeBelowTheConfiguredOrDefaultPollInterval() {
        assertThatCode(() -> ConsumerConfiguration.requireBudgetBelowPollInterval(Duration.ofSeconds(30), Map.of()))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> ConsumerConfiguration.requireBudgetBelowPollInterval(Duration.ofMinutes(5), Map.of()))
                .hasMessageContaining("batch-time-budget (300000 ms) must be well below max.poll.interval.ms (300000 ms)");
        assertThatThrownBy(() -> ConsumerConfiguration.requireBudgetBelowPollInterval(Duration.ofSeconds(30),
                Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "20000")))
                .hasMessageContaining("max.poll.interval.ms (20000 ms)");
    }
}
