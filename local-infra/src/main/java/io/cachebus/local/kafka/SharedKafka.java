package io.cachebus.local.kafka;

/**
 * One broker for a whole test run (or demo): starting one costs seconds, so every test class that only needs
 * a working Kafka shares this one. Tests that take Kafka down start a {@link KafkaBroker} of their own.
 */
public final class SharedKafka {

    private static KafkaBroker broker;

    private SharedKafka() {
    }

    public static synchronized KafkaBroker broker() {
        if (broker == null) {
            broker = KafkaBroker.start();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "shared-kafka-shutdown"));
        }
        return broker;
    }
}
