package io.cachebus.deployment.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.deployment.Repository;
import io.cachebus.deployment.metadata.ConfigurationMetadata;
import io.cachebus.deployment.metadata.ConfigurationProperty;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation cannot name a {@code cachebus.*} property that does not exist. Every such name in README.md and
 * docs/ is a property of the configuration metadata docs/configuration.md is generated from (or a group of them, or
 * a key of a map or list property); else it must be a name the code spells in a string literal (a metric, a topic,
 * a header, a test's system property) or a pom declares (an image setting), which are not properties. Spring's
 * camelCase form, as its binding errors print it ({@code cachebus.outbox.sweepInterval}), is the kebab-case property.
 */
class DocumentedPropertiesTest {

    /** Not inside a longer name: {@code io.cachebus.client} and {@code management.health.cachebus.enabled} are not. */
    private static final Pattern NAME = Pattern.compile("(?<![\\w.$/-])cachebus(?:\\.[A-Za-z0-9_-]+)+");
    private static final Pattern JAVA_STRING = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    private static final Pattern POM_PROPERTY = Pattern.compile("<(cachebus(?:\\.[\\w-]+)+)>");
    /** Kafka writes a partition as its topic and number: {@code cachebus.domain-mutated-3}. */
    private static final Pattern PARTITION_SUFFIX = Pattern.compile("-\\d+$");
    private static final Pattern CAMEL_HUMP = Pattern.compile("([a-z0-9])([A-Z])");

    private static final String OWN_SOURCE = DocumentedPropertiesTest.class.getSimpleName() + ".java";

    private final Repository repository = Repository.locate();

    @Test
    void everyCachebusNameInTheDocsIsAPropertyOrANameTheCodeSpells() throws IOException {
        List<ConfigurationProperty> properties = properties();
        Set<String> spelledByCode = namesSpelledByCode();
        Predicate<String> known = name -> isProperty(name, properties) || spelledByCode.contains(name)
                || spelledByCode.contains(PARTITION_SUFFIX.matcher(name).replaceFirst(""));

        List<String> unknown = new ArrayList<>();
        for (Path document : documentation()) {
            List<String> lines = Files.readAllLines(document);
            for (int i = 0; i < lines.size(); i++) {
                for (String name : unknownNames(lines.get(i), known)) {
                    unknown.add(repository.root().relativize(document) + ":" + (i + 1) + " " + name);
                }
            }
        }
        assertThat(unknown)
                .as("no such property in %s (after adding one, run ./cachebus docs), nor a name the code spells",
                        ConfigurationReference.FILE)
                .isEmpty();
    }

    @Test
    void aPropertyThatDoesNotExistIsFoundAndLongerNamesAreLeftAlone() {
        List<ConfigurationProperty> properties = properties();
        Predicate<String> known = name -> isProperty(name, properties);

        assertThat(unknownNames("set `cachebus.l2.tll=5m`, `cachebus.l2.ttl` and `cachebus.outbox.sweepInterval`",
                known)).containsExactly("cachebus.l2.tll");
        assertThat(unknownNames("`cachebus.cache-manager.*`, `cachebus.sql.table-scopes[sales.orders]=orders`, "
                + "`cachebus.sql.table-scopes.workflow_steps`", known)).isEmpty();
        assertThat(unknownNames("io.cachebus.client.nothing and management.health.cachebus.enabled", known)).isEmpty();
    }

    private static List<String> unknownNames(String text, Predicate<String> known) {
        List<String> unknown = new ArrayList<>();
        Matcher name = NAME.matcher(text);
        while (name.find()) {
            String kebab = CAMEL_HUMP.matcher(name.group()).replaceAll(hump -> hump.group(1) + "-"
                    + hump.group(2).toLowerCase(Locale.ROOT));
            if (!known.test(kebab)) {
                unknown.add(kebab);
            }
        }
        return unknown;
    }

    private static boolean isProperty(String name, List<ConfigurationProperty> properties) {
        return properties.stream().anyMatch(property -> property.name().equals(name)
                || property.name().startsWith(name + ".")
                || property.acceptsDescendants() && name.startsWith(property.name() + "."));
    }

    private List<ConfigurationProperty> properties() {
        List<Path> classes = ConfigurationReference.modules().stream()
                .map(module -> repository.module(module).resolve("target/classes")).toList();
        List<ConfigurationProperty> properties = ConfigurationMetadata.of(classes).properties();
        assertThat(properties).as("the modules' configuration metadata: are they compiled?").isNotEmpty();
        return properties;
    }

    private List<Path> documentation() {
        return Stream.concat(Stream.of(repository.path("README.md")),
                repository.sources(".md").stream().filter(file -> file.startsWith(repository.path("docs")))).toList();
    }

    private Set<String> namesSpelledByCode() throws IOException {
        Set<String> names = new HashSet<>();
        for (Path source : repository.sources(".java")) {
            if (source.endsWith(OWN_SOURCE)) {
                continue; // its made-up names are examples of what the check finds
            }
            Matcher literal = JAVA_STRING.matcher(Files.readString(source));
            while (literal.find()) {
                NAME.matcher(literal.group(1)).results().map(MatchResult::group).forEach(names::add);
            }
        }
        for (Path pom : repository.sources("pom.xml")) {
            POM_PROPERTY.matcher(Files.readString(pom)).results().map(match -> match.group(1)).forEach(names::add);
        }
        return names;
    }
}
