package io.cachebus.local.junit;

import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.kafka.SharedKafka;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class the run-wide shared {@link KafkaBroker} (started on first use, about 3 s, stopped when
 * the JVM exits) and publishes its address as the system property {@code cachebus.test.kafka}.
 * Tests that stop Kafka must start a broker of their own instead.
 */
public final class LocalKafkaExtension implements BeforeAllCallback, ParameterResolver {

    public static final String BOOTSTRAP_PROPERTY = "cachebus.test.kafka";

    @Override
    public void beforeAll(ExtensionContext context) {
        System.setProperty(BOOTSTRAP_PROPERTY, SharedKafka.broker().bootstrapServers());
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return SharedKafka.broker();
    }
}
