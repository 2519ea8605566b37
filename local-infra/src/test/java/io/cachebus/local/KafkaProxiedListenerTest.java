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
import org.apache.kafka.common.Node;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A broker with a second listener behind a proxy: clients of that listener can be cut off from Kafka and let back
 * while clients of the ordinary listener go on.
 */
class KafkaProxiedListenerTest {

    @Test
    void clientsThroughTheProxyAreCutOffAndLetBackWhileTheOthersGoOn() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.startWithProxiedListener(2)) {
            TcpProxy proxy = kafka.proxy().orElseThrow();
            assertThat(kafka.proxiedBootstrapServers()).isEqualTo(proxy.address())
                    .isNotEqualTo(kafka.bootstrapServers());
            try (Admin throughProxy = admin(kafka.proxiedBootstrapServers());
                    Admin direct = admin(kafka.bootstrapServers());
                    KafkaProducer<String, String> producer = producer(kafka.proxiedBootstrapServers())) {
                assertThat(throughProxy.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                        .as("the broker advertises the proxy to clients that came through it, or they would bypass it")
                        .extracting(Node::port).containsExactly(proxy.port());
                assertThat(direct.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                        .extracting(Node::port).containsExactly(kafka.port());
                assertThat(send(producer)).isGreaterThanOrEqualTo(0);

                proxy.close();

                assertThat(throughProxy.listTopics().names()).as("no client of the proxied listener reaches the broker")
                        .failsWithin(5, TimeUnit.SECONDS);
                assertThat(producer.send(record())).failsWithin(5, TimeUnit.SECONDS);
                assertThat(direct.listTopics().names().get(10, TimeUnit.SECONDS))
                        .as("clients of the ordinary listener go on").contains(Topics.DOMAIN_MUTATED);

                proxy.reopen();

                assertThat(send(producer)).as("the same producer gets through again").isGreaterThanOrEqualTo(0);
                assertThat(throughProxy.listTopics().names().get(30, TimeUnit.SECONDS)).contains(Topics.EVICTIONS);
            }
        }
    }

    private static long send(KafkaProducer<String, String> producer) throws Exception {
        return producer.send(record()).get(30, TimeUnit.SECONDS).offset();
    }

    private static ProducerRecord<String, String> record() {
        return new ProducerRecord<>(Topics.DOMAIN_MUTATED, "t1:workflows", "x");
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200));
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 4_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000,
                ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200),
                new StringSerializer(), new StringSerializer());
    }
}
