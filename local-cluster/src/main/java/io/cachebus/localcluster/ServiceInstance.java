package io.cachebus.localcluster;

import io.cachebus.local.ProcessSignals;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One service of the local cluster, on a fixed loopback port so it can be stopped and started again where clients
 * expect it: a Spring Boot application either in this JVM (its beans open to tests) or in a JVM of its own (which
 * can be killed with SIGKILL, like a crashed production process).
 */
public final class ServiceInstance implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceInstance.class);

    private final String name;
    private final int port;
    private final Map<String, String> properties;
    private final ServiceRuntime runtime;

    private ServiceInstance(String name, int port, Map<String, String> properties, ServiceRuntime runtime) {
        this.name = name;
        this.port = port;
        this.properties = Map.copyOf(properties);
        this.runtime = runtime;
    }

    static ServiceInstance inThisJvm(String name, Class<?> application, int port, Map<String, String> properties) {
        Map<String, String> all = withPort(properties, port);
        return new ServiceInstance(name, port, all, new InProcessRuntime(application, all));
    }

    static ServiceInstance inOwnJvm(String name, Class<?> application, int port, Map<String, String> properties,
            Path logDir, JvmFlags flags, Optional<String> cpus) {
        Map<String, String> all = withPort(properties, port);
        return new ServiceInstance(name, port, all, new ChildJvmRuntime(name, application, all,
                "http://127.0.0.1:" + port, logDir, flags, cpus));
    }

    private static Map<String, String> withPort(Map<String, String> properties, int port) {
        Map<String, String> all = new LinkedHashMap<>(properties);
        all.put("server.port", String.valueOf(port));
        all.put("server.address", "127.0.0.1");
        return all;
    }

    public ServiceInstance start() {
        long started = System.nanoTime();
        runtime.start();
        log.info("service started name={} url={} ownJvm={} tookMs={}", name, baseUrl(), !runsInThisJvm(),
                (System.nanoTime() - started) / 1_000_000);
        return this;
    }

    /** A clean stop: in-flight work finishes, consumers leave their group. */
    public void stop() {
        runtime.stop();
    }

    /**
     * SIGKILL, for a service in a JVM of its own: nothing in flight finishes, no offset is committed, its consumers
     * stay in their groups until their session times out.
     *
     * @throws UnsupportedOperationException for a service in this JVM
     */
    public void kill() {
        runtime.kill();
    }

    /**
     * SIGSTOP, for a service in a process of its own: it keeps its connections and answers nothing (its Kafka
     * consumers keep their partitions until their session times out) until {@link #continueRunning()}.
     *
     * @throws UnsupportedOperationException for a service in this JVM
     */
    public void suspend() {
        ProcessSignals.send(pidOrRefuse(), ProcessSignals.STOP);
    }

    /** SIGCONT: a {@link #suspend() suspended} service goes on where it stopped. */
    public void continueRunning() {
        ProcessSignals.send(pidOrRefuse(), ProcessSignals.CONTINUE);
    }

    private long pidOrRefuse() {
        if (runsInThisJvm()) {
            throw new UnsupportedOperationException(name + " has no process of its own to signal: it runs in "
                    + runtime.where());
        }
        return runtime.pid().orElseThrow(() -> new UnsupportedOperationException(name + " is not running: "
                + runtime.where()));
    }

    public void restart() {
        stop();
        start();
    }

    public boolean isRunning() {
        return runtime.isRunning();
    }

    /** Whether the service runs in this JVM, so that {@link #context()} and {@link #bean(Class)} work. */
    public boolean runsInThisJvm() {
        return runtime instanceof InProcessRuntime;
    }

    /** Where a service in a JVM of its own writes its output (its logs); empty for a service in this JVM. */
    public Optional<Path> logFile() {
        return runtime.logFile();
    }

    /**
     * The operating-system process the service runs in, for reading its CPU time: its own JVM's, or, for a service in
     * this JVM, this JVM's, which every other service here and the caller share. Empty for a service in a JVM of its
     * own that is not running.
     */
    public OptionalLong pid() {
        return runtime.pid();
    }

    public String name() {
        return name;
    }

    /** A property the service was started with (as given, ports resolved), if it was given one. */
    public Optional<String> property(String key) {
        return Optional.ofNullable(properties.get(key));
    }

    /** Every property the service was started with, beside its own configuration files. */
    public Map<String, String> properties() {
        return properties;
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The running context, for tests that inspect a node's beans (caches, metrics). */
    public ConfigurableApplicationContext context() {
        return runtime.context().orElseThrow(() -> new IllegalStateException(name + " has no context in this JVM: "
                + (runtime.isRunning() ? "it runs in " + runtime.where() + "; inspect it over HTTP" : "not running")));
    }

    public <T> T bean(Class<T> type) {
        return context().getBean(type);
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return name + " (" + runtime.where() + ")";
    }
}
