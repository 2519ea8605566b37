package io.cachebus.api.testing;

import io.cachebus.events.DomainMutated;
import io.cachebus.local.junit.LocalKafkaExtension;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@link MutationEvents} on the run's shared broker for one test class:
 * {@code @RegisterExtension static final SharedKafkaMutations mutations = new SharedKafkaMutations();}
 * (after {@link LocalKafkaExtension}, which the class must use).
 */
public final class SharedKafkaMutations implements BeforeAllCallback, AfterAllCallback {

    private MutationEvents events;

    @Override
    public void beforeAll(ExtensionContext context) {
        events = new MutationEvents(System.getProperty(LocalKafkaExtension.BOOTSTRAP_PROPERTY));
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        events.close();
    }

    public DomainMutated awaitEvent(String description, Predicate<DomainMutated> condition) {
        return events.awaitEvent(description, condition);
    }

    public List<DomainMutated> of(String tenant) {
        return events.of(tenant);
    }
}
