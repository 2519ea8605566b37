package io.cachebus.loadtest.liveview;

import java.time.LocalTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One write of the live view's workload and where its eviction arrived.
 *
 * @param at       when the write was sent (wall clock)
 * @param writer   the node that took the write
 * @param entity   what was written
 * @param arrivals per other node, in the cluster's order, the delay from the write's commit until the node applied
 *                 its eviction; empty for a node where it was not seen within the view's wait
 * @param failure  why the write failed (its HTTP status or error), empty when it was committed
 */
public record WriteArrivals(LocalTime at, String writer, String entity, Map<String, OptionalDouble> arrivals,
        Optional<String> failure) {

    public WriteArrivals {
        arrivals = Collections.unmodifiableMap(new LinkedHashMap<>(arrivals));
    }
}
