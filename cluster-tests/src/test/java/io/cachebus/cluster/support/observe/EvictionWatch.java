package io.cachebus.cluster.support.observe;

import static org.awaitility.Awaitility.await;

import io.cachebus.client.internal.eviction.EvictionBroadcastHandler;
import io.cachebus.cluster.support.cluster.ApiNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Knows when the invalidation of one or more writes of a node has reached every node. Taken before the writes, it
 * remembers how many eviction broadcasts of the domain each node had applied. The invalidation has reached every
 * node when the writing node no longer waits for the broadcast of any of its writes to the tenant's domain (so it
 * has applied all of them), and every other node has applied as many broadcasts of the domain since as the writer
 * (every node reads every broadcast, in the same order per tenant and domain).
 */
public final class EvictionWatch {

    private final String tenant;
    private final String domain;
    private final Map<ApiNode, Double> appliedBefore = new LinkedHashMap<>();

    private EvictionWatch(List<ApiNode> nodes, String tenant, String domain) {
        this.tenant = tenant;
        this.domain = domain;
        nodes.forEach(node -> appliedBefore.put(node, applied(node)));
    }

    /** Call before the writes; {@code nodes} must include the writing node. */
    public static EvictionWatch before(List<ApiNode> nodes, String tenant, String domain) {
        return new EvictionWatch(nodes, tenant, domain);
    }

    /** Waits until every node applied the invalidation of {@code writer}'s writes; fails after {@code within}. */
    public void awaitEverywhere(ApiNode writer, Duration within) {
        if (!appliedBefore.containsKey(writer)) {
            throw new IllegalArgumentException("the watch was not taken on the writer " + writer);
        }
        try {
            await().atMost(within).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                    .until(() -> pendingNodes(writer).isEmpty());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the invalidation of " + writer + "'s write to " + tenant + ":" + domain
                    + " was not applied within " + within.toMillis() + " ms on " + pendingNodes(writer), e);
        }
    }

    /** The nodes that have not applied the invalidation yet. */
    private List<ApiNode> pendingNodes(ApiNode writer) {
        double writerApplied = applied(writer) - appliedBefore.get(writer);
        List<ApiNode> pending = new ArrayList<>();
        if (writer.awaitsOwnInvalidation(tenant, domain) || writerApplied < 1) {
            pending.add(writer);
        }
        appliedBefore.forEach((node, before) -> {
            if (node != writer && applied(node) - before < writerApplied) {
                pending.add(node);
            }
        });
        return pending;
    }

    private double applied(ApiNode node) {
        Counter received = node.bean(MeterRegistry.class).find(EvictionBroadcastHandler.RECEIVED)
                .tag("domain", domain).counter();
        return received == null ? 0 : received.count();
    }
}
