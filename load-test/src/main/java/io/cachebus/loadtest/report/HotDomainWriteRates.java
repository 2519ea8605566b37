package io.cachebus.loadtest.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The report's {@value #FIELD}: one hot (tenant, domain)'s writes per second, many closed-loop writers of one
 * tenant's workflows, through the API nodes' own ports ({@code with} cachebus) and through their invalidation-off
 * ports ({@code without}: the same JVMs, writes that publish nothing), in alternating slices of one run.
 *
 * @param with                 successful writes per second with cachebus
 * @param without              successful writes per second with invalidation off
 * @param ratio                {@code with / without}; the target is at least 0.9
 * @param writers              concurrent writers
 * @param workflowsPerWriter   workflows each writer cycles through (no two writers share one)
 * @param tenant               the one tenant written
 * @param writesWith           successful writes counted with cachebus
 * @param writesWithout        successful writes counted with invalidation off
 * @param secondsWith          measured time with cachebus
 * @param secondsWithout       measured time with invalidation off
 * @param errors               failed writes, both kinds of port, warm-up included
 * @param cpuMsPerWriteWith    milliseconds of CPU per successful write with cachebus, by process of the target (and
 *                             the database's backends together), largest first; empty where processes cannot be
 *                             read
 * @param cpuMsPerWriteWithout the same with invalidation off
 * @param threadCpuMsPerWriteWith    milliseconds of CPU per successful write with cachebus, by process of the target
 *                                   and by thread (kernel thread names, digits as {@code N}, a pool's threads added
 *                                   up; threads under 0.01 ms per write in both kinds added up as
 *                                   {@code other threads}), the largest first; empty where threads cannot be read
 * @param threadCpuMsPerWriteWithout the same with invalidation off, the same threads
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record HotDomainWriteRates(double with, double without, double ratio, int writers, int workflowsPerWriter,
        String tenant, long writesWith, long writesWithout, double secondsWith, double secondsWithout, long errors,
        Map<String, Double> cpuMsPerWriteWith, Map<String, Double> cpuMsPerWriteWithout,
        Map<String, Map<String, Double>> threadCpuMsPerWriteWith,
        Map<String, Map<String, Double>> threadCpuMsPerWriteWithout) {

    public static final String FIELD = "hot_domain_write_rps";

    /** Keeps the order of the processes (largest first), which {@code Map.copyOf} would not. */
    public HotDomainWriteRates {
        cpuMsPerWriteWith = cpuMsPerWriteWith == null ? Map.of() : Collections.unmodifiableMap(
                new LinkedHashMap<>(cpuMsPerWriteWith));
        cpuMsPerWriteWithout = cpuMsPerWriteWithout == null ? Map.of() : Collections.unmodifiableMap(
                new LinkedHashMap<>(cpuMsPerWriteWithout));
        threadCpuMsPerWriteWith = threadCpuMsPerWriteWith == null ? Map.of() : Collections.unmodifiableMap(
                new LinkedHashMap<>(threadCpuMsPerWriteWith));
        threadCpuMsPerWriteWithout = threadCpuMsPerWriteWithout == null ? Map.of() : Collections.unmodifiableMap(
                new LinkedHashMap<>(threadCpuMsPerWriteWithout));
    }
}
