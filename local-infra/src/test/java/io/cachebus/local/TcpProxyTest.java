package io.cachebus.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpProxyTest {

    private ServerSocket echoServer;

    /** Echoes every connection's bytes back until the client closes. */
    @BeforeEach
    void startEchoServer() throws IOException {
        echoServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (true) {
                try {
                    Socket connection = echoServer.accept();
                    Thread echo = new Thread(() -> {
                        try (connection; InputStream in = connection.getInputStream();
                                OutputStream out = connection.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException ignored) {
                            // the client went away
                        }
                    });
                    echo.setDaemon(true);
                    echo.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void stopEchoServer() throws IOException {
        echoServer.close();
    }

    @Test
    void forwardsUntilClosedThenDropsAndRefusesConnectionsUntilReopened() throws Exception {
        try (TcpProxy proxy = TcpProxy.open(echoServer.getLocalPort())) {
            assertThat(proxy.address()).isEqualTo("127.0.0.1:" + proxy.port());
            Socket before = connect(proxy);
            assertThat(roundTrip(before, "hello")).isEqualTo("hello");
            assertThat(proxy.connections()).isEqualTo(1);

            proxy.close();

            assertThat(proxy.isOpen()).isFalse();
            assertThat(proxy.connections()).isZero();
            before.setSoTimeout(5_000);
            assertThatThrownBy(() -> roundTrip(before, "after close")).as("the open connection was dropped")
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(() -> connectOtherThanToItself(proxy)).as("new connections are refused")
                    .isInstanceOf(ConnectException.class);
            try (Socket direct = new Socket(InetAddress.getLoopbackAddress(), echoServer.getLocalPort())) {
                assertThat(roundTrip(direct, "direct"))
                        .as("the server itself still answers clients that do not go through the proxy")
                        .isEqualTo("direct");
            }

            proxy.reopen();

            try (Socket after = connect(proxy)) {
                assertThat(roundTrip(after, "again")).isEqualTo("again");
            }
            before.close();
        }
    }

    @Test
    void dropsTheClientWhenTheTargetIsDown() throws Exception {
        int closedPort = FreePorts.next();
        try (TcpProxy proxy = TcpProxy.open(closedPort); Socket client = connect(proxy)) {
            client.setSoTimeout((int) Duration.ofSeconds(5).toMillis());
            assertThatThrownBy(() -> roundTrip(client, "anyone?")).isInstanceOf(IOException.class);
            assertThat(proxy.connections()).isZero();
        }
    }

    /**
     * A connection to the proxy's port while nothing listens on it. The port is an ephemeral one, and a client socket
     * can be given that same port and connect to itself (TCP's simultaneous open, seen on a busy machine): such a
     * connection reached nobody, so it is closed and the connect tried again.
     */
    private static Socket connectOtherThanToItself(TcpProxy proxy) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Socket socket = connect(proxy);
            if (socket.getLocalPort() != proxy.port() || attempt == 3) {
                return socket;
            }
            socket.close();
        }
    }

    private static Socket connect(TcpProxy proxy) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        socket.setSoTimeout(5_000);
        return socket;
    }

    /** Writes {@code text} and reads as many bytes back; an end of stream before that is an IOException. */
    private static String roundTrip(Socket socket, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        byte[] back = socket.getInputStream().readNBytes(bytes.length);
        if (back.length < bytes.length) {
            throw new IOException("connection ended after " + back.length + " of " + bytes.length + " bytes");
        }
        return new String(back, StandardCharsets.UTF_8);
    }
}
