package io.cachebus.client.internal.outbox;

import io.cachebus.client.internal.sql.datasource.UntaggedStatements;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the unsent rows and purges the sent ones on a thread of its own: a purge of an hour's rows or a count over
 * a large backlog must not hold up the relay, which marks the direct sends' rows and sends the rest.
 */
final class OutboxHousekeeping {

    private static final Logger log = LoggerFactory.getLogger(OutboxHousekeeping.class);
    private static final Duration MAX_PURGE_INTERVAL = Duration.ofMinutes(1);

    private final OutboxRepository repository;
    private final AtomicLong pending;
    private final Duration countInterval;
    private final Duration retention;
    private final String nodeId;
    private ScheduledExecutorService executor;

    /** @param pending where the count goes (the gauge's value) */
    OutboxHousekeeping(OutboxRepository repository, AtomicLong pending, Duration countInterval, Duration retention,
            String nodeId) {
        this.repository = repository;
        this.pending = pending;
        this.countInterval = countInterval;
        this.retention = retention;
        this.nodeId = nodeId;
    }

    synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "cachebus-outbox-housekeeping");
            thread.setDaemon(true);
            return thread;
        });
        // with a retention of zero the relay deletes what it sends; the purge still takes rows marked sent by nodes
        // that keep them
        Duration purgeInterval = retention.isZero() || retention.compareTo(MAX_PURGE_INTERVAL) >= 0
                ? MAX_PURGE_INTERVAL : retention;
        executor.scheduleWithFixedDelay(this::count, 0, countInterval.toMillis(), TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(this::purge, purgeInterval.toMillis(), purgeInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Lets a statement in progress finish (an interrupted JDBC call can close an embedded database's file). */
    synchronized void stop(Duration timeout) {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("outbox housekeeping still running a statement at shutdown node={}", nodeId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor = null;
    }

    private void count() {
        try {
            pending.set(UntaggedStatements.run(repository::countUnsent));
        } catch (RuntimeException e) {
            log.debug("outbox pending count unavailable node={} error={}", nodeId, e.toString());
        }
    }

    private void purge() {
        try {
            int purged = UntaggedStatements.run(() -> repository.purgeSent(retention));
            if (purged > 0) {
                log.debug("outbox purged node={} rows={}", nodeId, purged);
            }
        } catch (RuntimeException e) {
            log.debug("outbox purge failed, retried at the next interval node={} error={}", nodeId, e.toString());
        }
    }
}
