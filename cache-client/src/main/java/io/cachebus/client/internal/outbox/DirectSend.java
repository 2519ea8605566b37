package io.cachebus.client.internal.outbox;

import io.cachebus.events.DomainMutated;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/**
 * The outbox's fast path: a committed row's event goes to Kafka from the writing thread, right after its commit, as
 * one asynchronous send that never blocks nor fails the write; the relay marks the acknowledged rows sent, in
 * batches, on its own thread. The row stays the durable copy: a send that fails, times out or finds too many sends
 * in flight ({@code maxInFlight}) is given up, and the relay sends the row from the table (at least once).
 *
 * <p>Order. Per (tenant, domain), this node hands its events to Kafka in the order they were recorded (a lane per
 * record key: a commit whose after-commit work has not run yet holds back the later ones behind it), so one
 * producer appends them to their partition in sequence order. Once any send is given up, direct sends pause: every
 * commit goes to the relay, which waits for the sends still in flight, then sends its rows in id order, and the
 * direct path opens again only after a relay pass found and sent every row given up before it started. So a row the
 * direct path gave up neither overtakes an earlier one of its domain nor is overtaken by a later direct send, except
 * by one already in flight when it failed.
 *
 * <p>The relay never sends a row the direct path holds: in flight, acknowledged and waiting for its mark, or
 * committed less than {@code grace} ago (its after-commit work about to hand it over). It takes a row held longer
 * than the grace before it was handed over (a stalled after-commit), and the direct path then leaves it alone.
 */
final class DirectSend {

    private static final Logger log = LoggerFactory.getLogger(DirectSend.class);

    enum State {
        /** Row inserted, its transaction not finished. */
        REGISTERED,
        /** Committed, waiting in its lane for an earlier commit of its domain. */
        COMMITTED,
        SENDING,
        /** Kafka acknowledged it; the relay marks it sent. */
        ACKED,
        /** Left to the relay: a failed or refused send, or an unknown outcome of its transaction. */
        GIVEN_UP,
        ROLLED_BACK,
        /** The relay took it before the direct path handed it over. */
        RELAYED
    }

    /** One recorded row on its way through the direct path. */
    static final class Ticket {

        private final long rowId;
        /** As recorded in the transaction until {@link #committed}, then as sent. */
        private volatile DomainMutated event;
        private volatile byte[] payload;
        private final Lane lane;
        private final AtomicReference<State> state = new AtomicReference<>(State.REGISTERED);
        private volatile long sinceNanos = System.nanoTime();

        private Ticket(long rowId, DomainMutated event, byte[] payload, Lane lane) {
            this.rowId = rowId;
            this.event = event;
            this.payload = payload;
            this.lane = lane;
        }

        long rowId() {
            return rowId;
        }

        String domain() {
            return event.domain();
        }

        /** The event it sends, for the line that says it was sent. */
        DomainMutated event() {
            return event;
        }

        State state() {
            return state.get();
        }
    }

    /** The tickets of one record key, in the order they were recorded. */
    private static final class Lane {

        private final String recordKey;
        private final ArrayDeque<Ticket> tickets = new ArrayDeque<>();
        private boolean closed;

        private Lane(String recordKey) {
            this.recordKey = recordKey;
        }
    }

    private final KafkaTemplate<String, byte[]> kafka;
    private final String topic;
    private final int maxInFlight;
    private final Duration grace;
    private final Runnable wakeRelay;
    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Ticket> held = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Ticket> acknowledged = new ConcurrentLinkedQueue<>();

    private final Object lock = new Object();
    private volatile boolean accepting;
    /** Guarded by {@link #lock}. Closed until the relay's first pass: rows of an earlier run go out first. */
    private boolean open;
    private long givenUp;
    private int inFlight;

