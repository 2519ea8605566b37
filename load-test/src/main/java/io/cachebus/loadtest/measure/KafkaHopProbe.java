package io.cachebus.loadtest.measure;

import io.cachebus.loadtest.kafka.HarnessKafkaClients;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One bare Kafka hop, timed while the load runs: what a record takes from {@code send} to a consumer's poll returning
 * it, on the cluster's broker and the machine as the load leaves them, with no cachebus code on the way. A write's
 * invalidation crosses two such hops (the mutation to the invalidator, its broadcast to the nodes), so twice this
 * hop's quantiles say what the propagation could come down to under that load, and the rest of the propagation is
 * what cachebus adds.
 *
 * <p>The producer sends as a node's outbox does (acks all, idempotent, no linger), the consumer fetches with the
 * services' settings (the client's defaults), and both run in this JVM: a record carries its send's
 * {@link System#nanoTime()}, so no two clocks are compared. One record every {@code interval} on a topic of one
 * partition of the probe's own.
 */
public final class KafkaHopProbe implements AutoCloseable {

    /** The probe's topic: one partition, records of nine bytes (send time, whether counted) kept an hour. */
    public static final String TOPIC = "cachebus-load-test.kafka-hop";
    private static final Duration POLL = Duration.ofMillis(100);
    /** How often a paused probe still sends a record, so that its path stays warm. */
    private static final Duration PAUSED_INTERVAL = Duration.ofSeconds(1);
    private static final String CLIENT_ID = "cachebus-load-test-kafka-hop";

    private final LatencyStat hop = new LatencyStat("kafka hop");
    private final AtomicLong sendFailures = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    /** While paused, one tick of this many sends a record. */
    private final long ticksPerPausedSend;
    private long ticks;
    private final AtomicBoolean recording = new AtomicBoolean();
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ScheduledExecutorService sender;
    private final Thread poller;
    private volatile boolean closed;

    private KafkaHopProbe(String bootstrapServers, Duration interval) {
        ticksPerPausedSend = Math.max(1, PAUSED_INTERVAL.toNanos() / interval.toNanos());
        producer = new KafkaProducer<>(producerConfig(bootstrapServers));
        consumer = new KafkaConsumer<>(consumerConfig(bootstrapServers));
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        consumer.assign(List.of(partition));
        consumer.seekToEnd(List.of(partition));
        // resolves the end offset now, so no record sent from here on is skipped by a lazy seek
        consumer.position(partition);
        poller = new Thread(this::pollUntilClosed, "kafka-hop-probe-consumer");
        poller.setDaemon(true);
        poller.start();
        sender = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kafka-hop-probe-producer");
            thread.setDaemon(true);
            return thread;
        });
        sender.scheduleAtFixedRate(this::send, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Creates the probe's topic if it does not exist and starts sending one record every {@code interval}; hops are
     * counted only between {@link #record()} and {@link #pause()}.
     */
    public static KafkaHopProbe start(String bootstrapServers, Duration interval) {
        createTopic(bootstrapServers);
        return new KafkaHopProbe(bootstrapServers, interval);
    }

    /** Counts the hops of the records sent from now on. */
    public void record() {
        recording.set(true);
    }

    /**
     * Stops counting, and sends one record a second instead of one every interval: the next {@link #record()} meets a
     * warm path, and what runs meanwhile does not carry the probe's full rate.
     */
    public void pause() {
        recording.set(false);
    }

    /** Every hop counted so far (microseconds). */
    public Histogram hops() {
        return hop.snapshot();
    }

    /** Records handed to the producer so far, counted or not. */
    public long sent() {
        return sent.get();
    }

    /** Records the producer could not send (each also missing from {@link #hops()}). */
    public long sendFailures() {
        return sendFailures.get();
    }

    /** On the sender's single thread. */
    private void send() {
        boolean counted = recording.get();
        if (!counted && ticks++ % ticksPerPausedSend != 0) {
            return;
        }
        sent.incrementAndGet();
        long now = System.nanoTime();
        byte[] value = ByteBuffer.allocate(Long.BYTES + 1).putLong(now).put((byte) (counted ? 1 : 0)).array();
        producer.send(new ProducerRecord<>(TOPIC, 0, null, value), (metadata, error) -> {
            if (error != null) {
                sendFailures.incrementAndGet();
            }
        });
    }

    private void pollUntilClosed() {
        try {
            while (!closed) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    long received = System.nanoTime();
                    ByteBuffer value = ByteBuffer.wrap(record.value());
                    if (record.value().length == Long.BYTES + 1) {
                        long sentAt = value.getLong();
                        if (value.get() == 1) {
                            hop.recordNanos(received - sentAt);
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // close() woke the poll up
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (closed) {
            return;
        }
        sender.shutdownNow();
        sender.awaitTermination(2, TimeUnit.SECONDS);
        producer.close(Duration.ofSeconds(2));
        closed = true;
        consumer.wakeup();
        poller.join(5_000);
    }

    private static void createTopic(String bootstrapServers) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(Set.of(new NewTopic(TOPIC, 1, (short) 1)
                    .configs(Map.of("retention.ms", String.valueOf(TimeUnit.HOURS.toMillis(1))))))
                    .all().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create the Kafka hop probe's topic " + TOPIC, e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer the hop probe's topic creation in 10 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating the Kafka hop probe's topic", e);
        }
    }

    private static Properties producerConfig(String bootstrapServers) {
        Properties config = HarnessKafkaClients.producerAsTheServices(bootstrapServers, ByteArraySerializer.class);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, CLIENT_ID);
        return config;
    }

    private static Properties consumerConfig(String bootstrapServers) {
        Properties config = HarnessKafkaClients.consumer(bootstrapServers, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, CLIENT_ID);
        return config;
    }
}
