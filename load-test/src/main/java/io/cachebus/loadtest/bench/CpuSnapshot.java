package io.cachebus.loadtest.bench;

import io.cachebus.loadtest.measure.PostgresActivity;
import io.cachebus.loadtest.measure.ProcessCpu;
import io.cachebus.loadtest.report.NodeReadFigures.ProcessPlacement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * CPU seconds used so far by every process of the target (by its label) and, together, by the database backends
 * serving the cluster's connections ({@link #DATABASE_BACKENDS}). Two snapshots around a measurement say what each
 * process spent on it, whatever else ran on the machine.
 */
record CpuSnapshot(Map<String, Double> byProcess) {

    /** The label of the database backends' CPU, beside the target's processes. */
    static final String DATABASE_BACKENDS = "database backends";

    CpuSnapshot {
        byProcess = Map.copyOf(byProcess);
    }

    /** What {@code processes} and the backends {@code backendPids} have used so far; a process gone is left out. */
    static CpuSnapshot take(List<ProcessPlacement> processes, List<Long> backendPids) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        for (ProcessPlacement process : processes) {
            OptionalDouble seconds = ProcessCpu.seconds(process.pid());
            if (seconds.isPresent()) {
                cpu.put(process.label(), seconds.getAsDouble());
            }
        }
        if (!backendPids.isEmpty()) {
            cpu.put(DATABASE_BACKENDS,
                    backendPids.stream().mapToDouble(pid -> ProcessCpu.seconds(pid).orElse(0)).sum());
        }
        return new CpuSnapshot(cpu);
    }

    /**
     * The backends connected to the cluster's PostgreSQL database (its pooled connections, which live as long as the
     * nodes); none without one, or when they cannot be listed.
     */
    static List<Long> backendPids(Optional<String> databaseUrl) {
        try {
            return databaseUrl.isPresent() ? PostgresActivity.backendPids(databaseUrl.get()) : List.of();
        } catch (SQLException e) {
            return List.of();
        }
    }

    /**
     * Milliseconds of CPU per unit of work (a write, a thousand events) of each process, from the CPU seconds each
     * used over {@code units} units, rounded to thousandths, the largest first; empty without a unit.
     */
    static Map<String, Double> millisecondsPer(Map<String, Double> cpuSeconds, double units) {
        Map<String, Double> perUnit = new LinkedHashMap<>();
        if (units > 0) {
            cpuSeconds.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .forEach(used -> perUnit.put(used.getKey(), Rounding.thousandths(used.getValue() * 1000 / units)));
        }
        return perUnit;
    }

    /** CPU seconds each process used between {@code earlier} and this snapshot, for those present in both. */
    Map<String, Double> since(CpuSnapshot earlier) {
        Map<String, Double> used = new LinkedHashMap<>();
        byProcess.forEach((label, seconds) -> {
            Double before = earlier.byProcess.get(label);
            if (before != null) {
                used.put(label, seconds - before);
            }
        });
        return used;
    }
}
