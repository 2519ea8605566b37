package io.cachebus.client.testsupport;

import io.cachebus.client.autoconfigure.CachebusAutoConfigurations;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.ClassUtils;

/** Every auto-configuration of cache-client, as an application gets them, for an {@code ApplicationContextRunner}. */
public final class AllCachebusAutoConfigurations {

    private AllCachebusAutoConfigurations() {
    }

    public static AutoConfigurations get() {
        return AutoConfigurations.of(CachebusAutoConfigurations.names().stream()
                .map(name -> ClassUtils.resolveClassName(name, AllCachebusAutoConfigurations.class.getClassLoader()))
                .toArray(Class<?>[]::new));
    }

    /** A runner with every cachebus auto-configuration. */
    public static ApplicationContextRunner runner() {
        return new ApplicationContextRunner().withConfiguration(get());
    }

    /** The same without the eviction subscription, so that nothing tries to reach Kafka. */
    public static ApplicationContextRunner runnerWithoutSubscription() {
        return runner().withPropertyValues("cachebus.eviction.enabled=false");
    }
}
