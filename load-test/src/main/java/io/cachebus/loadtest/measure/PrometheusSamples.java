package io.cachebus.loadtest.measure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples of one scrape of a node's {@code /actuator/prometheus} (the Prometheus text exposition format).
 * Only what the harness needs: metric name, labels, value.
 */
public final class PrometheusSamples {

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private PrometheusSamples(List<Sample> samples) {
        this.samples = List.copyOf(samples);
    }

    public static PrometheusSamples parse(String exposition) {
        List<Sample> samples = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            samples.add(parseLine(trimmed));
        }
        return new PrometheusSamples(samples);
    }

    /** No sample: the counters of a window before anything was counted in it. */
    public static PrometheusSamples empty() {
        return new PrometheusSamples(List.of());
    }

    /**
     * Each sample's increase since {@code earlier}, a scrape of the same node (a sample absent then counts from
     * zero): the counters of the window between two scrapes. Meaningless for gauges.
     */
    public PrometheusSamples since(PrometheusSamples earlier) {
        Map<Sample, Double> before = valuesByIdentity(earlier);
        List<Sample> increases = new ArrayList<>();
        for (Sample sample : samples) {
            double then = before.getOrDefault(identity(sample), 0.0);
            increases.add(new Sample(sample.name(), sample.labels(), sample.value() - then));
        }
        return new PrometheusSamples(increases);
    }

    /** Both scrapes' samples added, sample by sample (same name and labels): two windows' counters as one. */
    public PrometheusSamples plus(PrometheusSamples other) {
        Map<Sample, Double> sums = new LinkedHashMap<>(valuesByIdentity(this));
        valuesByIdentity(other).forEach((identity, value) -> sums.merge(identity, value, Double::sum));
        List<Sample> added = new ArrayList<>();
        sums.forEach((identity, value) -> added.add(new Sample(identity.name(), identity.labels(), value)));
        return new PrometheusSamples(added);
    }

    private static Sample identity(Sample sample) {
        return new Sample(sample.name(), sample.labels(), 0);
    }

    private static Map<Sample, Double> valuesByIdentity(PrometheusSamples scrape) {
        Map<Sample, Double> values = new LinkedHashMap<>();
        for (Sample sample : scrape.samples) {
            values.merge(identity(sample), sample.value(), Double::sum);
        }
        return values;
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The sum of every sample named {@code name}, grouped by the value of {@code label} (absent label: ""). */
    public Map<String, Double> sumBy(String name, String label) {
        Map<String, Double> sums = new LinkedHashMap<>();
        for (Sample sample : samples) {
            if (sample.name().equals(name)) {
                sums.merge(sample.labels().getOrDefault(label, ""), sample.value(), Double::sum);
            }
        }
        return sums;
    }

    /** The sum of every sample named {@code name}. */
    public double sum(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).mapToDouble(Sample::value).sum();
    }

    private static Sample parseLine(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        int valueStart;
        if (brace >= 0 && (space < 0 || brace < space)) {
            name = line.substring(0, brace);
            valueStart = parseLabels(line, brace + 1, labels);
        } else if (space > 0) {
            name = line.substring(0, space);
            valueStart = space;
        } else {
            throw new IllegalArgumentException("not a sample line: " + line);
        }
        String[] rest = line.substring(valueStart).strip().split("\\s+");
        return new Sample(name, labels, parseValue(rest[0], line));
    }

    /** Parses {@code a="x",b="y"}} from {@code start}; returns the index after the closing brace. */
    private static int parseLabels(String line, int start, Map<String, String> labels) {
        int i = start;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '}') {
                return i + 1;
            }
            if (c == ',' || c == ' ') {
                i++;
                continue;
            }
            int equals = line.indexOf('=', i);
            if (equals < 0 || equals + 1 >= line.length() || line.charAt(equals + 1) != '"') {
                throw new IllegalArgumentException("malformed labels in: " + line);
            }
            String key = line.substring(i, equals).strip();
            StringBuilder value = new StringBuilder();
            int j = equals + 2;
            for (; j < line.length() && line.charAt(j) != '"'; j++) {
                char v = line.charAt(j);
                if (v == '\\' && j + 1 < line.length()) {
                    char escaped = line.charAt(++j);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(v);
                }
            }
            if (j >= line.length()) {
                throw new IllegalArgumentException("unterminated label value in: " + line);
            }
            labels.put(key, value.toString());
            i = j + 1;
        }
        throw new IllegalArgumentException("unterminated labels in: " + line);
    }

    private static double parseValue(String text, String line) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad sample value in: " + line, e);
                }
        }
    }
}
