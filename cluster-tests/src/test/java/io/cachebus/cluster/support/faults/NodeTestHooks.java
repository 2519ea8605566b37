package io.cachebus.cluster.support.faults;

import io.cachebus.testfixtures.events.RecordedCacheEvents;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * What the suite adds to every API node it starts (given to the node as {@code spring.main.sources}): a
 * {@link RecordedCacheEvents} listener, and the node's DataSource wrapped in a {@link QueryGate}, which holds
 * nothing until a test arms it for that node.
 */
@Configuration(proxyBeanMethods = false)
public class NodeTestHooks {

    /** The property that names a node; LocalCluster sets it for every API node it starts. */
    static final String NODE_ID = "cachebus.node-id";

    @Bean
    RecordedCacheEvents recordedCacheEvents() {
        return new RecordedCacheEvents();
    }

    @Bean
    static BeanPostProcessor queryGateDataSource(Environment environment) {
        String node = environment.getRequiredProperty(NODE_ID);
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof DataSource dataSource && !(bean instanceof QueryGate.GatedDataSource)
                        ? QueryGate.wrap(node, dataSource) : bean;
            }
        };
    }
}
