package io.cachebus.client.internal.consistency;

import io.cachebus.client.internal.tiered.Scope;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The staleness bound this node enforces: cached data of a scope may be served only while every mutation that
 * could touch it and committed more than {@code maxStaleness} ago is known to have been invalidated here.
 *
 * <p>What is known comes from the {@link FreshnessProbe} as one time per mutation-topic partition: every mutation
 * on that partition committed before it has had its eviction applied on this node. A domain's mutations all travel
 * on one partition (the record key is {@code tenant:domain}); a tag can be named by a mutation of any domain, so a
 * read that depends on a tag needs every partition to be current.
 *
 * <p>It also notes when a read last asked, so that the probe can pause while nobody does (ADR 0018): a read after the
 * pause wakes the probe, whose first round runs on that read's thread before the read's times are looked at.
 */
public final class EnforcedStalenessBound implements StalenessGate {

    private static final long UNKNOWN = Long.MIN_VALUE;

    private final long maxStalenessMillis;
    private final Clock clock;
    /** per mutation partition: every mutation committed before this time (epoch ms) is applied here */
    private volatile long[] safeThrough = new long[0];
    private volatile long oldestSafeThrough = UNKNOWN;
    /** When a read last asked (epoch ms); a node counts as asked at its start. */
    private volatile long lastAskedMillis;
    /** What the next read runs, once, when the probe paused for want of reads. */
    private final AtomicReference<Runnable> onNextAsk = new AtomicReference<>();

    public EnforcedStalenessBound(Duration maxStaleness, Clock clock) {
        this.maxStalenessMillis = maxStaleness.toMillis();
        this.clock = clock;
        this.lastAskedMillis = clock.millis();
    }

    @Override
    public boolean allowsCachedRead(List<Scope> scopes) {
        long now = clock.millis();
        asked(now);
        long[] safe = safeThrough;
        if (safe.length == 0) {
            return false;
        }
        long oldestAllowed = now - maxStalenessMillis;
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

    private void asked(long now) {
        if (now != lastAskedMillis) {
            // one write per millisecond at most: every cached read passes here
            lastAskedMillis = now;
        }
        if (onNextAsk.get() != null) {
            Runnable wake = onNextAsk.getAndSet(null);
            if (wake != null) {
                wake.run();
            }
        }
    }

    /** When a read last asked whether it may be served from the caches (epoch ms of this node's clock). */
    long lastAskedMillis() {
        return lastAskedMillis;
    }

    /** The probe paused: the next read runs {@code wake} (once) after it noted itself. */
    void onNextAsk(Runnable wake) {
        onNextAsk.set(wake);
    }

    /** Whether the probe is paused until the next read, no read having asked for a while. */
    public boolean waitingForARead() {
        return onNextAsk.get() != null;
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
