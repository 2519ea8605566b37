package io.cachebus.loadtest.deployment.local;

import io.cachebus.client.MutationPublisher;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.Operation;
import io.cachebus.events.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Added to the sources of the baseline API nodes ({@code spring.main.sources}): a {@link MutationPublisher} that
 * records nothing, so a write commits without an outbox row, without a sequence number, without evicting
 * anything and without an event to Kafka. cache-client's own publisher steps back for it (it is conditional on
 * no other being defined). The write latency of these nodes is the cost of a write with invalidation switched
 * off, the baseline the real nodes are compared with.
 */
@Configuration(proxyBeanMethods = false)
public class PublishingOff {

    @Bean
    MutationPublisher mutationPublisherThatRecordsNothing() {
        return new MutationPublisher() {
            @Override
            public DomainMutated recordMutation(String tenant, String domain, Operation operation,
                    Optional<String> entityId, List<Tag> tags) {
                // The caller may log or return the event; it is never stored or sent.
                return new DomainMutated(UUID.randomUUID(), tenant, domain, operation, entityId, tags, Instant.now(),
                        "publishing-off", 1);
            }
        };
    }
}
