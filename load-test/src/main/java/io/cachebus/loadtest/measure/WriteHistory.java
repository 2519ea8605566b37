package io.cachebus.loadtest.measure;

import io.cachebus.loadtest.measure.WriteLedger.Write;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The writes of one entity, frozen and indexed so "which acknowledged write certainly superseded marker m, and
 * when was the earliest one acknowledged?" costs a binary search.
 */
public final class WriteHistory {

    private final Map<Long, Write> byMarker;
    private final long[] sentSorted;
    /** {@code earliestAckFrom[i]}: the earliest acknowledgement among writes {@code i..} in send order. */
    private final long[] earliestAckFrom;

    private WriteHistory(List<Write> writes) {
        Write[] bySent = writes.toArray(Write[]::new);
        Arrays.sort(bySent, Comparator.comparingLong(Write::sentNanos));
        byMarker = new HashMap<>();
        sentSorted = new long[bySent.length];
        earliestAckFrom = new long[bySent.length + 1];
        earliestAckFrom[bySent.length] = WriteLedger.UNACKNOWLEDGED;
        for (int i = bySent.length - 1; i >= 0; i--) {
            sentSorted[i] = bySent[i].sentNanos();
            earliestAckFrom[i] = Math.min(earliestAckFrom[i + 1], bySent[i].ackNanos());
            byMarker.put(bySent[i].marker(), bySent[i]);
        }
    }

    static WriteHistory of(List<Write> writes) {
        return new WriteHistory(writes);
    }

    /** The write of {@code marker}, or null when none was sent. */
    public Write write(long marker) {
        return byMarker.get(marker);
    }

    /**
     * The earliest acknowledgement of a write sent strictly after {@code nanos}, or
     * {@link WriteLedger#UNACKNOWLEDGED} when there is none.
     */
    public long earliestAckOfWritesSentAfter(long nanos) {
        int low = 0;
        int high = sentSorted.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sentSorted[mid] > nanos) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return earliestAckFrom[low];
    }

    public int size() {
        return sentSorted.length;
    }
}
