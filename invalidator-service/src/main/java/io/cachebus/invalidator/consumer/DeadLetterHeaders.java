package io.cachebus.invalidator.consumer;

import io.cachebus.events.EventDecodingException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers that say why a record was dead-lettered, in terms an operator can act on: the codec's reason
 * ({@code UNSUPPORTED_SCHEMA_VERSION}, {@code INVALID_VALUE}, ...), the JSON field at fault (absent when the
 * payload as a whole was refused) and the full message. Spring Kafka adds its own {@code kafka_dlt-*} headers
 * (original topic, partition, offset, exception) next to these.
 */
public final class DeadLetterHeaders {

    public static final String REASON = "cachebus.dlt.reason";
    public static final String FIELD = "cachebus.dlt.field";
    public static final String MESSAGE = "cachebus.dlt.message";

    private DeadLetterHeaders() {
    }

    static Headers of(ConsumerRecord<?, ?> record, Exception exception) {
        RecordHeaders headers = new RecordHeaders();
        EventDecodingException decoding = decodingCause(exception);
        if (decoding == null) {
            return headers;
        }
        headers.add(REASON, bytes(decoding.reason().name()));
        if (decoding.field() != null) {
            headers.add(FIELD, bytes(decoding.field()));
        }
        headers.add(MESSAGE, bytes(printable(decoding.getMessage())));
        return headers;
    }

    /**
     * The message with control characters replaced: the codec quotes the offending input, which in a poison
     * record can be anything, and it must not break a log line or a header viewer.
     */
    static String printable(String message) {
        StringBuilder clean = new StringBuilder(message.length());
        message.codePoints().forEach(c -> clean.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return clean.toString();
    }

    /** The codec's exception somewhere in the chain Spring Kafka wrapped around it, or null. */
    static EventDecodingException decodingCause(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof EventDecodingException decoding) {
                return decoding;
            }
        }
        return null;
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
