package io.cachebus.localcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How the local cluster starts a process of its own that runs Java: this JVM's classpath, {@link ChildJvmMain} (which
 * halts the child when this JVM goes away), the given flags, and {@code taskset} in front when the process is pinned.
 * Its output is appended to a log file; its environment is this one's plus {@code environment}; the service log
 * ({@link ClusterLogs#SERVICE_LOG_PROPERTY}), when this JVM has one, is the child's too.
 *
 * @param name        the process's name in the cluster (and its log file's)
 * @param flags       the JVM's flags
 * @param mainClass   the class whose {@code main} runs
 * @param arguments   its arguments: never a secret (every user of the machine sees a command line)
 * @param environment added to the child's environment, where secrets go
 */
record ChildJvm(String name, JvmFlags flags, String mainClass, List<String> arguments,
        Map<String, String> environment) {

    ChildJvm {
        arguments = List.copyOf(arguments);
        environment = Map.copyOf(environment);
    }

    /** Starts the JVM, its output appended to {@code logFile} after a line saying when and what started. */
    Process start(Path logFile) {
        ChildClasspath classpath = ChildClasspath.of(System.getProperty("java.class.path"));
        ChildClasspath.Launch launch = classpath.launch(mainClass, flags, true);
        List<String> command = command(launch);
        try {
            Files.createDirectories(logFile.getParent());
            Files.writeString(logFile, "---- " + Instant.now() + " starting " + name + ": " + String.join(" ",
                    command) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            classpath.started(process, launch);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " in a JVM of its own", e);
        }
    }

    /**
     * The command line: every CPU of the machine (not only its parent's), the JVM, its flags, where its classes come
     * from ({@link ChildClasspath}) and the main class with its arguments.
     */
    List<String> command() {
        return command(ChildClasspath.of(System.getProperty("java.class.path")).launch(mainClass, flags, false));
    }

    private List<String> command(ChildClasspath.Launch launch) {
        List<String> command = new ArrayList<>(CorePlacement.everyCpu());
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags.flags());
        String serviceLog = System.getProperty(ClusterLogs.SERVICE_LOG_PROPERTY);
        if (serviceLog != null) {
            // the services' expected warnings (a breaker opened on a starved CPU) go where this JVM's go, not to a
            // file every child would truncate in turn
            command.add("-D" + ClusterLogs.SERVICE_LOG_PROPERTY + "=" + serviceLog);
        }
        command.addAll(launch.arguments());
        command.addAll(arguments);
        return command;
    }

    /**
     * Ends a child the clean way (SIGTERM: shutdown hooks run, consumers leave their groups), and with SIGKILL when
     * it is not gone within {@code grace}.
     */
    static void stop(Process process, Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
