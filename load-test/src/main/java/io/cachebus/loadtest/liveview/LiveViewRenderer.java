package io.cachebus.loadtest.liveview;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The live view's text: the table of nodes and a line per write. Pure formatting, no state: what it is given is
 * what it shows.
 */
public final class LiveViewRenderer {

    private static final String ROW = "%-7s %6s %8s %8s %7s %6s %8s %10s %11s  %-13s  %s";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    /**
     * The table after {@code elapsedSeconds} of {@code totalSeconds}: a title, the column names, a row per node.
     */
    public List<String> table(long elapsedSeconds, long totalSeconds, List<NodeRow> rows) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "live view %d/%d s  (counts since the view started; eviction delay: from"
                + " the write's commit until the node applied it)", elapsedSeconds, totalSeconds));
        lines.add(String.format(Locale.ROOT, ROW, "node", "req/s", "L1 hits", "L2 hits", "misses", "hits", "L1 size",
                "evictions", "last delay", "redis breaker", "evictions subscription"));
        for (NodeRow row : rows) {
            lines.add(row(row));
        }
        return lines;
    }

    /** One write: where it was taken and, on every other node, when its eviction was applied there. */
    public String write(WriteArrivals write) {
        String head = String.format(Locale.ROOT, "%s  write on %s (%s): ", TIME.format(write.at()), write.writer(),
                write.entity());
        if (write.failure().isPresent()) {
            return head + "failed, " + write.failure().get();
        }
        List<String> arrivals = new ArrayList<>();
        for (Map.Entry<String, OptionalDouble> arrival : write.arrivals().entrySet()) {
            OptionalDouble delay = arrival.getValue();
            arrivals.add(arrival.getKey() + " " + (delay.isPresent() ? millis(delay.getAsDouble())
                    : "not seen"));
        }
        return head + "evicted on " + String.join(", ", arrivals);
    }

    private static String row(NodeRow row) {
        if (!row.answering()) {
            return String.format(Locale.ROOT, "%-7s does not answer its metrics endpoint", row.node());
        }
        return String.format(Locale.ROOT, ROW, row.node(),
                String.format(Locale.ROOT, "%.1f", row.requestsPerSecond()),
                row.l1Hits(), row.l2Hits(), row.misses(),
                row.hitRatio().isPresent() ? String.format(Locale.ROOT, "%.0f%%", row.hitRatio().getAsDouble() * 100)
                        : "-",
                row.l1Size().isPresent() ? String.valueOf(row.l1Size().getAsLong()) : "-",
                row.evictionsApplied(),
                row.lastEvictionMillis().isPresent() ? millis(row.lastEvictionMillis().getAsDouble()) : "-",
                row.redisBreaker().orElse("none"),
                subscription(row.subscriptionAssignments()));
    }

    private static String subscription(long assignments) {
        if (assignments == 0) {
            return "not assigned yet";
        }
        // every assignment after the first dropped the node's local entries (it may have missed broadcasts)
        return assignments == 1 ? "assigned" : "assigned, reassigned " + (assignments - 1) + "x";
    }

    private static String millis(double millis) {
        return String.format(Locale.ROOT, millis < 10 ? "%.1f ms" : "%.0f ms", millis);
    }
}
