package io.cachebus.local.redis;

import io.cachebus.local.FreePorts;
import io.cachebus.local.ProcessSignals;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real {@code redis-server} process of our own on a free loopback port, never the machine's shared one.
 * It can be killed, paused (SIGSTOP: a Redis that accepts connections and never answers) and started again
 * on the same port, which is what outage tests need. Nothing is persisted unless a test asks for a snapshot
 * ({@link #snapshot()}), which {@link #restartFromSnapshot()} then loads, as a Redis restarted with its default
 * {@code save} configuration would.
 */
public final class RedisServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    /** How long a test's command waits for its reply: a live server answers within milliseconds. */
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);

    private final Path executable;
    private final int port;
    private final Path workDir;
    private final List<String> extraArgs;
    /** What the command line starts with: {@code taskset -c CPUS} for a pinned server, else nothing. */
    private final List<String> commandPrefix;
    private Process process;

    private RedisServer(Path executable, int port, List<String> commandPrefix, List<String> extraArgs) {
        this.executable = executable;
        this.commandPrefix = List.copyOf(commandPrefix);
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
        try {
            this.workDir = Files.createTempDirectory("cachebus-redis-" + port + "-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The redis-server to run: {@code $CACHEBUS_REDIS_SERVER}, else the first on the PATH. */
    public static Optional<Path> findExecutable() {
        String configured = System.getenv("CACHEBUS_REDIS_SERVER");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public static boolean isAvailable() {
        return findExecutable().isPresent();
    }

    public static RedisServer start() {
        return start(FreePorts.next());
    }

    public static RedisServer start(int port, String... extraArgs) {
        return startWithPrefix(List.of(), port, extraArgs);
    }

    /**
     * {@link #start(int, String...)} with a command in front of redis-server's, one that runs it in its place (such
     * as {@code taskset -c 1}, which pins it, also when it is started again).
     */
    public static RedisServer startWithPrefix(List<String> commandPrefix, int port, String... extraArgs) {
        Path executable = findExecutable().orElseThrow(() -> new IllegalStateException(
                "redis-server not found: install it (apt-get install redis-server) or set CACHEBUS_REDIS_SERVER"));
        RedisServer server = new RedisServer(executable, port, commandPrefix, List.of(extraArgs));
        server.startProcess();
        return server;
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    /** The server's directory: its log, and the cluster configuration of a cluster node. */
    public Path workDir() {
        return workDir;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** The server's process id while it runs. */
    public synchronized java.util.OptionalLong pid() {
        return process == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(process.pid());
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: the process dies at once, as in a crash; every key is gone. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(process);
            process = null;
            log.info("redis-server killed port={}", port);
        }
    }

    /** Starts the server again on the same port, empty unless a {@link #snapshot()} was taken. */
    public synchronized void restart() {
        kill();
        startProcess();
    }

    /**
     * {@code SAVE}: writes the whole dataset to {@code dump.rdb} in {@link #workDir()}, as Redis does by its default
     * {@code save} rules or on a clean shutdown. Keys keep their absolute expiry times in the file.
     */
    public void snapshot() {
        String reply = slowCommand(Duration.ofSeconds(60), "SAVE");
        if (!"+OK".equals(reply)) {
            throw new IllegalStateException("SAVE on port " + port + " answered " + reply);
        }
    }

    /**
     * Kills the server (SIGKILL, so nothing written since the last {@link #snapshot()} is saved) and starts it again
     * on the same port from that snapshot: what a crashed Redis with RDB persistence comes back with. It is a new run
     * of the server ({@code run_id} differs), holding the dataset as it was at the snapshot.
     */
    public synchronized void restartFromSnapshot() {
        if (!Files.exists(snapshotFile())) {
            throw new IllegalStateException("no snapshot of redis on port " + port + " to restart from");
        }
        restart();
    }

    private Path snapshotFile() {
        return workDir.resolve("dump.rdb");
    }

    /** SIGSTOP: connections are accepted by the kernel but nothing is answered until {@link #unpause()}. */
    public synchronized void pause() {
        signal(ProcessSignals.STOP);
    }

    public synchronized void unpause() {
        signal(ProcessSignals.CONTINUE);
    }

    /** Sends one command and returns the first line of its reply in RESP text, e.g. {@code ":3"} or {@code "+PONG"}. */
    public String command(String... args) {
        return exchange(args, RedisServer::readLine);
    }

    /**
     * {@link #command} for bulk work that takes long on a busy machine ({@code DEBUG POPULATE} of a million keys, a
     * {@code SAVE}): the reply may take up to {@code timeout}.
     */
    public String slowCommand(Duration timeout, String... args) {
        return exchange(args, RedisServer::readLine, timeout);
    }

    /**
     * Sends one command and returns its reply as text: a status or bulk string without its RESP framing
     * ({@code PONG}, the whole of {@code CLUSTER NODES}), an integer as its digits, {@code null} for a nil bulk
     * string. An error reply ({@code -MOVED ...}, {@code -ERR ...}) throws {@link RedisErrorReply}.
     */
    public String text(String... args) {
        return exchange(args, in -> {
            String first = readLine(in);
            switch (first.isEmpty() ? ' ' : first.charAt(0)) {
                case '+', ':' -> {
                    return first.substring(1);
                }
                case '-' -> throw new RedisErrorReply(port, args[0], first.substring(1));
                case '$' -> {
                    int length = Integer.parseInt(first.substring(1));
                    if (length < 0) {
                        return null;
                    }
                    byte[] bulk = in.readNBytes(length + 2);
                    return new String(bulk, 0, length, StandardCharsets.UTF_8);
                }
                default -> throw new IllegalStateException("unexpected reply to " + args[0] + ": " + first);
            }
        });
    }

    /** An error reply of the server to a command sent with {@link #text}. */
    public static final class RedisErrorReply extends IllegalStateException {

        private final String error;

        RedisErrorReply(int port, String command, String error) {
            super("redis on port " + port + " answered " + command + " with " + error);
            this.error = error;
        }

        /** The error as the server wrote it, e.g. {@code MOVED 3999 127.0.0.1:6381}. */
        public String error() {
            return error;
        }
    }

    private interface ReplyReader<T> {
        T read(InputStream in) throws IOException;
    }

    private <T> T exchange(String[] args, ReplyReader<T> reader) {
        return exchange(args, reader, REPLY_TIMEOUT);
    }

    private <T> T exchange(String[] args, ReplyReader<T> reader, Duration replyTimeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(Math.toIntExact(replyTimeout.toMillis()));
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
                request.writeBytes(bytes);
                request.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            out.write(request.toByteArray());
            out.flush();
            return reader.read(new BufferedInputStream(socket.getInputStream()));
        } catch (IOException e) {
            throw new IllegalStateException("redis on port " + port + " did not answer " + args[0], e);
        }
    }

    /** One CRLF-terminated line of the reply, without the CRLF. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        throw new EOFException("connection closed before the end of the reply");
    }

    /** The number of keys in database 0. */
    public long dbSize() {
        return Long.parseLong(command("DBSIZE").substring(1));
    }

    @Override
    public synchronized void close() {
        kill();
        try (var files = Files.walk(workDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }

    private void startProcess() {
        List<String> command = new ArrayList<>(commandPrefix);
        command.addAll(List.of(executable.toString(),
                "--port", String.valueOf(port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no",
                "--protected-mode", "yes",
                "--dir", workDir.toString(),
                "--logfile", workDir.resolve("redis.log").toString()));
        command.addAll(extraArgs);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + executable, e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + " on port " + port);
            }
            try {
                if ("+PONG".equals(command("PING"))) {
                    log.info("redis-server started port={} pid={}", port, process.pid());
                    return;
                }
            } catch (IllegalStateException notYet) {
                sleep(20);
            }
        }
        throw new IllegalStateException("redis-server did not answer PING on port " + port);
    }

    private void signal(String signal) {
        if (process == null) {
            throw new IllegalStateException("redis-server on port " + port + " is not running");
        }
        ProcessSignals.send(process.pid(), signal);
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
