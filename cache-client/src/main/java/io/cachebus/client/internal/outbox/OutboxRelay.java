package io.cachebus.client.internal.outbox;

import io.cachebus.client.CachebusMeter;
import io.cachebus.events.DomainMutated;
import io.cachebus.client.internal.sql.datasource.UntaggedStatements;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * Sends committed outbox rows to Kafka, off the request threads.
 *
 * <p>With direct sends on (the default, {@link DirectSend}), a commit hands its event to Kafka from the writing
 * thread at once, and the relay's one thread only marks the acknowledged rows sent (woken by the acknowledgements,
 * one statement for all those queued; ADR 0020) and sweeps the table every {@code sweepInterval} for the rest: rows
 * the direct path gave up (Kafka failed, timed out or had too many sends in flight), rows of an earlier run, and
 * other nodes' orphans. While the direct path is paused after a give-up, every commit wakes the relay as when direct
 * sends are off.
 *
 * <p>With direct sends off, every commit of this node wakes the relay, whose pass claims, sends and marks its rows.
 *
 * <p>A sweep also adopts rows whose claim is older than {@code orphanAfter} (a node that died between commit and
 * send). A row is claimed by the node that wrote it; a node adopts another's rows by claiming them in one UPDATE, on
 * the database's clock, so one node (not every node) sends an orphaned backlog and no node's clock is compared with
 * another's. The relay sends rows in id order, keyed by tenant and domain, skips those the direct path holds, and
 * marks them sent only after Kafka acknowledged them (acks=all); a failure leaves them in the table and the relay
 * backs off exponentially, so a Kafka outage delays events and loses none. A row sent twice (a crash between the ack
 * and the mark, a claim that outlived its lease, a stalled direct send the relay took over) is harmless: consumers
 * are idempotent, delivery is at-least-once. Counting the unsent rows and purging the sent ones run on a thread of
 * their own ({@link OutboxHousekeeping}).
 *
 * <p>It stops after the web server has drained its in-flight requests ({@link #PHASE}): direct sends stop, those in
 * flight are waited for (up to the send timeout) and marked, a final pass sends what is left, and its unsent rows
 * are given up, so another node takes them at once.
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

    /**
     * @param topic         where the events go
     * @param batchSize     rows per round trip to the database and per wait for acks
     * @param sweepInterval how often the table is read without a wake-up (rows of other nodes, retries)
     * @param orphanAfter   lease of a claim: a row claimed longer ago (database time) may be claimed by any node
     * @param retention     how long sent rows are kept before they are purged; zero deletes each row once Kafka
     *                      acknowledged it, instead of marking it sent
     * @param sendTimeout   how long one batch may wait for Kafka's acks before the relay backs off; also how long a
     *                      committed row stays the direct path's before the relay may take it
     * @param directSend    whether commits hand their events to Kafka themselves ({@link DirectSend})
     * @param directSendMaxInFlight most direct sends waiting for Kafka's ack; past it, commits leave their rows to
     *                      the relay
     */
    public record Settings(String topic, int batchSize, Duration sweepInterval, Duration orphanAfter,
            Duration retention, Duration sendTimeout, boolean directSend, int directSendMaxInFlight) {
    }

    private final OutboxRepository repository;
    private final KafkaTemplate<String, byte[]> kafka;
    private final String nodeId;
    private final Settings settings;
    private final Runnable onStop;
    private final AtomicLong pending = new AtomicLong();
    private final Meter.MeterProvider<Counter> published;
    private final Semaphore wakeUps = new Semaphore(0);
    private final DirectSend direct;
    private final OutboxHousekeeping housekeeping;
    /** Acknowledged direct sends whose mark failed (database trouble): marked with the next ones. */
    private final List<DirectSend.Ticket> unmarked = new ArrayList<>();

    private volatile boolean running;
    private volatile CountDownLatch stopping = new CountDownLatch(0);
    private Thread thread;
    private long lastPassNanos;
    private Duration backoff = Duration.ZERO;
    private int consecutiveFailures;

    /**
     * @param kafka       the relay's producer
     * @param directKafka the producer commits hand their events to, never blocking ({@code max.block.ms=0}); unused
     *                    when {@link Settings#directSend()} is off
     * @param onStop      releases what the relay used (its Kafka producers), run by its thread as it ends
     */
    public OutboxRelay(JdbcTemplate jdbc, KafkaTemplate<String, byte[]> kafka, KafkaTemplate<String, byte[]> directKafka,
            String nodeId, Settings settings, MeterRegistry registry, Runnable onStop) {
        this.repository = new OutboxRepository(jdbc);
        this.kafka = kafka;
        this.nodeId = nodeId;
        this.settings = settings;
        this.published = CachebusMeter.OUTBOX_PUBLISHED.counters(registry);
        this.onStop = onStop;
        this.direct = settings.directSend() ? new DirectSend(directKafka, settings.topic(),
                settings.directSendMaxInFlight(), settings.sendTimeout(), this::wakeUp) : null;
        this.housekeeping = new OutboxHousekeeping(repository, pending, settings.sweepInterval(),
                settings.retention(), nodeId);
        Gauge.builder(PENDING, pending, AtomicLong::get)
                .description(CachebusMeter.OUTBOX_PENDING.description())
                .register(registry);
    }

    /** A commit of this node has a row to send: run a pass now instead of at the next sweep. */
    public void wake() {
        wakeUp();
    }

    private void wakeUp() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    /**
     * A row inserted in the caller's transaction, for the direct path; {@code null} when direct sends are off or the
     * relay stopped: then the commit only {@link #wake}s the relay.
     */
    DirectSend.Ticket register(long rowId, DomainMutated event, byte[] payload) {
        return direct == null ? null : direct.register(rowId, event, payload);
    }

    /**
     * The row's transaction committed: on the writing thread, {@code sent} (its event stamped with the commit's
     * moment, encoded as {@code payload}) goes to Kafka now, or the row to the relay.
     */
    void committed(DirectSend.Ticket ticket, DomainMutated sent, byte[] payload) {
        direct.committed(ticket, sent, payload);
    }

    /** The row's transaction did not commit ({@code rolledBack}), or its outcome is unknown. */
    void notCommitted(DirectSend.Ticket ticket, boolean rolledBack) {
        direct.notCommitted(ticket, rolledBack);
    }

    /** Whether commits hand their events to Kafka themselves now (on, and not paused after a give-up). */
    public boolean directSendOpen() {
        return direct != null && direct.isOpen();
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
        lastPassNanos = System.nanoTime() - settings.sweepInterval().toNanos();
        if (direct != null) {
            direct.start();
        }
        housekeeping.start();
        // the relay's statements are the outbox's own: the table-tagging DataSource neither parses nor tags them
        thread = new Thread(() -> UntaggedStatements.run(() -> {
            run();
            return null;
        }), "cachebus-outbox-relay");
        thread.setDaemon(true);
        thread.start();
        log.info("outbox relay started node={} topic={} sweepIntervalMs={} directSend={}", nodeId, settings.topic(),
                settings.sweepInterval().toMillis(), direct != null);
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        if (direct != null) {
            // what commits from now on is the final pass's (or, after it, another node's)
            direct.stopAccepting();
        }
        stopping.countDown();
        wakeUps.release();
        // no interrupt: an interrupted JDBC call can close an embedded database's file; a pass ends within the
        // send timeout on its own
        try {
            // a pass in progress, the wait for direct sends in flight and the final pass each end within about
            // the send timeout
            thread.join(settings.sendTimeout().multipliedBy(3).plusSeconds(2).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("outbox relay still finishing a pass at shutdown node={}", nodeId);
        }
        housekeeping.stop(settings.sendTimeout());
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
            warmUpDirectProducer();
            while (running) {
                try {
                    markAcknowledged();
                    boolean moreWaiting = false;
                    if (passWanted()) {
                        lastPassNanos = System.nanoTime();
                        moreWaiting = relayOneBatch(false);
                    }
                    backoff = Duration.ZERO;
                    consecutiveFailures = 0;
                    if (!moreWaiting) {
                        awaitWakeUp();
                    }
                } catch (RuntimeException e) {
                    onFailure(e);
                }
            }
            finalPass();
        } finally {
            // on this thread, after its last pass: nothing can use the producers after they are closed
            onStop.run();
        }
    }

    /**
     * The direct producer never waits for metadata ({@code max.block.ms=0}): asking for the topic's partitions makes
     * it fetch them now, so the first commits find them (until then they go to the relay).
     */
    private void warmUpDirectProducer() {
        if (direct == null) {
            return;
        }
        try {
            direct.partitionsFor(settings.topic());
        } catch (RuntimeException fetching) {
            log.debug("outbox direct producer fetching metadata topic={} error={}", settings.topic(),
                    rootMessage(fetching));
        }
    }

    /**
     * Without direct sends, every wake-up is a commit to send. With them, wake-ups are mostly acknowledgements to
     * mark: the table is read at the sweep interval, and at every wake-up only while the direct path is paused.
     */
    private boolean passWanted() {
        return direct == null || !direct.isOpen()
                || System.nanoTime() - lastPassNanos >= settings.sweepInterval().toNanos();
    }

    /** One line per event Kafka acknowledged, whichever path sent it. */
    private static void logSent(String tenant, String domain, String eventId) {
        // fields of structured logs (logging.structured.format.console); the text repeats them for the plain console
        log.atDebug().addKeyValue("tenant", tenant).addKeyValue("domain", domain).addKeyValue("eventId", eventId)
                .log("outbox event sent tenant={} domain={} eventId={}", tenant, domain, eventId);
    }

    /** Rows Kafka acknowledged: marked sent and kept for the retention, or deleted when it is zero. */
    private void recordSent(List<Long> ids) {
        if (settings.retention().isZero()) {
            repository.deleteSent(ids);
        } else {
            repository.markSent(ids);
        }
    }

    /** Marks the rows Kafka acknowledged to the direct path sent, in one statement. */
    private void markAcknowledged() {
        if (direct == null) {
            return;
        }
        unmarked.addAll(direct.takeAcknowledged());
        if (unmarked.isEmpty()) {
            return;
        }
        recordSent(unmarked.stream().map(DirectSend.Ticket::rowId).toList());
        direct.marked(unmarked);
        for (DirectSend.Ticket ticket : unmarked) {
            published.withTag("domain", ticket.domain()).increment();
            logSent(ticket.event().tenant(), ticket.domain(), ticket.event().eventId().toString());
        }
        log.debug("outbox direct sends marked node={} count={}", nodeId, unmarked.size());
        unmarked.clear();
    }

    /**
     * Direct sends in flight are waited for and marked, what requests committed since the last pass (a wake-up that
     * raced the stop, a row the direct path gave up) goes out now, bounded by the send timeout; whatever is left is
     * released so that another node sends it without waiting for the lease.
     */
    private void finalPass() {
        long deadline = System.nanoTime() + settings.sendTimeout().toNanos();
        try {
            if (direct != null) {
                direct.awaitNoneInFlight(settings.sendTimeout());
                markAcknowledged();
            }
            while (relayOneBatch(true) && System.nanoTime() < deadline) {
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

    /**
     * Sends one batch of the claimed rows the direct path does not hold (every one when {@code stopping}); returns
     * whether the batch was full (more rows are probably waiting).
     */
    private boolean relayOneBatch(boolean stopping) {
        if (direct != null && !direct.isOpen()) {
            // paused: no send starts any more, and the rows given up must not overtake earlier ones still in flight
            direct.awaitNoneInFlight(settings.sendTimeout());
            markAcknowledged();
        }
        long givenUpBefore = direct == null ? 0 : direct.givenUpCount();
        // the rows the direct path holds come back from the claim too, and are skipped
        int limit = settings.batchSize() + (direct == null ? 0 : direct.heldCount());
        List<OutboxRow> claimed = repository.claim(nodeId, settings.orphanAfter(), limit);
        List<OutboxRow> rows = direct == null ? claimed : direct.leftToRelay(claimed, stopping);
        boolean full = claimed.size() == limit && !rows.isEmpty();
        if (rows.isEmpty()) {
            if (direct != null && !full) {
                direct.relayCaughtUp(givenUpBefore);
            }
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
            recordSent(sent.stream().map(OutboxRow::id).toList());
            for (OutboxRow row : sent) {
                published.withTag("domain", row.domain()).increment();
                logSent(row.tenant(), row.domain(), row.eventId());
            }
            log.debug("outbox rows sent node={} count={} firstId={} lastId={}", nodeId, sent.size(), sent.get(0).id(),
                    sent.get(sent.size() - 1).id());
        }
        if (failure != null) {
            throw failure;
        }
        if (direct != null && !full) {
            direct.relayCaughtUp(givenUpBefore);
        }
        return full;
    }

    /** Until a wake-up, or the next sweep is due. */
    private void awaitWakeUp() {
        long untilSweep = lastPassNanos + settings.sweepInterval().toNanos() - System.nanoTime();
        try {
            if (wakeUps.tryAcquire(Math.max(1, untilSweep), TimeUnit.NANOSECONDS)) {
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
