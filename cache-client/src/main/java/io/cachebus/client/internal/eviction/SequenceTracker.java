package io.cachebus.client.internal.eviction;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The highest mutation sequence of each (tenant, domain) this node has seen invalidated. A broadcast that starts
 * above the next expected sequence means broadcasts were missed in between (a gap). Bounded: a forgotten domain
 * simply starts over, which can hide a gap but never invent one.
 */
final class SequenceTracker {

    private final Cache<String, Long> highest;

    SequenceTracker(long maxTrackedScopes) {
        this.highest = Caffeine.newBuilder().maximumSize(maxTrackedScopes).build();
    }

    /**
     * Records a broadcast covering {@code fromSequence..toSequence}; returns the number of sequences missed before
     * it (0 when none, or when the domain is new to this node).
     */
    long record(String recordKey, long fromSequence, long toSequence) {
        long[] missed = {0};
        highest.asMap().compute(recordKey, (key, last) -> {
            if (last == null) {
                return toSequence;
            }
            if (fromSequence > last + 1) {
                missed[0] = fromSequence - last - 1;
            }
            return Math.max(last, toSequence);
        });
        return missed[0];
    }

    /** Whether a broadcast up to {@code toSequence} comes after one that went further (it was overtaken). */
    boolean isOvertaken(String recordKey, long toSequence) {
        Long last = highest.getIfPresent(recordKey);
        return last != null && toSequence <= last;
    }

    void forgetAll() {
        highest.invalidateAll();
    }

    /** How many scopes are tracked once pending evictions have run; never more than the configured maximum. */
    long trackedScopes() {
        highest.cleanUp();
        return highest.estimatedSize();
    }
}
