package io.cachebus.invalidator.consumer;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Pauses the mutation consumer while any of the given breakers is open and resumes it once none is. It is given
 * the broadcast breaker: with Kafka refusing broadcasts nothing can be done (a Redis outage does not pause; batches
 * are then broadcast with their Redis work pending).
 *
 * <p>A paused consumer keeps its partitions and keeps polling (so it stays in the group) but fetches nothing:
 * no busy loop against a dead dependency, no event dropped, and no offset moves, because the batch that tripped the
 * breaker was not committed and is redelivered after the resume. The breakers move from OPEN to HALF_OPEN on
 * their own (which this class insists on), so the consumer resumes by itself and the first redelivered batch is
 * the probe: if Kafka still fails, the breaker opens again and the consumer pauses again.
 */
public final class BreakerPauseController {

    private static final Logger log = LoggerFactory.getLogger(BreakerPauseController.class);

    private final MessageListenerContainer container;
    private final List<CircuitBreaker> breakers;
    private boolean paused;

    public BreakerPauseController(MessageListenerContainer container, List<CircuitBreaker> breakers) {
        this.container = container;
        this.breakers = List.copyOf(breakers);
        for (CircuitBreaker breaker : this.breakers) {
            if (!breaker.getCircuitBreakerConfig().isAutomaticTransitionFromOpenToHalfOpenEnabled()) {
                throw new IllegalStateException("circuit breaker '" + breaker.getName() + "' must have "
                        + "automatic-transition-from-open-to-half-open-enabled: true, or the consumer it pauses "
                        + "would never resume");
            }
            breaker.getEventPublisher().onStateTransition(event -> update());
        }
        update();
    }

    /** Whether this controller currently holds the consumer paused. */
    public synchronized boolean isHoldingPause() {
        return paused;
    }

    private synchronized void update() {
        List<String> open = breakers.stream()
                .filter(breaker -> isOpen(breaker.getState()))
                .map(breaker -> breaker.getName() + "=" + breaker.getState())
                .toList();
        if (!open.isEmpty() && !paused) {
            container.pause();
            paused = true;
            log.warn("consumer paused reason=breakerOpen breakers={} container={}", open, container.getListenerId());
        } else if (open.isEmpty() && paused) {
            container.resume();
            paused = false;
            log.info("consumer resumed reason=breakersNotOpen breakers={} container={}", states(), container.getListenerId());
        }
    }

    private List<String> states() {
        return breakers.stream().map(breaker -> breaker.getName() + "=" + breaker.getState()).toList();
    }

    private static boolean isOpen(CircuitBreaker.State state) {
        return state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN;
    }
}
