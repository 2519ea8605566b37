package io.cachebus.loadtest.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes one run's files into the output directory: {@code NAME.json} (the contract), {@code NAME.md} (the
 * summary), {@code NAME-latency.png} (the percentile chart) and {@code NAME-percentiles.txt} (HdrHistogram's
 * full percentile tables, in milliseconds).
 */
public final class ReportFiles {

    /** Where the files went, and the targets as checked against the written JSON. */
    public record Written(Path json, Path markdown, Path chart, Path percentiles, List<TargetCheck.Result> targets,
            String summary) {
    }

    static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ReportFiles() {
    }

    /**
     * @param histograms the latency distributions in microseconds, by series name, for the chart and tables
     * @param command    the command line that produced the run, quoted in the summary
     */
    public static Written write(BenchReport report, Map<String, Histogram> histograms, Path outputDirectory,
            String command) throws IOException {
        Files.createDirectories(outputDirectory);
        String name = report.profile();
        Path json = outputDirectory.resolve(name + ".json");
        Files.writeString(json, toJson(report) + "\n", StandardCharsets.UTF_8);

        List<TargetCheck.Result> targets = TargetCheck.evaluate(readJson(json));

        Path chart = outputDirectory.resolve(name + "-latency.png");
        LatencyChart.writePng("cachebus " + name + ": latency by percentile", histograms, chart);

        Path percentiles = outputDirectory.resolve(name + "-percentiles.txt");
        try (PrintStream out = new PrintStream(Files.newOutputStream(percentiles), false, StandardCharsets.UTF_8)) {
            histograms.forEach((series, histogram) -> {
                out.println("# " + series + " (milliseconds)");
                if (histogram.getTotalCount() > 0) {
                    histogram.outputPercentileDistribution(out, 5, 1000.0);
                }
                out.println();
            });
        }

        String summary = MarkdownSummary.render(report, targets, chart.getFileName().toString(), command);
        Path markdown = outputDirectory.resolve(name + ".md");
        Files.writeString(markdown, summary, StandardCharsets.UTF_8);
        return new Written(json, markdown, chart, percentiles, targets, summary);
    }

    public static String toJson(BenchReport report) {
        return JSON.writeValueAsString(report);
    }

    public static JsonNode readJson(Path file) throws IOException {
        return JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    }
}
