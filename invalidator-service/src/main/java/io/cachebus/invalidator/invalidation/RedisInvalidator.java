package io.cachebus.invalidator.invalidation;

import io.cachebus.invalidator.coalescing.InvalidationGroup;
import io.cachebus.invalidator.resilience.GuardedCall;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invalidates coalesced groups in Redis through the {@value #RESILIENCE_INSTANCE} retry and circuit breaker,
 * then logs and measures what the strategy did. Throws when Redis did not take the invalidation; the group is then
 * broadcast with its Redis work pending and the batch's offsets are held back until it is redone.
 */
public final class RedisInvalidator {

    /** The resilience4j instance name of the Redis breaker and retry. */
    public static final String RESILIENCE_INSTANCE = "invalidator-redis";

    private static final Logger log = LoggerFactory.getLogger(RedisInvalidator.class);
    private static final int LOGGED_EVENT_IDS = 5;

    private final PrefixInvalidationStrategy strategy;
    private final GuardedCall guard;
    private final InvalidationMetrics metrics;

    public RedisInvalidator(PrefixInvalidationStrategy strategy, GuardedCall guard, InvalidationMetrics metrics) {
        this.strategy = strategy;
        this.guard = guard;
        this.metrics = metrics;
    }

    /** How many groups {@link #invalidate(List)} should be given at a time. */
    public int groupsPerCall() {
        return strategy.groupsPerCall();
    }

    /**
     * Invalidates the groups in one go (one Redis round trip for the {@code generation} strategy); returns their
     * results in order. One line at INFO per call; the line per group is at DEBUG, since a batch has hundreds.
     */
    public List<InvalidationResult> invalidate(List<InvalidationGroup> groups) {
        List<InvalidationResult> results = guard.call(() -> strategy.invalidate(groups));
        results.forEach(metrics::record);
        if (log.isDebugEnabled()) {
            for (InvalidationResult result : results) {
                InvalidationGroup group = result.group();
                // fields of structured logs (logging.structured.format.console); the text has them for the plain
                // console
                log.atDebug().addKeyValue("tenant", group.tenant()).addKeyValue("domain", group.domain())
                        .addKeyValue("eventIds", truncated(group.eventIds())).log(describe(result));
            }
        }
        if (log.isInfoEnabled() && !results.isEmpty()) {
            log.info("invalidated groups={} events={} strategy={} durationMs={}", results.size(),
                    groups.stream().mapToInt(InvalidationGroup::eventCount).sum(), results.get(0).strategy(),
                    String.format(Locale.ROOT, "%.3f", results.get(results.size() - 1).duration().toNanos() / 1e6));
        }
        return results;
    }

    public InvalidationResult invalidate(InvalidationGroup group) {
        return invalidate(List.of(group)).get(0);
    }

    static String describe(InvalidationResult result) {
        InvalidationGroup group = result.group();
        StringBuilder line = new StringBuilder("invalidated")
                .append(" prefix=").append(group.prefix())
                .append(" strategy=").append(result.strategy())
                .append(" generation=").append(result.generation());
        result.keysRemoved().ifPresent(removed -> line.append(" keysRemoved=").append(removed));
        line.append(" durationMs=").append(String.format(Locale.ROOT, "%.3f", result.duration().toNanos() / 1e6))
                .append(" tenant=").append(group.tenant())
                .append(" domain=").append(group.domain());
        if (!group.tags().isEmpty()) {
            line.append(" tags=").append(group.tags().stream().map(Object::toString).collect(Collectors.joining(",")));
        }
        return line.append(" events=").append(group.eventCount())
                .append(" eventIds=").append(truncated(group.eventIds()))
                .toString();
    }

    private static String truncated(List<UUID> ids) {
        String shown = ids.stream().limit(LOGGED_EVENT_IDS).map(UUID::toString).collect(Collectors.joining(","));
        return ids.size() > LOGGED_EVENT_IDS ? shown + ",+" + (ids.size() - LOGGED_EVENT_IDS) + "more" : shown;
    }
}
