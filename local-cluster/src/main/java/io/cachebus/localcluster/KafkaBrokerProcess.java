package io.cachebus.localcluster;

import io.cachebus.local.TcpProxy;
import io.cachebus.local.kafka.LocalKafka;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import io.cachebus.local.FreePorts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local cluster's Kafka broker (KRaft, Kafka's own server) in a JVM of its own, as in production: its CPU and
 * garbage are not the harness's nor a node's. {@link #stop()} and {@link #resume()} make an outage through the
 * broker's control port ({@link KafkaBrokerMain}); {@link #kill()} is SIGKILL. When asked for a proxied listener,
 * the proxy in front of it runs in this JVM, so that cutting some nodes off from Kafka stays one call here.
 */
public final class KafkaBrokerProcess implements LocalKafka {

    private static final Logger log = LoggerFactory.getLogger(KafkaBrokerProcess.class);
    public static final String NAME = "kafka";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final TcpProxy proxy;
    private final int port;
    private final URI control;
    private final HttpClient http = HttpClient.newHttpClient();
    private volatile boolean running = true;

    private KafkaBrokerProcess(Process process, TcpProxy proxy, int port, int controlPort) {
        this.process = process;
        this.proxy = proxy;
        this.port = port;
        this.control = URI.create("http://127.0.0.1:" + controlPort);
    }

    /**
     * Starts the broker and returns once it serves the cachebus topics.
     *
     * @param proxiedListener whether some clients reach it only through a proxy ({@link #proxy()})
     * @param cpus            the CPUs it is pinned to once it serves, if any
     */
    public static KafkaBrokerProcess start(int mutationPartitions, boolean proxiedListener, Optional<String> cpus,
            Path logDir) {
        long started = System.nanoTime();
        Path portFile = logDir.resolve(NAME + ".port");
        List<String> arguments = new ArrayList<>(List.of(String.valueOf(mutationPartitions), portFile.toString()));
        TcpProxy proxy = null;
        if (proxiedListener) {
            int listenerPort = FreePorts.next();
            proxy = TcpProxy.open(listenerPort);
            arguments.addAll(List.of(String.valueOf(listenerPort), proxy.address()));
        }
        Path logFile = logDir.resolve(NAME + ".log");
        Process process = null;
        try {
            Files.deleteIfExists(portFile);
            process = new ChildJvm(NAME, JvmFlags.KAFKA, KafkaBrokerMain.class.getName(), arguments, Map.of())
                    .start(logFile);
            String[] ports = awaitPortFile(process, portFile, logFile).split(" ");
            long pid = process.pid();
            cpus.ifPresent(list -> CorePlacement.pin(pid, list, NAME));
            KafkaBrokerProcess kafka = new KafkaBrokerProcess(process, proxy, Integer.parseInt(ports[0]),
                    Integer.parseInt(ports[1]));
            log.info("kafka broker started in a JVM of its own pid={} bootstrap={} tookMs={}", process.pid(),
                    kafka.bootstrapServers(), Duration.ofNanos(System.nanoTime() - started).toMillis());
            return kafka;
        } catch (IOException | RuntimeException e) {
            if (process != null) {
                process.destroyForcibly();
            }
            if (proxy != null) {
                proxy.close();
            }
            throw e instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("cannot start Kafka in a JVM of its own", e);
        }
    }

    private static String awaitPortFile(Process process, Path portFile, Path logFile) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(portFile)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka exited with status " + process.exitValue() + " while starting;"
                        + " see " + logFile);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka was not ready within " + START_TIMEOUT + "; see " + logFile);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while Kafka started", e);
            }
        }
        return Files.readString(portFile, StandardCharsets.UTF_8).strip();
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public boolean isRunning() {
        return running && process.isAlive();
    }

    @Override
    public synchronized void stop() {
        if (running) {
            command(KafkaBrokerMain.STOP);
            running = false;
            log.info("kafka broker stopped port={}", port);
        }
    }

    @Override
    public synchronized void resume() {
        if (!running) {
            command(KafkaBrokerMain.RESUME);
            running = true;
            log.info("kafka broker resumed port={}", port);
        }
    }

    private void command(String path) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(control.resolve(path))
                    .timeout(CONTROL_TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 204) {
                throw new IllegalStateException("Kafka's control answered " + response.statusCode() + " to " + path);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Kafka's control did not answer " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + path + " of Kafka", e);
        }
    }

    @Override
    public Optional<TcpProxy> proxy() {
        return Optional.ofNullable(proxy);
    }

    public OptionalLong pid() {
        return process.isAlive() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
    }

    /** A clean stop: SIGTERM, and SIGKILL if the broker is not gone within 30 s. */
    @Override
    public synchronized void close() {
        if (proxy != null) {
            proxy.close();
        }
        ChildJvm.stop(process, STOP_TIMEOUT);
        running = false;
    }
}
