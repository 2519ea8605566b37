package io.cachebus.local.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** While the broker starts, Kafka's formatter dump leaves standard output and everything else stays. */
class FormatterOutputTest {

    @Test
    void theFormattersLinesGoToTheLogAndEveryOtherLinePassesThrough() {
        PrintStream original = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
        try {
            FormatterOutput.whileRunning(LoggerFactory.getLogger(FormatterOutputTest.class), () -> {
                System.out.println("Bootstrap metadata: BootstrapMetadata(records=[ApiMessageAndVersion(...)])");
                System.out.println("Formatting metadata directory /tmp/kafka-1/combined_0_0 with metadata.version 4.3");
                System.out.println("progress: 42 requests");
                System.out.print("a line without its end");
            });
            System.out.println("after the start");
        } finally {
            System.setOut(original);
        }

        assertThat(console.toString(StandardCharsets.UTF_8))
                .isEqualTo(String.format("progress: 42 requests%na line without its end%nafter the start%n"));
    }
}
