package io.cachebus.cluster.availability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.cluster.outage.DrillReport;
import io.cachebus.cluster.outage.Exchange;
import io.cachebus.cluster.outage.Outage;
import io.cachebus.cluster.outage.OutageDrills;
import io.cachebus.cluster.support.api.JsonShape;
import io.cachebus.cluster.support.cluster.ClusterKind;
import io.cachebus.cluster.support.cluster.OnCluster;
import io.cachebus.cluster.support.cluster.TestCluster;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Invariant 5, users never pay for cache or bus trouble: while Kafka is down, Redis is down, an invalidator is killed,
 * an API node restarts (taken out of the load balancer's rotation first, as a deployment would) or an API node's
 * outbox relay is dead, every client
 * request gets the status code and the body schema (the same JSON field names, recursively) that the same kind of
 * request got from the healthy cluster just before.
 */
@OnCluster(ClusterKind.SCAN_STRATEGY_WITH_OUTAGES)
class NoCostToUsersTest {

    /** What a healthy answer to one kind of request looks like. */
    private record Normal(int status, String contentType, String shape) {
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Outage.class)
    void everyRequestGetsItsNormalStatusAndSchemaDuringTheOutage(Outage outage, TestCluster cluster) {
        DrillReport report = OutageDrills.report(cluster, outage);
        Map<String, Normal> normal = new LinkedHashMap<>();
        for (Exchange healthy : report.healthy()) {
            assertThat(healthy.failure()).as("%s on the healthy cluster", healthy).isNull();
            assertThat(healthy.response().isSuccess()).as("%s on the healthy cluster", healthy).isTrue();
            normal.putIfAbsent(healthy.kind(), new Normal(healthy.response().status(), healthy.response().contentType(),
                    shape(healthy)));
        }

        List<Exchange> during = report.duringOutage();
        assertThat(during).as("requests sent while %s", outage)
                .anyMatch(e -> e.kind().startsWith("GET"))
                .anyMatch(e -> !e.kind().startsWith("GET"));
        List<String> costs = new ArrayList<>();
        for (Exchange exchange : during) {
            Normal expected = normal.get(exchange.kind());
            if (expected == null) {
                costs.add("no healthy answer to compare with: " + exchange);
            } else if (exchange.failure() != null) {
                costs.add(exchange.toString());
            } else if (exchange.response().status() != expected.status()
                    || !exchange.response().contentType().equals(expected.contentType())
                    || !shape(exchange).equals(expected.shape())) {
                costs.add(exchange + " (normal: " + expected + ")");
            }
        }
        assertThat(costs).as("of %s requests sent while %s, those answered differently from a healthy cluster",
                during.size(), outage).isEmpty();
    }

    private static String shape(Exchange exchange) {
        String body = exchange.response().body();
        return body.isEmpty() ? "(no body)" : JsonShape.fieldShape(JsonShape.read(body));
    }
}
