package io.cachebus.client.autoconfigure.isolation;

import java.util.List;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * Started by {@link WithoutOneLibraryTest} inside a class loader that lacks one library: an application with every
 * auto-configuration on that classpath, nothing of its own. Speaks only JDK types across the loader boundary.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class IsolatedStart {

    /** The cachebus beans the context has, by their simple type names, after a start with {@code arguments}. */
    public static List<String> cachebusBeans(String[] arguments) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(IsolatedStart.class)
                .web(WebApplicationType.NONE).run(arguments)) {
            return List.of("io.cachebus.client.TieredCache", "io.cachebus.client.internal.tiered.RedisEntryStore",
                            "io.cachebus.client.MutationPublisher",
                            "io.cachebus.client.internal.eviction.EvictionSubscription",
                            "io.cachebus.client.internal.consistency.EnforcedStalenessBound",
                            "io.cachebus.client.sql.SqlCache",
                            "io.cachebus.client.autoconfigure.CachebusHealthIndicator").stream()
                    // a type whose supertype is missing from this classpath (the health indicator without
                    // actuator) cannot even be loaded, so it cannot be a bean either
                    .filter(name -> ClassUtils.isPresent(name, IsolatedStart.class.getClassLoader()))
                    .map(name -> ClassUtils.resolveClassName(name, IsolatedStart.class.getClassLoader()))
                    .filter(type -> !context.getBeansOfType(type).isEmpty())
                    .map(Class::getSimpleName)
                    .toList();
        }
    }
}
