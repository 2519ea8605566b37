package io.cachebus.cluster.support;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps every WARN and ERROR line of the run (every service of the cluster logs into this JVM's logback), so a test
 * can check that a failure was logged. Declared in {@code logback-test.xml}; the lines live in a static list, so
 * they survive Spring Boot re-initializing logging when a node starts.
 */
public final class CapturedLogs extends AppenderBase<ILoggingEvent> {

    private static final List<String> LINES = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
        LINES.add(event.getLevel() + " " + event.getLoggerName() + " - " + event.getFormattedMessage());
    }

    /** A mark to look only at the lines logged after it. */
    public static int mark() {
        return LINES.size();
    }

    public static List<String> since(int mark) {
        List<String> snapshot = List.copyOf(LINES);
        return snapshot.subList(Math.min(mark, snapshot.size()), snapshot.size());
    }
}
