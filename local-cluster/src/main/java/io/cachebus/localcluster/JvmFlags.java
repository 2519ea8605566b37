package io.cachebus.localcluster;

import java.util.List;

/** The flags a child JVM of the local cluster starts with: what it is there for decides them. */
public enum JvmFlags {

    /**
     * Fault drills and tests: small heaps and the quick-starting compiler (no C2), so a JVM is ready soon; never for
     * a figure of throughput.
     */
    DRILL("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Djava.awt.headless=true"),

    /**
     * The container images' flags (the parent pom's Jib {@code jvmFlags}: {@code -XX:InitialRAMPercentage=75
     * -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError}) in docker-compose.yml's {@code mem_limit: 768m}, which
     * {@code -XX:MaxRAM} stands for outside a container: a heap of 576 MB, taken at start. In such a container the
     * JVM's ergonomics choose the serial collector (a machine under 1792 MB is not "server class"); here the host is
     * bigger, so it is named. Full tiered compilation (C2): what production runs.
     */
    IMAGE("-XX:MaxRAM=768m", "-XX:InitialRAMPercentage=75", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError",
            "-XX:+UseSerialGC", "-Djava.awt.headless=true"),

    /** Kafka's own start script's defaults ({@code kafka-server-start.sh}, {@code kafka-run-class.sh}). */
    KAFKA("-Xmx1g", "-Xms1g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:InitiatingHeapOccupancyPercent=35",
            "-XX:+ExplicitGCInvokesConcurrent", "-Djava.awt.headless=true");

    private final List<String> flags;

    JvmFlags(String... flags) {
        this.flags = List.of(flags);
    }

    public List<String> flags() {
        return flags;
    }
}
