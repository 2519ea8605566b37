package io.cachebus.localcluster;

/**
 * One operating-system process of a running local cluster, for a report's topology: which part of the cluster it
 * is, its process id, where it may run and how its JVM was started.
 *
 * @param name  the part: {@code load-generator}, {@code kafka}, {@code redis}, {@code postgresql}, {@code api-1}, ...
 * @param pid   its process id (the starting JVM's for parts that run in it; 0 when not running or not known)
 * @param cpus  the CPUs it is pinned to ({@code taskset -c}), or {@code "any"}
 * @param flags how its JVM was started ({@link JvmFlags} name), {@code "this JVM"} for a part in the starting JVM,
 *              or {@code "native"} for a server that is no JVM
 */
public record ClusterProcess(String name, long pid, String cpus, String flags) {

    static final String ANY_CPU = "any";
    static final String THIS_JVM = "this JVM";
    static final String NATIVE = "native";
}
