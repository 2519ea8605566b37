package io.cachebus.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.cachebus.api.jdbc.DatabaseRequirement;
import io.cachebus.client.internal.outbox.OutboxRelay;
import io.cachebus.local.FreePorts;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;

/**
 * What a node does with no configuration beyond its secret: it refuses to start without a database, the embedded
 * one comes with the {@code local} profile only, and every database call has a time limit.
 */
class FailClosedDefaultsTest {

    private static final String SECRET = "--cachebus.security.jwt-secret=" + "s".repeat(48);

    @Test
    void withoutADatabaseANodeRefusesToStartRatherThanRunOnAPrivateEmbeddedOne() {
        assertThatThrownBy(() -> run(SECRET).close())
                .isInstanceOf(DatabaseRequirement.MissingDatabaseException.class)
                .hasMessageContaining("spring.datasource.url").hasMessageContaining("'local' profile");
    }

    @Test
    void theLocalProfileBringsTheEmbeddedDatabaseAndEveryDatabaseCallHasATimeLimit() {
        try (ConfigurableApplicationContext context = run(SECRET, "--spring.profiles.active=local")) {
            assertThat(context.getBean(HikariDataSource.class).getJdbcUrl()).startsWith("jdbc:h2:mem:");
            assertThat(context.getBean(HikariDataSource.class).getConnectionTimeout())
                    .isEqualTo(Duration.ofSeconds(3).toMillis());
            assertThat(context.getBean(AbstractPlatformTransactionManager.class).getDefaultTimeout()).isEqualTo(10);
            assertThat(context.getBean(JdbcTemplate.class).getQueryTimeout()).isEqualTo(5);
        }
    }

    @Test
    void theOutboxRelayStopsOnlyAfterTheWebServerHasDrainedItsRequestsAndStopped() {
        try (ConfigurableApplicationContext context = run(SECRET, "--spring.profiles.active=local")) {
            List<SmartLifecycle> webServer = context.getBeansOfType(SmartLifecycle.class).values().stream()
                    .filter(lifecycle -> lifecycle.getClass().getSimpleName().startsWith("WebServer")).toList();
            assertThat(webServer).extracting(lifecycle -> lifecycle.getClass().getSimpleName())
                    .contains("WebServerGracefulShutdownLifecycle", "WebServerStartStopLifecycle");
            // lifecycles stop from the highest phase down
            int relay = context.getBean(OutboxRelay.class).getPhase();
            assertThat(webServer).allSatisfy(lifecycle -> assertThat(lifecycle.getPhase()).isGreaterThan(relay));
        }
    }

    private static ConfigurableApplicationContext run(String... args) {
        SpringApplication application = new SpringApplication(ApiServiceApplication.class);
        application.setRegisterShutdownHook(false);
        String[] all = new String[args.length + 3];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--server.port=0";
        all[args.length + 1] = "--spring.kafka.bootstrap-servers=127.0.0.1:" + FreePorts.next();
        all[args.length + 2] = "--spring.data.redis.port=" + FreePorts.next();
        return application.run(all);
    }
}