    /**
     * @param grace     how long after its commit a row stays the direct path's before the relay may take it
     * @param wakeRelay wakes the relay's thread: rows to mark, or rows given up to it
     */
    DirectSend(KafkaTemplate<String, byte[]> kafka, String topic, int maxInFlight, Duration grace,
            Runnable wakeRelay) {
        this.kafka = kafka;
        this.topic = topic;
        this.maxInFlight = maxInFlight;
        this.grace = grace;
        this.wakeRelay = wakeRelay;
    }

    void start() {
        synchronized (lock) {
            accepting = true;
            open = false;
        }
    }

    /** From now on every row is the relay's: the direct path hands nothing more to Kafka. */
    void stopAccepting() {
        synchronized (lock) {
            accepting = false;
            open = false;
        }
    }

    /**
     * A row inserted in the caller's transaction, queued in its domain's lane; {@code null} once the relay stopped
     * (the relay's final pass or another node sends it).
     */
    Ticket register(long rowId, DomainMutated event, byte[] payload) {
        if (!accepting) {
            return null;
        }
        while (true) {
            Lane lane = lanes.computeIfAbsent(event.recordKey(), Lane::new);
            synchronized (lane) {
                if (!lane.closed) {
                    Ticket ticket = new Ticket(rowId, event, payload, lane);
                    held.put(rowId, ticket);
                    lane.tickets.add(ticket);
                    return ticket;
                }
            }
        }
    }

    /**
     * Its transaction committed (on the writing thread), and {@code sent} is its event as it goes to Kafka, stamped with
     * the commit's moment, encoded as {@code payload}: the lane hands over what is ready, in order.
     */
    void committed(Ticket ticket, DomainMutated sent, byte[] payload) {
        ticket.event = sent;
        ticket.payload = payload;
        ticket.sinceNanos = System.nanoTime();
        ticket.state.compareAndSet(State.REGISTERED, State.COMMITTED);
        drain(ticket.lane);
    }

    /** Its transaction rolled back, or ended with an unknown outcome (then the relay finds the row or not). */
    void notCommitted(Ticket ticket, boolean rolledBack) {
        if (rolledBack) {
            if (ticket.state.compareAndSet(State.REGISTERED, State.ROLLED_BACK)) {
                held.remove(ticket.rowId, ticket);
            }
        } else if (ticket.state.compareAndSet(State.REGISTERED, State.GIVEN_UP)) {
            givenUp(ticket, "transaction outcome unknown");
        }
        drain(ticket.lane);
    }

    private void drain(Lane lane) {
        synchronized (lane) {
            Ticket head;
            while ((head = lane.tickets.peek()) != null && head.state.get() != State.REGISTERED) {
                lane.tickets.poll();
                if (head.state.get() == State.COMMITTED) {
                    // under the lane's lock: sends of one record key reach the producer in their order
                    send(head, lane.recordKey);
                }
            }
            if (lane.tickets.isEmpty()) {
                lane.closed = true;
                lanes.remove(lane.recordKey, lane);
            }
        }
    }

    private void send(Ticket ticket, String recordKey) {
        synchronized (lock) {
            if (!accepting || !open || inFlight >= maxInFlight) {
                if (ticket.state.compareAndSet(State.COMMITTED, State.GIVEN_UP)) {
                    givenUp(ticket, !accepting ? "relay stopping" : !open ? "direct sends paused"
                            : "too many sends in flight");
                }
                return;
            }
            if (!ticket.state.compareAndSet(State.COMMITTED, State.SENDING)) {
                return; // the relay took it
            }
            inFlight++;
        }
        CompletableFuture<SendResult<String, byte[]>> ack;
        try {
            ack = kafka.send(topic, recordKey, ticket.payload);
        } catch (RuntimeException refused) {
            failed(ticket, refused);
            return;
        }
        ack.whenComplete((result, error) -> {
            if (error == null) {
                acknowledged(ticket);
            } else {
                failed(ticket, error);
            }
        });
    }

