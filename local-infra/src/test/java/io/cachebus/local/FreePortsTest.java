package io.cachebus.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void portsComeFromBelowTheEphemeralRangeOnceEachAndCanBeBound() throws Exception {
        int ephemeralStart = FreePorts.ephemeralRangeStart();
        assumeTrue(ephemeralStart - FreePorts.LOWEST >= 1_000, "the ephemeral range is known and leaves room below");
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = FreePorts.next();
            assertThat(port).as("outgoing connections never take it").isBetween(FreePorts.LOWEST, ephemeralStart - 1);
            assertThat(ports.add(port)).as("port %d handed out twice", port).isTrue();
        }
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePorts.next()));
            assertThat(server.isBound()).isTrue();
        }
    }

    @Test
    void aPortSomeoneListensOnIsNotHandedOut() throws Exception {
        assumeTrue(FreePorts.ephemeralRangeStart() - FreePorts.LOWEST >= 1_000);
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePorts.next()));
            for (int i = 0; i < 2_000; i++) {
                assertThat(FreePorts.next()).isNotEqualTo(taken.getLocalPort());
            }
        }
    }
}
