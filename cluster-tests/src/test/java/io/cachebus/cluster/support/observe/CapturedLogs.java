package io.cachebus.cluster.support.observe;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.cachebus.localcluster.ServiceInstance;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** A mark to look only at the lines logged after it, here and in the log files of {@code services}. */
    public static Mark mark(Collection<ServiceInstance> services) {
        Map<Path, Long> sizes = new LinkedHashMap<>();
        for (ServiceInstance service : services) {
            service.logFile().ifPresent(file -> sizes.put(file, size(file)));
        }
        return new Mark(LINES.size(), sizes);
    }

    /**
     * The WARN and ERROR lines logged since the mark: in this JVM, and in the log files of the services in JVMs of
     * their own (which log the same pattern, level first after the time).
     */
    public static List<String> since(Mark mark) {
        List<String> snapshot = List.copyOf(LINES);
        List<String> lines = new ArrayList<>(snapshot.subList(Math.min(mark.lines(), snapshot.size()), snapshot.size()));
        mark.fileSizes().forEach((file, from) -> lines.addAll(warningsAfter(file, from)));
        return lines;
    }

    /** Where the log of this JVM and those of the services in JVMs of their own stood. */
    public record Mark(int lines, Map<Path, Long> fileSizes) {
    }

    private static List<String> warningsAfter(Path file, long from) {
        try (RandomAccessFile log = new RandomAccessFile(file.toFile(), "r")) {
            byte[] added = new byte[(int) Math.max(0, log.length() - from)];
            log.seek(from);
            log.readFully(added);
            return new String(added, StandardCharsets.UTF_8).lines()
                    .filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
