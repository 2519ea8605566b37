package io.cachebus.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.client.autoconfigure.CachebusProperties;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chaos phase reads the bound of nodes in processes of their own from the properties they were started with. */
class ChaosPhaseBoundTest {

    @Test
    void aNodeStartedWithABoundHasThatBound() {
        CachebusProperties.Consistency bound = ChaosPhase.boundOf(Map.of(
                "cachebus.consistency.max-staleness", "250ms", "server.port", "8080"));

        assertThat(bound.getMaxStaleness()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aNodeStartedWithoutOneHasCachebusDefault() {
        assertThat(ChaosPhase.boundOf(Map.of()).getMaxStaleness())
                .isEqualTo(new CachebusProperties().getConsistency().getMaxStaleness());
    }
}
