package io.cachebus.client.internal.consistency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachebus.events.CacheKeys;
import io.cachebus.events.InvalidNameException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/**
 * The gate's partition of a (tenant, domain) is the one Kafka's default partitioner gives the relay's record key, for
 * names of every length the contract allows (so every tail of murmur2's four-byte blocks) and every character.
 */
class MutationPartitionerTest {

    private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";

    @Test
    void matchesKafkasPartitionerOfTheRecordKey() {
        Random random = new Random(16);
        for (int tenantLength = 1; tenantLength <= 64; tenantLength++) {
            for (int trial = 0; trial < 20; trial++) {
                String tenant = name(random, tenantLength);
                String domain = name(random, 1 + random.nextInt(64));
                for (int partitions : new int[] {1, 3, 6, 12, 64}) {
                    assertThat(MutationPartitioner.partitionOf(tenant, domain, partitions))
                            .as("tenant=%s domain=%s partitions=%d", tenant, domain, partitions)
                            .isEqualTo(kafkasPartition(tenant, domain, partitions));
                }
            }
        }
    }

    @Test
    void refusesWhatNoRecordKeyCouldHold() {
        assertThatThrownBy(() -> MutationPartitioner.partitionOf("t\u00e9", "workflows", 6))
                .isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> MutationPartitioner.partitionOf("t1", "work:flows", 6))
                .isInstanceOf(InvalidNameException.class);
    }

    private static int kafkasPartition(String tenant, String domain, int partitions) {
        byte[] key = CacheKeys.recordKey(tenant, domain).getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    private static String name(Random random, int length) {
        StringBuilder name = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            name.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
        }
        return name.toString();
    }
}
