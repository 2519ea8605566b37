package io.cachebus.client.internal.outbox;

import io.cachebus.client.CachebusMeter;
import io.cachebus.client.internal.sql.datasource.UntaggedStatements;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/**
 * Sends committed outbox rows to Kafka, off the request threads, on one background thread.
 *
 * <p>Woken at once by every commit of this node (so an event leaves within milliseconds) and by a sweep every
 * {@code sweepInterval}, which also adopts rows whose claim is older than {@code orphanAfter} (a node that died
 * between commit and send). A row is claimed by the node that wrote it; a node adopts another's rows by claiming
 * them in one UPDATE, on the database's clock, so one node (not every node) sends an orphaned backlog and no
 * node's clock is compared with another's. Rows go out in id order, keyed by tenant and domain, and are marked
 * sent only after Kafka acknowledged them (acks=all); a failure leaves them in the table and the relay backs off
 * exponentially, so a Kafka outage delays events and loses none. A row sent twice (a crash between the ack and the
 * mark, or a claim that outlived its lease) is harmless: consumers are idempotent, delivery is at-least-once.
 *
 * <p>It stops after the web server has drained its in-flight requests ({@link #PHASE}), then makes a final pass
 * for what they committed and gives its unsent rows up, so another node takes them at once.
 */
public final class OutboxRelay implements SmartLifecycle {

    public static final String PENDING = CachebusMeter.OUTBOX_PENDING.meterName();

    /**
     * Below Spring Boot's web server lifecycles (graceful shutdown at {@code DEFAULT_PHASE - 1024}, the server's
     * stop at {@code DEFAULT_PHASE - 2048}): lifecycles stop from the highest phase down, so the relay is still
     * sending while in-flight requests finish and commit, and starts before the server takes any.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final Duration MAX_PURGE_INTERVAL = Duration.ofMinutes(1);

    /**
     * @param topic         where the events go
     * @param batchSize     rows per round trip to the database and per wait for acks
     * @param sweepInterval how often the table is read without a wake-up (rows of other nodes, retries)
     * @param orphanAfter   lease of a claim: a row claimed longer ago (database time) may be claimed by any node
     * @param retention     how long sent rows are kept before they are purged
     * @param sendTimeout   how long one batch may wait for Kafka's acks before the relay backs off
     */
    public record Settings(String topic, int batchSize, Duration sweepInterval, Duration orphanAfter,
            Duration retention, Duration sendTimeout) {
    }

    private final OutboxRepository repository;
    private final KafkaTemplate<String, byte[]> kafka;
    private final String nodeId;
    private final Settings settings;
    private final Clock clock;
    private final Runnable onStop;
    private final AtomicLong pending = new AtomicLong();
    private final Meter.MeterProvider<Counter> published;
    private final Semaphore wakeUps = new Semaphore(0);

    private volatile boolean running;
    private volatile CountDownLatch stopping = new CountDownLatch(0);
    private Thread thread;
    private Instant lastPendingCount = Instant.EPOCH;
    private Instant lastPurge = Instant.EPOCH;
    private Duration backoff = Duration.ZERO;
    private int consecutiveFailures;

    /** @param onStop releases what the relay used (its Kafka producer), run by its thread as it ends */
    public OutboxRelay(JdbcTemplate jdbc, KafkaTemplate<String, byte[]> kafka, String nodeId, Settings settings,
            MeterRegistry registry, Clock clock, Runnable onStop) {
        this.repository = new OutboxRepository(jdbc);
        this.kafka = kafka;
        this.nodeId = nodeId;
        this.settings = settings;
        this.published = CachebusMeter.OUTBOX_PUBLISHED.counters(registry);
        this.clock = clock;
        this.onStop = onStop;
        Gauge.builder(PENDING, pending, AtomicLong::get)
                .description(CachebusMeter.OUTBOX_PENDING.description())
                .register(registry);
    }

