package io.cachebus.cluster.support.observe;

import com.github.benmanes.caffeine.cache.Cache;
import io.cachebus.client.internal.tiered.DefaultTieredCache;
import io.cachebus.cluster.support.api.JsonShape;
import io.cachebus.cluster.support.cluster.ApiNode;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What one node's L1 holds, reachable or not. The tiered cache offers no view of its Caffeine map (applications have
 * no business with one), but the no-stale-re-fill invariant is about what is PUT into L1, including entries that
 * are stored under generations no read will ask for again; so the test reads the map itself, found by its type.
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
        List<JsonNode> values = new ArrayList<>();
        for (Map.Entry<String, Object> entry : l1(node.bean(DefaultTieredCache.class)).asMap().entrySet()) {
            // an L1 key is the CacheKey's canonical text (tenant, domain, tag, resource on lines of their own) and
            // the local generations
            String[] lines = entry.getKey().split("\n", -1);
            if (lines.length > 3 && lines[0].equals(tenant) && lines[3].equals(resource)) {
                // written and read back, as a client gets it: a tree built from the object would hold a long where
                // the parsed answer holds an int, and the two would never compare equal
                values.add(JsonShape.read(mapper.writeValueAsString(entry.getValue())));
            }
        }
        return values;
    }

    @SuppressWarnings("unchecked")
    private static Cache<String, Object> l1(DefaultTieredCache cache) {
        for (Field field : DefaultTieredCache.class.getDeclaredFields()) {
            if (Cache.class.isAssignableFrom(field.getType())) {
                field.setAccessible(true);
                try {
                    Cache<String, Object> l1 = (Cache<String, Object>) field.get(cache);
                    if (l1 == null) {
                        throw new IllegalStateException("this node runs without L1");
                    }
                    return l1;
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException("DefaultTieredCache has no Caffeine field any more: update this test view");
    }
}
