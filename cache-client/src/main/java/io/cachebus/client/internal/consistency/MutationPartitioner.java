package io.cachebus.client.internal.consistency;

import io.cachebus.events.CacheKeys;
import io.cachebus.events.Names;
import org.apache.kafka.common.utils.Utils;

/**
 * Which partition of the mutation topic carries a (tenant, domain)'s events: the outbox relay sends them keyed by
 * {@code tenant:domain} ({@link CacheKeys#recordKey}) through Kafka's default partitioner, so this is that
 * partitioner's formula, {@code toPositive(murmur2(utf8(key))) % partitions}.
 *
 * <p>The staleness gate asks it for every scope of every cached read, so it hashes the key where it stands instead of
 * building the key's text and its bytes each time: names are ASCII ({@link Names}), one UTF-8 byte per character.
 */
final class MutationPartitioner {

    private static final int SEED = 0x9747b28c;
    private static final int M = 0x5bd1e995;
    private static final int R = 24;

    private MutationPartitioner() {
    }

    static int partitionOf(String tenant, String domain, int partitions) {
        Names.require("tenant", tenant);
        Names.require("domain", domain);
        return Utils.toPositive(murmur2OfRecordKey(tenant, domain)) % partitions;
    }

    /** Kafka's {@code Utils.murmur2} over the bytes of {@code tenant:domain}, step for step. */
    private static int murmur2OfRecordKey(String tenant, String domain) {
        int length = tenant.length() + 1 + domain.length();
        int h = SEED ^ length;
        int whole = length & ~3;
        for (int i = 0; i < whole; i += 4) {
            int k = byteAt(tenant, domain, i) | byteAt(tenant, domain, i + 1) << 8
                    | byteAt(tenant, domain, i + 2) << 16 | byteAt(tenant, domain, i + 3) << 24;
            k *= M;
            k ^= k >>> R;
            k *= M;
            h *= M;
            h ^= k;
        }
        switch (length - whole) {
            case 3:
                h ^= byteAt(tenant, domain, whole + 2) << 16;
                // fall through
            case 2:
                h ^= byteAt(tenant, domain, whole + 1) << 8;
                // fall through
            case 1:
                h ^= byteAt(tenant, domain, whole);
                h *= M;
                break;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= M;
        h ^= h >>> 15;
        return h;
    }

    /** Byte {@code index} of {@code tenant:domain} in UTF-8, for ASCII names. */
    private static int byteAt(String tenant, String domain, int index) {
        if (index < tenant.length()) {
            return tenant.charAt(index);
        }
        return index == tenant.length() ? ':' : domain.charAt(index - tenant.length() - 1);
    }
}
