package io.cachebus.localcluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which CPUs each process of the local cluster may run on ({@code taskset -c}), by process name: {@code api-1},
 * {@code invalidator-1}, {@code kafka}, {@code redis}, and {@link #LOAD_GENERATOR} for the harness's own JVM. A
 * process not named runs on the CPUs of {@link #OTHERS} when the placement names it, else where the scheduler puts
 * it. The machine's PostgreSQL is shared and never pinned.
 *
 * @param cpus process name to a CPU list as taskset takes it ({@code 0}, {@code 1}, {@code 0-1}, {@code 0,2})
 */
public record CorePlacement(Map<String, String> cpus) {

    /** The name of the load generator (the harness's JVM) in a placement. */
    public static final String LOAD_GENERATOR = "load-generator";
    /** Every process of the cluster the placement does not name (never the load generator: it is not started). */
    public static final String OTHERS = "others";
    private static final Pattern CPU_LIST = Pattern.compile("\\d+(-\\d+)?(,\\d+(-\\d+)?)*");
    private static final Pattern PROCESS_NAME = Pattern.compile("[a-z][a-z0-9-]*");

    public CorePlacement {
        cpus.forEach((process, list) -> {
            if (!PROCESS_NAME.matcher(process).matches() || !CPU_LIST.matcher(list).matches()) {
                throw new IllegalArgumentException("a placement is process=cpus (e.g. api-1=1), not " + process + "="
                        + list);
            }
        });
        cpus = Map.copyOf(cpus);
    }

    public static CorePlacement none() {
        return new CorePlacement(Map.of());
    }

    /**
     * The placement for comparing one node against its ceiling on two cores: the load generator on core 0, the node
     * under test ({@code api-1}) alone on core 1.
     */
    public static CorePlacement loadGeneratorAndNodeUnderTest() {
        return parse(LOAD_GENERATOR + "=0,api-1=1");
    }

    /** {@code process=cpus} pairs separated by {@code ;} or by {@code ,} before a name, e.g. {@code load-generator=0,api-1=1}. */
    public static CorePlacement parse(String text) {
        Map<String, String> cpus = new LinkedHashMap<>();
        for (String pair : text.strip().split(";|,(?=[a-z])")) {
            int equals = pair.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("a placement is process=cpus (e.g. api-1=1), not '" + pair + "'");
            }
            cpus.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
        }
        return new CorePlacement(cpus);
    }

    public Optional<String> cpusOf(String process) {
        String named = cpus.get(process);
        if (named != null || process.equals(LOAD_GENERATOR)) {
            return Optional.ofNullable(named);
        }
        return Optional.ofNullable(cpus.get(OTHERS));
    }

    public boolean isEmpty() {
        return cpus.isEmpty();
    }

    /**
     * {@code taskset -c CPUS} for a pinned process, {@link #everyCpu()} for another (not its parent's CPUs): what
     * its command line starts with.
     */
    public List<String> commandPrefix(String process) {
        return cpusOf(process).map(list -> List.of("taskset", "-c", list)).orElseGet(CorePlacement::everyCpu);
    }

    /**
     * Pins this JVM, every thread it has and (by inheritance) every thread it starts, to the CPUs of
     * {@link #LOAD_GENERATOR}, when the placement names it: the harness runs in the JVM that starts the cluster.
     */
    public void pinLoadGenerator() {
        cpusOf(LOAD_GENERATOR).ifPresent(list -> pin(ProcessHandle.current().pid(), list, LOAD_GENERATOR));
    }

    /**
     * {@code taskset -c ONLINE}: what a child's command starts with so that it may run on every CPU of the machine,
     * whatever its parent may. A process inherits its parent's CPUs, and the harness that starts the cluster is
     * pinned to the load generator's; without this every JVM of the cluster started (and, unnamed in the placement,
     * stayed) on the load generator's core. Empty where the machine does not say which CPUs are online.
     */
    public static List<String> everyCpu() {
        return onlineCpus().map(online -> List.of("taskset", "-c", online)).orElse(List.of());
    }

    /** The machine's online CPUs as taskset takes them ({@code 0-1}); empty where the machine does not say. */
    static Optional<String> onlineCpus() {
        try {
            String online = java.nio.file.Files.readString(java.nio.file.Path.of("/sys/devices/system/cpu/online"))
                    .strip();
            return CPU_LIST.matcher(online).matches() ? Optional.of(online) : Optional.empty();
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Pins a running process, every thread it has and (by inheritance) every thread they start, to {@code list}
     * ({@code taskset -a -p -c}). The cluster's JVMs are pinned once they are ready rather than started pinned: a
     * start is the most CPU a JVM ever wants, and several starting together on the one core a placement gives them
     * took minutes.
     */
    static void pin(long pid, String list, String process) {
        try {
            Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", list, String.valueOf(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (taskset.waitFor() != 0) {
                throw new IllegalStateException("taskset could not pin " + process + " (pid " + pid + ") to CPUs "
                        + list);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot run taskset to pin " + process, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pinning " + process, e);
        }
    }
}
