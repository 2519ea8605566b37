package io.cachebus.loadtest.measure;

import io.cachebus.loadtest.workload.Domain;
import io.cachebus.loadtest.workload.EntityRef;
import java.util.HashSet;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The hit ratio of the best cache that invalidates on write, on the requests a load sent: every entry the load reads
 * starts cached (the harness reads each entity and its derived data once before the load), a write drops exactly the
 * entries it changed at the moment it is sent, and the next read of a dropped entry misses once, wherever it goes,
 * and caches it again for every node. Nothing expires, no write is seen late, no two reads miss the same entry.
 *
 * <p>A write of an entity changes its own entry, its derived data when that shows the one entity (a workflow's
 * steps), and the data of its domain that shows many of the tenant's entities (the unread count): what the reference
 * API's entity scopes drop (ADR 0017). So the figure is what the workload allows any such cache, cachebus or another:
 * the misses it counts are the ones writes make unavoidable, and a hit ratio below it is what the cache itself loses
 * (writes propagated late, loads raced by writes, a writer's own reads sent past L2 until its invalidation is back).
 */
public final class InvalidateOnWriteCeiling {

    private final Set<Entry> dropped = new HashSet<>();
    private boolean counting;
    private long reads;
    private long misses;

    /** Counts the reads from now on ({@code true}) or only tracks what the writes drop ({@code false}). */
    public synchronized void counting(boolean on) {
        counting = on;
    }

    /** A read of the entity ({@code derived} false) or of its derived data, in the order the load sent it. */
    public synchronized void read(EntityRef entity, boolean derived) {
        boolean miss = dropped.remove(derived ? Entry.derivedOf(entity) : Entry.of(entity));
        if (counting) {
            reads++;
            if (miss) {
                misses++;
            }
        }
    }

    /**
     * The propagation probe reads the entity on every node once its write is acknowledged: in the caches that loads it
     * again for the load's later reads, so here it does too, without counting (the figures leave the probe's reads
     * out).
     */
    public synchronized void readByProbe(EntityRef entity) {
        dropped.remove(Entry.of(entity));
    }

    /** A write of the entity, in the order the load sent it. */
    public synchronized void write(EntityRef entity) {
        dropped.add(Entry.of(entity));
        dropped.add(Entry.derivedOf(entity));
        dropped.add(Entry.collectionOf(entity));
    }

    public synchronized long reads() {
        return reads;
    }

    public synchronized long misses() {
        return misses;
    }

    /** Hits over the reads counted; empty when none was. */
    public synchronized OptionalDouble hitRatio() {
        return reads == 0 ? OptionalDouble.empty() : OptionalDouble.of((reads - misses) / (double) reads);
    }

    /**
     * One cached entry: an entity ({@code derived} false), its derived data, or with no {@code id} the derived data
     * of the tenant's whole domain.
     */
    private record Entry(String tenant, Domain domain, String id, boolean derived) {

        static Entry of(EntityRef entity) {
            return new Entry(entity.tenant(), entity.domain(), entity.id(), false);
        }

        static Entry derivedOf(EntityRef entity) {
            return entity.domain().derivedOfOneEntity() ? new Entry(entity.tenant(), entity.domain(), entity.id(), true)
                    : collectionOf(entity);
        }

        static Entry collectionOf(EntityRef entity) {
            return new Entry(entity.tenant(), entity.domain(), null, true);
        }
    }
}
