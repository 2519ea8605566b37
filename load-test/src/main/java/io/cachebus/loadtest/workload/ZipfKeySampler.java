package io.cachebus.loadtest.workload;

import org.apache.commons.math3.distribution.ZipfDistribution;
import org.apache.commons.math3.random.Well19937c;

/**
 * Draws key ranks from a Zipf distribution: rank 0 is the hottest key, and the probability of rank {@code k} is
 * proportional to {@code 1 / (k + 1)^exponent}. Real API traffic looks like this: a few tenants and records get
 * most of the reads, which is what makes a cache worth having and what makes invalidation of hot keys matter.
 *
 * <p>Seeded, so two runs of a profile draw the same sequence. Not thread-safe: the open-loop scheduler draws
 * every key on its own thread.
 */
public final class ZipfKeySampler {

    private final ZipfDistribution distribution;

    /**
     * @param keys     how many distinct keys (ranks {@code 0 .. keys-1})
     * @param exponent the skew; 0 is uniform, about 1 is typical of web traffic, larger is more skewed
     * @param seed     the random seed
     */
    public ZipfKeySampler(int keys, double exponent, long seed) {
        if (keys < 1) {
            throw new IllegalArgumentException("keys must be at least 1, was " + keys);
        }
        if (!(exponent >= 0) || Double.isInfinite(exponent)) {
            throw new IllegalArgumentException("exponent must be a finite number >= 0, was " + exponent);
        }
        // commons-math rejects exponent 0; a tiny positive exponent is uniform for every practical purpose.
        double effective = Math.max(exponent, 1e-9);
        this.distribution = new ZipfDistribution(new Well19937c(seed), keys, effective);
    }

    public int keys() {
        return distribution.getNumberOfElements();
    }

    public double exponent() {
        return distribution.getExponent();
    }

    /** The next rank, {@code 0} (hottest) to {@code keys - 1}. */
    public int nextRank() {
        return distribution.sample() - 1;
    }

    /** The exact probability of drawing {@code rank}. */
    public double probability(int rank) {
        return distribution.probability(rank + 1);
    }
}
