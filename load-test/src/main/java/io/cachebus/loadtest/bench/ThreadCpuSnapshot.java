package io.cachebus.loadtest.bench;

import io.cachebus.loadtest.measure.ThreadCpu;
import io.cachebus.loadtest.report.NodeReadFigures.ProcessPlacement;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU time of every thread of every process of the target, by process label: two snapshots around a measurement
 * say which threads of which process did its work ({@link CpuSnapshot} says only how much each process did).
 */
record ThreadCpuSnapshot(Map<String, ThreadCpu.Snapshot> byProcess) {

    ThreadCpuSnapshot {
        byProcess = Map.copyOf(byProcess);
    }

    /** The threads of {@code processes} now; a process gone, or a system without {@code /proc}, is left out. */
    static ThreadCpuSnapshot take(List<ProcessPlacement> processes) {
        Map<String, ThreadCpu.Snapshot> threads = new LinkedHashMap<>();
        for (ProcessPlacement process : processes) {
            if (process.pid() > 0) {
                try {
                    threads.put(process.label(), ThreadCpu.take(process.pid()));
                } catch (UncheckedIOException gone) {
                    // no /proc, or the process ended: its threads are not measured
                }
            }
        }
        return new ThreadCpuSnapshot(threads);
    }

    /** CPU seconds by thread name of each process present in both snapshots, used since {@code earlier}. */
    Map<String, Map<String, Double>> since(ThreadCpuSnapshot earlier) {
        Map<String, Map<String, Double>> used = new LinkedHashMap<>();
        byProcess.forEach((label, now) -> {
            ThreadCpu.Snapshot then = earlier.byProcess.get(label);
            if (then != null) {
                used.put(label, ThreadCpu.secondsByName(then, now));
            }
        });
        return used;
    }
}
