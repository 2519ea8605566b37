package io.cachebus.loadtest.liveview;

import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Predicate;

/**
 * Pairs the live view's writes with the evictions the nodes report applying. Every write is one mutation, and the
 * invalidator broadcasts it once to every node, the writer included, so a node's broadcasts belong to the writes it
 * has not yet seen, oldest first. The nodes' own timers give each delay; the view only learns of them at its next
 * sample, so a write is done when every node applied it or when {@code wait} passed.
 */
final class WriteTracker {

    /**
     * The writer's commit time and the applying node's clock are read from two clocks of this machine (or of two
     * machines of one deployment): a delay may exceed the time since sending by this much and still be the write's.
     */
    private static final double CLOCK_TOLERANCE_MILLIS = 5;

    private final List<String> nodes;
    private final Duration wait;
    private final List<Pending> pending = new ArrayList<>();

    private static final class Pending {
        final int writer;
        final String entity;
        final LocalTime at;
        final long sentNanos;
        final Double[] delays;
        String failure;

        Pending(int writer, String entity, LocalTime at, long sentNanos, int nodes) {
            this.writer = writer;
            this.entity = entity;
            this.at = at;
            this.sentNanos = sentNanos;
            this.delays = new Double[nodes];
        }

        boolean seenEverywhere() {
            for (Double delay : delays) {
                if (delay == null) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A write registered before it is sent: its eviction may be applied before its response is read. */
    interface Handle {
        void failed(String why);
    }

    /**
     * @param nodes the nodes' names, in the order the other methods index them
     * @param wait  how long after it was sent a write's eviction may still arrive before it is reported without
     */
    WriteTracker(List<String> nodes, Duration wait) {
        this.nodes = List.copyOf(nodes);
        this.wait = wait;
    }

    /** Registers a write about to be sent to node {@code writer}; call before sending it. */
    synchronized Handle writing(int writer, String entity, LocalTime at, long sentNanos) {
        Pending write = new Pending(writer, entity, at, sentNanos, nodes.size());
        pending.add(write);
        return why -> {
            synchronized (WriteTracker.this) {
                write.failure = why;
            }
        };
    }

    /**
     * Node {@code node} applied {@code broadcasts} eviction broadcasts, {@code meanMillis} after their commits, as a
     * sample taken at {@code sampledNanos} showed. A write commits after it is sent, so its eviction's delay cannot
     * be longer than the time from sending it to the sample: broadcasts with a longer mean delay include one of an
     * older write (the view's own preparation, still on its way) and are given to no write, which then shows the
     * node as not seen rather than a delay that is not its own.
     */
    synchronized void applied(int node, long broadcasts, double meanMillis, long sampledNanos) {
        List<Pending> theirs = new ArrayList<>();
        for (Pending write : pending) {
            if (theirs.size() == broadcasts) {
                break;
            }
            if (write.failure == null && write.delays[node] == null) {
                theirs.add(write);
            }
        }
        if (theirs.isEmpty()
                || meanMillis > (sampledNanos - theirs.get(0).sentNanos) / 1e6 + CLOCK_TOLERANCE_MILLIS) {
            return;
        }
        theirs.forEach(write -> write.delays[node] = meanMillis);
    }

    /** The writes done at {@code nowNanos} (applied everywhere, failed, or past the wait), oldest first. */
    synchronized List<WriteArrivals> done(long nowNanos) {
        return remove(write -> write.failure != null || write.seenEverywhere()
                || nowNanos - write.sentNanos > wait.toNanos());
    }

    /** Whether some write still waits for an eviction. */
    synchronized boolean waiting() {
        return pending.stream().anyMatch(write -> write.failure == null && !write.seenEverywhere());
    }

    /** Every write not reported yet, as far as it got. */
    synchronized List<WriteArrivals> rest() {
        return remove(write -> true);
    }

    private List<WriteArrivals> remove(Predicate<Pending> finished) {
        List<WriteArrivals> done = new ArrayList<>();
        // in order: a write is reported only after every older one, so the lines read as a timeline
        Iterator<Pending> writes = pending.iterator();
        while (writes.hasNext()) {
            Pending write = writes.next();
            if (!finished.test(write)) {
                break;
            }
            writes.remove();
            done.add(report(write));
        }
        return done;
    }

    private WriteArrivals report(Pending write) {
        Map<String, OptionalDouble> arrivals = new LinkedHashMap<>();
        for (int node = 0; node < nodes.size(); node++) {
            if (node != write.writer) {
                Double delay = write.delays[node];
                arrivals.put(nodes.get(node), delay == null ? OptionalDouble.empty() : OptionalDouble.of(delay));
            }
        }
        return new WriteArrivals(write.at, nodes.get(write.writer), write.entity,
                write.failure == null ? arrivals : Map.of(), Optional.ofNullable(write.failure));
    }
}
