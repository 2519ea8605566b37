package io.cachebus.client.testsupport;

import io.lettuce.core.resource.Delay;
import java.time.Duration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * A bare API node: nothing cachebus-specific is configured here, so every test also proves that adding the
 * dependency is enough (the auto-configuration does the rest).
 */
@SpringBootApplication
public class TestApplication {

    @Bean
    public LookupRecorder lookupRecorder() {
        return new LookupRecorder();
    }

    /** Lettuce backs off up to 30 s between reconnects; tests that restart Redis should not wait that long. */
    @Bean
    public ClientResourcesBuilderCustomizer quickRedisReconnect() {
        return resources -> resources.reconnectDelay(Delay.constant(Duration.ofMillis(200)));
    }
}
