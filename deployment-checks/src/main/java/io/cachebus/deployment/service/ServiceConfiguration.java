package io.cachebus.deployment.service;

import io.cachebus.deployment.Repository;
import io.cachebus.deployment.metadata.ConfigurationMetadata;
import io.cachebus.deployment.metadata.ConfigurationProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A Spring Boot service's configuration as its build declares it: the properties its runtime classpath knows (the
 * configuration metadata of every jar the image gets, and of the module itself) and what its configuration file
 * ({@code application.yml}, or the name it gives {@code spring.config.name}) sets.
 */
public final class ServiceConfiguration {

    /** Read by the JVM itself, not by Spring. */
    private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)(?::[^}]*)?}");

    private final String module;
    private final ConfigurationMetadata metadata;
    private final Map<String, String> configuredProperties;
    private final Set<String> placeholders;

    ServiceConfiguration(String module, ConfigurationMetadata metadata, Map<String, String> configuredProperties,
            Set<String> placeholders) {
        this.module = module;
        this.metadata = metadata;
        this.configuredProperties = configuredProperties;
        this.placeholders = placeholders;
    }

    /**
     * Reads a built module: {@code target/classes} and the {@code target/runtime-classpath.txt} the root pom writes
     * for every module with an image.
     *
     * @param configName the service's {@code spring.config.name}: {@code application} unless it sets its own (the
     *                   invalidator reads {@code invalidator.yml})
     */
    public static ServiceConfiguration of(Repository repository, String module, String configName) {
        Path target = repository.module(module).resolve("target");
        Path classes = target.resolve("classes");
        Path classpathFile = target.resolve("runtime-classpath.txt");
        if (!Files.isDirectory(classes) || !Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException(module + " is not built (no target/classes or target/runtime-classpath.txt):"
                    + " run the check through Maven with -am, e.g. ./mvnw -pl deployment-checks -am test");
        }
        List<Path> classpath = new ArrayList<>();
        classpath.add(classes);
        try {
            for (String entry : Files.readString(classpathFile).trim().split(java.io.File.pathSeparator)) {
                if (!entry.isBlank()) {
                    classpath.add(Path.of(entry));
                }
            }
            Map<String, String> properties = new LinkedHashMap<>();
            Set<String> placeholders = new TreeSet<>();
            Path configYml = classes.resolve(configName + ".yml");
            if (!Files.isRegularFile(configYml)) {
                throw new IllegalStateException(module + " has no " + configName + ".yml in target/classes");
            }
            properties.putAll(flatten(Files.readString(configYml)));
            String profileFiles = Pattern.quote(configName) + "(-.+)?\\.ya?ml";
            try (Stream<Path> files = Files.list(classes)) {
                for (Path file : files.filter(f -> f.getFileName().toString().matches(profileFiles)).toList()) {
                    Matcher matcher = PLACEHOLDER.matcher(Files.readString(file));
                    while (matcher.find()) {
                        placeholders.add(matcher.group(1));
                    }
                }
            }
            return new ServiceConfiguration(module, ConfigurationMetadata.of(classpath), properties, placeholders);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String module() {
        return module;
    }

    public ConfigurationMetadata metadata() {
        return metadata;
    }

    /** A value the service's configuration file sets (default profile), as text. */
    public Optional<String> configuredValue(String name) {
        return Optional.ofNullable(configuredProperties.get(name));
    }

    /**
     * What an environment variable means to this service: the known property it sets, by Spring Boot's own relaxed
     * binding rules ({@code SPRING_KAFKA_BOOTSTRAP_SERVERS} and {@code SPRING_KAFKA_BOOTSTRAPSERVERS} both set
     * {@code spring.kafka.bootstrap-servers}; {@code LOGGING_LEVEL_IO_CACHEBUS} sets a key of the map
     * {@code logging.level}); or a placeholder {@code ${NAME}} of its configuration file; or a JVM variable.
     */
    public Optional<String> meaningOf(String environmentVariable) {
        if (JVM_VARIABLES.contains(environmentVariable)) {
            return Optional.of("read by the JVM");
        }
        if (placeholders.contains(environmentVariable)) {
            return Optional.of("placeholder ${" + environmentVariable + "} in its configuration file");
        }
        return propertySetBy(environmentVariable).map(property -> "sets " + property.name());
    }

    /** The known, not removed property an environment variable sets, if any. */
    public Optional<ConfigurationProperty> propertySetBy(String environmentVariable) {
        ConfigurationPropertySource source = environmentSource(Map.of(environmentVariable, "x"));
        for (ConfigurationProperty property : metadata.properties()) {
            if (property.removed() || !ConfigurationPropertyName.isValid(property.name())) {
                continue;
            }
            ConfigurationPropertyName name = ConfigurationPropertyName.of(property.name());
            if (source.getConfigurationProperty(name) != null
                    || (property.acceptsDescendants()
                    && source.containsDescendantOf(name) == ConfigurationPropertyState.PRESENT)) {
                return Optional.of(property);
            }
        }
        return Optional.empty();
    }

    /**
     * The value a property takes for this service under an environment: the variable that sets it, else its
     * configuration file, else the metadata's default.
     */
    public Optional<String> effectiveValue(String property, Map<String, String> environment) {
        ConfigurationPropertySource source = environmentSource(environment);
        org.springframework.boot.context.properties.source.ConfigurationProperty fromEnvironment =
                source.getConfigurationProperty(ConfigurationPropertyName.of(property));
        if (fromEnvironment != null) {
            return Optional.of(String.valueOf(fromEnvironment.getValue()));
        }
        return configuredValue(property)
                .or(() -> metadata.property(property).map(ConfigurationProperty::defaultValue).map(String::valueOf));
    }

    private static ConfigurationPropertySource environmentSource(Map<String, String> environment) {
        Map<String, Object> values = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        // Spring applies its environment-variable name mapping only to a source with this name.
        return ConfigurationPropertySource.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, values));
    }

    /** A YAML configuration file as flat dotted names ({@code server.port}, {@code a.list[0]}), values as text. */
    static Map<String, String> flatten(String yaml) {
        Map<String, String> flat = new LinkedHashMap<>();
        Yaml parser = new Yaml(new SafeConstructor(new LoaderOptions()));
        for (Object document : parser.loadAll(yaml)) {
            flatten("", document, flat);
        }
        return flat;
    }

    private static void flatten(String prefix, Object node, Map<String, String> flat) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> flatten(prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key, value, flat));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                flatten(prefix + "[" + i + "]", list.get(i), flat);
            }
        } else if (node != null) {
            flat.put(prefix, String.valueOf(node));
        }
    }
}
