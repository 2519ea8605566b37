package io.cachebus.client.autoconfigure;

import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;

/**
 * Every auto-configuration cache-client contributes, read from its {@code AutoConfiguration.imports}: what a process
 * that has cache-client on its classpath but is not an API node (an invalidator started beside API nodes in one JVM)
 * puts in {@code spring.autoconfigure.exclude}.
 */
public final class CachebusAutoConfigurations {

    private static final String PACKAGE_PREFIX = "io.cachebus.client.";

    private CachebusAutoConfigurations() {
    }

    /** The class names, in the order the imports file lists them. */
    public static List<String> names() {
        ClassLoader loader = CachebusAutoConfigurations.class.getClassLoader();
        return ImportCandidates.load(AutoConfiguration.class, loader).getCandidates().stream()
                .filter(name -> name.startsWith(PACKAGE_PREFIX))
                .toList();
    }
}
