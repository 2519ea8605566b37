package io.cachebus.deployment.metadata;

/**
 * One property of a {@code META-INF/spring-configuration-metadata.json}.
 *
 * @param name         the canonical (kebab-case) name
 * @param type         the Java type, e.g. {@code java.time.Duration} or {@code java.util.Map<java.lang.String,...>}
 * @param description  what the configuration processor took from the javadoc; empty when there was none
 * @param defaultValue the default as the metadata states it (a JSON scalar or array), or null when it does not
 * @param sourceType   the class that declares it, or null
 * @param removed      deprecated at level {@code error}: the property no longer has any effect
 */
public record ConfigurationProperty(String name, String type, String description, Object defaultValue,
        String sourceType, boolean removed) {

    /** Maps, collections and arrays are set key by key or index by index: {@code logging.level.io.cachebus}. */
    public boolean acceptsDescendants() {
        return type != null && (type.startsWith("java.util.Map") || type.startsWith("java.util.List")
                || type.startsWith("java.util.Set") || type.startsWith("java.util.Collection") || type.endsWith("[]"));
    }
}
