package io.cachebus.loadtest.liveview;

import io.cachebus.loadtest.measure.PrometheusSamples;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Scrapes one API node's Prometheus endpoint over HTTP and reads it as a {@link NodeSample}: what works for a node
 * in this JVM, in a process of its own, or anywhere the harness can reach.
 */
public final class NodeMetricsSampler {

    private final HttpClient http;
    private final URI metricsEndpoint;
    private final Duration timeout;

    /**
     * @param metricsEndpoint the node's {@code /actuator/prometheus}
     * @param timeout         how long one scrape may take before the node counts as not answering
     */
    public NodeMetricsSampler(HttpClient http, URI metricsEndpoint, Duration timeout) {
        this.http = http;
        this.metricsEndpoint = metricsEndpoint;
        this.timeout = timeout;
    }

    /** The node's figures now; empty when it did not answer (stopped, restarting, too busy within the timeout). */
    public Optional<NodeSample> sample() throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(metricsEndpoint).timeout(timeout).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            return Optional.of(NodeSample.of(PrometheusSamples.parse(response.body())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
