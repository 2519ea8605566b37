package io.cachebus.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on loopback, forwarding every connection to a port on loopback, that a test can cut off and restore:
 * {@link #close()} drops every connection (a reset, as a pulled cable or a firewall rule shows to both ends) and
 * stops listening, so new connections are refused; {@link #reopen()} listens on the same port again. One client
 * placed behind it loses its server while every other client of that server goes on working.
 */
public final class TcpProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TcpProxy.class);
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int BUFFER_BYTES = 16 * 1024;

    private final int port;
    private final InetSocketAddress target;
    /** Both ends of every forwarded connection, so that closing can drop them all. */
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    /** The listening socket while open; null while closed. Guarded by this. */
    private ServerSocket server;

    private TcpProxy(int port, int targetPort) {
        this.port = port;
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    }

    /** A proxy listening on a free loopback port, forwarding to {@code targetPort} on loopback. */
    public static TcpProxy open(int targetPort) {
        return open(FreePorts.next(), targetPort);
    }

    /** A proxy listening on loopback port {@code port}, forwarding to {@code targetPort} on loopback. */
    public static TcpProxy open(int port, int targetPort) {
        TcpProxy proxy = new TcpProxy(port, targetPort);
        proxy.reopen();
        return proxy;
    }

    /** The port it listens on (also while closed: {@link #reopen()} takes the same one). */
    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:port}, for a client's configuration. */
    public String address() {
        return InetAddress.getLoopbackAddress().getHostAddress() + ":" + port;
    }

    public synchronized boolean isOpen() {
        return server != null;
    }

    /** Forwarded connections open now (both ends count as one). */
    public int connections() {
        return sockets.size() / 2;
    }

    /** Listens again on the same port; does nothing while open. */
    public synchronized void reopen() {
        if (server != null) {
            return;
        }
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server = socket;
            Thread acceptor = new Thread(() -> accept(socket), "tcp-proxy-" + port + "-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback port " + port, e);
        }
        log.info("tcp proxy open port={} target={}", port, target.getPort());
    }

    /** Drops every forwarded connection and stops listening; new connections are refused until {@link #reopen()}. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        closeQuietly(server);
        server = null;
        int dropped = connections();
        for (Socket socket : List.copyOf(sockets)) {
            drop(socket);
        }
        log.info("tcp proxy closed port={} droppedConnections={}", port, dropped);
    }

    private void accept(ServerSocket listening) {
        while (true) {
            Socket client;
            try {
                client = listening.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(target, CONNECT_TIMEOUT_MS);
            } catch (IOException e) {
                // the target is down: the client sees its connection dropped, as it would without the proxy
                drop(client);
                closeQuietly(upstream);
                continue;
            }
            synchronized (this) {
                if (server != listening) {
                    // closed while this connection was being set up
                    drop(client);
                    drop(upstream);
                    return;
                }
                sockets.add(client);
                sockets.add(upstream);
            }
            pump(client, upstream, "up");
            pump(upstream, client, "down");
        }
    }

    private void pump(Socket from, Socket to, String direction) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[BUFFER_BYTES];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException ignored) {
                // either end closed or was dropped
            } finally {
                sockets.remove(from);
                sockets.remove(to);
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-" + port + "-" + direction);
        thread.setDaemon(true);
        thread.start();
    }

    /** Closes with a reset rather than an orderly shutdown, as a connection that breaks does. */
    private void drop(Socket socket) {
        sockets.remove(socket);
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // already closed
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing is best effort
        }
    }
}
