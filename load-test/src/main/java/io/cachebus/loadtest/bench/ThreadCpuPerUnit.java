package io.cachebus.loadtest.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Milliseconds of CPU per unit of work (a thousand events, say) of each thread of each process, for one measurement:
 * where a process's CPU went, thread by thread. Threads below {@code foldBelowMs} per unit add up to their process's
 * {@link ThreadCpuPerWrite#OTHER_THREADS}, as in {@link ThreadCpuPerWrite}, which compares two kinds of writes.
 */
final class ThreadCpuPerUnit {

    private ThreadCpuPerUnit() {
    }

    /**
     * @param seconds CPU seconds by process and thread name (as {@link ThreadCpuSnapshot#since} gives them)
     * @return by process, each thread's milliseconds per unit, the largest first, rounded to thousandths; empty
     *         without a unit
     */
    static Map<String, Map<String, Double>> of(Map<String, Map<String, Double>> seconds, double units,
            double foldBelowMs) {
        Map<String, Map<String, Double>> perUnit = new LinkedHashMap<>();
        if (units <= 0) {
            return perUnit;
        }
        seconds.forEach((process, threads) -> {
            Map<String, Double> listed = new LinkedHashMap<>();
            double other = 0;
            for (Map.Entry<String, Double> thread : threads.entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).toList()) {
                double millis = thread.getValue() * 1000 / units;
                if (millis < foldBelowMs) {
                    other += millis;
                } else {
                    listed.put(thread.getKey(), Rounding.thousandths(millis));
                }
            }
            if (other > 0) {
                listed.put(ThreadCpuPerWrite.OTHER_THREADS, Rounding.thousandths(other));
            }
            perUnit.put(process, listed);
        });
        return perUnit;
    }
}
