package io.cachebus.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The checked-out repository: its modules, their poms and build output, and the deployment files. */
public final class Repository {

    /** System property naming the repository root (set by this module's surefire configuration). */
    public static final String ROOT_PROPERTY = "cachebus.root";

    /** Build output, Git's own files and downloaded packages: not the repository's sources. */
    private static final Set<String> NOT_SOURCES = Set.of("target", ".git", "node_modules");

    private final Path root;

    public Repository(Path root) {
        this.root = root.toAbsolutePath().normalize();
        if (!Files.isRegularFile(this.root.resolve("pom.xml"))) {
            throw new IllegalArgumentException("not the cachebus repository root (no pom.xml): " + this.root);
        }
    }

    /** The root named by {@value #ROOT_PROPERTY}, else the parent of the working directory (a module's). */
    public static Repository locate() {
        String configured = System.getProperty(ROOT_PROPERTY);
        return new Repository(configured != null ? Path.of(configured) : Path.of("").toAbsolutePath().getParent());
    }

    public Path root() {
        return root;
    }

    public Path path(String relative) {
        return root.resolve(relative);
    }

    public Path module(String name) {
        Path module = root.resolve(name);
        if (!Files.isRegularFile(module.resolve("pom.xml"))) {
            throw new IllegalArgumentException("no module '" + name + "' in " + root);
        }
        return module;
    }

    /** The repository's own files whose names end with one of the suffixes, build output left out. */
    public List<Path> sources(String... suffixes) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> Stream.of(suffixes).anyMatch(suffix -> file.toString().endsWith(suffix)))
                    .filter(file -> Stream.of(root.relativize(file).toString().split("/"))
                            .noneMatch(NOT_SOURCES::contains))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean hasModule(String name) {
        return Files.isRegularFile(root.resolve(name).resolve("pom.xml"));
    }

    /** The project version of the root pom. */
    public String version() {
        return childText(pom(root.resolve("pom.xml")).getDocumentElement(), "version");
    }

    /** The {@code <properties>} a module's own pom declares (not inherited ones). */
    public Map<String, String> pomProperties(String module) {
        Element project = pom(module(module).resolve("pom.xml")).getDocumentElement();
        Map<String, String> properties = new LinkedHashMap<>();
        NodeList children = project.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element element && element.getTagName().equals("properties")) {
                NodeList entries = element.getChildNodes();
                for (int j = 0; j < entries.getLength(); j++) {
                    if (entries.item(j) instanceof Element entry) {
                        properties.put(entry.getTagName(), entry.getTextContent().trim());
                    }
                }
            }
        }
        return properties;
    }

    /** Whether the module builds a container image with {@code -Pimages} (ADR 0007). */
    public boolean buildsImage(String module) {
        return hasModule(module) && "false".equals(pomProperties(module).get("cachebus.image.skip"));
    }

    public String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Document pom(Path file) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(file.toFile());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private static String childText(Element parent, String tag) {
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node child = children.item(i);
            if (child instanceof Element element && element.getTagName().equals(tag)) {
                return element.getTextContent().trim();
            }
        }
        throw new IllegalStateException("no <" + tag + "> in " + parent.getTagName());
    }
}
