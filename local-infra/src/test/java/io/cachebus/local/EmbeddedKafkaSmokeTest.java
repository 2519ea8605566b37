package io.cachebus.local;

import io.cachebus.local.junit.LocalKafkaExtension;
import io.cachebus.local.junit.RedisServerExtension;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.redis.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({LocalKafkaExtension.class, RedisServerExtension.class})
class EmbeddedKafkaSmokeTest {

    @Test
    void mutationConsumedByAGroupRemovesTheKeysUnderItsPrefix(KafkaBroker kafka, RedisServer redis) throws Exception {
        new SmokeScenario().run(kafka.bootstrapServers(), redis);
    }
}
