package io.cachebus.loadtest.deployment.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachebus.loadtest.deployment.BearerTokens;
import io.cachebus.loadtest.deployment.NodeMode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UrlClusterTargetTest {

    private static final BearerTokens TOKENS = new BearerTokens("a-test-secret-that-is-long-enough-for-hs256",
            Duration.ofHours(1));

    @Test
    void offersTheModesItWasGivenAndNothingElse() {
        UrlClusterTarget target = new UrlClusterTarget(Map.of(
                NodeMode.NORMAL, List.of(URI.create("http://127.0.0.1:8081/"), URI.create("http://127.0.0.1:8082")),
                NodeMode.INVALIDATION_OFF, List.of(URI.create("http://127.0.0.1:9081"))), TOKENS, null);

        assertThat(target.apiNodes()).containsExactly(URI.create("http://127.0.0.1:8081"),
                URI.create("http://127.0.0.1:8082"));
        assertThat(target.nodes(NodeMode.INVALIDATION_OFF)).hasValueSatisfying(nodes ->
                assertThat(nodes.urls()).containsExactly(URI.create("http://127.0.0.1:9081")));
        assertThat(target.nodes(NodeMode.CACHE_OFF)).isEmpty();
        assertThat(target.kafkaBootstrapServers()).isEmpty();
        assertThat(target.invalidators()).isEmpty();
        assertThat(target.metricsEndpoint(target.apiNodes().get(0)))
                .isEqualTo(URI.create("http://127.0.0.1:8081/actuator/prometheus"));
    }

    @Test
    void refusesUrlsThatAreNotNodeBaseUrls() {
        assertThatThrownBy(() -> UrlClusterTarget.origin(URI.create("ftp://host:1")))
                .hasMessageContaining("not an http(s) URL");
        assertThatThrownBy(() -> UrlClusterTarget.origin(URI.create("http://host:1/api")))
                .hasMessageContaining("without a path");
        assertThatThrownBy(() -> new UrlClusterTarget(Map.of(NodeMode.NORMAL, List.of()), TOKENS, null))
                .hasMessageContaining("at least one API node");
    }
}
