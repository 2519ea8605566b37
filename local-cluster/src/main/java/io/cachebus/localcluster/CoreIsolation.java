package io.cachebus.localcluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What a measurement of some API nodes' own cost runs under on a small machine: the nodes under test get the last
 * CPU to themselves, the load generator (this JVM) and every other process of the cluster the other CPUs, and the API
 * nodes not under test are frozen (SIGSTOP), so their background work (freshness probes, heartbeats read, relay
 * sweeps) takes nothing from the load generator's core. Kafka, redis-server and the invalidators keep running: a
 * node's cached reads need the invalidators' progress to stay within their staleness bound. Closing undoes it: the
 * frozen nodes go on (their eviction subscriptions may be reassigned, which drops their local caches) and every
 * process gets back the CPUs its placement gives it, every CPU where it names none.
 */
public final class CoreIsolation implements AutoCloseable {

    private record Pinned(String name, long pid, String restoreTo) {
    }

    private final String description;
    private final List<Pinned> pinned;
    private final List<ServiceInstance> frozen;

    private CoreIsolation(String description, List<Pinned> pinned, List<ServiceInstance> frozen) {
        this.description = description;
        this.pinned = pinned;
        this.frozen = frozen;
    }

    /**
     * Isolates {@code underTest} (services of {@code cluster}, each in a process of its own) and freezes the other
     * API nodes; empty when the machine has a single CPU or does not say which are online.
     */
    static Optional<CoreIsolation> of(LocalCluster cluster, List<ServiceInstance> underTest) {
        return of(cluster, underTest, true);
    }

    /**
     * Isolates {@code underTest}, freezing the other API nodes when {@code freezeOtherApiNodes} (which the
     * measurement of one invalidator does not: the nodes only apply its broadcasts, on the other CPUs).
     */
    static Optional<CoreIsolation> of(LocalCluster cluster, List<ServiceInstance> underTest,
            boolean freezeOtherApiNodes) {
        Optional<String> online = CorePlacement.onlineCpus();
        List<Integer> ids = online.map(CoreIsolation::cpuIds).orElse(List.of());
        if (ids.size() < 2) {
            return Optional.empty();
        }
        String testCpu = String.valueOf(ids.get(ids.size() - 1));
        String otherCpus = ids.subList(0, ids.size() - 1).stream().map(String::valueOf)
                .collect(Collectors.joining(","));
        String every = online.get();
        CorePlacement placement = cluster.options().placement();
        List<Pinned> pinned = new ArrayList<>();
        List<ServiceInstance> frozen = new ArrayList<>();
        List<String> frozenNames = new ArrayList<>();
        for (ClusterProcess process : cluster.processLayout()) {
            if (process.pid() <= 0 || process.name().equals("postgresql")) {
                continue; // the machine's PostgreSQL is shared: never ours to pin
            }
            boolean harness = process.name().equals(CorePlacement.LOAD_GENERATOR);
            if (!harness && process.pid() == ProcessHandle.current().pid()) {
                continue; // a service in this JVM goes where the load generator goes
            }
            String restore = placement.cpusOf(process.name()).orElse(every);
            boolean tested = underTest.stream().anyMatch(node -> node.name().equals(process.name()));
            CorePlacement.pin(process.pid(), tested ? testCpu : otherCpus, process.name());
            pinned.add(new Pinned(process.name(), process.pid(), restore));
        }
        for (ServiceInstance node : freezeOtherApiNodes ? cluster.allApiNodes() : List.<ServiceInstance>of()) {
            // a standby node is frozen already, and stays so when the isolation ends
            if (!underTest.contains(node) && !node.runsInThisJvm() && node.isRunning() && !cluster.inStandby(node)) {
                node.suspend();
                frozen.add(node);
                frozenNames.add(node.name());
            }
        }
        String description = underTest.stream().map(ServiceInstance::name).collect(Collectors.joining(", "))
                + " alone on CPU " + testCpu + "; every other process of the cluster and the load generator on CPU "
                + otherCpus + (frozenNames.isEmpty() ? "" : "; frozen: " + String.join(", ", frozenNames));
        return Optional.of(new CoreIsolation(description, pinned, frozen));
    }

    /** {@code 0-1,4} as the CPU ids it names. */
    static List<Integer> cpuIds(String list) {
        List<Integer> ids = new ArrayList<>();
        for (String range : list.split(",")) {
            String[] ends = range.split("-");
            int first = Integer.parseInt(ends[0].strip());
            int last = ends.length > 1 ? Integer.parseInt(ends[1].strip()) : first;
            IntStream.rangeClosed(first, last).forEach(ids::add);
        }
        return ids;
    }

    /** Where each process ran and which nodes were frozen, for the report. */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (ServiceInstance node : frozen) {
            try {
                node.continueRunning();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        for (Pinned process : pinned) {
            try {
                CorePlacement.pin(process.pid(), process.restoreTo(), process.name());
            } catch (RuntimeException e) {
                failure = e; // a process that ended meanwhile cannot be pinned back; the others still are
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
