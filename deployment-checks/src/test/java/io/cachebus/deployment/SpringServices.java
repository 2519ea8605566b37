package io.cachebus.deployment;

import io.cachebus.deployment.service.ServiceConfiguration;
import io.cachebus.invalidator.InvalidatorApplication;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The project's Spring Boot services, each with the configuration file name it reads. */
public final class SpringServices {

    private static final Map<String, String> CONFIG_NAMES = Map.of(
            "api-service", "application",
            "invalidator-service", InvalidatorApplication.CONFIG_NAME);
    private static final Map<String, ServiceConfiguration> READ = new ConcurrentHashMap<>();

    private SpringServices() {
    }

    public static Set<String> modules() {
        return CONFIG_NAMES.keySet();
    }

    public static ServiceConfiguration configuration(Repository repository, String module) {
        String configName = CONFIG_NAMES.get(module);
        if (configName == null) {
            throw new IllegalArgumentException(module + " is not a Spring Boot service of the project");
        }
        return READ.computeIfAbsent(module, m -> ServiceConfiguration.of(repository, m, configName));
    }
}
