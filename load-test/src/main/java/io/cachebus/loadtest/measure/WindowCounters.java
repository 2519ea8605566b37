package io.cachebus.loadtest.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The nodes' counters over several windows of time, added up node by node: the measured slices of a load that
 * alternates with other traffic on the same nodes (the baseline's, on their invalidation-off ports), whose lookups
 * and loads must not count as the measured load's. Empty once any scrape failed.
 */
public final class WindowCounters {

    private List<PrometheusSamples> sums;
    private boolean complete = true;

    /** Adds the window between {@code start} and {@code end}, scrapes of the same nodes in the same order. */
    public void add(Optional<List<PrometheusSamples>> start, Optional<List<PrometheusSamples>> end) {
        if (start.isEmpty() || end.isEmpty()) {
            complete = false;
            return;
        }
        List<PrometheusSamples> window = new ArrayList<>();
        for (int node = 0; node < end.get().size(); node++) {
            window.add(end.get().get(node).since(start.get().get(node)));
        }
        if (sums == null) {
            sums = window;
        } else {
            for (int node = 0; node < sums.size(); node++) {
                sums.set(node, sums.get(node).plus(window.get(node)));
            }
        }
    }

    /** Each node's counters summed over the windows added; empty when none was, or a scrape failed. */
    public Optional<List<PrometheusSamples>> perNode() {
        return complete && sums != null ? Optional.of(List.copyOf(sums)) : Optional.empty();
    }

    /** As many empty scrapes as nodes: the "before" of {@link #perNode()} for code that takes two scrapes. */
    public static List<PrometheusSamples> zeros(int nodes) {
        List<PrometheusSamples> zeros = new ArrayList<>();
        for (int node = 0; node < nodes; node++) {
            zeros.add(PrometheusSamples.empty());
        }
        return zeros;
    }
}
