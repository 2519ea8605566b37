package io.cachebus.loadtest.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One service of the local cluster: a real Spring Boot application context, on a fixed loopback port so it can be
 * stopped and started again where clients expect it.
 */
public final class ServiceInstance implements AutoCloseable {

    private final String name;
    private final Class<?> application;
    private final int port;
    private final Map<String, String> properties;
    private ConfigurableApplicationContext context;

    ServiceInstance(String name, Class<?> application, int port, Map<String, String> properties) {
        this.name = name;
        this.application = application;
        this.port = port;
        this.properties = new LinkedHashMap<>(properties);
        this.properties.put("server.port", String.valueOf(port));
        this.properties.put("server.address", "127.0.0.1");
    }

    public synchronized ServiceInstance start() {
        if (context == null || !context.isActive()) {
            List<String> args = new ArrayList<>();
            properties.forEach((key, value) -> args.add("--" + key + "=" + value));
            context = new SpringApplicationBuilder(application)
                    .logStartupInfo(false)
                    .registerShutdownHook(false)
                    .run(args.toArray(String[]::new));
        }
        return this;
    }

    /** Closes the context (a clean stop: in-flight work finishes, consumers leave their group). */
    public synchronized void stop() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

    public synchronized void restart() {
        stop();
        start();
    }

    public synchronized boolean isRunning() {
        return context != null && context.isActive();
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The running context, for tests that inspect a node's beans (caches, metrics). */
    public synchronized ConfigurableApplicationContext context() {
        if (context == null) {
            throw new IllegalStateException(name + " is not running");
        }
        return context;
    }

    public <T> T bean(Class<T> type) {
        return context().getBean(type);
    }

    @Override
    public void close() {
        stop();
    }
}
