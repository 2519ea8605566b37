package io.cachebus.loadtest.workload;

import java.util.Random;

/**
 * Turns a stream of random numbers into requests: which kind, which entity (Zipf-skewed), which node.
 * Seeded and single-threaded, like the scheduler that calls it, so a profile replays the same sequence.
 *
 * @see RequestKind
 */
public final class WorkloadMix {

    /** One planned request. {@code node} indexes the target's API nodes. */
    public record PlannedRequest(RequestKind kind, EntityRef entity, int node) {
    }

    private final EntityCatalog catalog;
    private final ZipfKeySampler keys;
    private final double readRatio;
    private final double derivedShareOfReads;
    private final int nodes;
    private final Random random;

    /**
     * @param readRatio            share of requests that are reads, 0..1 (the rest are writes)
     * @param derivedShareOfReads  share of reads that go to derived data instead of the entity itself, 0..1
     * @param nodes                how many API nodes to spread requests over (uniformly, like a load balancer)
     */
    public WorkloadMix(EntityCatalog catalog, double zipfExponent, double readRatio, double derivedShareOfReads,
            int nodes, long seed) {
        requireShare("readRatio", readRatio);
        requireShare("derivedShareOfReads", derivedShareOfReads);
        if (nodes < 1) {
            throw new IllegalArgumentException("need at least one node");
        }
        this.catalog = catalog;
        this.keys = new ZipfKeySampler(catalog.size(), zipfExponent, seed);
        this.readRatio = readRatio;
        this.derivedShareOfReads = derivedShareOfReads;
        this.nodes = nodes;
        this.random = new Random(seed ^ 0x5DEECE66DL);
    }

    public PlannedRequest next() {
        EntityRef entity = catalog.byRank(keys.nextRank());
        RequestKind kind;
        if (random.nextDouble() < readRatio) {
            kind = random.nextDouble() < derivedShareOfReads ? RequestKind.READ_DERIVED : RequestKind.READ;
        } else {
            kind = RequestKind.WRITE;
        }
        return new PlannedRequest(kind, entity, random.nextInt(nodes));
    }

    private static void requireShare(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be within 0..1, was " + value);
        }
    }
}
