package io.cachebus.localcluster;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cachebus.local.kafka.KafkaBroker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The local cluster's Kafka broker in a JVM of its own (started through {@link ChildJvmMain}, which halts it when the
 * cluster's JVM goes away): {@code KafkaBrokerMain <mutation partitions> <port file> [<proxied listener port> <proxy
 * address>]}. It writes "{@code <broker port> <control port>}" to the port file once the broker serves its topics.
 * The control port (loopback) takes {@code POST /stop} and {@code POST /resume}, answered once done: an outage of the
 * broker with its process, port and data kept, as {@link KafkaBroker#stop()} makes in one JVM.
 */
public final class KafkaBrokerMain {

    static final String STOP = "/stop";
    static final String RESUME = "/resume";

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2 && args.length != 4) {
            throw new IllegalArgumentException("usage: KafkaBrokerMain <mutation partitions> <port file>"
                    + " [<proxied listener port> <proxy address>]");
        }
        int partitions = Integer.parseInt(args[0]);
        KafkaBroker broker = args.length == 4
                ? KafkaBroker.startWithListenerBehind(partitions, Integer.parseInt(args[2]), args[3])
                : KafkaBroker.start(partitions);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-shutdown"));
        HttpServer control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        control.createContext(STOP, exchange -> answer(exchange, broker::stop));
        control.createContext(RESUME, exchange -> answer(exchange, broker::resume));
        control.start();
        Path portFile = Path.of(args[1]);
        Path written = portFile.resolveSibling(portFile.getFileName() + ".tmp");
        Files.writeString(written, broker.port() + " " + control.getAddress().getPort(), StandardCharsets.UTF_8);
        // the cluster polls for the file: it must never see half of it
        Files.move(written, portFile, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void answer(HttpExchange exchange, Runnable action) throws IOException {
        int status;
        if (!"POST".equals(exchange.getRequestMethod())) {
            status = 405;
        } else {
            try {
                action.run();
                status = 204;
            } catch (RuntimeException e) {
                status = 500;
            }
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }
}
