package io.cachebus.cluster.support.faults;

import static org.awaitility.Awaitility.await;

import io.cachebus.invalidator.consumer.ConsumerConfiguration;
import io.cachebus.localcluster.ServiceInstance;
import java.time.Duration;
import java.util.List;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * The invalidators' mutation consumers paused: events stay on the topic, nothing is invalidated or broadcast, until
 * {@link #close()} resumes them. Cheaper than stopping the services, and nothing in flight is lost either way.
 */
public final class InvalidatorPause implements AutoCloseable {

    /** A paused consumer notices at its next poll, which may wait for the container's poll timeout. */
    private static final Duration PAUSE_TAKES_EFFECT = Duration.ofSeconds(15);

    private final List<MessageListenerContainer> containers;

    private InvalidatorPause(List<MessageListenerContainer> containers) {
        this.containers = containers;
    }

    public static InvalidatorPause of(List<ServiceInstance> invalidators) {
        List<MessageListenerContainer> containers = invalidators.stream()
                .filter(ServiceInstance::isRunning)
                .map(invalidator -> invalidator.context().getBean(ConsumerConfiguration.LISTENER_ID,
                        MessageListenerContainer.class))
                .toList();
        containers.forEach(MessageListenerContainer::pause);
        await().alias("invalidator consumers paused").atMost(PAUSE_TAKES_EFFECT)
                .until(() -> containers.stream().allMatch(MessageListenerContainer::isContainerPaused));
        return new InvalidatorPause(containers);
    }

    @Override
    public void close() {
        containers.forEach(MessageListenerContainer::resume);
    }
}