    private void acknowledged(Ticket ticket) {
        synchronized (lock) {
            ticket.state.set(State.ACKED);
            // queued before the count drops: a stop that waited until none was in flight then finds it to mark (the
            // relay skips an acknowledged row it holds, so one queued later stayed unsent and was released)
            acknowledged.add(ticket);
            inFlight--;
            lock.notifyAll();
        }
        wakeRelay.run();
    }

    private void failed(Ticket ticket, Throwable error) {
        synchronized (lock) {
            inFlight--;
            lock.notifyAll();
            if (ticket.state.compareAndSet(State.SENDING, State.GIVEN_UP)) {
                givenUp(ticket, error.toString());
            }
        }
    }

    /** Under {@link #lock} or not: the count moves only under it. */
    private void givenUp(Ticket ticket, String reason) {
        held.remove(ticket.rowId, ticket);
        boolean wasOpen;
        synchronized (lock) {
            givenUp++;
            wasOpen = open;
            open = false;
        }
        if (wasOpen) {
            log.info("outbox direct sends paused, the relay sends rows until it has caught up reason={}", reason);
        }
        wakeRelay.run();
    }

    /** Asks the producer for the topic's partitions (it fetches them when it has none). */
    void partitionsFor(String topic) {
        kafka.partitionsFor(topic);
    }

    /** Whether commits go to Kafka directly now (otherwise the relay must run passes to send them). */
    boolean isOpen() {
        synchronized (lock) {
            return open;
        }
    }

    /** How many rows were given up to the relay so far: read before a pass, to know what the pass covered. */
    long givenUpCount() {
        synchronized (lock) {
            return givenUp;
        }
    }

    /** Rows the direct path holds: a relay pass reads this many more than its batch, since it skips them. */
    int heldCount() {
        return held.size();
    }

    /**
     * The claimed rows the relay sends: all but those the direct path holds. A row committed longer than the grace
     * ago and still not handed over (or any, when {@code all}) is taken from the direct path.
     */
    List<OutboxRow> leftToRelay(List<OutboxRow> claimed, boolean all) {
        List<OutboxRow> rows = new ArrayList<>(claimed.size());
        long now = System.nanoTime();
        for (OutboxRow row : claimed) {
            Ticket ticket = held.get(row.id());
            if (ticket == null || takenFromDirectPath(ticket, all, now)) {
                rows.add(row);
            }
        }
        return rows;
    }

    private boolean takenFromDirectPath(Ticket ticket, boolean all, long now) {
        State state = ticket.state.get();
        boolean notHandedOver = state == State.REGISTERED || state == State.COMMITTED;
        if (notHandedOver && (all || now - ticket.sinceNanos >= grace.toNanos())
                && ticket.state.compareAndSet(state, State.RELAYED)) {
            held.remove(ticket.rowId, ticket);
            return true;
        }
        return state == State.GIVEN_UP || state == State.ROLLED_BACK || state == State.RELAYED;
    }

    /**
     * A relay pass sent every row it found (fewer than a batch): if nothing was given up since {@code givenUpBefore}
     * (read before its claim), every row given up is out, and direct sends may go on without overtaking one.
     */
    void relayCaughtUp(long givenUpBefore) {
        synchronized (lock) {
            if (accepting && !open && givenUp == givenUpBefore) {
                open = true;
                log.info("outbox direct sends open");
            }
        }
    }

    /** The acknowledged tickets not yet taken, for the relay to mark sent. */
    List<Ticket> takeAcknowledged() {
        List<Ticket> tickets = new ArrayList<>();
        Ticket ticket;
        while ((ticket = acknowledged.poll()) != null) {
            tickets.add(ticket);
        }
        return tickets;
    }

    /** Their rows are marked sent: the direct path is done with them. */
    void marked(List<Ticket> tickets) {
        tickets.forEach(ticket -> held.remove(ticket.rowId, ticket));
    }

    /** Waits until no send is in flight, at most {@code timeout}; whether none is. */
    boolean awaitNoneInFlight(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (inFlight > 0) {
                long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
                if (remainingMs <= 0) {
                    return false;
                }
                try {
                    lock.wait(remainingMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }
}
