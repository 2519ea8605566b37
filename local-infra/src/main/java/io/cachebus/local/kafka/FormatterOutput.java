package io.cachebus.local.kafka;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;

/**
 * Standard output while the embedded broker starts. Kafka's storage formatter prints the whole bootstrap metadata
 * and the directory it formats straight to {@code System.out} (the test kit gives it no other stream), which buries
 * the first screen of the demo and of every test log; those lines go to the log at DEBUG here, and every other line
 * passes through unchanged.
 */
final class FormatterOutput extends OutputStream {

    static final List<String> FORMATTER_LINES = List.of("Bootstrap metadata:", "Formatting metadata directory");

    private final PrintStream console;
    private final Logger log;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    FormatterOutput(PrintStream console, Logger log) {
        this.console = console;
        this.log = log;
    }

    /** Runs {@code action} with this as {@code System.out}, which it restores afterwards. */
    static void whileRunning(Logger log, Runnable action) {
        synchronized (FormatterOutput.class) {
            PrintStream console = System.out;
            FormatterOutput filter = new FormatterOutput(console, log);
            System.setOut(new PrintStream(filter, true));
            try {
                action.run();
            } finally {
                System.setOut(console);
                filter.flushLine();
            }
        }
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            flushLine();
        } else {
            line.write(b);
        }
    }

    private synchronized void flushLine() {
        if (line.size() == 0) {
            return;
        }
        // the prefixes are ASCII, so the line's bytes decide whatever the console's encoding; others pass unchanged
        String start = line.toString(StandardCharsets.ISO_8859_1);
        if (FORMATTER_LINES.stream().anyMatch(start::startsWith)) {
            log.debug("kafka storage formatter: {}", line);
        } else {
            console.write(line.toByteArray(), 0, line.size());
            console.println();
        }
        line.reset();
    }
}
