package io.cachebus.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatencyChartTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path directory;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    private static Histogram lognormal(double medianMicros, long seed) {
        Histogram histogram = new Histogram(60_000_000L, 3);
        Random random = new Random(seed);
        for (int i = 0; i < 50_000; i++) {
            histogram.recordValue((long) (medianMicros * Math.exp(random.nextGaussian() * 0.6)));
        }
        return histogram;
    }

    private static void assertPng(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertThat(Arrays.copyOf(bytes, PNG_SIGNATURE.length)).isEqualTo(PNG_SIGNATURE);
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(LatencyChart.WIDTH);
        assertThat(image.getHeight()).isEqualTo(LatencyChart.HEIGHT);
    }

    @Test
    void drawsOneLinePerDistributionAsAValidPng() throws IOException {
        Map<String, Histogram> series = new LinkedHashMap<>();
        series.put("reads", lognormal(800, 1));
        series.put("writes", lognormal(2_500, 2));
        series.put("propagation", lognormal(6_000, 3));
        series.put("empty, left out", new Histogram(3));
        Path file = directory.resolve("nested/quick-latency.png");

        LatencyChart.writePng("quick", series, file);

        assertPng(file);
        assertThat(saturatedHues(ImageIO.read(file.toFile()))).as("one coloured line per series").isGreaterThanOrEqualTo(3);
    }

    /** Distinct hues (in 20-degree buckets) of clearly coloured pixels: the lines, not text or grid. */
    private static long saturatedHues(BufferedImage image) {
        Set<Integer> hues = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                float[] hsb = Color.RGBtoHSB((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff, null);
                if (hsb[1] > 0.5f && hsb[2] > 0.3f) {
                    hues.add((int) (hsb[0] * 18));
                }
            }
        }
        return hues.size();
    }

    @Test
    void anEmptyRunStillGivesAValidPng() throws IOException {
        Path file = directory.resolve("empty.png");
        LatencyChart.writePng("nothing", Map.of(), file);
        assertPng(file);
    }

    @Test
    void theNinesAxisIsLabelledInPercentilesAtWholeNines() {
        assertThat(LatencyChart.nines(90)).isCloseTo(1.0, within(1e-9));
        assertThat(LatencyChart.nines(99.9)).isCloseTo(3.0, within(1e-9));
        assertThat(LatencyChart.percentileLabel(0)).isEqualTo("0%");
        assertThat(LatencyChart.percentileLabel(1)).isEqualTo("90%");
        assertThat(LatencyChart.percentileLabel(2)).isEqualTo("99%");
        assertThat(LatencyChart.percentileLabel(3)).isEqualTo("99.9%");
        assertThat(LatencyChart.percentileLabel(5)).isEqualTo("99.999%");
        assertThat(LatencyChart.percentileLabel(0.5)).isEmpty();
        assertThat(LatencyChart.percentileLabel(2.2)).isEmpty();
    }
}
