package io.cachebus.localcluster;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.context.ConfigurableApplicationContext;

/** Where and how one service of the local cluster runs: in this JVM, or in a JVM of its own. */
interface ServiceRuntime {

    /** Starts the service and returns once it is ready; does nothing when it runs. */
    void start();

    /** A clean stop: in-flight work finishes, consumers leave their group. */
    void stop();

    /** SIGKILL: the service gets no chance to finish anything. */
    void kill();

    boolean isRunning();

    /** The running application context, when the service runs in this JVM. */
    Optional<ConfigurableApplicationContext> context();

    /** The file a service in a JVM of its own writes its output to; empty for a service in this JVM. */
    Optional<Path> logFile();

    /** The operating system's id of the service's process, when it runs in a process of its own. */
    default OptionalLong pid() {
        return OptionalLong.empty();
    }

    /** A short description for messages: "in this JVM" or "JVM pid 1234". */
    String where();
}
