package io.cachebus.cluster.support.observe;

import io.cachebus.client.internal.tiered.DefaultTieredCache;
import io.cachebus.cluster.support.api.JsonShape;
import io.cachebus.cluster.support.cluster.ApiNode;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What one node's L1 holds, reachable or not: the no-stale-re-fill invariant is about what is PUT into L1, including
 * entries stored under generations no read will ask for again, so the test reads the tiered cache's view for tests
 * and diagnostics ({@link DefaultTieredCache#l1Snapshot()}).
 */
public final class L1Contents {

    private L1Contents() {
    }

    /**
     * The values a node's L1 holds for {@code tenant}'s {@code resource}, as the node would write them in a response
     * (its own JSON mapper).
     */
    public static List<JsonNode> of(ApiNode node, String tenant, String resource) {
        JsonMapper mapper = node.bean(JsonMapper.class);
        return node.bean(DefaultTieredCache.class).l1Snapshot().stream()
                .filter(entry -> entry.tenant().equals(tenant) && entry.resource().equals(resource))
                // written and read back, as a client gets it: a tree built from the object would hold a long where
                // the parsed answer holds an int, and the two would never compare equal
                .map(entry -> JsonShape.read(mapper.writeValueAsString(entry.value())))
                .toList();
    }
}
