package io.cachebus.deployment.metadata;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configuration properties a set of classpath entries declares, read from the
 * {@code META-INF/spring-configuration-metadata.json} files the Spring Boot configuration processor generates (the
 * project's modules) or ships (Spring Boot's and the libraries' jars).
 */
public final class ConfigurationMetadata {

    static final String METADATA = "META-INF/spring-configuration-metadata.json";
    static final String ADDITIONAL_METADATA = "META-INF/additional-spring-configuration-metadata.json";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, ConfigurationProperty> properties;

    private ConfigurationMetadata(Map<String, ConfigurationProperty> properties) {
        this.properties = properties;
    }

    /** The metadata of every entry (jar or class directory); a missing entry is an error, not an empty set. */
    public static ConfigurationMetadata of(Collection<Path> classpath) {
        Map<String, ConfigurationProperty> properties = new TreeMap<>();
        for (Path entry : classpath) {
            for (String document : documents(entry)) {
                parse(document, entry).forEach(property -> properties.putIfAbsent(property.name(), property));
            }
        }
        return new ConfigurationMetadata(properties);
    }

    /** Sorted by name. */
    public List<ConfigurationProperty> properties() {
        return List.copyOf(properties.values());
    }

    public Optional<ConfigurationProperty> property(String name) {
        return Optional.ofNullable(properties.get(name));
    }

    public boolean isEmpty() {
        return properties.isEmpty();
    }

    private static List<String> documents(Path entry) {
        try {
            if (Files.isDirectory(entry)) {
                List<String> documents = new ArrayList<>();
                for (String name : List.of(METADATA, ADDITIONAL_METADATA)) {
                    Path file = entry.resolve(name);
                    if (Files.isRegularFile(file)) {
                        documents.add(Files.readString(file));
                    }
                }
                return documents;
            }
            if (!Files.isRegularFile(entry)) {
                throw new IllegalStateException("classpath entry missing: " + entry);
            }
            if (!entry.getFileName().toString().endsWith(".jar")) {
                return List.of();
            }
            try (ZipFile jar = new ZipFile(entry.toFile())) {
                List<String> documents = new ArrayList<>();
                for (String name : List.of(METADATA, ADDITIONAL_METADATA)) {
                    ZipEntry zipEntry = jar.getEntry(name);
                    if (zipEntry != null) {
                        try (InputStream in = jar.getInputStream(zipEntry)) {
                            documents.add(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                        }
                    }
                }
                return documents;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read configuration metadata of " + entry, e);
        }
    }

    private static List<ConfigurationProperty> parse(String document, Path origin) {
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (RuntimeException e) {
            throw new IllegalStateException("malformed configuration metadata in " + origin, e);
        }
        List<ConfigurationProperty> parsed = new ArrayList<>();
        for (JsonNode node : root.path("properties")) {
            JsonNode deprecation = node.path("deprecation");
            boolean removed = "error".equals(deprecation.path("level").asString(null));
            JsonNode defaultValue = node.get("defaultValue");
            parsed.add(new ConfigurationProperty(
                    node.path("name").asString(),
                    node.path("type").asString(null),
                    node.path("description").asString(""),
                    defaultValue == null ? null : JSON.treeToValue(defaultValue, Object.class),
                    node.path("sourceType").asString(null),
                    removed));
        }
        parsed.sort(Comparator.comparing(ConfigurationProperty::name));
        return parsed;
    }
}
