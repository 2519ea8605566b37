package io.cachebus.invalidator.testing;

import io.cachebus.invalidator.coalescing.InvalidationGroup;
import io.cachebus.invalidator.invalidation.InvalidationResult;
import io.cachebus.invalidator.invalidation.PrefixInvalidationStrategy;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Runs around every invalidation of the invalidator's real strategy bean (to slow it down, count its failures, …),
 * installed as a bean post-processor of the context under test.
 */
@FunctionalInterface
public interface StrategyInterceptor {

    InvalidationResult invalidate(InvalidationGroup group, PrefixInvalidationStrategy strategy);

    /** The post-processor that wraps the strategy bean in this interceptor. */
    default BeanPostProcessor asPostProcessor() {
        StrategyInterceptor interceptor = this;
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (!(bean instanceof PrefixInvalidationStrategy strategy)) {
                    return bean;
                }
                return new PrefixInvalidationStrategy() {
                    @Override
                    public String name() {
                        return strategy.name();
                    }

                    @Override
                    public InvalidationResult invalidate(InvalidationGroup group) {
                        return interceptor.invalidate(group, strategy);
                    }
                };
            }
        };
    }
}
