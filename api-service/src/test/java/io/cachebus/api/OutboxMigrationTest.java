package io.cachebus.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.client.outbox.OutboxSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The service's Flyway migration of the outbox is a copy of the cache-client's DDL (Flyway owns the schema here);
 * this fails when the cache-client changes its tables and the copy was not updated.
 */
class OutboxMigrationTest {

    @Test
    void theMigrationCreatesExactlyTheCacheClientsOutboxTables() throws IOException {
        String migration;
        try (InputStream in = getClass().getResourceAsStream("/db/migration/V3__cachebus_outbox.sql")) {
            assertThat(in).as("V3__cachebus_outbox.sql on the classpath").isNotNull();
            migration = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> statements = Arrays.stream(migration.replaceAll("(?m)^--.*$", "").split(";"))
                .map(OutboxMigrationTest::normalize).filter(s -> !s.isEmpty()).toList();

        assertThat(statements).isEqualTo(OutboxSchema.STATEMENTS.stream().map(OutboxMigrationTest::normalize).toList());
    }

    private static String normalize(String sql) {
        return sql.replaceAll("\\s+", " ").replaceAll("\\( ", "(").replaceAll(" \\)", ")").trim();
    }
}
