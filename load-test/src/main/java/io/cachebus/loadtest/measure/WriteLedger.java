package io.cachebus.loadtest.measure;

import io.cachebus.loadtest.workload.EntityRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every write the harness sent, per entity: its id, the value it wrote, when it was sent and when it was
 * acknowledged (a 2xx response arrived). A write that failed or never answered stays unacknowledged: it may or
 * may not have been applied, so it never makes another read stale, and a read that shows it is never stale
 * because of it.
 *
 * <p>Thread-safe: writes are sent from the scheduler thread and acknowledged from HTTP threads.
 */
public final class WriteLedger {

    /** {@link Write#ackNanos()} of a write without a 2xx response. */
    public static final long UNACKNOWLEDGED = Long.MAX_VALUE;

    /** One write of one entity. Times are {@link System#nanoTime()} readings of the harness. */
    public record Write(long id, long value, long sentNanos, long ackNanos) {

        public boolean acknowledged() {
            return ackNanos != UNACKNOWLEDGED;
        }
    }

    private final Map<EntityRef, List<Write>> writes = new ConcurrentHashMap<>();

    /** Records that write {@code id}, of {@code value}, to {@code entity} is about to be sent. */
    public void sent(EntityRef entity, long id, long value, long sentNanos) {
        List<Write> history = writes.computeIfAbsent(entity, e -> new ArrayList<>());
        synchronized (history) {
            history.add(new Write(id, value, sentNanos, UNACKNOWLEDGED));
        }
    }

    /** Records the 2xx response of write {@code id}. */
    public void acknowledged(EntityRef entity, long id, long ackNanos) {
        List<Write> history = writes.get(entity);
        if (history == null) {
            throw new IllegalStateException("no write was sent to " + entity);
        }
        synchronized (history) {
            for (int i = history.size() - 1; i >= 0; i--) {
                Write write = history.get(i);
                if (write.id() == id) {
                    history.set(i, new Write(id, write.value(), write.sentNanos(), ackNanos));
                    return;
                }
            }
        }
        throw new IllegalStateException("write " + id + " was not sent to " + entity);
    }

    /** The writes of {@code entity} so far, indexed for staleness questions. */
    public WriteHistory history(EntityRef entity) {
        List<Write> history = writes.get(entity);
        if (history == null) {
            return WriteHistory.of(List.of());
        }
        synchronized (history) {
            return WriteHistory.of(history);
        }
    }
}
