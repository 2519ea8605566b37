package io.cachebus.client.internal.consistency;

import io.cachebus.events.CacheKeys;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Which partition of the mutation topic carries a (tenant, domain)'s events: the outbox relay sends them keyed by
 * {@code tenant:domain} through Kafka's default partitioner, so this is that partitioner's formula.
 */
final class MutationPartitioner {

    private MutationPartitioner() {
    }

    static int partitionOf(String tenant, String domain, int partitions) {
        byte[] key = CacheKeys.recordKey(tenant, domain).getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }
}
