package io.cachebus.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on loopback, for servers the tests and the demo start themselves.
 *
 * <p>A port is handed out before its server binds it, sometimes seconds later (a child process starting). A port the
 * operating system picked for {@code bind(0)} lies in its ephemeral range, from which it also takes the local port of
 * every outgoing connection, and a busy test (Kafka clients, HTTP clients, JDBC) opens many: one of them took such a
 * port before its broker bound it ({@code Address already in use}). So ports come from below the ephemeral range,
 * which outgoing connections never use, chosen at random so that JVMs running side by side rarely pick the same one,
 * checked free by binding them, and never handed out twice by one JVM. Where the range cannot be read (not Linux),
 * the operating system picks, as before.
 */
public final class FreePorts {

    /** The lowest port handed out: above the registered ports most local services listen on. */
    static final int LOWEST = 15_000;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int ATTEMPTS = 200;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    public static int next() {
        int ephemeralStart = ephemeralRangeStart();
        if (ephemeralStart - LOWEST >= 1_000) {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                int port = ThreadLocalRandom.current().nextInt(LOWEST, ephemeralStart);
                if (bindable(port) && HANDED_OUT.add(port)) {
                    return port;
                }
            }
        }
        return pickedBySystem();
    }

    /** The first port of the ephemeral range, or {@link #LOWEST} when it cannot be read. */
    static int ephemeralRangeStart() {
        // read as a stream: Files.readString gets one byte of this file on JDK 17 (it trusts the size /proc reports)
        try (BufferedReader reader = Files.newBufferedReader(EPHEMERAL_RANGE)) {
            String line = reader.readLine();
            return line == null ? LOWEST : Integer.parseInt(line.trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return LOWEST;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static int pickedBySystem() {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free loopback port", e);
            }
        }
    }
}
