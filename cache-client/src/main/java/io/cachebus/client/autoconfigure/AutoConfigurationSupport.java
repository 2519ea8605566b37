package io.cachebus.client.autoconfigure;

import io.cachebus.client.internal.tiered.ValueCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import tools.jackson.databind.json.JsonMapper;

/** What several of cachebus's auto-configurations take from the application the same way. */
final class AutoConfigurationSupport {

    private AutoConfigurationSupport() {
    }

    /** The application's registry; without one (no actuator) the meters still count, in a registry of their own. */
    static MeterRegistry meterRegistry(ObjectProvider<MeterRegistry> registry) {
        return registry.getIfAvailable(SimpleMeterRegistry::new);
    }

    /** The same JSON for the cache and the sampler: a sampled hit is compared in the encoding L2 stores. */
    static ValueCodec valueCodec(ObjectProvider<JsonMapper> jsonMapper) {
        return new ValueCodec(jsonMapper.getIfUnique(() -> JsonMapper.builder().build()));
    }
}
