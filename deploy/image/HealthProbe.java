package io.cachebus.healthcheck;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The container health check of the cachebus images: exits 0 when the URL answers 200, 1 otherwise.
 *
 * <p>The images carry a Java runtime and nothing else (no shell, curl or wget), so the check is a tiny Java
 * program; it works the same on the jlink'd default base and on a registry JRE image. Compose runs it as
 * {@code java -cp /opt/cachebus/healthcheck io.cachebus.healthcheck.HealthProbe URL}.
 */
public final class HealthProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private HealthProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: HealthProbe URL");
            System.exit(2);
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(args[0])).timeout(TIMEOUT).GET().build();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            System.out.println("url=" + args[0] + " status=" + response.statusCode());
            System.exit(response.statusCode() == 200 ? 0 : 1);
        } catch (java.io.IOException e) {
            System.out.println("url=" + args[0] + " error=" + e);
            System.exit(1);
        }
    }
}
