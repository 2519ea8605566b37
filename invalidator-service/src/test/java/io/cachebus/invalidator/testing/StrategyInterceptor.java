package io.cachebus.invalidator.testing;

import io.cachebus.invalidator.coalescing.InvalidationGroup;
import io.cachebus.invalidator.invalidation.InvalidationResult;
import io.cachebus.invalidator.invalidation.PrefixInvalidationStrategy;
import java.util.List;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Runs around every invalidation of the invalidator's real strategy bean (to slow it down, count its failures, …),
 * installed as a bean post-processor of the context under test.
 */
@FunctionalInterface
public interface StrategyInterceptor {

    /** One call of the strategy: the groups of one Redis round trip. */
    List<InvalidationResult> invalidate(List<InvalidationGroup> groups, PrefixInvalidationStrategy strategy);

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
                    public int groupsPerCall() {
                        return strategy.groupsPerCall();
                    }

                    @Override
                    public List<InvalidationResult> invalidate(List<InvalidationGroup> groups) {
                        return interceptor.invalidate(groups, strategy);
                    }
                };
            }
        };
    }
}