    /** A commit of this node has a row to send: run a pass now instead of at the next sweep. */
    public void wake() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    /** Unsent rows at the last count, refreshed at least every sweep interval. */
    public long pending() {
        return pending.get();
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        stopping = new CountDownLatch(1);
        // the relay's statements are the outbox's own: the table-tagging DataSource neither parses nor tags them
        thread = new Thread(() -> UntaggedStatements.run(() -> {
            run();
            return null;
        }), "cachebus-outbox-relay");
        thread.setDaemon(true);
        thread.start();
        log.info("outbox relay started node={} topic={} sweepIntervalMs={}", nodeId, settings.topic(),
                settings.sweepInterval().toMillis());
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        stopping.countDown();
        wakeUps.release();
        // no interrupt: an interrupted JDBC call can close an embedded database's file; a pass ends within the
        // send timeout on its own
        try {
            // a pass in progress and the final pass each end within the send timeout
            thread.join(settings.sendTimeout().multipliedBy(2).plusSeconds(2).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("outbox relay still finishing a pass at shutdown node={}", nodeId);
        }
        log.info("outbox relay stopped node={} pending={}", nodeId, pending.get());
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private void run() {
        try {
            while (running) {
                try {
                    boolean moreWaiting = relayOneBatch();
                    backoff = Duration.ZERO;
                    consecutiveFailures = 0;
                    housekeeping();
                    if (!moreWaiting) {
                        awaitWakeUp();
                    }
                } catch (RuntimeException e) {
                    onFailure(e);
                }
            }
            finalPass();
        } finally {
            // on this thread, after its last pass: nothing can use the producer after it is closed
            onStop.run();
        }
    }

    /**
     * What requests committed since the last pass (a wake-up that raced the stop) goes out now, bounded by the send
     * timeout; whatever is left is released so that another node sends it without waiting for the lease.
     */
    private void finalPass() {
        long deadline = System.nanoTime() + settings.sendTimeout().toNanos();
        try {
            while (relayOneBatch() && System.nanoTime() < deadline) {
                // full batches: more rows are waiting
            }
        } catch (RuntimeException e) {
            log.warn("outbox relay final pass failed, rows stay in the outbox node={} error={}", nodeId,
                    rootMessage(e));
        }
        try {
            int released = repository.release(nodeId);
            if (released > 0) {
                log.info("outbox rows released for other nodes node={} rows={}", nodeId, released);
            }
        } catch (RuntimeException e) {
            log.warn("outbox rows not released, other nodes take them after the lease node={} error={}", nodeId,
                    rootMessage(e));
        }
    }

    /** Sends one batch; returns whether the batch was full (more rows are probably waiting). */
    private boolean relayOneBatch() {
        List<OutboxRow> rows = repository.claim(nodeId, settings.orphanAfter(), settings.batchSize());
        if (rows.isEmpty()) {
            return false;
        }
        List<CompletableFuture<SendResult<String, byte[]>>> acks = new ArrayList<>(rows.size());
        RuntimeException failure = null;
        for (OutboxRow row : rows) {
            try {
                CompletableFuture<SendResult<String, byte[]>> ack = kafka.send(settings.topic(), row.recordKey(),
                        row.payload().getBytes(StandardCharsets.UTF_8));
                acks.add(ack);
                if (ack.isCompletedExceptionally()) {
                    break; // Kafka refuses at once (no metadata): the rest would each wait max.block.ms for nothing
                }
            } catch (RuntimeException e) {
                failure = e;
                break;
            }
        }
        List<OutboxRow> sent = new ArrayList<>(acks.size());
        long deadline = System.nanoTime() + settings.sendTimeout().plusSeconds(1).toNanos();
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                sent.add(rows.get(i));
            } catch (ExecutionException | TimeoutException e) {
                failure = failure != null ? failure : new OutboxSendException(e.getCause() != null ? e.getCause() : e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new OutboxSendException(e);
                break;
            }
        }
        if (!sent.isEmpty()) {
            repository.markSent(sent.stream().map(OutboxRow::id).toList());
            for (OutboxRow row : sent) {
                published.withTag("domain", row.domain()).increment();
                // fields of structured logs (logging.structured.format.console); the text repeats them for the
                // plain console
                log.atDebug().addKeyValue("tenant", row.tenant()).addKeyValue("domain", row.domain())
                        .addKeyValue("eventId", row.eventId())
                        .log("outbox event sent tenant={} domain={} eventId={}", row.tenant(), row.domain(),
                                row.eventId());
            }
            log.debug("outbox rows sent node={} count={} firstId={} lastId={}", nodeId, sent.size(), sent.get(0).id(),
                    sent.get(sent.size() - 1).id());
        }
        if (failure != null) {
            throw failure;
        }
        return rows.size() == settings.batchSize();
    }

    private void housekeeping() {
        Instant now = clock.instant();
        if (Duration.between(lastPendingCount, now).compareTo(settings.sweepInterval()) >= 0) {
            pending.set(repository.countUnsent());
            lastPendingCount = now;
        }
        Duration purgeInterval = settings.retention().compareTo(MAX_PURGE_INTERVAL) < 0 ? settings.retention()
                : MAX_PURGE_INTERVAL;
        if (Duration.between(lastPurge, now).compareTo(purgeInterval) >= 0) {
            int purged = repository.purgeSent(settings.retention());
            lastPurge = now;
            if (purged > 0) {
                log.debug("outbox purged node={} rows={}", nodeId, purged);
            }
        }
    }

    private void awaitWakeUp() {
        try {
            if (wakeUps.tryAcquire(settings.sweepInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                wakeUps.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void onFailure(RuntimeException e) {
        consecutiveFailures++;
        backoff = backoff.isZero() ? MIN_BACKOFF : backoff.multipliedBy(2);
        if (backoff.compareTo(MAX_BACKOFF) > 0) {
            backoff = MAX_BACKOFF;
        }
        if (consecutiveFailures == 1 || consecutiveFailures % 10 == 0) {
            log.warn("outbox relay failed, rows stay in the outbox node={} consecutiveFailures={} backoffMs={} error={}",
                    nodeId, consecutiveFailures, backoff.toMillis(), rootMessage(e));
        }
        try {
            pending.set(repository.countUnsent());
        } catch (RuntimeException databaseDown) {
            log.debug("outbox pending count unavailable error={}", databaseDown.toString());
        }
        try {
            // commits do not cut a backoff short: during an outage they would turn it into a busy loop
            stopping.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** Kafka did not acknowledge a row in time. */
    static final class OutboxSendException extends RuntimeException {
        OutboxSendException(Throwable cause) {
            super("kafka did not acknowledge an outbox row: " + cause, cause);
        }
    }
}
