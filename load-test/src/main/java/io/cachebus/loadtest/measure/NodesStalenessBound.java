package io.cachebus.loadtest.measure;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The staleness bound the API nodes enforce ({@code cachebus.consistency.max-staleness}), as each node's health
 * endpoint reports it in its {@code cachebus} component: what the nodes themselves promise, which the harness's
 * own bound (the profile's, for the target) need not equal. The largest of the nodes' bounds, or why it is not known.
 *
 * @param maxStalenessMs the largest bound any node reports; null when unknown
 * @param unknownBecause why it is not known; null when it is
 */
public record NodesStalenessBound(Long maxStalenessMs, String unknownBecause) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** From the health bodies of every node ({@code GET /actuator/health}), in the nodes' order. */
    public static NodesStalenessBound fromHealth(List<String> healthBodies) {
        if (healthBodies.isEmpty()) {
            return unknown("no API node");
        }
        long largest = 0;
        for (int node = 0; node < healthBodies.size(); node++) {
            JsonNode details;
            try {
                details = JSON.readTree(healthBodies.get(node)).path("components").path("cachebus").path("details");
            } catch (RuntimeException e) {
                return unknown("node " + (node + 1) + "'s health is not JSON: " + e.getMessage());
            }
            if ("not enforced".equals(details.path("stalenessBound").asString(""))) {
                return unknown("node " + (node + 1) + " enforces no staleness bound");
            }
            JsonNode bound = details.path("maxStalenessMs");
            if (!bound.isIntegralNumber()) {
                return unknown("node " + (node + 1) + "'s health shows no cachebus maxStalenessMs (details hidden?)");
            }
            largest = Math.max(largest, bound.asLong());
        }
        return new NodesStalenessBound(largest, null);
    }

    public static NodesStalenessBound unknown(String because) {
        return new NodesStalenessBound(null, because);
    }
}
