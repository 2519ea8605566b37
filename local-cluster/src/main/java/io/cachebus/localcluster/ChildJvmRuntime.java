package io.cachebus.localcluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * A service as a JVM of its own, started with this JVM's classpath through {@link ChildJvmMain}: it can be killed
 * with SIGKILL like a crashed production process (no shutdown hooks, no offset commits, no outbox sends), at the
 * price of a slower start and no access to its beans (inspect it over HTTP instead). Its output goes to a log file.
 *
 * <p>Its properties (the JWT secret and database password among them) reach it as {@code SPRING_APPLICATION_JSON} in
 * its environment, which only its user can read, never as arguments: a command line is visible to every user of the
 * machine ({@code ps}).
 */
final class ChildJvmRuntime implements ServiceRuntime {

    /**
     * A whole Spring Boot service starting on a loaded 2-core machine, JIT and all, while the other services of the
     * separate-process topology start beside it.
     */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration READINESS_POLL = Duration.ofMillis(200);
    /** Spring Boot reads it before anything else: the properties rank above application.yml and the environment. */
    static final String PROPERTIES_VARIABLE = "SPRING_APPLICATION_JSON";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String name;
    private final Class<?> application;
    private final Map<String, String> properties;
    private final URI readiness;
    private final Path logFile;
    private final JvmFlags flags;
    private final Optional<String> cpus;
    private Process process;

    ChildJvmRuntime(String name, Class<?> application, Map<String, String> properties, String baseUrl, Path logDir,
            JvmFlags flags, Optional<String> cpus) {
        this.name = name;
        this.flags = flags;
        this.cpus = cpus;
        this.application = application;
        this.properties = properties;
        this.readiness = URI.create(baseUrl + "/actuator/health/readiness");
        this.logFile = logDir.resolve(name + ".log");
    }

    @Override
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        process = new ChildJvm(name, flags, application.getName(), List.of(),
                Map.of(PROPERTIES_VARIABLE, JSON.writeValueAsString(properties))).start(logFile);
        awaitReady();
        cpus.ifPresent(list -> CorePlacement.pin(process.pid(), list, name));
    }

    /** The command line: the JVM, its classpath and the application class; no property, so no secret. */
    List<String> command() {
        return new ChildJvm(name, flags, application.getName(), List.of(), Map.of()).command();
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with status " + process.exitValue()
                        + " while starting; the end of " + logFile + ":\n" + logTail());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(readiness)
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the port opens late in a Boot start
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while " + name + " started", e);
            }
            LockSupport.parkNanos(READINESS_POLL.toNanos());
        }
        kill();
        throw new IllegalStateException(name + " was not ready within " + START_TIMEOUT + "; the end of " + logFile
                + ":\n" + logTail());
    }

    @Override
    public synchronized void stop() {
        if (process != null) {
            ChildJvm.stop(process, STOP_TIMEOUT);
            process = null;
        }
    }

    @Override
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public Optional<ConfigurableApplicationContext> context() {
        return Optional.empty();
    }

    @Override
    public Optional<Path> logFile() {
        return Optional.of(logFile);
    }

    @Override
    public synchronized OptionalLong pid() {
        return process == null ? OptionalLong.empty() : OptionalLong.of(process.pid());
    }

    @Override
    public synchronized String where() {
        return (process == null ? "a JVM of its own (not running)" : "JVM pid " + process.pid())
                + cpus.map(list -> ", pinned to CPUs " + list + " once ready").orElse("") + ", " + flags + " flags, log " + logFile;
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
