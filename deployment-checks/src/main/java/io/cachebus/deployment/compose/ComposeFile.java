package io.cachebus.deployment.compose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A docker-compose.yml as compose reads it with an empty environment: YAML merge keys applied, {@code ${VAR:-default}}
 * replaced by its default, {@code environment} and {@code depends_on} in either of their two forms.
 */
public final class ComposeFile {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

    private final Map<String, ComposeService> services;

    private ComposeFile(Map<String, ComposeService> services) {
        this.services = services;
    }

    public static ComposeFile read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ComposeFile parse(String yaml) {
        Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        Map<String, Object> top = map(interpolate(document), "the file");
        Map<String, ComposeService> services = new LinkedHashMap<>();
        map(top.get("services"), "services").forEach((name, definition) ->
                services.put(name, service(name, map(definition, "service " + name))));
        return new ComposeFile(services);
    }

    public Map<String, ComposeService> services() {
        return services;
    }

    public Optional<ComposeService> service(String name) {
        return Optional.ofNullable(services.get(name));
    }

    /** Replaces {@code ${VAR:-default}} / {@code ${VAR-default}} by the default, {@code ${VAR}} by "", {@code $$} by "$". */
    static String interpolate(String value) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String operator = matcher.group(2);
            String replacement = operator != null && operator.endsWith("-") ? matcher.group(3) : "";
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString().replace("$$", "$");
    }

    private static Object interpolate(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> interpolated = new LinkedHashMap<>();
            map.forEach((key, value) -> interpolated.put(String.valueOf(key), interpolate(value)));
            return interpolated;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(ComposeFile::interpolate).toList();
        }
        if (node instanceof String text) {
            return interpolate(text);
        }
        return node;
    }

    private static ComposeService service(String name, Map<String, Object> definition) {
        Map<String, Object> healthcheck = definition.containsKey("healthcheck")
                ? map(definition.get("healthcheck"), name + ".healthcheck") : Map.of();
        return new ComposeService(
                name,
                (String) definition.get("image"),
                environment(definition.get("environment")),
                strings(definition.get("expose")),
                strings(definition.get("ports")),
                strings(healthcheck.get("test")),
                dependsOn(definition.get("depends_on")),
                strings(definition.get("volumes")),
                strings(definition.get("profiles")),
                strings(definition.get("command")));
    }

    private static Map<String, String> environment(Object node) {
        Map<String, String> environment = new LinkedHashMap<>();
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> environment.put(String.valueOf(key), value == null ? "" : String.valueOf(value)));
        } else if (node instanceof List<?> list) {
            for (Object entry : list) {
                String text = String.valueOf(entry);
                int equals = text.indexOf('=');
                environment.put(equals < 0 ? text : text.substring(0, equals), equals < 0 ? "" : text.substring(equals + 1));
            }
        }
        return environment;
    }

    private static List<String> dependsOn(Object node) {
        if (node instanceof Map<?, ?> map) {
            return map.keySet().stream().map(String::valueOf).toList();
        }
        return strings(node);
    }

    private static List<String> strings(Object node) {
        List<String> strings = new ArrayList<>();
        if (node instanceof List<?> list) {
            list.forEach(item -> strings.add(String.valueOf(item)));
        } else if (node != null) {
            strings.add(String.valueOf(node));
        }
        return strings;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node, String what) {
        if (!(node instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(what + " is not a mapping");
        }
        return (Map<String, Object>) node;
    }
}
