package io.cachebus.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the codec (Jazzer): whatever bytes arrive on a topic, decoding either yields a
 * valid event or throws {@link EventDecodingException}, never anything else (a consumer that met another
 * exception could stop or loop); and whatever it accepts survives an encode/decode round trip unchanged.
 * Seeds: {@code EventCodecFuzzInputs/} beside this class. Runs in the fuzz execution of the test command.
 */
class EventCodecFuzz {

    private static final EventCodec CODEC = new EventCodec();

    @FuzzTest(maxDuration = "20s")
    void decodingAcceptsAValidEventOrRefusesWithATypedError(byte[] payload) {
        DomainMutated event = decodedOrNull(() -> CODEC.decodeDomainMutated(payload));
        if (event != null) {
            assertThat(CODEC.decodeDomainMutated(CODEC.encode(event))).isEqualTo(event);
            assertThat(Names.isValid(event.tenant())).as("decoded tenant %s", event.tenant()).isTrue();
        }
        EvictionBroadcast broadcast = decodedOrNull(() -> CODEC.decodeEviction(payload));
        if (broadcast != null) {
            assertThat(CODEC.decodeEviction(CODEC.encode(broadcast))).isEqualTo(broadcast);
            assertThat(Names.isValid(broadcast.tenant())).as("decoded tenant %s", broadcast.tenant()).isTrue();
        }
        // as a node reads the topic: its own event ids only
        if (decodedOrNull(() -> CODEC.decodeEvictionsTopic(payload, "api-1")) instanceof EvictionBatch batch) {
            assertThat(CODEC.decodeEvictionsTopic(CODEC.encode(batch), "api-1")).isEqualTo(batch);
            assertThat(batch.scopes()).allSatisfy(scope -> assertThat(scope.eventIdsByWriter().keySet())
                    .isSubsetOf("api-1"));
        }
    }

    /** Any exception other than the typed refusal escapes and is a finding. */
    private static <T> T decodedOrNull(java.util.function.Supplier<T> decode) {
        try {
            return decode.get();
        } catch (EventDecodingException refused) {
            assertThat(refused.reason()).isNotNull();
            assertThat(refused.getMessage()).isNotBlank();
            return null;
        }
    }
}
