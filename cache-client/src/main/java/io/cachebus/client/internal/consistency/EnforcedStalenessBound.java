package io.cachebus.client.internal.consistency;

import io.cachebus.client.internal.tiered.Scope;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The staleness bound this node enforces: cached data of a scope may be served only while every mutation that
 * could touch it and committed more than {@code maxStaleness} ago is known to have been invalidated here.
 *
 * <p>What is known comes from the {@link FreshnessProbe} as one time per mutation-topic partition: every mutation
 * on that partition committed before it has had its eviction applied on this node. A domain's mutations all travel
 * on one partition (the record key is {@code tenant:domain}); a tag can be named by a mutation of any domain, so a
 * read that depends on a tag needs every partition to be current.
 */
public final class EnforcedStalenessBound implements StalenessGate {

    private static final long UNKNOWN = Long.MIN_VALUE;

    private final long maxStalenessMillis;
    private final Clock clock;
    /** per mutation partition: every mutation committed before this time (epoch ms) is applied here */
    private volatile long[] safeThrough = new long[0];
    private volatile long oldestSafeThrough = UNKNOWN;

    public EnforcedStalenessBound(Duration maxStaleness, Clock clock) {
        this.maxStalenessMillis = maxStaleness.toMillis();
        this.clock = clock;
    }

    @Override
    public boolean allowsCachedRead(List<Scope> scopes) {
        long[] safe = safeThrough;
        if (safe.length == 0) {
            return false;
        }
        long oldestAllowed = clock.millis() - maxStalenessMillis;
        for (Scope scope : scopes) {
            // a domain's collections and entities are written by its own mutations, on its partition; a tag may be
            // named by mutations of any domain
            long through = !scope.isTag()
                    ? safe[MutationPartitioner.partitionOf(scope.tenant(), scope.domain(), safe.length)]
                    : oldestSafeThrough;
            if (through < oldestAllowed) {
                return false;
            }
        }
        return true;
    }

    /** Called by the probe with the new time per partition; times never move back. */
    void advance(long[] newSafeThrough) {
        long[] current = safeThrough;
        long[] next = Arrays.copyOf(newSafeThrough, newSafeThrough.length);
        if (current.length == next.length) {
            for (int p = 0; p < next.length; p++) {
                next[p] = Math.max(next[p], current[p]);
            }
        }
        long oldest = next.length == 0 ? UNKNOWN : Arrays.stream(next).min().getAsLong();
        safeThrough = next;
        oldestSafeThrough = oldest;
    }

    long[] safeThrough() {
        return safeThrough.clone();
    }

    /**
     * How far this node is behind: the age of the oldest mutation that may not have reached it yet, in seconds;
     * infinite until the first probe completed.
     */
    public double lagSeconds() {
        long oldest = oldestSafeThrough;
        return oldest == UNKNOWN ? Double.POSITIVE_INFINITY : Math.max(0, clock.millis() - oldest) / 1000.0;
    }

    /** Whether some partition is behind by more than the bound, so some reads go to the database now. */
    public boolean behind() {
        return lagSeconds() * 1000 > maxStalenessMillis;
    }

    public Duration maxStaleness() {
        return Duration.ofMillis(maxStalenessMillis);
    }
}
