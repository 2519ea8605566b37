package io.cachebus.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.events.Topics;
import io.cachebus.local.kafka.KafkaBroker;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaBrokerOutageTest {

    @Test
    void stoppedBrokerRefusesClientsAndResumesOnTheSamePortWithItsTopics() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.start()) {
            assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");
            try (Admin admin = kafka.admin()) {
                assertThat(admin.listTopics().names().get()).contains(Topics.DOMAIN_MUTATED, Topics.EVICTIONS,
                        Topics.DOMAIN_MUTATED_DLT);
            }

            kafka.stop();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 1500,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000))) {
                assertThat(admin.listTopics().names()).failsWithin(5, TimeUnit.SECONDS);
            }

            kafka.resume();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                assertThat(producer.send(new ProducerRecord<>(Topics.DOMAIN_MUTATED, "t1:workflows", "x"))
                        .get(60, TimeUnit.SECONDS).offset()).isGreaterThanOrEqualTo(0);
            }
        }
    }
}
