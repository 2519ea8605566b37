package io.cachebus.deployment.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.deployment.Repository;
import io.cachebus.deployment.SpringServices;
import io.cachebus.deployment.metadata.ConfigurationProperty;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the compose check relies on: Spring Boot's own binding rules, per service classpath, and no guessing. */
class ServiceConfigurationTest {

    private static ServiceConfiguration api;
    private static ServiceConfiguration invalidator;

    @BeforeAll
    static void readServices() {
        Repository repository = Repository.locate();
        api = SpringServices.configuration(repository, "api-service");
        invalidator = SpringServices.configuration(repository, "invalidator-service");
    }

    @Test
    void bothEnvironmentFormsOfADashedPropertyAreRecognised() {
        assertThat(invalidator.propertySetBy("SPRING_KAFKA_BOOTSTRAP_SERVERS")).map(ConfigurationProperty::name)
                .contains("spring.kafka.bootstrap-servers");
        assertThat(invalidator.propertySetBy("SPRING_KAFKA_BOOTSTRAPSERVERS")).map(ConfigurationProperty::name)
                .contains("spring.kafka.bootstrap-servers");
        assertThat(invalidator.propertySetBy("CACHEBUS_INVALIDATOR_INVALIDATOR_ID")).map(ConfigurationProperty::name)
                .contains("cachebus.invalidator.invalidator-id");
    }

    @Test
    void aMisspelledVariableMeansNothing() {
        assertThat(invalidator.meaningOf("SPRING_KAFKA_BOOTSTRAP_SERVER")).isEmpty();
        assertThat(api.meaningOf("CACHEBUS_L2_REDIS_TIMEOUTS")).isEmpty();
    }

    @Test
    void aPropertyIsOnlyKnownWhereItsJarIs() {
        assertThat(api.propertySetBy("SPRING_DATASOURCE_URL")).map(ConfigurationProperty::name)
                .contains("spring.datasource.url");
        assertThat(invalidator.propertySetBy("SPRING_DATASOURCE_URL")).as("the invalidator has no JDBC").isEmpty();
        assertThat(api.propertySetBy("CACHEBUS_L2_REDISTIMEOUT")).map(ConfigurationProperty::name)
                .contains("cachebus.l2.redis-timeout");
        assertThat(invalidator.propertySetBy("CACHEBUS_L2_REDISTIMEOUT")).as("cache-client is not on its classpath")
                .isEmpty();
        assertThat(api.propertySetBy("CACHEBUS_INVALIDATOR_CONCURRENCY")).isEmpty();
    }

    @Test
    void mapKeysAndPlaceholdersCount() {
        assertThat(invalidator.propertySetBy("LOGGING_LEVEL_IO_CACHEBUS")).map(ConfigurationProperty::name)
                .contains("logging.level");
        assertThat(api.meaningOf("CACHEBUS_JWT_SECRET")).hasValueSatisfying(meaning -> assertThat(meaning)
                .contains("placeholder"));
        assertThat(invalidator.meaningOf("CACHEBUS_JWT_SECRET")).isEmpty();
        assertThat(api.meaningOf("JAVA_TOOL_OPTIONS")).isPresent();
    }

    @Test
    void effectiveValuesComeFromTheEnvironmentThenApplicationYmlThenTheDefault() {
        assertThat(invalidator.effectiveValue("server.port", Map.of())).contains("8085");
        assertThat(invalidator.effectiveValue("server.port", Map.of("SERVER_PORT", "9000"))).contains("9000");
        assertThat(invalidator.effectiveValue("cachebus.invalidator.consumer-group", Map.of()))
                .contains("cachebus-invalidator");
    }
}
