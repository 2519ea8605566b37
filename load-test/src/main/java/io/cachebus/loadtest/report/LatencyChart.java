package io.cachebus.loadtest.report;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The latency percentile plot: one line per distribution, latency (log scale) over percentile, with the
 * percentile axis logarithmic in "nines" (90%, 99%, 99.9%, ...) so the tail, where queueing and stale caches show,
 * gets as much room as the median.
 *
 * <p>The x value plotted is {@code log10(1 / (1 - p))}, the number of nines, on a linear axis: XChart draws a
 * logarithmic axis with its own labels only, so the log is taken here and the axis labels say the percentile.
 */
public final class LatencyChart {

    static final int WIDTH = 1000;
    static final int HEIGHT = 620;
    /** HdrHistogram's iteration density: points per halving of the distance to 100%. */
    private static final int TICKS_PER_HALF_DISTANCE = 5;
    /** The last plotted percentile: 100% itself would sit at infinity on the nines axis. */
    private static final double LAST_PERCENTILE = 99.9999;
    private static final double TICK_TOLERANCE = 1e-6;
    /** Log axes cannot show 0; one microsecond is below anything a network round trip takes. */
    private static final double FLOOR_MS = 0.001;

    private LatencyChart() {
    }

    /** Writes the chart of {@code series} (name to histogram in microseconds) as a PNG to {@code file}. */
    public static void writePng(String title, Map<String, Histogram> series, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("percentile").yAxisTitle("latency (ms)").build();
        XYStyler styler = chart.getStyler();
        styler.setXAxisMin(0.0);
        styler.setYAxisLogarithmic(true);
        styler.setxAxisTickLabelsFormattingFunction(LatencyChart::percentileLabel);
        styler.setLegendPosition(Styler.LegendPosition.InsideNW);
        styler.setChartBackgroundColor(Color.WHITE);
        int plotted = 0;
        for (Map.Entry<String, Histogram> entry : series.entrySet()) {
            if (entry.getValue().getTotalCount() == 0) {
                continue;
            }
            Histogram histogram = entry.getValue();
            // beyond 1 - 1/n a distribution of n values has nothing more to say
            double lastPercentile = Math.min(LAST_PERCENTILE, 100.0 * (1.0 - 1.0 / histogram.getTotalCount()));
            List<Double> nines = new ArrayList<>();
            List<Double> millis = new ArrayList<>();
            for (HistogramIterationValue value : histogram.percentiles(TICKS_PER_HALF_DISTANCE)) {
                double percentile = Math.min(value.getPercentileLevelIteratedTo(), lastPercentile);
                nines.add(nines(percentile));
                millis.add(Math.max(FLOOR_MS, value.getValueIteratedTo() / 1000.0));
                if (percentile >= lastPercentile) {
                    break;
                }
            }
            XYSeries line = chart.addSeries(entry.getKey() + " (n=" + entry.getValue().getTotalCount() + ")",
                    nines, millis);
            line.setMarker(SeriesMarkers.NONE);
            plotted++;
        }
        if (plotted == 0) {
            // XChart cannot draw an empty plot; one flat, clearly named line says there was nothing to show.
            chart.addSeries("no latencies recorded", new double[] {0, 1}, new double[] {FLOOR_MS, FLOOR_MS})
                    .setMarker(SeriesMarkers.NONE);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /** The number of nines of a percentile: 90% is 1, 99% is 2, 99.9% is 3. */
    static double nines(double percentile) {
        return Math.log10(1.0 / (1.0 - percentile / 100.0));
    }

    /** The axis label of a whole number of nines ("99.9%"); ticks between whole nines stay unlabelled. */
    static String percentileLabel(double nines) {
        if (Math.abs(nines - Math.rint(nines)) > TICK_TOLERANCE) {
            return "";
        }
        double percentile = 100.0 * (1.0 - Math.pow(10, -Math.rint(nines)));
        String text = String.format(Locale.ROOT, "%.6f", percentile).replaceAll("0+$", "").replaceAll("\\.$", "");
        return text + "%";
    }
}
