package io.cachebus.loadtest.invalidation;

import io.cachebus.events.DomainMutated;
import io.cachebus.events.EventCodec;
import io.cachebus.events.Operation;
import io.cachebus.events.Topics;
import io.cachebus.loadtest.kafka.HarnessKafkaClients;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A backlog of {@link DomainMutated} events for tenants of the harness's own, produced as API nodes' outbox relays
 * would (record key {@code tenant:domain}), round-robin over (tenant, domain) scopes so every partition gets some.
 */
final class MutationBacklog {

    private static final String SOURCE_NODE = "cachebus-load-test";

    /** One tenant's domain the backlog writes to. */
    record Scope(String tenant, String domain) {

        String key() {
            return tenant + ":" + domain;
        }
    }

    private MutationBacklog() {
    }

    /** {@code count} scopes over tenants named after {@code tenantPrefix}, two domains per tenant. */
    static List<Scope> scopes(String tenantPrefix, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> new Scope(tenantPrefix + "-" + (i / 2), i % 2 == 0 ? "workflows" : "notifications"))
                .toList();
    }

    /**
     * Produces {@code events} events over {@code scopes} and waits for every acknowledgement; returns the last
     * sequence number of each scope (by {@link Scope#key()}).
     */
    static Map<String, Long> produce(String bootstrapServers, int events, List<Scope> scopes) {
        EventCodec codec = new EventCodec();
        Map<String, Long> lastSequence = new HashMap<>();
        Properties config = HarnessKafkaClients.producer(bootstrapServers, StringSerializer.class);
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            Instant now = Instant.now();
            for (int i = 0; i < events; i++) {
                Scope scope = scopes.get(i % scopes.size());
                long sequence = lastSequence.merge(scope.key(), 1L, Long::sum);
                DomainMutated event = new DomainMutated(UUID.randomUUID(), scope.tenant(), scope.domain(),
                        Operation.PATCH, Optional.of("bench-" + i), List.of(), now, SOURCE_NODE, sequence);
                producer.send(new ProducerRecord<>(Topics.DOMAIN_MUTATED, event.recordKey(), codec.encode(event)));
            }
            producer.flush();
        }
        return lastSequence;
    }
}
