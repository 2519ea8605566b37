package io.cachebus.localcluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A service as a Spring application context in this JVM: quick to start and open to inspection (tests read its
 * beans), but it can only be stopped cleanly; a process of its own is needed for a real crash.
 */
final class InProcessRuntime implements ServiceRuntime {

    private final Class<?> application;
    private final Map<String, String> properties;
    private ConfigurableApplicationContext context;

    InProcessRuntime(Class<?> application, Map<String, String> properties) {
        this.application = application;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        if (context == null || !context.isActive()) {
            List<String> args = new ArrayList<>();
            properties.forEach((key, value) -> args.add("--" + key + "=" + value));
            context = new SpringApplicationBuilder(application)
                    .logStartupInfo(false)
                    .registerShutdownHook(false)
                    .run(args.toArray(String[]::new));
        }
    }

    @Override
    public synchronized void stop() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

    @Override
    public void kill() {
        throw new UnsupportedOperationException("a service in this JVM cannot be killed, only stopped: run it in a"
                + " JVM of its own (ClusterOptions.withSeparateJvm) to crash it");
    }

    @Override
    public synchronized boolean isRunning() {
        return context != null && context.isActive();
    }

    @Override
    public synchronized Optional<ConfigurableApplicationContext> context() {
        return Optional.ofNullable(context).filter(ConfigurableApplicationContext::isActive);
    }

    @Override
    public Optional<Path> logFile() {
        return Optional.empty();
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(ProcessHandle.current().pid());
    }

    @Override
    public String where() {
        return "in this JVM";
    }
}
