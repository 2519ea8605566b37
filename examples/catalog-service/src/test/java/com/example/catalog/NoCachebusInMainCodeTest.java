package com.example.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The catalog adopts cachebus by its dependency and properties alone: its code names nothing of cachebus's. */
class NoCachebusInMainCodeTest {

    @Test
    void noMainSourceFileMentionsCachebusPackages() throws IOException {
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            List<Path> naming = sources.filter(path -> path.toString().endsWith(".java"))
                    .filter(path -> read(path).contains("io.cachebus")).toList();
            assertThat(naming).isEmpty();
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
