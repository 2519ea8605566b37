package io.cachebus.client.autoconfigure;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ThreadLocalRandom;

/** This node's name, as it appears in outbox rows, logs and its eviction subscription. */
public record NodeIdentity(String id) {

    private static final int MAX_HOST_LENGTH = 100;

    /** {@code configured} when set, else the host name plus a short random suffix (unique per start). */
    public static NodeIdentity resolve(String configured) {
        if (configured != null && !configured.isBlank()) {
            return new NodeIdentity(configured.strip());
        }
        String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000));
        return new NodeIdentity(hostName() + "-" + suffix);
    }

    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "node";
            }
        }
        String safe = host.replaceAll("[^A-Za-z0-9_.-]", "-");
        return safe.length() > MAX_HOST_LENGTH ? safe.substring(0, MAX_HOST_LENGTH) : safe;
    }
}
