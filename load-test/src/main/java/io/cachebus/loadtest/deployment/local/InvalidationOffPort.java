package io.cachebus.loadtest.deployment.local;

import io.cachebus.client.CacheKey;
import io.cachebus.client.MutationPublisher;
import io.cachebus.client.TieredCache;
import io.cachebus.client.internal.tiered.DefaultTieredCache;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.Operation;
import io.cachebus.events.Tag;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.catalina.connector.Connector;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Added to the sources of the harness's API nodes ({@code spring.main.sources}) with {@value #PORT_PROPERTY}: a
 * second HTTP port on the same node where writes publish nothing, so a write commits without an outbox row, without
 * a sequence number, without evicting anything and without an event to Kafka. The write latency on that port is
 * the cost of a write with invalidation switched off, the baseline the node's own port is compared with.
 *
 * <p>A port of the same JVM rather than a node of its own: the baseline runs on the same process, with the same
 * compiled code, heap and CPU placement as the figure it is compared with, and the harness starts no extra JVM for
 * it (on two cores each start took over a minute). Only the harness sets the property; a node without it has no
 * such port.
 */
@Configuration(proxyBeanMethods = false)
public class InvalidationOffPort {

    public static final String PORT_PROPERTY = "cachebus.bench.invalidation-off-port";

    /** Whether the request on this thread arrived on the invalidation-off port. */
    private static final ThreadLocal<Boolean> ON_BASELINE_PORT = ThreadLocal.withInitial(() -> false);

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> invalidationOffConnector(Environment environment) {
        int port = baselinePort(environment);
        String address = environment.getProperty("server.address");
        return factory -> {
            Connector connector = new Connector();
            connector.setPort(port);
            if (address != null) {
                connector.setProperty("address", address); // loopback, like the node's own port
            }
            factory.addAdditionalConnectors(connector);
        };
    }

    /** First of all filters, so the flag is set before any code that may write runs. */
    @Bean
    FilterRegistrationBean<OncePerRequestFilter> invalidationOffPortFilter(Environment environment) {
        int port = baselinePort(environment);
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
                new OncePerRequestFilter() {
                    @Override
                    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                            FilterChain chain) throws ServletException, IOException {
                        ON_BASELINE_PORT.set(request.getLocalPort() == port);
                        try {
                            chain.doFilter(request, response);
                        } finally {
                            ON_BASELINE_PORT.remove();
                        }
                    }
                });
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /**
     * Wraps cache-client's publisher and cache rather than replacing them, so the node's own port still publishes and
     * still has its hits sampled. On the baseline port writes publish nothing, and no hit is sampled: writes there
     * evict nothing, so what the nodes cache of the baseline's tenants is stale by design, and the nodes' count of
     * stale hits ({@code cachebus.consistency.stale.hits}) is to be about the measured load. The reference API asks for
     * a {@link TieredCache}; nothing on these nodes asks for the {@link DefaultTieredCache} itself (Spring's cache
     * manager would, and the reference API does not enable Spring's caching).
     */
    @Bean
    static BeanPostProcessor offOnBaselinePort() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof MutationPublisher publisher) {
                    return new PortAwarePublisher(publisher);
                }
                return bean instanceof DefaultTieredCache cache ? new PortAwareCache(cache) : bean;
            }
        };
    }

    private static int baselinePort(Environment environment) {
        return environment.getRequiredProperty(PORT_PROPERTY, Integer.class);
    }

    private record PortAwareCache(DefaultTieredCache delegate) implements TieredCache {

        private static final JsonMapper TYPES = JsonMapper.builder().build();

        @Override
        public <T> T get(CacheKey key, Class<T> type, Supplier<T> loader) {
            return ON_BASELINE_PORT.get() ? delegate.getUnsampled(key, TYPES.constructType(type), loader)
                    : delegate.get(key, type, loader);
        }

        @Override
        public <T> T get(CacheKey key, TypeReference<T> type, Supplier<T> loader) {
            return ON_BASELINE_PORT.get() ? delegate.getUnsampled(key, TYPES.constructType(type), loader)
                    : delegate.get(key, type, loader);
        }

        @Override
        public void evictLocal(String tenant, String domain) {
            delegate.evictLocal(tenant, domain);
        }

        @Override
        public void evictAllLocal() {
            delegate.evictAllLocal();
        }
    }

    private record PortAwarePublisher(MutationPublisher delegate) implements MutationPublisher {

        @Override
        public DomainMutated recordMutation(String tenant, String domain, Operation operation,
                Optional<String> entityId, List<Tag> tags) {
            if (!ON_BASELINE_PORT.get()) {
                return delegate.recordMutation(tenant, domain, operation, entityId, tags);
            }
            // The caller may log or return the event; it is never stored or sent.
            return new DomainMutated(UUID.randomUUID(), tenant, domain, operation, entityId, tags, Instant.now(),
                    "publishing-off", 1);
        }
    }
}
