package io.cachebus.loadtest.bench;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Milliseconds of CPU per write of each thread of each process, for two kinds of writes measured side by side: the
 * same threads named in both, so the two can be compared thread by thread. A thread that spent less than
 * {@link #FOLDED_BELOW_MS} per write in both kinds adds to its process's {@link #OTHER_THREADS} instead of being
 * listed, which keeps a report readable (a JVM runs dozens of mostly idle threads).
 */
final class ThreadCpuPerWrite {

    static final double FOLDED_BELOW_MS = 0.01;
    static final String OTHER_THREADS = "other threads";

    /** Both kinds' milliseconds per write, by process and thread, threads the largest first (in the first kind). */
    record Compared(Map<String, Map<String, Double>> first, Map<String, Map<String, Double>> second) {
    }

    private ThreadCpuPerWrite() {
    }

    static Compared of(Map<String, Map<String, Double>> firstSeconds, long firstWrites,
            Map<String, Map<String, Double>> secondSeconds, long secondWrites) {
        Map<String, Map<String, Double>> first = new LinkedHashMap<>();
        Map<String, Map<String, Double>> second = new LinkedHashMap<>();
        if (firstWrites <= 0 || secondWrites <= 0) {
            return new Compared(first, second);
        }
        Set<String> processes = new TreeSet<>(firstSeconds.keySet());
        processes.retainAll(secondSeconds.keySet());
        for (String process : processes) {
            Map<String, Double> a = perWrite(firstSeconds.get(process), firstWrites);
            Map<String, Double> b = perWrite(secondSeconds.get(process), secondWrites);
            Map<String, Double> listedA = new LinkedHashMap<>();
            Map<String, Double> listedB = new LinkedHashMap<>();
            double otherA = 0;
            double otherB = 0;
            Set<String> threads = new TreeSet<>(a.keySet());
            threads.addAll(b.keySet());
            for (String thread : threads.stream().sorted(Comparator.comparingDouble(
                    (String name) -> a.getOrDefault(name, 0.0)).reversed()).toList()) {
                double inA = a.getOrDefault(thread, 0.0);
                double inB = b.getOrDefault(thread, 0.0);
                if (inA < FOLDED_BELOW_MS && inB < FOLDED_BELOW_MS) {
                    otherA += inA;
                    otherB += inB;
                } else {
                    listedA.put(thread, Rounding.thousandths(inA));
                    listedB.put(thread, Rounding.thousandths(inB));
                }
            }
            if (otherA > 0 || otherB > 0) {
                listedA.put(OTHER_THREADS, Rounding.thousandths(otherA));
                listedB.put(OTHER_THREADS, Rounding.thousandths(otherB));
            }
            first.put(process, listedA);
            second.put(process, listedB);
        }
        return new Compared(first, second);
    }

    private static Map<String, Double> perWrite(Map<String, Double> seconds, long writes) {
        Map<String, Double> millis = new LinkedHashMap<>();
        seconds.forEach((thread, used) -> millis.put(thread, used * 1000 / writes));
        return millis;
    }
}
