package io.cachebus.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.ContextInitializer;
import io.cachebus.localcluster.ClusterLogs;
import io.cachebus.loadtest.deployment.local.LocalClusterTarget;
import io.cachebus.loadtest.liveview.LiveView;
import io.cachebus.loadtest.liveview.LiveWorkload;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import org.springframework.boot.logging.LoggingSystem;

/**
 * What the console of {@code ./cachebus demo} shows while the local cluster starts and stops, under the command
 * line's own logging setup ({@link CachebusCli#useOneLoggingConfiguration}, its logback.xml): one line per
 * component, no warning, no error, none of Kafka's formatter output, no Tomcat lines; and the demo's
 * {@link DemoTour} of the running cluster and a short {@link LiveView} of it.
 */
class QuietStartTest {

    @TempDir
    Path temp;

    @Test
    void aNormalStartTheTourAndTheStopPrintOneLinePerComponentAndNoWarning() throws Exception {
        List<DemoTour.Arrival> arrivals = new ArrayList<>();
        String console = capturingConsole(() -> {
            try (LocalClusterTarget target = LocalClusterTarget.start(LocalClusterTarget.quietDefaults()
                    .withApiNodes(2).withInvalidators(1))) {
                arrivals.addAll(new DemoTour(target, System.out).run());
                new LiveView(target, System.out, false, new LiveView.Settings(Duration.ofSeconds(3),
                        Duration.ofSeconds(1), LiveWorkload.Pace.demo(), Duration.ofSeconds(30), 5)).run();
            }
        });

        List<String> lines = console.lines().toList();
        assertThat(lines).as(console).noneMatch(line -> line.contains(" WARN ") || line.contains(" ERROR "));
        assertThat(lines).as(console).noneMatch(line -> line.startsWith("Bootstrap metadata")
                || line.startsWith("Formatting metadata directory") || line.contains("|-WARN")
                || line.startsWith("INFO: "));
        assertThat(lines).as(console)
                .anyMatch(line -> line.contains("kafka broker started"))
                .anyMatch(line -> line.contains("service started name=invalidator-1"))
                .anyMatch(line -> line.contains("service started name=api-1"))
                .anyMatch(line -> line.contains("service started name=api-2"));

        // the demo's tour of the system: every node read, the write seen on the other node with its delay
        assertThat(lines).as(console)
                .anyMatch(line -> line.startsWith("   created " + DemoTour.TENANT + "/workflows/"))
                .anyMatch(line -> line.matches(" +read on api-1 +first from \\S+ +then from \\S+"))
                .anyMatch(line -> line.matches(" +read on api-2 +first from \\S+ +then from \\S+"))
                .anyMatch(line -> line.matches(" +api-2 +shows it +\\d+ ms after the response, from \\S+ .*eviction.*"));
        // the live view after it: its table and a line per write, nothing else
        assertThat(lines).as(console)
                .anyMatch(line -> line.startsWith("live view 3/3 s"))
                .anyMatch(line -> line.matches("\\d\\d:\\d\\d:\\d\\d  write on api-1 .*"));
        assertThat(arrivals).singleElement().satisfies(arrival -> {
            assertThat(arrival.node()).isEqualTo("api-2");
            assertThat(arrival.afterMillis()).isNotNegative();
            assertThat(arrival.answeredBy()).isNotEqualTo("?");
        });
    }

    /** Runs {@code action} under the command line's logging with standard output and error captured. */
    private String capturingConsole(ThrowingRunnable action) throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        System.setProperty(ClusterLogs.SERVICE_LOG_PROPERTY, temp.resolve("services.log").toString());
        CachebusCli.useOneLoggingConfiguration();
        System.setOut(capture);
        System.setErr(capture);
        try {
            configure(logback, getClass().getResource("/logback.xml"));
            action.run();
        } finally {
            System.setOut(out);
            System.setErr(err);
            System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
            System.clearProperty(ClusterLogs.SERVICE_LOG_PROPERTY);
            SLF4JBridgeHandler.uninstall();
            logback.reset();
            new ContextInitializer(logback).autoConfig();
        }
        assertThat(Files.exists(temp.resolve("services.log"))).as("the service log is written").isTrue();
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static void configure(LoggerContext logback, URL configuration) throws Exception {
        logback.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(logback);
        configurator.doConfigure(configuration);
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
