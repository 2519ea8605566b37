package io.cachebus.cluster.support.observe;

import io.cachebus.localcluster.ServiceInstance;
import io.cachebus.loadtest.measure.PrometheusSamples;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A service's metrics read the way Prometheus reads them: over HTTP, which works wherever the service runs. */
public final class Scrape {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Scrape() {
    }

    public static PrometheusSamples of(ServiceInstance service) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create(service.baseUrl() + "/actuator/prometheus")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(service.name() + " answered its scrape with " + response.statusCode());
            }
            return PrometheusSamples.parse(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot scrape " + service.name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A gauge's name as Prometheus shows it: {@code cachebus.outbox.pending} is {@code cachebus_outbox_pending}. */
    public static String prometheusName(String meterName) {
        return meterName.replace('.', '_');
    }
}
