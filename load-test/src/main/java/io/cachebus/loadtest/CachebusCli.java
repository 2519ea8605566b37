package io.cachebus.loadtest;

import io.cachebus.localcluster.ClusterLogs;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.bridge.SLF4JBridgeHandler;
import org.springframework.boot.logging.LoggingSystem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The Java command line behind {@code ./cachebus}: {@code demo}, {@code bench}, {@code up} and {@code token} (the script runs
 * {@code test}, {@code images} and {@code docs} itself, with Maven). Every command answers {@code --help}.
 *
 * <p>Exit status: 0 done, 1 a phase or the command failed, 2 bad command line (usage printed, also for no command
 * at all), 3 a target was missed (only with {@code bench --enforce-targets}).
 */
@Command(name = "cachebus", description = "cachebus: event-driven cache invalidation over Kafka.%n",
        subcommands = CommandLine.HelpCommand.class,
        footer = {"%nRun 'cachebus COMMAND --help' for a command's options. The ./cachebus script also offers test,"
                + " images and docs (Maven)."})
public final class CachebusCli implements Callable<Integer> {

    static final int OK = CommandLine.ExitCode.OK;
    static final int FAILED = CommandLine.ExitCode.SOFTWARE;
    static final int USAGE = CommandLine.ExitCode.USAGE;
    static final int TARGET_MISSED = 3;

    private static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    @Spec
    private CommandSpec spec;

    @CommandLine.Mixin
    private HelpOption help;

    public static void main(String[] args) {
        // Charts are drawn off-screen; there may be no display at all.
        System.setProperty("java.awt.headless", "true");
        useCommonPoolForHttpCompletions();
        useOneLoggingConfiguration();
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /**
     * java.net.http's {@code sendAsync} completes every response through CompletableFuture's default executor,
     * whatever executor the client has. On two cores or fewer the common pool's parallelism is 1, and that default
     * executor is then a new thread per task: a thread started for every HTTP response, hundreds a second under
     * load, on the cores the measured cluster needs. Two workers make it the common pool. Runs first in {@code main},
     * before anything initialises the common pool; an explicit {@code -D} setting wins.
     */
    private static void useCommonPoolForHttpCompletions() {
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null && Runtime.getRuntime().availableProcessors() <= 2) {
            System.setProperty(COMMON_POOL_PARALLELISM, "2");
        }
    }

    /**
     * The local cluster's services are Spring Boot applications in this JVM, and Spring Boot re-initialises logback
     * at every context start (each with a moment without appenders, which logback reports on the console, and each
     * with its own levels). Here logback.xml is the one configuration for the harness and every service; it also
     * names the file the services' expected warnings go to. Tomcat logs through java.util.logging, which Spring Boot
     * would have bridged to SLF4J: bridged here. Runs before anything logs; {@code -D} settings win.
     */
    static void useOneLoggingConfiguration() {
        if (System.getProperty(LoggingSystem.SYSTEM_PROPERTY) == null) {
            System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
        }
        if (System.getProperty(ClusterLogs.SERVICE_LOG_PROPERTY) == null) {
            System.setProperty(ClusterLogs.SERVICE_LOG_PROPERTY, ClusterLogs.serviceLog().toString());
        }
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    /** Runs one command line; {@code env} stands for the process environment (secrets are read from it). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return commandLine(new Console(out, env), err).execute(args);
    }

    /** The whole command tree, writing help to {@code console.out()} and errors to {@code err}. */
    static CommandLine commandLine(Console console, PrintStream err) {
        CommandLine line = new CommandLine(new CachebusCli())
                .addSubcommand(new DemoCommand(console))
                .addSubcommand(new BenchCommand(console))
                .addSubcommand(new UpCommand(console))
                .addSubcommand(new TokenCommand(console));
        line.setOut(new PrintWriter(console.out(), true, StandardCharsets.UTF_8));
        line.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        line.setExecutionExceptionHandler((exception, failed, parseResult) -> {
            if (exception instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                failed.getErr().println("cachebus: interrupted");
            } else {
                failed.getErr().println("cachebus: " + exception);
                exception.printStackTrace(failed.getErr());
            }
            return FAILED;
        });
        return line;
    }

    /** No command given: a usage error like any other, so scripts notice. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "no command given");
    }

    /** What every command needs from its surroundings: where to print, and the process environment. */
    record Console(PrintStream out, Map<String, String> env) {
    }

    /** {@code -h}/{@code --help} on every command. */
    static final class HelpOption {
        @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help and exit.")
        boolean requested;
    }
}
