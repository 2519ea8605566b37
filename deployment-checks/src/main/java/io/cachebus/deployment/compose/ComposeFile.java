package io.cachebus.deployment.compose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A docker-compose.yml as compose reads it with an empty environment (or with the variables given): YAML merge keys
 * applied, {@code ${VAR:-default}} replaced by its default, {@code environment} and {@code depends_on} in either of
 * their two forms. {@link #variableReferences()} lists every {@code ${VAR...}} the file holds, as written.
 */
public final class ComposeFile {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

    /**
     * One {@code ${NAME...}} of the file.
     *
     * @param operator {@code :-}, {@code -}, {@code :?} or {@code ?}; empty for a plain {@code ${NAME}}
     * @param argument the default or the error message; empty when there is none
     */
    public record VariableReference(String name, String operator, String argument) {

        /** {@code ${NAME:?message}}: compose refuses to run while the variable is unset or empty. */
        public boolean required() {
            return operator.equals(":?");
        }
    }

    private final Map<String, ComposeService> services;
    private final List<VariableReference> variableReferences;

    private ComposeFile(Map<String, ComposeService> services, List<VariableReference> variableReferences) {
        this.services = services;
        this.variableReferences = variableReferences;
    }

    public static ComposeFile read(Path file) {
        return read(file, Map.of());
    }

    /** The file as compose reads it with {@code variables} set (in the environment or an env file). */
    public static ComposeFile read(Path file, Map<String, String> variables) {
        try {
            return parse(Files.readString(file), variables);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ComposeFile parse(String yaml) {
        return parse(yaml, Map.of());
    }

    public static ComposeFile parse(String yaml, Map<String, String> variables) {
        Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        Map<String, Object> top = map(interpolate(document, variables), "the file");
        Map<String, ComposeService> services = new LinkedHashMap<>();
        map(top.get("services"), "services").forEach((name, definition) ->
                services.put(name, service(name, map(definition, "service " + name))));
        List<VariableReference> references = new ArrayList<>();
        Matcher matcher = VARIABLE.matcher(yaml.replace("$$", ""));
        while (matcher.find()) {
            references.add(new VariableReference(matcher.group(1), Objects.toString(matcher.group(2), ""),
                    Objects.toString(matcher.group(3), "")));
        }
        return new ComposeFile(services, List.copyOf(references));
    }

    public List<VariableReference> variableReferences() {
        return variableReferences;
    }

    public Map<String, ComposeService> services() {
        return services;
    }

    public Optional<ComposeService> service(String name) {
        return Optional.ofNullable(services.get(name));
    }

    /**
     * Replaces a variable set (non-empty for the {@code :} forms) by its value, else {@code ${VAR:-default}} /
     * {@code ${VAR-default}} by the default and any other by ""; {@code $$} by "$".
     */
    static String interpolate(String value, Map<String, String> variables) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String operator = matcher.group(2);
            String set = variables.get(matcher.group(1));
            boolean usable = set != null && !(set.isEmpty() && operator != null && operator.startsWith(":"));
            String replacement = usable ? set : operator != null && operator.endsWith("-") ? matcher.group(3) : "";
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString().replace("$$", "$");
    }

    private static Object interpolate(Object node, Map<String, String> variables) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> interpolated = new LinkedHashMap<>();
            map.forEach((key, value) -> interpolated.put(String.valueOf(key), interpolate(value, variables)));
            return interpolated;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(item -> interpolate(item, variables)).toList();
        }
        if (node instanceof String text) {
            return interpolate(text, variables);
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
                strings(definition.get("command")),
                definition.get("stop_grace_period") == null ? null : String.valueOf(definition.get("stop_grace_period")));
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
