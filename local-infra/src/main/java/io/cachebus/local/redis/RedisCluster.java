package io.cachebus.local.redis;

import io.cachebus.local.FreePorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Redis Cluster of our own: {@code redis-server} processes with {@code --cluster-enabled yes} on free
 * loopback ports (never the machine's 6379), each with its cluster configuration in its own temp directory. The
 * slots are spread evenly over the primaries, each primary gets its replicas, and {@link #start} returns once every
 * node agrees on a complete, healthy cluster.
 *
 * <p>Failure detection is fast ({@link #NODE_TIMEOUT}), so a killed primary is replaced by its replica within a few
 * seconds, as in production only sooner: {@link #killPrimaryOf} then {@link #awaitHealthy}.
 */
public final class RedisCluster implements AutoCloseable {

    /** {@code cluster-node-timeout}: how long a node may be unreachable before it counts as failing. */
    public static final Duration NODE_TIMEOUT = Duration.ofMillis(1000);
    public static final int SLOTS = 16384;

    private static final Logger log = LoggerFactory.getLogger(RedisCluster.class);
    private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);

    private final List<RedisServer> servers;
    private final Map<Integer, RedisServer> serversByPort = new HashMap<>();

    private RedisCluster(List<RedisServer> servers) {
        this.servers = List.copyOf(servers);
        servers.forEach(server -> serversByPort.put(server.port(), server));
    }

    /**
     * Starts {@code primaries} primaries, each with {@code replicasPerPrimary} replicas, and waits until the cluster
     * is healthy. At least three primaries are needed for a failover (a majority must agree that one failed).
     */
    public static RedisCluster start(int primaries, int replicasPerPrimary) {
        if (primaries < 1 || replicasPerPrimary < 0) {
            throw new IllegalArgumentException("at least one primary and no negative number of replicas");
        }
        List<RedisServer> started = new ArrayList<>();
        try {
            for (int i = 0; i < primaries * (1 + replicasPerPrimary); i++) {
                started.add(startNode());
            }
            RedisCluster cluster = new RedisCluster(started);
            cluster.form(primaries, replicasPerPrimary);
            return cluster;
        } catch (RuntimeException e) {
            started.forEach(RedisServer::close);
            throw e;
        }
    }

    /** Every node ever started, primaries first, dead ones included. */
    public List<RedisServer> servers() {
        return servers;
    }

    /** The seed nodes in the form {@code spring.data.redis.cluster.nodes} takes: {@code 127.0.0.1:p1,127.0.0.1:p2,...}. */
    public String nodeAddresses() {
        return servers.stream().map(server -> server.host() + ":" + server.port()).collect(Collectors.joining(","));
    }

    /** The running nodes that serve slots as primaries now. */
    public List<RedisServer> primaries() {
        return topology().values().stream().distinct().toList();
    }

    /** The slot of {@code key}, by the cluster itself ({@code CLUSTER KEYSLOT}). */
    public int slotOf(String key) {
        return Integer.parseInt(anyRunning().text("CLUSTER", "KEYSLOT", key));
    }

    /** The running primary serving {@code key}'s slot now. */
    public RedisServer primaryOf(String key) {
        RedisServer primary = topology().get(slotOf(key));
        if (primary == null) {
            throw new IllegalStateException("no running primary serves the slot of " + key);
        }
        return primary;
    }

    /**
     * Sends a command whose first argument after the name is a key (e.g. {@code INCR k}, {@code GET k}) to the
     * primary of that key and returns the reply as {@link RedisServer#text} does.
     */
    public String text(String... commandWithKey) {
        if (commandWithKey.length < 2) {
            throw new IllegalArgumentException("a command with a key, e.g. GET k");
        }
        return primaryOf(commandWithKey[1]).text(commandWithKey);
    }

    /** The number of keys in the cluster: the sum of DBSIZE over the primaries. */
    public long dbSize() {
        return primaries().stream().mapToLong(RedisServer::dbSize).sum();
    }

    /** The running replica of {@code primary}. */
    public RedisServer replicaOf(RedisServer primary) {
        return servers.stream()
                .filter(server -> server != primary && server.isRunning())
                .filter(server -> server.text("INFO", "replication").contains("master_port:" + primary.port()))
                .findFirst().orElseThrow(() -> new IllegalStateException("no replica of " + primary.port()));
    }

    /** SIGKILLs the primary of {@code key}'s slot, as in a crash, and returns it (its replica will take over). */
    public RedisServer killPrimaryOf(String key) {
        RedisServer primary = primaryOf(key);
        primary.kill();
        log.info("redis cluster primary killed port={} slotOf={}", primary.port(), key);
        return primary;
    }

    /**
     * Waits until every running node reports {@code cluster_state:ok}, all of them agree which running, non-failing
     * primary serves each of the 16384 slots, and every running replica is in sync with its primary.
     */
    public void awaitHealthy(Duration timeout) {
        awaitUntil(timeout, this::unhealthiness);
    }

    /** Waits until every running replica has received everything its primary has written so far. */
    public void awaitReplicated(Duration timeout) {
        awaitUntil(timeout, () -> {
            for (RedisServer primary : primaries()) {
                String replication = primary.text("INFO", "replication");
                long written = Long.parseLong(firstLine(replication, "master_repl_offset").split(":")[1]);
                List<String> behind = replication.lines()
                        .filter(line -> line.startsWith("slave") && line.contains("offset="))
                        .filter(line -> Long.parseLong(line.replaceAll(".*offset=(\\d+).*", "$1")) < written)
                        .toList();
                if (!behind.isEmpty()) {
                    return "replicas of " + primary.port() + " behind offset " + written + ": " + behind;
                }
            }
            return null;
        });
    }

    @Override
    public void close() {
        servers.forEach(RedisServer::close);
    }

    private static RedisServer startNode() {
        int port = FreePorts.next();
        return RedisServer.start(port,
                "--cluster-enabled", "yes",
                // relative to the server's own --dir, a temp directory of its own
                "--cluster-config-file", "nodes.conf",
                // the bus port would default to port + 10000, which need not be free
                "--cluster-port", String.valueOf(FreePorts.next()),
                "--cluster-node-timeout", String.valueOf(NODE_TIMEOUT.toMillis()),
                // a replica takes over however long it has been out of touch: tests kill primaries under load
                "--cluster-replica-validity-factor", "0",
                "--cluster-allow-replica-migration", "no",
                // a replica's first full sync would otherwise wait 5 s for more replicas to share it
                "--repl-diskless-sync-delay", "0");
    }

    private void form(int primaries, int replicasPerPrimary) {
        List<RedisServer> primaryServers = servers.subList(0, primaries);
        for (int i = 0; i < primaries; i++) {
            RedisServer primary = primaryServers.get(i);
            int first = SLOTS * i / primaries;
            int last = SLOTS * (i + 1) / primaries - 1;
            primary.text("CLUSTER", "ADDSLOTSRANGE", String.valueOf(first), String.valueOf(last));
            // distinct epochs from the start, as redis-cli --cluster create does, instead of collisions to resolve
            primary.text("CLUSTER", "SET-CONFIG-EPOCH", String.valueOf(i + 1));
        }
        RedisServer first = servers.get(0);
        for (RedisServer other : servers.subList(1, servers.size())) {
            first.text("CLUSTER", "MEET", other.host(), String.valueOf(other.port()), busPort(other));
        }
        awaitUntil(FORM_TIMEOUT, () -> {
            for (RedisServer server : servers) {
                List<NodeLine> known = nodes(server);
                if (known.size() != servers.size() || known.stream().anyMatch(node -> node.flags().contains("handshake"))) {
                    return "node " + server.port() + " knows " + known.size() + " of " + servers.size() + " nodes";
                }
            }
            return null;
        });
        for (int i = 0; i < primaries; i++) {
            String primaryId = primaryServers.get(i).text("CLUSTER", "MYID");
            for (int r = 0; r < replicasPerPrimary; r++) {
                servers.get(primaries + i * replicasPerPrimary + r).text("CLUSTER", "REPLICATE", primaryId);
            }
        }
        awaitUntil(FORM_TIMEOUT, () -> {
            String unhealthy = unhealthiness();
            if (unhealthy != null) {
                return unhealthy;
            }
            // every node must know every replica as such, or a failover could not be authorised
            for (RedisServer server : servers) {
                long replicas = nodes(server).stream().filter(node -> node.flags().contains("slave")).count();
                if (replicas != (long) primaries * replicasPerPrimary) {
                    return "node " + server.port() + " knows " + replicas + " replicas";
                }
            }
            return null;
        });
        log.info("redis cluster started primaries={} replicasPerPrimary={} nodes={}", primaries, replicasPerPrimary,
                nodeAddresses());
    }

    /** The node's cluster bus port, from the {@code myself} line of its own {@code CLUSTER NODES}. */
    private static String busPort(RedisServer server) {
        return String.valueOf(myself(nodes(server)).busPort());
    }

    private static NodeLine myself(List<NodeLine> view) {
        return view.stream().filter(node -> node.flags().contains("myself")).findFirst()
                .orElseThrow(() -> new IllegalStateException("CLUSTER NODES without a myself line"));
    }

    /** Why the cluster is not healthy yet, or {@code null} when it is. */
    private String unhealthiness() {
        Map<Integer, Integer> agreed = null;
        for (RedisServer server : running()) {
            String info;
            try {
                info = server.text("CLUSTER", "INFO");
            } catch (IllegalStateException e) {
                return "node " + server.port() + " does not answer: " + e.getMessage();
            }
            if (!info.contains("cluster_state:ok")) {
                return "node " + server.port() + " reports " + firstLine(info, "cluster_state");
            }
            List<NodeLine> view = nodes(server);
            Map<Integer, Integer> owners = slotOwners(view);
            if (owners.size() != SLOTS) {
                return "node " + server.port() + " sees " + owners.size() + " slots served by healthy primaries";
            }
            if (agreed == null) {
                agreed = owners;
            } else if (!agreed.equals(owners)) {
                return "nodes disagree on slot owners";
            }
            if (myself(view).flags().contains("slave")) {
                String replication = server.text("INFO", "replication");
                if (!replication.contains("master_link_status:up")) {
                    return "replica " + server.port() + " not in sync: " + firstLine(replication, "master_link_status");
                }
            }
        }
        return null;
    }

    /** Slot to port of its primary, counting only running primaries no node flags as failing. */
    private Map<Integer, Integer> slotOwners(List<NodeLine> view) {
        Map<Integer, Integer> owners = new HashMap<>();
        for (NodeLine node : view) {
            RedisServer server = serversByPort.get(node.port());
            boolean healthy = node.flags().contains("master") && !node.flags().contains("fail")
                    && !node.flags().contains("fail?") && server != null && server.isRunning();
            if (healthy) {
                node.slots().forEach(slot -> owners.put(slot, node.port()));
            }
        }
        return owners;
    }

    /** Slot to running primary, in the view of any running node. */
    private Map<Integer, RedisServer> topology() {
        Map<Integer, RedisServer> bySlot = new LinkedHashMap<>();
        slotOwners(nodes(anyRunning())).forEach((slot, port) -> bySlot.put(slot, serversByPort.get(port)));
        return bySlot;
    }

    private List<RedisServer> running() {
        return servers.stream().filter(RedisServer::isRunning).toList();
    }

    private RedisServer anyRunning() {
        return running().stream().findFirst().orElseThrow(() -> new IllegalStateException("no cluster node is running"));
    }

    private static List<NodeLine> nodes(RedisServer server) {
        return Arrays.stream(server.text("CLUSTER", "NODES").split("\n"))
                .filter(line -> !line.isBlank())
                .map(NodeLine::parse)
                .toList();
    }

    private static String firstLine(String text, String field) {
        return text.lines().filter(line -> line.startsWith(field)).findFirst().orElse(field + ":?").trim();
    }

    private static void awaitUntil(Duration timeout, Supplier<String> problem) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = problem.get();
            } catch (IllegalStateException e) {
                last = e.getMessage();
            }
            if (last == null) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the cluster", e);
            }
        }
        throw new IllegalStateException("redis cluster not ready after " + timeout.toMillis() + " ms: " + last);
    }

    /** One line of {@code CLUSTER NODES}: {@code id ip:port@busport flags primary ping pong epoch link slots...}. */
    private record NodeLine(int port, int busPort, Set<String> flags, Set<Integer> slots) {

        static NodeLine parse(String line) {
            String[] fields = line.trim().split(" ");
            String address = fields[1].split(",")[0];
            int at = address.indexOf('@');
            int colon = address.lastIndexOf(':', at);
            int port = Integer.parseInt(address.substring(colon + 1, at));
            int busPort = Integer.parseInt(address.substring(at + 1));
            Set<String> flags = new HashSet<>(Arrays.asList(fields[2].split(",")));
            Set<Integer> slots = new HashSet<>();
            for (int i = 8; i < fields.length; i++) {
                String range = fields[i];
                if (range.startsWith("[")) {
                    continue; // a slot being migrated or imported: still served by this node
                }
                int dash = range.indexOf('-');
                int first = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
                int last = dash < 0 ? first : Integer.parseInt(range.substring(dash + 1));
                for (int slot = first; slot <= last; slot++) {
                    slots.add(slot);
                }
            }
            return new NodeLine(port, busPort, flags, slots);
        }
    }
}
