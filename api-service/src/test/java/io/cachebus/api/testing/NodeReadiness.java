package io.cachebus.api.testing;

import static org.awaitility.Awaitility.await;

import io.cachebus.client.internal.eviction.EvictionListener;
import java.time.Duration;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * A node drops every local entry when its eviction subscription is first assigned (it may have missed evictions
 * before). Tests that look at which tier answered wait for that first, so the drop cannot land between two GETs.
 */
final class NodeReadiness {

    private NodeReadiness() {
    }

    static void awaitEvictionSubscription(ListableBeanFactory beans) {
        beans.getBeanProvider(EvictionListener.class).ifAvailable(listener ->
                await("the eviction subscription is assigned").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(20)).until(() -> listener.assignments() > 0));
    }
}
