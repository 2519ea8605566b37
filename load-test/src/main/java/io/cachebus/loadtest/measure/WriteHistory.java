package io.cachebus.loadtest.measure;

import io.cachebus.loadtest.measure.WriteLedger.Write;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The writes of one entity, frozen and indexed so each staleness question costs a binary search:
 * <ul>
 *   <li>which write of a given value, sent before some moment, was acknowledged last (the newest write a read of
 *       that value can be showing), and</li>
 *   <li>among the writes sent after some moment, which was acknowledged first (the earliest certainly newer
 *       write).</li>
 * </ul>
 */
public final class WriteHistory {

    /** {@link #latestAckOfValueSentBefore} when no write of the value was sent before the moment. */
    public static final long NO_SUCH_WRITE = Long.MIN_VALUE;

    private final SentOrder all;
    private final Map<Long, SentOrder> byValue = new HashMap<>();

    private WriteHistory(List<Write> writes) {
        all = new SentOrder(writes);
        Map<Long, List<Write>> grouped = new HashMap<>();
        writes.forEach(write -> grouped.computeIfAbsent(write.value(), v -> new ArrayList<>()).add(write));
        grouped.forEach((value, ofValue) -> byValue.put(value, new SentOrder(ofValue)));
    }

    static WriteHistory of(List<Write> writes) {
        return new WriteHistory(writes);
    }

    /**
     * The latest acknowledgement among writes of {@code value} sent strictly before {@code nanos};
     * {@link WriteLedger#UNACKNOWLEDGED} when one of them has none, {@link #NO_SUCH_WRITE} when there is none.
     */
    public long latestAckOfValueSentBefore(long value, long nanos) {
        SentOrder writes = byValue.get(value);
        if (writes == null) {
            return NO_SUCH_WRITE;
        }
        int count = writes.countSentBefore(nanos);
        return count == 0 ? NO_SUCH_WRITE : writes.latestAckAmongFirst[count - 1];
    }

    /**
     * The earliest acknowledgement of a write sent strictly after {@code nanos}, or
     * {@link WriteLedger#UNACKNOWLEDGED} when there is none.
     */
    public long earliestAckOfWritesSentAfter(long nanos) {
        return all.earliestAckFrom[all.countSentAtOrBefore(nanos)];
    }

    public int size() {
        return all.sent.length;
    }

    /** Writes in send order, with running maxima and minima of their acknowledgements. */
    private static final class SentOrder {

        final long[] sent;
        /** {@code latestAckAmongFirst[i]}: the latest acknowledgement among writes {@code 0..i}. */
        final long[] latestAckAmongFirst;
        /** {@code earliestAckFrom[i]}: the earliest acknowledgement among writes {@code i..}. */
        final long[] earliestAckFrom;

        SentOrder(List<Write> writes) {
            List<Write> ordered = new ArrayList<>(writes);
            ordered.sort(Comparator.comparingLong(Write::sentNanos));
            int n = ordered.size();
            sent = new long[n];
            latestAckAmongFirst = new long[n];
            earliestAckFrom = new long[n + 1];
            long latest = NO_SUCH_WRITE;
            for (int i = 0; i < n; i++) {
                sent[i] = ordered.get(i).sentNanos();
                latest = Math.max(latest, ordered.get(i).ackNanos());
                latestAckAmongFirst[i] = latest;
            }
            earliestAckFrom[n] = WriteLedger.UNACKNOWLEDGED;
            for (int i = n - 1; i >= 0; i--) {
                earliestAckFrom[i] = Math.min(earliestAckFrom[i + 1], ordered.get(i).ackNanos());
            }
        }

        /** How many writes were sent strictly before {@code nanos}. */
        int countSentBefore(long nanos) {
            return firstIndexWhere(nanos, false);
        }

        /** How many writes were sent at or before {@code nanos}. */
        int countSentAtOrBefore(long nanos) {
            return firstIndexWhere(nanos, true);
        }

        private int firstIndexWhere(long nanos, boolean inclusive) {
            int low = 0;
            int high = sent.length;
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (sent[mid] < nanos || (inclusive && sent[mid] == nanos)) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            return low;
        }
    }
}
