package io.cachebus.benchmarks;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@link L1HitBenchmark}'s methods timed by the CPU time of the thread that runs them rather than by the wall clock:
 * on a machine shared with other work, JMH's ns/op mostly measure how long the thread waited for a core, while CPU
 * time only counts the core's time spent on the read. One thread, one JVM, warmed up by two rounds before the one
 * printed; less careful than JMH about the JIT (no fork per benchmark, so profiles are shared), so take JMH's ns/op
 * on a quiet machine and these on a busy one.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.cachebus.benchmarks.ThreadCpuPerHit [operations]}
 */
public final class ThreadCpuPerHit {

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int ROUNDS = 3;
    private static volatile Object sink;

    private ThreadCpuPerHit() {
    }

    public static void main(String[] args) {
        int operations = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        L1HitBenchmark benchmark = new L1HitBenchmark();
        benchmark.setUp();
        Map<String, Supplier<Object>> reads = new LinkedHashMap<>();
        reads.put("bareCaffeine", benchmark::bareCaffeine);
        reads.put("domainKeyHit", benchmark::domainKeyHit);
        reads.put("entityKeyHit", benchmark::entityKeyHit);
        reads.put("entityKeyHitGuarded", benchmark::entityKeyHitGuarded);
        reads.put("entityKeyHitGuardedWithKey", benchmark::entityKeyHitGuardedWithKey);
        long thread = Thread.currentThread().getId();
        double baseline = Double.NaN;
        System.out.printf("%-28s %12s %10s %8s%n", "read", "cpu ns/op", "B/op", "ratio");
        for (int round = 1; round <= ROUNDS; round++) {
            for (Map.Entry<String, Supplier<Object>> read : reads.entrySet()) {
                long cpu = THREADS.getCurrentThreadCpuTime();
                long allocated = THREADS.getThreadAllocatedBytes(thread);
                for (int i = 0; i < operations; i++) {
                    sink = read.getValue().get();
                }
                double cpuPerOp = (THREADS.getCurrentThreadCpuTime() - cpu) / (double) operations;
                double bytesPerOp = (THREADS.getThreadAllocatedBytes(thread) - allocated) / (double) operations;
                if (round == ROUNDS) {
                    if (Double.isNaN(baseline)) {
                        baseline = cpuPerOp;
                    }
                    System.out.printf("%-28s %12.1f %10.1f %8.1f%n", read.getKey(), cpuPerOp, bytesPerOp,
                            cpuPerOp / baseline);
                }
            }
        }
        benchmark.tearDown();
    }
}
